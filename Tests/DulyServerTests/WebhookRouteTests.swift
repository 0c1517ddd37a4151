import DulyCore
import DulyStore
import Testing

@testable import DulyServer

@Suite struct WebhookRouteTests {
    static let body = #"{"url": "https://books.example/duly", "events": ["payment.received", "invoice.created"]}"#

    @Test func aSubscriberAddedShowsItsSecretOnceAndIsListedWithout() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.owner]!
        try await server.test { client in
            let created = try await client.call(.post, "/api/v1/webhooks", token: token, body: Self.body)
            #expect(created.status == .created)
            #expect(created["secret"]?.hasPrefix("whsec_") == true)
            #expect(created["id"] == "whk_1")
            #expect(created.json["events"] == .array(["invoice.created", "payment.received"]))
            let listed = try await client.call(.get, "/api/v1/webhooks", token: token)
            #expect(listed.status == .ok)
            #expect(listed.items.count == 1)
            #expect(listed.items.first?["id"] == created.json["id"])
            #expect(listed.items.first?["secret"] == nil)
            // The secret is the one the deliverer signs with.
            let stored = try await server.store.webhookSubscribers(organisationID: "studio")
            #expect(stored.map(\.secret) == [created["secret"]])
        }
    }

    @Test func noEventsMeansEveryType() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await client.call(
                .post, "/api/v1/webhooks", token: server.tokens[.owner]!, body: #"{"url": "http://127.0.0.1:9/hook"}"#)
            #expect(created.status == .created)
            #expect(created.json["events"] == .array(["all"]))
        }
    }

    @Test(arguments: [
        (#"{"url": "ftp://books.example/duly"}"#, "url"), (#"{"events": ["payment.received"]}"#, "url"),
        (#"{"url": "https://books.example/duly", "events": ["invoice.paid"]}"#, "events"),
        (#"{"url": "https://books.example/duly", "events": "all"}"#, "events"),
        (#"{"url": "https://books.example/duly", "secret": "mine"}"#, "secret"),
    ])
    func aBadSubscriptionIsRefusedNamingTheField(_ body: String, _ field: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.post, "/api/v1/webhooks", token: server.tokens[.owner]!, body: body)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["field"] == .some(field))
            #expect(try await server.store.webhookSubscribers(organisationID: "studio").isEmpty)
        }
    }

    @Test func theSameCreationRepeatedWithItsKeyAddsOneSubscriberAndAnswersTheSame() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.owner]!
        try await server.test { client in
            let first = try await client.call(.post, "/api/v1/webhooks", token: token, body: Self.body, key: "hook-1")
            let again = try await client.call(.post, "/api/v1/webhooks", token: token, body: Self.body, key: "hook-1")
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(again.json == first.json)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(try await server.store.webhookSubscribers(organisationID: "studio").count == 1)
        }
    }

    @Test func aRemovedSubscriberIsGoneAndASecondRemovalIs404() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.owner]!
        try await server.test { client in
            let created = try await client.call(.post, "/api/v1/webhooks", token: token, body: Self.body)
            let id = try #require(created["id"])
            let removed = try await client.call(.delete, "/api/v1/webhooks/\(id)", token: token)
            #expect(removed.status == .noContent)
            #expect(try await client.call(.get, "/api/v1/webhooks", token: token).items.isEmpty)
            let again = try await client.call(.delete, "/api/v1/webhooks/\(id)", token: token)
            #expect(again.status == .notFound)
        }
    }

    @Test func aManagerCannotSeeOrChangeSubscribers() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let listed = try await client.call(.get, "/api/v1/webhooks", token: token)
            let created = try await client.call(.post, "/api/v1/webhooks", token: token, body: Self.body)
            #expect(listed.status == .forbidden)
            #expect(created.status == .forbidden)
            #expect(created.isProblem)
        }
    }

    @Test func anotherOrganisationsSubscriberIsNeitherListedNorRemoved() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await client.call(
                .post, "/api/v1/webhooks", token: server.tokens[.owner]!, body: Self.body)
            let id = try #require(created["id"])
            let theirs = try await client.call(.get, "/api/v1/webhooks", token: server.otherToken)
            #expect(theirs.items.isEmpty)
            let removed = try await client.call(.delete, "/api/v1/webhooks/\(id)", token: server.otherToken)
            #expect(removed.status == .notFound)
            #expect(removed["detail"] == "no webhook subscriber '\(id)' in this organisation")
            #expect(try await server.store.webhookSubscribers(organisationID: "studio").count == 1)
        }
    }
}
