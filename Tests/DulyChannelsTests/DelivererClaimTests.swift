import DulyChannels
import DulyCore
import DulyStore
import DulyStoreSQLite
import Foundation
import Synchronization
import Testing

/// A deliverer shares the outbox with others (docs/ARCHITECTURE.md, "Many nodes"): when another deliverer took its
/// customer over while its message was on the way, it drops the message before the point of no return.
@Suite struct DelivererClaimTests {
    private static let day = LocalDate(iso: "2026-03-09")!
    private static let euro = Currency(code: "EUR")!

    // A store with clients (C1 unless told) whose first follow-ups are due by email on 2026-03-09.
    private func outbox(customers: [String] = ["C1"]) async throws -> (SQLiteStore, Organisation, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-claims-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("duly.sqlite").path)
        try await store.migrate()
        let organisation = Organisation(
            id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "Europe/Amsterdam")
        try await store.saveOrganisation(organisation)
        let context = RecordingContext(date: Self.day, recordedAt: "2026-03-09T08:00:00Z")
        _ = try await store.importCustomers(
            customers.map {
                CustomerRecord(
                    customer: Customer(id: $0, name: "Client \($0)", country: "NL", language: "en"),
                    contacts: [Contact(role: .billing, email: "ap@\($0.lowercased()).example")])
            }, organisationID: "acme", context: context)
        _ = try await store.importInvoices(
            customers.map {
                Invoice(
                    number: "INV-\($0)", customerID: $0, issueDate: LocalDate(iso: "2026-01-05")!,
                    dueDate: LocalDate(iso: "2026-02-04")!, total: Money(minorUnits: 100_00, currency: Self.euro))
            }, organisationID: "acme", context: context)
        _ = try await store.commitRun(
            actions: customers.map {
                PlannedAction(
                    customerID: $0, date: Self.day, channel: .email, stage: .delayed, stepID: "first_follow_up",
                    template: "first_follow_up", requiresApproval: false, escalatesTo: nil,
                    steps: [InvoiceStep(invoiceNumber: "INV-\($0)", stepID: "first_follow_up")], status: .planned,
                    idempotencyKey: "first-follow-up-\($0)")
            }, cancellations: [], organisationID: "acme", context: context)
        return (store, organisation, folder)
    }

    @Test func aCustomerPassedOverWhileAnotherDelivererHeldItIsSentOnceThatClaimLapses() async throws {
        let (store, organisation, folder) = try await outbox(customers: ["C1", "C2"])
        // A deliverer that died holds C1 for another second; its claim lapses while this one sends C2's message.
        let clock = MovingClock()
        let dead = try await store.claimDeliveryCustomers(
            organisationID: "acme", channels: [.email], dueBy: Self.day, now: 0, after: nil, holder: "dead",
            leaseNow: 1_000, until: 1_001, limit: 1)
        try #require(dead.customerIDs == ["C1"])
        let deliverer = Deliverer(
            store: store, organisation: organisation, playbook: .standard, composer: PlainComposer(),
            transports: [.email: SlowFileTransport(clock: clock, folder: folder)], messageIDDomain: "duly.test")
        let lease = WorkLease(
            holder: "alive", seconds: 60, now: { clock.seconds.load(ordering: .relaxed) },
            wait: { _ in Issue.record("nothing is held when the sweep ends: nothing to wait for") })
        let report = try await deliverer.deliver(
            dueBy: Self.day, now: 0, keepBusinessHours: false, recordedAt: "2026-03-09T09:00:00Z", lease: lease)

        #expect(report.sent.count == 2, "both clients' messages went: \(report.sent)")
        for customer in ["C1", "C2"] {
            let sent = try await store.communications(organisationID: "acme", customerID: customer)
            #expect(sent.filter { $0.state == .sent }.count == 1, "\(customer)'s message went once")
        }
    }

    @Test func aMessageWhoseCustomerWasTakenOverOnTheWayIsDroppedBeforeThePointOfNoReturn() async throws {
        let (store, organisation, folder) = try await outbox()
        // The transport is slow: while the message is on the way, the deliverer's lease lapses (its clock moves on)
        // and a second deliverer takes the customer over.
        let clock = MovingClock()
        let transport = TakenOverOnTheWay(store: store, clock: clock, folder: folder)
        let deliverer = Deliverer(
            store: store, organisation: organisation, playbook: .standard, composer: PlainComposer(),
            transports: [.email: transport], messageIDDomain: "duly.test")
        // Once its sweep is over, the slow deliverer waits for the one that took the customer over: which sends the
        // message meanwhile and lets the customer go.
        let lease = WorkLease(
            holder: "slow", seconds: 60, now: { clock.seconds.load(ordering: .relaxed) },
            wait: { _ in
                let due = try await store.dueDeliveries(
                    organisationID: "acme", channels: [.email], dueBy: Self.day, now: 0, limit: 10)
                #expect(due.map(\.state) == [.sending], "the message stays due, for the deliverer that took it over")
                for job in due {
                    try await store.markDeliveryCommitted(organisationID: "acme", actionID: job.actionID)
                    try await store.finishDelivery(
                        organisationID: "acme", actionID: job.actionID,
                        outcome: .sent(to: "ap@c1.example", confirmed: true),
                        context: RecordingContext(date: Self.day, recordedAt: "2026-03-09T09:01:00Z"))
                }
                try await store.releaseDeliveryClaims(organisationID: "acme", customerIDs: ["C1"], holder: "quick")
            })
        let report = try await deliverer.deliver(
            dueBy: Self.day, now: 0, keepBusinessHours: false, recordedAt: "2026-03-09T09:00:00Z", lease: lease)

        #expect(report.sent.isEmpty, "the slow deliverer sent nothing")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("sent.eml").path))
        let sent = try await store.communications(organisationID: "acme", customerID: "C1").filter { $0.state == .sent }
        #expect(sent.count == 1, "the message went once, by the deliverer that took the customer over")
    }
}

// The deliverer's clock, in Unix seconds, which the transport moves on.
private final class MovingClock: Sendable {
    let seconds = Atomic<Int64>(1_000)
}

// A message of a few bytes to the client's billing address.
private struct PlainComposer: MessageComposer {
    func compose(
        _ job: DeliveryJob, account: Account, documents: [InvoiceDocument], messageID: String, threadParent: String?,
        on date: LocalDate
    ) throws -> OutgoingMessage? {
        OutgoingMessage(
            actionID: job.actionID, customerID: account.customer.id, channel: .email, messageID: messageID,
            sender: "ar@acme.example", recipients: account.contacts.compactMap(\.email),
            content: Array("Subject: hi\r\n\r\nhi\r\n".utf8), suggestedFileName: "sent.eml")
    }
}

// A transport during whose send the lease lapses and another deliverer claims the customer; it writes the file only
// once `beforeCommit` returned, as a real transport sends its last byte only then.
private struct TakenOverOnTheWay: MessageTransport {
    let store: SQLiteStore
    let clock: MovingClock
    let folder: URL

    func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        clock.seconds.store(2_000, ordering: .relaxed)
        let rival = try await store.claimDeliveryCustomers(
            organisationID: "acme", channels: [.email], dueBy: LocalDate(iso: "2026-03-09")!, now: 0, after: nil,
            holder: "quick", leaseNow: 2_000, until: 2_060, limit: 10)
        precondition(rival.customerIDs == ["C1"], "the rival takes the customer over")
        try await beforeCommit()
        try Data(message.content).write(to: folder.appendingPathComponent(message.suggestedFileName))
    }

    func completeCommitted(_ message: OutgoingMessage) async throws {}
}

// A transport that takes two seconds of the deliverer's clock to send a message, which it writes to a file of its own.
private struct SlowFileTransport: MessageTransport {
    let clock: MovingClock
    let folder: URL

    func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        clock.seconds.add(2, ordering: .relaxed)
        try await beforeCommit()
        try Data(message.content).write(to: folder.appendingPathComponent("\(message.customerID).eml"))
    }

    func completeCommitted(_ message: OutgoingMessage) async throws {}
}
