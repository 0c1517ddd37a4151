import DulyCore
import DulyStore
import DulyStorePostgres
import Testing

/// The days `duly serve` ran and what `/metrics` shows of each organisation (`ServerRunStore`), on a real PostgreSQL
/// server.
@Suite("PostgreSQL server runs", .enabled(if: TestServer.configured))
struct ServerRunTests {
    static let day = LocalDate(iso: "2026-03-02")!

    @Test func aDayRunTwiceKeepsItsLatestRecordAndTheLastDayIsPerSource() async throws {
        try await AccountStoreTests.withStore { store in
            #expect(try await store.organisationIDs() == ["other", "studio"])
            #expect(try await store.lastServerRun(organisationID: "studio", source: nil) == nil)
            try await store.recordServerRun(
                organisationID: "studio", date: Self.day, source: .schedule, planned: 3, finishedAt: "t1")
            try await store.recordServerRun(
                organisationID: "studio", date: Self.day, source: .schedule, planned: 5, finishedAt: "t2")
            try await store.recordServerRun(
                organisationID: "studio", date: Self.day.adding(days: 1), source: .api, planned: 0, finishedAt: "t3")
            #expect(try await store.lastServerRun(organisationID: "studio", source: .schedule) == Self.day)
            #expect(try await store.lastServerRun(organisationID: "studio", source: .api) == Self.day.adding(days: 1))
            #expect(try await store.lastServerRun(organisationID: "studio", source: nil) == Self.day.adding(days: 1))
            #expect(try await store.lastServerRun(organisationID: "other", source: nil) == nil)
            #expect(
                try await store.organisationGauges() == [
                    OrganisationGauges(
                        organisationID: "other", outboxDepth: 0, webhookBacklog: 0, lastCollectionDay: nil),
                    OrganisationGauges(
                        organisationID: "studio", outboxDepth: 0, webhookBacklog: 0,
                        lastCollectionDay: Self.day.adding(days: 1)),
                ])
        }
    }

    @Test func theGaugesCountTheOutboxAndTheWebhookBacklog() async throws {
        try await PageTests.withLedger { store in
            _ = try await store.addWebhookSubscriber(
                url: "http://127.0.0.1:9/hook", events: nil, secret: "0123456789abcdef-secret", organisationID: "acme",
                createdAt: "2026-03-01T00:00:00Z")
            let organisation = try #require(try await store.organisation(id: "acme"))
            _ = try await CollectionDay(store: store, organisation: organisation, playbook: .standard)
                .run(asOf: PageTests.day, recordedAt: "2026-03-02T06:00:00Z", dryRun: false)
            let pending = try await store.actions(organisationID: "acme", customerID: nil).filter {
                [.planned, .approved].contains($0.action.status) && [.email, .letter, .sms].contains($0.action.channel)
            }
            let due = try await store.dueWebhookDeliveries(organisationID: "acme", now: 0, limit: 10_000)
            let gauges = try #require(try await store.organisationGauges().first { $0.organisationID == "acme" })
            #expect(gauges.outboxDepth == pending.count)
            #expect(gauges.webhookBacklog == due.count)
            #expect(!due.isEmpty, "the run's actions are announced to the subscriber")
        }
    }
}
