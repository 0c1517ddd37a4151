import DulyCore
import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// The webhook outbox: events written with the change they announce, and the collection day's date-derived ones.
@Suite struct WebhookStoreTests {
    static let day = LocalDate(iso: "2026-03-02")!
    static let euro = Currency(code: "EUR")!
    static let secret = "0123456789abcdef-secret"

    private func context(_ date: LocalDate) -> RecordingContext {
        RecordingContext(date: date, recordedAt: "\(date)T08:00:00Z")
    }

    private func organisation(_ id: String = "acme") -> Organisation {
        Organisation(id: id, name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC")
    }

    private func euros(_ amount: Int) -> Money { Money(minorUnits: amount * 100, currency: Self.euro) }

    private func invoice(_ number: String, _ customerID: String = "C1", due: LocalDate, total: Int = 100) -> Invoice {
        Invoice(
            number: number, customerID: customerID, issueDate: min(Self.day.adding(days: -30), due), dueDate: due,
            total: euros(total))
    }

    /// An organisation with customer C1 and a subscriber to `events` (nil: all).
    private func seed(
        _ store: SQLiteStore, events: Set<WebhookEventType>?, organisationID: String = "acme"
    )
        async throws
    {
        try await store.saveOrganisation(organisation(organisationID))
        _ = try await store.addWebhookSubscriber(
            url: "http://127.0.0.1:9/hook", events: events, secret: Self.secret, organisationID: organisationID,
            createdAt: "2026-03-01T00:00:00Z")
        _ = try await store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C1", name: "Customer C1"), contacts: [])],
            organisationID: organisationID, context: context(Self.day))
    }

    private func events(_ store: SQLiteStore, _ organisationID: String = "acme") async throws -> [WebhookEvent] {
        try await store.webhookEvents(organisationID: organisationID, limit: 1000).reversed()
    }

    private func data(_ event: WebhookEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
    }

    private func run(_ store: SQLiteStore, on date: LocalDate, dryRun: Bool = false) async throws {
        _ = try await CollectionDay(store: store, organisation: organisation(), playbook: .standard)
            .run(asOf: date, recordedAt: "\(date)T06:00:00Z", dryRun: dryRun)
    }

    @Test func aRefusedImportWritesNoEventAndAnAcceptedOneWritesItsOwn() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a subscriber to everything and one customer (one customer.created event)
            try await seed(store, events: nil)
            #expect(try await events(store).map(\.type) == [.customerCreated])

            // When an import with an unknown customer is refused
            await #expect(throws: StoreError.self) {
                _ = try await store.importInvoices(
                    [invoice("INV-1", due: Self.day), invoice("INV-2", "C9", due: Self.day)], organisationID: "acme",
                    context: context(Self.day))
            }
            // Then no event was written, nor any delivery
            #expect(try await events(store).count == 1)
            #expect(try await store.rawValue("SELECT count(*) FROM webhook_deliveries", as: Int.self) == 1)

            // When the good invoice and a payment are imported
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day)], organisationID: "acme", context: context(Self.day))
            _ = try await store.importPayments(
                [
                    Payment(
                        id: "P1", customerID: "C1", date: Self.day.adding(days: 1), amount: euros(40),
                        reference: "INV-1")
                ], organisationID: "acme", context: context(Self.day.adding(days: 1)))

            // Then each is announced once, with its data
            let written = try await events(store)
            #expect(written.map(\.type) == [.customerCreated, .invoiceCreated, .paymentReceived])
            let created = try data(written[1])
            #expect(created["invoice_number"] as? String == "INV-1")
            #expect((created["total"] as? [String: String]) == ["value": "100.00", "currency": "EUR"])
            let payment = try data(written[2])
            #expect(payment["payment_id"] as? String == "P1")
            #expect((payment["amount"] as? [String: String]) == ["value": "40.00", "currency": "EUR"])
            let allocations = try #require(payment["allocations"] as? [[String: Any]])
            #expect(allocations.count == 1)
            #expect(allocations.first?["invoice_number"] as? String == "INV-1")
            #expect((allocations.first?["amount"] as? [String: String])?["value"] == "40.00")
            #expect((payment["unallocated"] as? [String: String])?["value"] == "0.00")
            #expect(written[2].occurredOn == Self.day.adding(days: 1))
        }
    }

    @Test func nothingIsWrittenWhileNobodySubscribes() async throws {
        try await TemporaryStore.with { store, _ in
            try await store.saveOrganisation(organisation())
            _ = try await store.importCustomers(
                [CustomerRecord(customer: Customer(id: "C1", name: "Customer C1"), contacts: [])],
                organisationID: "acme", context: context(Self.day))
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day.adding(days: -40))], organisationID: "acme", context: context(Self.day))
            try await run(store, on: Self.day)
            #expect(try await store.rawValue("SELECT count(*) FROM webhook_events", as: Int.self) == 0)
            #expect(try await store.rawValue("SELECT count(*) FROM webhook_invoice_stages", as: Int.self) == 0)
        }
    }

    @Test func aSubscriberOnlyGetsTheTypesItAskedFor() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store, events: [.invoiceCreated])
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day)], organisationID: "acme", context: context(Self.day))
            #expect(try await events(store).map(\.type) == [.invoiceCreated])
        }
    }

    @Test func aStageChangeIsAnnouncedOnceNotOnEveryRun() async throws {
        try await TemporaryStore.with { store, _ in
            // Given an invoice due in ten days and a subscriber to stage changes
            try await seed(store, events: [.invoiceStageChanged])
            let due = Self.day.adding(days: 10)
            _ = try await store.importInvoices(
                [invoice("INV-1", due: due)], organisationID: "acme", context: context(Self.day))

            // When the collection day runs twice on one day, then dry-runs after the due date
            try await run(store, on: Self.day)
            try await run(store, on: Self.day)
            try await run(store, on: due.adding(days: 5), dryRun: true)

            // Then the first sighting is announced once, and the dry run wrote nothing
            var written = try await events(store)
            #expect(written.count == 1)
            #expect(try data(written[0])["stage"] as? String == "pre_due")
            #expect(try data(written[0])["previous_stage"] is NSNull)

            // When it runs after the due date, twice
            try await run(store, on: due.adding(days: 5))
            try await run(store, on: due.adding(days: 6))

            // Then the move to delayed is announced once, dated the run's day
            written = try await events(store)
            #expect(written.count == 2)
            let moved = try data(written[1])
            #expect(moved["previous_stage"] as? String == "pre_due")
            #expect(moved["stage"] as? String == "delayed")
            #expect(moved["invoice_number"] as? String == "INV-1")
            #expect((moved["open"] as? [String: String])?["value"] == "100.00")
            #expect(written[1].occurredOn == due.adding(days: 5))
        }
    }

    @Test func aStageListenerAddedBetweenRunsHearsOfTheNextDaysChange() async throws {
        try await TemporaryStore.with { store, _ in
            // Given an invoice due today, a subscriber who listens only for broken promises, and today's run
            // (which, with nobody listening for stages, does not make tomorrow's turn to overdue a review day)
            try await seed(store, events: [.promiseBroken])
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day)], organisationID: "acme", context: context(Self.day))
            try await run(store, on: Self.day)
            #expect(try await events(store).isEmpty)

            // When someone subscribes to stage changes and tomorrow's run comes
            _ = try await store.addWebhookSubscriber(
                url: "http://127.0.0.1:9/stages", events: [.invoiceStageChanged], secret: Self.secret,
                organisationID: "acme", createdAt: "2026-03-01T00:00:00Z")
            try await run(store, on: Self.day.adding(days: 1))

            // Then the run looked at the account and announced the invoice as delayed, dated that day
            let written = try await events(store)
            #expect(written.map(\.type) == [.invoiceStageChanged])
            #expect(try data(try #require(written.first))["stage"] as? String == "delayed")
            #expect(written.first?.occurredOn == Self.day.adding(days: 1))
        }
    }

    @Test func aBrokenPromiseIsAnnouncedOnce() async throws {
        try await TemporaryStore.with { store, _ in
            // Given an overdue invoice with a promise to pay by day + 3, and a subscriber to broken promises
            try await seed(store, events: [.promiseBroken])
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day.adding(days: -20))], organisationID: "acme",
                context: context(Self.day))
            let promise = PromiseToPay(
                id: "PRM-1", invoiceNumbers: ["INV-1"], amount: euros(100), promisedDate: Self.day.adding(days: 3),
                madeOn: Self.day)
            try await store.recordPromise(promise, organisationID: "acme", context: context(Self.day))
            let broken = promise.brokenOn(graceDays: Playbook.standard.promiseGraceDays)

            // When the collection day runs while it is live, then on the day it breaks and the day after
            try await run(store, on: Self.day.adding(days: 1))
            #expect(try await events(store).isEmpty)
            try await run(store, on: broken)
            try await run(store, on: broken.adding(days: 1))

            // Then it is announced once
            let written = try await events(store)
            #expect(written.map(\.type) == [.promiseBroken])
            #expect(try data(written[0])["promise_id"] as? String == "PRM-1")
            #expect(try data(written[0])["broken_on"] as? String == broken.description)
            #expect(written[0].occurredOn == broken)
        }
    }

    @Test func anotherOrganisationsSubscriberSeesNothing() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a subscriber in organisation "other" only
            try await store.saveOrganisation(organisation("acme"))
            try await seed(store, events: nil, organisationID: "other")
            let before = try await store.dueWebhookDeliveries(organisationID: "other", now: 0, limit: 100).count

            // When acme imports customers and invoices
            _ = try await store.importCustomers(
                [CustomerRecord(customer: Customer(id: "C1", name: "Acme's C1"), contacts: [])],
                organisationID: "acme", context: context(Self.day))
            _ = try await store.importInvoices(
                [invoice("INV-1", due: Self.day)], organisationID: "acme", context: context(Self.day))

            // Then "other" has nothing new to deliver and acme wrote no event
            #expect(try await store.dueWebhookDeliveries(organisationID: "other", now: 0, limit: 100).count == before)
            #expect(try await events(store, "acme").isEmpty)
            #expect(try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 100).isEmpty)
        }
    }

    @Test func attemptsAreLoggedAndAReplayIsANewDeliveryOfTheSameEvent() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store, events: nil)
            let job = try #require(
                try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10).first)

            // When the first attempt fails for a while and the second succeeds
            try await store.recordWebhookAttempt(
                deliveryID: job.deliveryID, outcome: .retry(status: 503, error: "busy", nextAttemptAt: 1_060),
                organisationID: "acme", now: 1_000)
            #expect(try await store.dueWebhookDeliveries(organisationID: "acme", now: 1_059, limit: 10).isEmpty)
            #expect(try await store.dueWebhookDeliveries(organisationID: "acme", now: 1_060, limit: 10).count == 1)
            try await store.recordWebhookAttempt(
                deliveryID: job.deliveryID, outcome: .delivered(status: 200), organisationID: "acme", now: 1_060)

            // And the event is replayed
            let queued = try await store.replayWebhookEvent(
                sequence: job.event.sequence, subscriberID: nil, organisationID: "acme", createdAt: "later")

            // Then the log shows both attempts and the replay waiting, for the same event
            #expect(queued == 1)
            let log = try await store.webhookLog(
                organisationID: "acme", eventSequence: job.event.sequence, subscriberID: nil)
            #expect(log.map(\.attempt) == [1, 2, nil])
            #expect(log.map(\.statusCode) == [503, 200, nil])
            #expect(log.map(\.replay) == [false, false, true])
            #expect(log[0].nextAttemptAt == 1_060)
            let again = try #require(
                try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10).first)
            #expect(again.event.id == job.event.id && again.replay)
        }
    }

    @Test func removingASubscriberCancelsWhatItWasDue() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store, events: nil)
            let subscriber = try #require(try await store.webhookSubscribers(organisationID: "acme").first)
            #expect(
                try await store.removeWebhookSubscriber(id: subscriber.id, organisationID: "other", removedAt: "x")
                    == false)
            #expect(try await store.removeWebhookSubscriber(id: subscriber.id, organisationID: "acme", removedAt: "x"))
            #expect(try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10).isEmpty)
            #expect(try await store.webhookSubscribers(organisationID: "acme").isEmpty)
            #expect(
                try await store.webhookLog(organisationID: "acme", eventSequence: nil, subscriberID: nil)
                    .map(\.state) == [.cancelled])
        }
    }

    @Test func deletingTheOrganisationErasesItsWebhooks() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store, events: nil)
            try await store.deleteOrganisation(id: "acme")
            for table in ["webhook_subscribers", "webhook_events", "webhook_deliveries"] {
                #expect(try await store.rawValue("SELECT count(*) FROM \(table)", as: Int.self) == 0, "\(table)")
            }
        }
    }
}
