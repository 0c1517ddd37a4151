import DulyCore
import DulyStore
import Foundation

/// The webhook part of the storage contract (`WebhookStore`): events written with the change they announce, the
/// collection day's date-derived ones, and the outbox's deliveries, as cases any test framework can run.
public enum WebhookContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any WebhookStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("aRefusedImportWritesNoEventAndAnAcceptedOneItsOwn", aRefusedImportWritesNoEventAndAnAcceptedOneItsOwn),
        ("nothingIsWrittenWhileNobodySubscribes", nothingIsWrittenWhileNobodySubscribes),
        ("aSubscriberOnlyGetsTheTypesItAskedFor", aSubscriberOnlyGetsTheTypesItAskedFor),
        ("aStageChangeIsAnnouncedOnceNotOnEveryRun", aStageChangeIsAnnouncedOnceNotOnEveryRun),
        (
            "aStageListenerAddedBetweenRunsHearsOfTheNextDaysChange",
            aStageListenerAddedBetweenRunsHearsOfTheNextDaysChange
        ),
        ("aBrokenPromiseIsAnnouncedOnce", aBrokenPromiseIsAnnouncedOnce),
        ("anotherOrganisationsSubscriberSeesNothing", anotherOrganisationsSubscriberSeesNothing),
        (
            "attemptsAreLoggedAndAReplayIsANewDeliveryOfTheSameEvent",
            attemptsAreLoggedAndAReplayIsANewDeliveryOfTheSameEvent
        ),
        ("removingASubscriberCancelsWhatItWasDue", removingASubscriberCancelsWhatItWasDue),
        ("deletingTheOrganisationErasesItsWebhooks", deletingTheOrganisationErasesItsWebhooks),
        (
            "eachOrganisationNumbersItsEventsAndSubscribersFromOneWithoutSharing",
            eachOrganisationNumbersItsEventsAndSubscribersFromOneWithoutSharing
        ),
    ]

    static let day = Fixture.day("2026-03-02")

    /// A refused import announces nothing; an accepted invoice and payment are announced once each, with their data.
    public static func aRefusedImportWritesNoEventAndAnAcceptedOneItsOwn(_ store: any WebhookStore) async throws {
        try await seed(store, events: nil)
        try check(try await events(store).map(\.type) == [.customerCreated], "the customer's creation is announced")
        do {
            _ = try await store.importInvoices(
                [invoice("INV-1", due: day), invoice("INV-2", "C9", due: day)], organisationID: "acme",
                context: Fixture.on(day.description))
            throw ContractViolation("an invoice for an unknown customer was imported")
        } catch is StoreError {}
        try check(try await events(store).count == 1, "a refused import writes no event")
        try check(
            try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 100).count == 1,
            "a refused import queues no delivery")

        _ = try await store.importInvoices(
            [invoice("INV-1", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 40_00, date: day.adding(days: 1).description, reference: "INV-1")],
            organisationID: "acme", context: Fixture.on(day.adding(days: 1).description))
        let written = try await events(store)
        try check(
            written.map(\.type) == [.customerCreated, .invoiceCreated, .paymentReceived],
            "each change announced once, got \(written.map(\.type))")
        let created = try data(written[1])
        try check(created["invoice_number"] as? String == "INV-1", "invoice.created names the invoice")
        try check(
            (created["total"] as? [String: String]) == ["value": "100.00", "currency": "EUR"],
            "invoice.created carries the total")
        let payment = try data(written[2])
        try check(payment["payment_id"] as? String == "P1", "payment.received names the payment")
        try check(
            (payment["amount"] as? [String: String]) == ["value": "40.00", "currency": "EUR"],
            "payment.received carries the amount")
        let allocations = payment["allocations"] as? [[String: Any]] ?? []
        try check(
            allocations.count == 1 && allocations.first?["invoice_number"] as? String == "INV-1"
                && (allocations.first?["amount"] as? [String: String])?["value"] == "40.00",
            "payment.received says where the money went")
        try check((payment["unallocated"] as? [String: String])?["value"] == "0.00", "and that nothing was left over")
        try check(written[2].occurredOn == day.adding(days: 1), "the payment's event is dated its day")
    }

    /// With no subscriber, imports and the collection day write no event at all.
    public static func nothingIsWrittenWhileNobodySubscribes(_ store: any WebhookStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1"])
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day.adding(days: -40))], organisationID: "acme",
            context: Fixture.on(day.description))
        try await run(store, on: day)
        try check(try await events(store).isEmpty, "no event without a subscriber")
    }

    /// A subscriber to invoice.created hears of nothing else.
    public static func aSubscriberOnlyGetsTheTypesItAskedFor(_ store: any WebhookStore) async throws {
        try await seed(store, events: [.invoiceCreated])
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        try check(
            try await events(store).map(\.type) == [.invoiceCreated], "only invoice.created is written")
    }

    /// An invoice's stage is announced when first seen and when it moves, once each; a dry run writes nothing.
    public static func aStageChangeIsAnnouncedOnceNotOnEveryRun(_ store: any WebhookStore) async throws {
        try await seed(store, events: [.invoiceStageChanged])
        let due = day.adding(days: 10)
        _ = try await store.importInvoices(
            [invoice("INV-1", due: due)], organisationID: "acme", context: Fixture.on(day.description))
        try await run(store, on: day)
        try await run(store, on: day)
        try await run(store, on: due.adding(days: 5), dryRun: true)
        var written = try await events(store)
        try check(written.count == 1, "the first sighting once, nothing from the dry run; got \(written.count)")
        try check(try data(written[0])["stage"] as? String == "pre_due", "first seen before its due date")
        try check(try data(written[0])["previous_stage"] is NSNull, "with no stage before")

        try await run(store, on: due.adding(days: 5))
        try await run(store, on: due.adding(days: 6))
        written = try await events(store)
        try check(written.count == 2, "the move to delayed once; got \(written.count) events")
        let moved = try data(written[1])
        try check(
            moved["previous_stage"] as? String == "pre_due" && moved["stage"] as? String == "delayed",
            "from pre_due to delayed")
        try check(moved["invoice_number"] as? String == "INV-1", "naming the invoice")
        try check((moved["open"] as? [String: String])?["value"] == "100.00", "with what is open")
        try check(written[1].occurredOn == due.adding(days: 5), "dated the run's day")
    }

    /// Someone who subscribes to stage changes between two runs hears of the next day's change, though the run
    /// before, with nobody listening for stages, did not mark that day as one to look.
    public static func aStageListenerAddedBetweenRunsHearsOfTheNextDaysChange(
        _ store: any WebhookStore
    ) async throws {
        try await seed(store, events: [.promiseBroken])
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        try await run(store, on: day)
        try check(try await events(store).isEmpty, "nothing the promise listener wants")
        _ = try await store.addWebhookSubscriber(
            url: "http://127.0.0.1:9/stages", events: [.invoiceStageChanged], secret: secret,
            organisationID: "acme", createdAt: "2026-03-01T00:00:00Z")
        try await run(store, on: day.adding(days: 1))
        let written = try await events(store)
        try check(written.map(\.type) == [.invoiceStageChanged], "the stage change is announced")
        guard let event = written.first else { return }
        try check(try data(event)["stage"] as? String == "delayed", "as delayed")
        try check(event.occurredOn == day.adding(days: 1), "dated that day")
    }

    /// A promise past its date and grace without the money is announced once, dated the day it broke.
    public static func aBrokenPromiseIsAnnouncedOnce(_ store: any WebhookStore) async throws {
        try await seed(store, events: [.promiseBroken])
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day.adding(days: -20))], organisationID: "acme",
            context: Fixture.on(day.description))
        let promise = PromiseToPay(
            id: "PRM-1", invoiceNumbers: ["INV-1"], amount: Fixture.eur(100_00), promisedDate: day.adding(days: 3),
            madeOn: day)
        try await store.recordPromise(promise, organisationID: "acme", context: Fixture.on(day.description))
        let broken = promise.brokenOn(graceDays: Playbook.standard.promiseGraceDays)
        try await run(store, on: day.adding(days: 1))
        try check(try await events(store).isEmpty, "a live promise is not announced")
        try await run(store, on: broken)
        try await run(store, on: broken.adding(days: 1))
        let written = try await events(store)
        try check(written.map(\.type) == [.promiseBroken], "announced once, got \(written.map(\.type))")
        try check(try data(written[0])["promise_id"] as? String == "PRM-1", "naming the promise")
        try check(try data(written[0])["broken_on"] as? String == broken.description, "with the day it broke")
        try check(written[0].occurredOn == broken, "dated the day it broke")
    }

    /// One organisation's changes reach no other organisation's subscriber.
    public static func anotherOrganisationsSubscriberSeesNothing(_ store: any WebhookStore) async throws {
        try await Fixture.seed(store, "acme")
        try await seed(store, events: nil, organisationID: "other")
        let before = try await store.dueWebhookDeliveries(organisationID: "other", now: 0, limit: 100).count
        _ = try await store.importCustomers(
            [Fixture.customer("C1")], organisationID: "acme", context: Fixture.on(day.description))
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        try check(
            try await store.dueWebhookDeliveries(organisationID: "other", now: 0, limit: 100).count == before,
            "nothing new for the other organisation's subscriber")
        try check(try await events(store, "acme").isEmpty, "no event for an organisation nobody listens to")
        try check(
            try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 100).isEmpty,
            "no delivery for it either")
    }

    /// A retry waits for its time; every attempt is logged; a replay is a new delivery of the same event.
    public static func attemptsAreLoggedAndAReplayIsANewDeliveryOfTheSameEvent(
        _ store: any WebhookStore
    ) async throws {
        try await seed(store, events: nil)
        guard let job = try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10).first else {
            throw ContractViolation("the customer's creation is due to its subscriber")
        }
        try await store.recordWebhookAttempt(
            deliveryID: job.deliveryID, outcome: .retry(status: 503, error: "busy", nextAttemptAt: 1_060),
            organisationID: "acme", now: 1_000)
        try check(
            try await store.dueWebhookDeliveries(organisationID: "acme", now: 1_059, limit: 10).isEmpty,
            "not due before its retry time")
        try check(
            try await store.dueWebhookDeliveries(organisationID: "acme", now: 1_060, limit: 10).count == 1,
            "due at its retry time")
        try await store.recordWebhookAttempt(
            deliveryID: job.deliveryID, outcome: .delivered(status: 200), organisationID: "acme", now: 1_060)
        let queued = try await store.replayWebhookEvent(
            sequence: job.event.sequence, subscriberID: nil, organisationID: "acme", createdAt: "later")
        try check(queued == 1, "the replay is queued to the one subscriber")
        let log = try await store.webhookLog(
            organisationID: "acme", eventSequence: job.event.sequence, subscriberID: nil)
        try check(log.map(\.attempt) == [1, 2, nil], "two attempts and the replay waiting, got \(log.map(\.attempt))")
        try check(log.map(\.statusCode) == [503, 200, nil], "with their status codes")
        try check(log.map(\.replay) == [false, false, true], "the last one a replay")
        try check(log.first?.nextAttemptAt == 1_060, "the retry's time is logged")
        let again = try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10)
        try check(again.count == 1 && again[0].event.id == job.event.id && again[0].replay, "the replay is due")
    }

    /// A removed subscriber is no longer listed and what it was still due is cancelled, its log kept; another
    /// organisation cannot remove it.
    public static func removingASubscriberCancelsWhatItWasDue(_ store: any WebhookStore) async throws {
        try await seed(store, events: nil)
        guard let subscriber = try await store.webhookSubscribers(organisationID: "acme").first else {
            throw ContractViolation("the subscriber is listed")
        }
        try check(
            !(try await store.removeWebhookSubscriber(id: subscriber.id, organisationID: "other", removedAt: "x")),
            "another organisation cannot remove it")
        try check(
            try await store.removeWebhookSubscriber(id: subscriber.id, organisationID: "acme", removedAt: "x"),
            "removed")
        try check(
            try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10).isEmpty,
            "nothing due to it")
        try check(try await store.webhookSubscribers(organisationID: "acme").isEmpty, "no longer listed")
        try check(
            try await store.webhookLog(organisationID: "acme", eventSequence: nil, subscriberID: nil).map(\.state)
                == [.cancelled], "what it was due is cancelled, and logged")
    }

    /// Deleting an organisation takes its subscribers, events and deliveries.
    public static func deletingTheOrganisationErasesItsWebhooks(_ store: any WebhookStore) async throws {
        try await seed(store, events: nil)
        try await store.deleteOrganisation(id: "acme")
        try await Fixture.seed(store, "acme")
        try check(try await store.webhookSubscribers(organisationID: "acme").isEmpty, "no subscriber left")
        try check(try await events(store).isEmpty, "no event left")
        try check(
            try await store.webhookLog(organisationID: "acme", eventSequence: nil, subscriberID: nil).isEmpty,
            "no delivery left")
    }

    // MARK: - Helpers

    static let secret = "0123456789abcdef-secret"

    /// An organisation with customer C1 and a subscriber to `events` (nil: all), who hears of C1's creation.
    /// Events and subscribers are numbered per organisation from 1 (`evt_1`, `whk_1`), two organisations' writes
    /// interleaved do not share a sequence, and another organisation's number finds nothing.
    public static func eachOrganisationNumbersItsEventsAndSubscribersFromOneWithoutSharing(
        _ store: any WebhookStore
    ) async throws {
        // Given two organisations whose writes interleave
        try await seed(store, events: nil, organisationID: "acme")
        try await seed(store, events: nil, organisationID: "beta")
        _ = try await store.importInvoices(
            [invoice("INV-1", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        _ = try await store.importInvoices(
            [invoice("INV-9", due: day)], organisationID: "beta", context: Fixture.on(day.description))
        _ = try await store.importInvoices(
            [invoice("INV-2", due: day)], organisationID: "acme", context: Fixture.on(day.description))
        // Then each counts its own from 1
        let acme = try await events(store, "acme")
        let beta = try await events(store, "beta")
        try check(acme.map(\.id) == ["evt_1", "evt_2", "evt_3"], "acme's events from evt_1, got \(acme.map(\.id))")
        try check(beta.map(\.id) == ["evt_1", "evt_2"], "beta's events from evt_1, got \(beta.map(\.id))")
        try check(
            try await store.webhookSubscribers(organisationID: "beta").map(\.id) == [1],
            "beta's first subscriber is whk_1")
        // And a number names only its own organisation's record
        try check(
            try await store.webhookLog(organisationID: "beta", eventSequence: 3, subscriberID: nil).isEmpty,
            "beta has no evt_3 although acme has")
        do {
            _ = try await store.replayWebhookEvent(
                sequence: 3, subscriberID: nil, organisationID: "beta", createdAt: "2026-03-02T09:00:00Z")
            throw ContractViolation("beta replayed acme's evt_3")
        } catch is StoreError {}
    }

    static func seed(
        _ store: any WebhookStore, events: Set<WebhookEventType>?, organisationID: String = "acme"
    )
        async throws
    {
        try await store.saveOrganisation(Fixture.organisation(organisationID))
        _ = try await store.addWebhookSubscriber(
            url: "http://127.0.0.1:9/hook", events: events, secret: secret, organisationID: organisationID,
            createdAt: "2026-03-01T00:00:00Z")
        _ = try await store.importCustomers(
            [Fixture.customer("C1")], organisationID: organisationID, context: Fixture.on(day.description))
    }

    private static func invoice(_ number: String, _ customerID: String = "C1", due: LocalDate) -> Invoice {
        Fixture.invoice(number, customerID, due: due.description, total: 100_00)
    }

    /// The organisation's events, oldest first.
    private static func events(
        _ store: any WebhookStore, _ organisationID: String = "acme"
    ) async throws
        -> [WebhookEvent]
    {
        try await store.webhookEvents(organisationID: organisationID, limit: 1000).reversed()
    }

    private static func data(_ event: WebhookEvent) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else {
            throw ContractViolation("\(event.type)'s data is not a JSON object: \(event.data)")
        }
        return object
    }

    // The collection day over the existential, opened for the generic `CollectionDay`.
    private static func run<Store: WebhookStore>(
        _ store: Store, on date: LocalDate, dryRun: Bool = false
    )
        async throws
    {
        _ = try await CollectionDay(store: store, organisation: Fixture.organisation("acme"), playbook: .standard)
            .run(asOf: date, recordedAt: "\(date)T06:00:00Z", dryRun: dryRun)
    }
}
