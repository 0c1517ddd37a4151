import DulyCore
import DulyStore
import Foundation
import Synchronization

/// Turns a due action into the message that carries it.
public protocol MessageComposer: Sendable {
    /// The message for `job`, or nil when the account has no way to receive it (the deliverer then fails the action
    /// with `unreachable` so a person can look). `threadParent` is the last email's Message-ID, to reply under;
    /// `documents` are the files kept with the action's invoices (the imported originals), when emails carry them.
    func compose(
        _ job: DeliveryJob, account: Account, documents: [InvoiceDocument], messageID: String, threadParent: String?,
        on date: LocalDate
    ) throws -> OutgoingMessage?
}

/// A message that failed for a reason of its own in a delivery pass; the others went on.
public struct DeliveryFailure: Sendable, Equatable {
    public var actionID: Int64
    public var customerID: String
    public var reason: String

    public init(actionID: Int64, customerID: String, reason: String) {
        self.actionID = actionID
        self.customerID = customerID
        self.reason = reason
    }
}

/// Messages that wait for a retry for one reason: a 451 greylisting, a connection dropped mid-message.
public struct RetryReason: Sendable, Equatable {
    /// The reason, with the addresses of each message left out so that one cause reads as one reason.
    public var reason: String
    /// Each message, with the reason exactly as its attempt recorded it.
    public var messages: [DeliveryFailure]

    public init(reason: String, messages: [DeliveryFailure]) {
        self.reason = reason
        self.messages = messages
    }

    /// A temporary failure's reason with the message's own addresses left out, so that the same cause (a
    /// greylisting reply quoting each recipient) groups as one reason: `<ap@acme.example>` becomes `<…>`, a bare
    /// address `recipient`.
    static func generalised(_ reason: String, recipients: [String]) -> String {
        var general = reason
        for address in recipients where !address.isEmpty {
            general = general.replacingOccurrences(of: "<\(address)>", with: "<…>", options: .caseInsensitive)
            general = general.replacingOccurrences(of: address, with: "recipient", options: .caseInsensitive)
        }
        return general
    }
}

/// What one delivery pass did.
public struct DeliveryReport: Sendable, Equatable {
    public var sent: [String] = []
    public var retrying = 0
    /// The temporary failures of this pass, grouped by reason, most messages first (ties in order of appearance).
    public var retryReasons: [RetryReason] = []
    public var failed = 0
    /// The failures of this pass, each with its reason (also on `duly worklist`).
    public var failures: [DeliveryFailure] = []
    /// Due but waiting for a later delivery day: the client already heard from us today, or the contact cap is
    /// reached (`DeliveryHold.reason` says which).
    public var held: [DeliveryHold] = []
    /// Withdrawn at the last moment: the account changed since planning (paid, disputed, promised).
    public var cancelled = 0
    /// Due, but outside the client's business hours right now.
    public var outsideHours = 0

    public init() {}

    mutating func recordRetry(_ failure: DeliveryFailure, reason: String) {
        retrying += 1
        if let index = retryReasons.firstIndex(where: { $0.reason == reason }) {
            retryReasons[index].messages.append(failure)
        } else {
            retryReasons.append(RetryReason(reason: reason, messages: [failure]))
        }
        // A stable sort: most messages first, then the order the reasons first came.
        retryReasons = retryReasons.enumerated().sorted {
            ($0.element.messages.count, -$0.offset) > ($1.element.messages.count, -$1.offset)
        }.map(\.element)
    }
}

/// Why a delivery pass stopped before its end: the transport of a channel cannot be used as configured (no
/// STARTTLS where it is required, credentials refused, an unknown host, nothing listening on the port, a
/// certificate refused). The message it tried is as it was (no attempt counted, no backoff, not failed), and so is
/// every message after it.
public struct DeliveryStopped: Error, Sendable, CustomStringConvertible {
    /// The channel whose transport is misconfigured.
    public var channel: Channel
    /// What is wrong and what to change, in one line.
    public var reason: String
    /// What the pass did before it stopped (messages on other channels, or sent before the server changed).
    public var report: DeliveryReport

    public init(channel: Channel, reason: String, report: DeliveryReport) {
        self.channel = channel
        self.reason = reason
        self.report = report
    }

    public var description: String { reason }
}

/// The outbox's deliverer: sends what the collection day planned, exactly once.
///
/// For each due action it re-checks the account (a payment, dispute or promise recorded since planning cancels the
/// action) and the client's manners on the day of sending (one message a day, the most advanced stage's; the
/// playbook's 7-day contact cap counting what was actually sent: otherwise the action waits for a later day),
/// composes the message, records the intent with the exact content, hands the message to the transport, records
/// "committed" right before it becomes irrevocable, then records the outcome. A crash anywhere is recovered
/// by the next pass: an intent left `sending` was never accepted and goes again, one left `committed` was and is
/// counted as sent. Temporary failures are retried with exponential backoff; a permanent one fails the action and,
/// for a bounce, marks the address so the planner stops using it. A message that cannot be built or sent for a reason
/// of its own (an address no server takes, a refused recipient) fails alone: the others go on. A transport that
/// cannot be used at all (`TransportError.configuration`) stops the pass with `DeliveryStopped` before the intent
/// is recorded, so no message is charged for a configuration a person has to fix.
public struct Deliverer<Store: DeliveryStore, Composer: MessageComposer>: Sendable {
    public let store: Store
    public let organisation: Organisation
    public let playbook: Playbook
    public let composer: Composer
    public let transports: [Channel: any MessageTransport]
    /// The domain of generated Message-IDs (`<key@domain>`).
    public let messageIDDomain: String
    /// Attempts before a temporarily failing message is given up.
    public var maximumAttempts = 8
    /// The first retry's delay; each further one doubles, up to `maximumRetryDelay`.
    public var firstRetryDelay: Int64 = 300
    public var maximumRetryDelay: Int64 = 6 * 3600

    public init(
        store: Store, organisation: Organisation, playbook: Playbook, composer: Composer,
        transports: [Channel: any MessageTransport], messageIDDomain: String
    ) {
        self.store = store
        self.organisation = organisation
        self.playbook = playbook
        self.composer = composer
        self.transports = transports
        self.messageIDDomain = messageIDDomain
    }

    /// Sends everything due by `dueBy` whose time has come at `now` (Unix seconds).
    ///
    /// Several deliverers may share the organisation's outbox (`DeliveryClaimStore`): the pass sweeps the customers
    /// with messages due in id order, claiming `customersPerClaim` at a time under `lease`, renews a customer's claim
    /// before its first message, and releases the claims when done. Once its sweep is over, it waits while other
    /// deliverers still hold customers, then sweeps again to take over any whose claim lapsed (their deliverer
    /// died). The report counts what this pass did.
    ///
    /// - Parameter keepBusinessHours: send emails and calls only inside the client's local business hours at `now`
    ///   (off for simulations with `--as-of`, which send as if during business hours on that date).
    public func deliver(
        dueBy: LocalDate, now: Int64, keepBusinessHours: Bool, recordedAt: String, lease: WorkLease = .solo()
    ) async throws
        -> DeliveryReport
    {
        var report = DeliveryReport()
        let context = RecordingContext(date: dueBy, recordedAt: recordedAt)
        let planner = Planner(playbook: playbook, organisation: organisation)
        let channels = Set(transports.keys)
        // Customers this pass looked at: a later sweep passes them over (what they still have due waits on purpose).
        var visited: Set<String> = []
        var after: String?
        // Whether this sweep passed over customers other deliverers held: their claims may lapse before it ends (a
        // deliverer died), and the sweep does not come back for them on its own.
        var passedOverHeld = false
        while true {
            let claim = try await store.claimDeliveryCustomers(
                organisationID: organisation.id, channels: channels, dueBy: dueBy, now: now, after: after,
                holder: lease.holder, leaseNow: lease.now(), until: lease.expiry, limit: customersPerClaim)
            guard let last = claim.lastConsidered else {
                // Other deliverers still hold customers: look again in a moment (they usually finish long before
                // their claims lapse), to take over any whose deliverer died. Customers held on the way whose claims
                // lapsed meanwhile: look again at once.
                if claim.othersHoldUntil != nil {
                    try await lease.wait(Self.pollSeconds)
                } else if !passedOverHeld {
                    return report
                }
                passedOverHeld = false
                after = nil
                continue
            }
            after = last
            if claim.othersHoldUntil != nil { passedOverHeld = true }
            let customers = claim.customerIDs.filter { !visited.contains($0) }
            visited.formUnion(customers)
            do {
                try await deliver(
                    customers, planner: planner, now: now, keepBusinessHours: keepBusinessHours, context: context,
                    lease: lease, report: &report)
            } catch {
                try? await store.releaseDeliveryClaims(
                    organisationID: organisation.id, customerIDs: claim.customerIDs, holder: lease.holder)
                throw error
            }
            try await store.releaseDeliveryClaims(
                organisationID: organisation.id, customerIDs: claim.customerIDs, holder: lease.holder)
        }
    }

    /// Customers claimed at a time: few, so that deliverers starting together share the outbox evenly.
    public var customersPerClaim = 10

    /// How long a deliverer waits, in seconds, before it looks again at customers other deliverers hold.
    static var pollSeconds: Int64 { 1 }

    // The due messages of claimed customers, each customer's claim renewed before its first message.
    private func deliver(
        _ customers: [String], planner: Planner, now: Int64, keepBusinessHours: Bool, context: RecordingContext,
        lease: WorkLease, report: inout DeliveryReport
    ) async throws {
        guard !customers.isEmpty else { return }
        var jobs: [DeliveryJob] = []
        var afterID: Int64 = 0
        while true {
            let page = try await store.dueDeliveries(
                organisationID: organisation.id, channels: Set(transports.keys), dueBy: context.date, now: now,
                customerIDs: customers, limit: 500
            ).filter { $0.actionID > afterID }
            guard let last = page.last else { break }
            afterID = last.actionID
            jobs += page
            if page.count < 500 { break }
        }
        var voices = Voices(leaders: leaders(of: jobs))
        var renewed: [String: Bool] = [:]
        for job in jobs {
            let customerID = job.action.customerID
            if renewed[customerID] == nil {
                // Held for another lease from here (and renewed again at each message's point of no return): a
                // customer another deliverer took over meanwhile is left to it.
                renewed[customerID] = try await store.renewDeliveryClaim(
                    organisationID: organisation.id, customerID: customerID, holder: lease.holder,
                    until: lease.expiry)
            }
            guard renewed[customerID] == true else { continue }
            do {
                try await deliver(
                    job, planner: planner, now: now, keepBusinessHours: keepBusinessHours, context: context,
                    lease: lease, voices: &voices, report: &report)
            } catch let unusable as Unusable {
                throw DeliveryStopped(channel: job.action.channel, reason: unusable.reason, report: report)
            }
        }
    }

    /// Another deliverer took the customer over: this one leaves its message alone.
    private struct ClaimLost: Error {}

    /// The transport of a job's channel refused before anything was recorded: the pass stops.
    private struct Unusable: Error {
        var reason: String
    }

    /// Whether the intent of the message in hand is recorded yet (set from the transport's `whenReady`).
    private final class Recorded: Sendable {
        private let state = Atomic<Bool>(false)

        var isSet: Bool { state.load(ordering: .acquiring) }

        func set() { state.store(true, ordering: .releasing) }
    }

    // MARK: - One voice a day

    /// What each client heard, as far as this pass knows: contacts made (by day), and who speaks today.
    private struct Voices {
        /// Per client, the one customer-facing action due today that may speak: the most advanced stage's.
        var leaders: [String: DeliveryJob]
        /// Per client, the days a contact was made (a message sent, a call reached), loaded once per pass.
        var contactDays: [String: [LocalDate]] = [:]
    }

    /// Whether the action speaks to the client (the deliverer's channels: email, letter, text), not to our manager.
    /// Why a message cannot be written for a reason of its own (its address, a header, no postal address), or nil
    /// when the error is not the message's.
    private static func problemOfItsOwn(_ error: any Error) -> String? {
        switch error {
        case let error as MIMEError: return error.description
        case let error as LetterError: return error.description
        default: return nil
        }
    }

    // The imported originals of the action's invoices, when the organisation's emails carry the invoices.
    private func documents(for job: DeliveryJob) async throws -> [InvoiceDocument] {
        guard job.action.channel == .email, organisation.attachments.contains(.invoice) else { return [] }
        let numbers = Set(job.action.invoiceNumbers)
        return try await store.documents(organisationID: organisation.id, customerID: job.action.customerID)
            .filter { numbers.contains($0.invoiceNumber) }
    }

    private static func speaksToClient(_ action: PlannedAction) -> Bool {
        action.escalatesTo != .manager
    }

    /// Per client, the due action that speaks today: the most advanced stage, then the later ladder step, then the
    /// later action.
    private func leaders(of jobs: [DeliveryJob]) -> [String: DeliveryJob] {
        func rank(_ job: DeliveryJob) -> (Int, Int, Int64) {
            let stage = Stage.allCases.firstIndex(of: job.action.stage) ?? 0
            let step = playbook.steps.firstIndex { $0.id == job.action.stepID } ?? -1
            return (stage, step, job.actionID)
        }
        var leaders: [String: DeliveryJob] = [:]
        for job in jobs where job.state != .committed && Self.speaksToClient(job.action) {
            let customerID = job.action.customerID
            if let current = leaders[customerID], rank(current) >= rank(job) { continue }
            leaders[customerID] = job
        }
        return leaders
    }

    /// The days contacts were actually made with the client: messages sent to them and calls or meetings that
    /// reached them, on the day they happened (the timeline's day), not the day they were planned. An action marked
    /// sent without a delivery record (by hand, or by an older Duly) counts on its planned day.
    private func contactDays(of account: Account) async throws -> [LocalDate] {
        var happened: [Int64: LocalDate] = [:]
        for entry in try await store.timeline(organisationID: organisation.id, customerID: account.customer.id)
        where entry.timelineKind == .messageSent || entry.timelineKind?.isTaskLogged == true {
            if let id = entry.details["action"].flatMap(Int64.init) { happened[id] = entry.date }
        }
        return account.history.filter { $0.contactsCustomer && ($0.status == .sent || $0.status == .done) }
            .map { happened[$0.id] ?? $0.date }
    }

    /// Why `job` must wait for a later day, or nil when it may speak today.
    private func reasonToWait(
        _ job: DeliveryJob, account: Account, on date: LocalDate, voices: inout Voices
    ) async throws -> String? {
        guard Self.speaksToClient(job.action) else { return nil }
        let customerID = job.action.customerID
        if let leader = voices.leaders[customerID], leader.actionID != job.actionID {
            return "one message a day: \(leader.action.stepID.split(separator: "_").joined(separator: " ")) "
                + "(action \(leader.actionID)) speaks to the client today"
        }
        if voices.contactDays[customerID] == nil {
            voices.contactDays[customerID] = try await contactDays(of: account)
        }
        let days = voices.contactDays[customerID] ?? []
        if days.contains(date) {
            return "one message a day: the client already heard from us on \(date)"
        }
        let windowStart = date.adding(days: -6)
        let recent = days.filter { $0 >= windowStart && $0 <= date }.count
        let agreedToByTheClient = job.action.steps.allSatisfy { Playbook.planStepIDs.contains($0.stepID) }
        if recent >= playbook.maxContactsPerSevenDays && !agreedToByTheClient {
            return "contact cap: \(recent) contacts with the client in the 7 days to \(date), the playbook allows "
                + "\(playbook.maxContactsPerSevenDays)"
        }
        return nil
    }

    private func deliver(
        _ job: DeliveryJob, planner: Planner, now: Int64, keepBusinessHours: Bool, context: RecordingContext,
        lease: WorkLease, voices: inout Voices, report: inout DeliveryReport
    ) async throws {
        let organisationID = organisation.id
        guard let transport = transports[job.action.channel],
            var account = try await store.account(organisationID: organisationID, customerID: job.action.customerID)
        else { return }
        if job.action.stepID == Playbook.thankYouStepID {
            // The paid invoices a thank-you speaks of are no longer on the account: fetch them for the message.
            let known = Set(account.invoices.map(\.invoice.number))
            account.invoices += try await store.invoices(
                organisationID: organisationID, customerID: account.customer.id, openOnly: false
            ).filter { job.action.invoiceNumbers.contains($0.invoice.number) && !known.contains($0.invoice.number) }
            // It says what arrived and when: every payment on those invoices, in place of the ones the account holds
            // for promises and plans.
            let thanked = Set(job.action.invoiceNumbers)
            let histories = try await store.invoiceHistories(
                organisationID: organisationID, invoiceNumbers: job.action.invoiceNumbers)
            account.receipts.removeAll { thanked.contains($0.invoiceNumber) }
            account.receipts += histories.flatMap(\.allocations).map {
                Receipt(invoiceNumber: $0.invoiceNumber, date: $0.date, amount: $0.amount)
            }
        }
        let messageID = job.messageID ?? "<\(job.action.idempotencyKey)@\(messageIDDomain)>"
        let parent = try await store.lastMessageID(organisationID: organisationID, customerID: account.customer.id)

        if job.state == .committed {
            // A crash after the point of no return: the message is out. Finish what the transport may have left
            // and record it, without sending again.
            if let message = try composer.compose(
                job, account: account, documents: try await documents(for: job), messageID: messageID,
                threadParent: parent, on: context.date)
            {
                try await transport.completeCommitted(message)
            }
            try await store.finishDelivery(
                organisationID: organisationID, actionID: job.actionID,
                outcome: .sent(to: "(recovered after a crash)", confirmed: false), context: context)
            report.sent.append(messageID)
            if Self.speaksToClient(job.action), voices.contactDays[job.action.customerID] != nil {
                voices.contactDays[job.action.customerID]?.append(context.date)
            }
            return
        }

        // Paid means stop, up to the last moment (a thank-you is about paid invoices: it goes).
        let states = planner.states(of: account, asOf: context.date)
        let stale = job.action.steps.filter {
            !Playbook.stillWanted(stepID: $0.stepID, state: states[$0.invoiceNumber] ?? .paid)
        }.map(\.invoiceNumber)
        if !stale.isEmpty {
            let reasons = stale.map {
                "\($0) \((states[$0] ?? .paid).rawValue.split(separator: "_").joined(separator: " "))"
            }
            _ = try await store.commitRun(
                actions: [],
                cancellations: [Cancellation(actionID: job.actionID, reason: reasons.joined(separator: ", "))],
                organisationID: organisationID, context: context)
            report.cancelled += 1
            return
        }
        // A pause of the customer's whole chase holds up to the last moment too (a note to the team still goes).
        if Self.speaksToClient(job.action), let pause = account.pause(on: context.date) {
            _ = try await store.commitRun(
                actions: [], cancellations: [Cancellation(actionID: job.actionID, reason: pause.withdrawalReason)],
                organisationID: organisationID, context: context)
            report.cancelled += 1
            return
        }
        if let reason = try await reasonToWait(job, account: account, on: context.date, voices: &voices) {
            try await store.holdDelivery(
                organisationID: organisationID, actionID: job.actionID, reason: reason, context: context)
            report.held.append(
                DeliveryHold(
                    actionID: job.actionID, customerID: job.action.customerID, heldOn: context.date, reason: reason))
            return
        }
        if keepBusinessHours, let window = job.action.window, !Deliverer.isInside(window, at: now) {
            report.outsideHours += 1
            return
        }
        let composed: OutgoingMessage?
        do {
            composed = try composer.compose(
                job, account: account, documents: try await documents(for: job), messageID: messageID,
                threadParent: parent, on: context.date)
        } catch {
            // This message's own address, header or postal address cannot be written: it fails alone, the others go
            // on. Anything else (the store, a template that does not load) stops the run as before.
            guard let reason = Self.problemOfItsOwn(error) else { throw error }
            try await beginAndFail(job, messageID: messageID, error: reason, context: context)
            fail(job, reason, &report)
            return
        }
        guard let message = composed else {
            try await beginAndFail(job, messageID: messageID, error: "no address to send this to", context: context)
            fail(job, "no address to send this to", &report)
            return
        }

        let store = self.store
        let actionID = job.actionID
        // The intent is recorded once the transport is ready for this message: a transport that cannot be used at
        // all (its configuration is wrong) refuses before, and the message stays exactly as it was.
        let recorded = Recorded()
        @Sendable func recordIntent() async throws {
            try await store.beginDelivery(
                organisationID: organisationID, actionID: actionID, messageID: messageID, content: message.content,
                context: context)
            recorded.set()
        }
        do {
            try await transport.send(message, whenReady: recordIntent) {
                // Right before the point of no return, the customer's claim once more: a deliverer that lost it (it
                // lapsed and another took the customer over) drops the message before the server accepts it.
                guard
                    try await store.renewDeliveryClaim(
                        organisationID: organisationID, customerID: job.action.customerID, holder: lease.holder,
                        until: lease.expiry)
                else { throw ClaimLost() }
                try await store.markDeliveryCommitted(organisationID: organisationID, actionID: actionID)
            }
        } catch is ClaimLost {
            // The deliverer that took the customer over sends it (the intent left `sending` goes again).
            return
        } catch let error as TransportError {
            if case .configuration(let reason) = error {
                // A transport that refuses after `whenReady` breaks its contract; the intent then stays `sending`,
                // which the next pass sends again (never twice: the message was not committed).
                throw Unusable(reason: reason)
            }
            // A failure of the message (or the network) before the transport was ready still counts an attempt.
            if !recorded.isSet { try await recordIntent() }
            let attempts = job.attempts + 1
            switch error {
            case .configuration:
                break
            case .temporary(let reason) where attempts < maximumAttempts:
                try await store.finishDelivery(
                    organisationID: organisationID, actionID: actionID,
                    outcome: .retry(error: reason, nextAttemptAt: now + retryDelay(afterAttempt: attempts)),
                    context: context)
                report.recordRetry(
                    DeliveryFailure(actionID: actionID, customerID: job.action.customerID, reason: reason),
                    reason: RetryReason.generalised(reason, recipients: message.recipients))
            case .temporary(let reason):
                try await store.finishDelivery(
                    organisationID: organisationID, actionID: actionID,
                    outcome: .failed(error: "gave up after \(attempts) attempts: \(reason)", bouncedAddress: nil),
                    context: context)
                fail(job, "gave up after \(attempts) attempts: \(reason)", &report)
            case .permanent(let reason, let address):
                try await store.finishDelivery(
                    organisationID: organisationID, actionID: actionID,
                    outcome: .failed(error: reason, bouncedAddress: address), context: context)
                fail(job, reason, &report)
            }
            return
        }
        try await store.finishDelivery(
            organisationID: organisationID, actionID: actionID,
            outcome: .sent(to: message.recipients.joined(separator: ", "), confirmed: true), context: context)
        report.sent.append(messageID)
        if Self.speaksToClient(job.action) {
            voices.contactDays[job.action.customerID, default: []].append(context.date)
        }
    }

    private func fail(_ job: DeliveryJob, _ reason: String, _ report: inout DeliveryReport) {
        report.failed += 1
        report.failures.append(
            DeliveryFailure(actionID: job.actionID, customerID: job.action.customerID, reason: reason))
    }

    private func beginAndFail(
        _ job: DeliveryJob, messageID: String, error: String, context: RecordingContext
    )
        async throws
    {
        try await store.beginDelivery(
            organisationID: organisation.id, actionID: job.actionID, messageID: messageID, content: [],
            context: context)
        try await store.finishDelivery(
            organisationID: organisation.id, actionID: job.actionID,
            outcome: .failed(error: error, bouncedAddress: nil),
            context: context)
    }

    /// The wait before attempt `attempt + 1`: doubling from `firstRetryDelay`, capped.
    public func retryDelay(afterAttempt attempt: Int) -> Int64 {
        var delay = firstRetryDelay
        for _ in 1..<max(1, attempt) where delay < maximumRetryDelay { delay *= 2 }
        return min(delay, maximumRetryDelay)
    }

    /// Whether `now` (Unix seconds) falls inside the window, on a local clock in the window's time zone.
    public static func isInside(_ window: DeliveryWindow, at now: Int64) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: window.timeZone) ?? TimeZone(identifier: "UTC")!
        let hour = calendar.component(.hour, from: Date(timeIntervalSince1970: TimeInterval(now)))
        return window.allows(localHour: hour)
    }
}
