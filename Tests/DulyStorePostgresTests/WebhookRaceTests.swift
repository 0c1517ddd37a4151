import DulyCore
import DulyStore
import DulyStorePostgres
import Testing

/// Webhook writes that several nodes may make at once, on a real PostgreSQL server: each counts or removes once.
@Suite("PostgreSQL webhook races", .enabled(if: TestServer.configured))
struct WebhookRaceTests {
    @Test func attemptsRecordedAtOnceForOneDeliveryAreNumberedOneByOne() async throws {
        try await PageTests.withLedger { store in
            _ = try await store.addWebhookSubscriber(
                url: "http://127.0.0.1:9/hook", events: nil, secret: "0123456789abcdef-secret", organisationID: "acme",
                createdAt: "2026-03-01T00:00:00Z")
            _ = try await store.importCustomers(
                [CustomerRecord(customer: Customer(id: "C9", name: "Customer 9"), contacts: [])],
                organisationID: "acme", context: PageTests.context)
            let job = try #require(try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 1).first)
            _ = try await AccountStoreTests.atOnce(6) {
                try await store.recordWebhookAttempt(
                    deliveryID: job.deliveryID, outcome: .retry(status: 503, error: "busy", nextAttemptAt: 60),
                    organisationID: "acme", now: 0)
            }
            let log = try await store.webhookLog(
                organisationID: "acme", eventSequence: job.event.sequence, subscriberID: nil)
            #expect(log.map(\.attempt) == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func ofRemovalsOfOneSubscriberAtOnceExactlyOneRemovesIt() async throws {
        try await AccountStoreTests.withStore { store in
            let subscriber = try await store.addWebhookSubscriber(
                url: "http://127.0.0.1:9/hook", events: nil, secret: "0123456789abcdef-secret",
                organisationID: "studio", createdAt: "2026-03-01T00:00:00Z")
            let removed = try await AccountStoreTests.atOnce(6) {
                try await store.removeWebhookSubscriber(id: subscriber.id, organisationID: "studio", removedAt: "x")
            }
            #expect(removed.filter { $0 }.count == 1)
        }
    }

    @Test func subscribersAddedAtOnceTakeDistinctNumbers() async throws {
        try await AccountStoreTests.withStore { store in
            let added = try await AccountStoreTests.atOnce(6) {
                try await store.addWebhookSubscriber(
                    url: "http://127.0.0.1:9/hook", events: [.invoiceCreated], secret: "0123456789abcdef-secret",
                    organisationID: "studio", createdAt: "2026-03-01T00:00:00Z")
            }
            #expect(added.map(\.id).sorted() == [1, 2, 3, 4, 5, 6])
            #expect(try await store.webhookSubscribers(organisationID: "studio").map(\.id) == [1, 2, 3, 4, 5, 6])
        }
    }
}
