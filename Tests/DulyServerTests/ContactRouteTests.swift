import DulyCore
import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct ContactRouteTests {
    static let uri = "/api/v1/customers/C-100/contacts"
    static let body = """
        {"contacts": [{"role": "billing", "name": "Ann", "email": "ann@c-100.example", "phone": "+31 20 555 0100"},
                      {"role": "senior", "name": "Bo", "email": "bo@c-100.example"}]}
        """

    @Test func aCustomersContactsAreListedInOrder() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, Self.uri, token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer.items.map { $0["email"] } == [.string("ann@c-100.example")])
            #expect(answer.items.first?["role"] == "billing")
        }
    }

    @Test func aManagerReplacesTheContactsAndTheTimelineSaysSo() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.put, Self.uri, token: server.tokens[.manager]!, body: Self.body)
            #expect(answer.status == .ok)
            #expect(answer.items.map { $0["name"] } == [.string("Ann"), .string("Bo")])
            let record = try await server.store.customer(organisationID: "studio", customerID: "C-100")
            #expect(record?.contacts.map(\.role) == [.billing, .senior])
            #expect(try await server.timelineKinds().last == "customer_updated")
        }
    }

    @Test func aBouncingAddressStaysBouncingWhenTheContactsAreReplaced() async throws {
        let server = try await TestServer.make()
        var record = try #require(try await server.store.customer(organisationID: "studio", customerID: "C-100"))
        record.contacts[0].emailBouncing = true
        _ = try await server.store.importCustomers([record], organisationID: "studio", context: TestServer.recording)
        try await server.test { client in
            let answer = try await client.call(.put, Self.uri, token: server.tokens[.manager]!, body: Self.body)
            #expect(answer.items.map { $0["email_bouncing"] } == [.bool(true), .bool(false)])
        }
    }

    @Test func aContactWithoutARoleIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .put, Self.uri, token: server.tokens[.manager]!,
                body: #"{"contacts": [{"role": "billing"}, {"email": "bo@c-100.example"}]}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "contacts[1].role")
        }
    }

    @Test func anAddressThatIsNotOneIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .put, Self.uri, token: server.tokens[.manager]!,
                body: #"{"contacts": [{"role": "billing", "email": "ann at example"}]}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "contacts[0].email")
        }
    }

    @Test func aCollectorCannotReplaceContacts() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.put, Self.uri, token: server.tokens[.collector]!, body: Self.body)
            #expect(answer.status == .forbidden)
        }
    }

    @Test func anotherOrganisationsCustomerAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .put, "/api/v1/customers/C-900/contacts", token: server.tokens[.owner]!, body: Self.body)
            #expect(answer.status == .notFound)
            let record = try await server.store.customer(organisationID: "other", customerID: "C-900")
            #expect(record?.contacts.count == 1)
        }
    }

    @Test func aRepeatedReplacementWithItsKeyIsAnsweredOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let first = try await client.call(.put, Self.uri, token: token, body: Self.body, key: "contacts-1")
            let again = try await client.call(.put, Self.uri, token: token, body: Self.body, key: "contacts-1")
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.body == first.body)
            let updates = try await server.timelineKinds().filter { $0 == "customer_updated" }
            #expect(updates.count == 1)
        }
    }
}
