import DulyCore
import Testing

@testable import DulyServer

/// `POST /api/v1/runs` runs the collection day over the server's store with its webhook outbox: the store type the
/// server asks for (`ServerStore`) includes it, so what the run notices is announced as from `duly run`.
@Suite struct RunWebhookTests {
    @Test func aRunThroughTheAPIAnnouncesTheStagesItSeesToASubscriber() async throws {
        let server = try await TestServer.make()
        _ = try await server.store.addWebhookSubscriber(
            url: "http://127.0.0.1:9/stages", events: [.invoiceStageChanged], secret: "s3cret-s3cret-s3cret",
            organisationID: "studio", createdAt: "2026-03-20T08:00:00Z")
        try await server.test { client in
            let run = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, key: "run-1")
            #expect(run.status == .created)
        }
        let events = try await server.store.webhookEvents(organisationID: "studio", limit: 10)
        #expect(events.map(\.type) == [.invoiceStageChanged])
        #expect(events.first?.data.contains(#""stage":"delayed""#) == true)
    }
}
