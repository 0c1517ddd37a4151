import DulyStore
import Testing

@testable import DulyServer

@Suite struct CustomerRouteTests {
    @Test func customersArePagedWithACursorToTheLastPage() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.viewer]!
        try await server.test { client in
            for id in ["C-101", "C-102"] {
                let created = try await client.call(
                    .post, "/api/v1/customers", token: server.tokens[.manager]!,
                    body: #"{"customer_id": "\#(id)", "name": "Shop \#(id)"}"#)
                #expect(created.status == .created)
            }
            let first = try await client.call(.get, "/api/v1/customers?limit=2", token: token)
            #expect(first.status == .ok)
            #expect(first.items.map { $0["customer_id"] } == [.string("C-100"), .string("C-101")])
            let cursor = try #require(first["next_cursor"])
            let second = try await client.call(.get, "/api/v1/customers?limit=2&cursor=\(cursor)", token: token)
            #expect(second.items.map { $0["customer_id"] } == [.string("C-102")])
            #expect(second.json["next_cursor"] == .null)
        }
    }

    @Test func aCustomerIsReadByItsReferenceWithTheFieldsOfCustomersCSV() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer["name"] == "Customer C-100")
            #expect(answer["email"] == "ann@c-100.example")
            #expect(answer["contact_name"] == "Ann")
            #expect(answer.json["escalation_email"] == .null)
        }
    }

    @Test func aCustomerCreatedIsThereToRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-200", "name": "Bakery", "email": "ap@bakery.example", "country": "nl"}"#)
            #expect(created.status == .created)
            #expect(created["country"] == "NL")
            let read = try await client.call(.get, "/api/v1/customers/C-200", token: server.tokens[.viewer]!)
            #expect(read.json == created.json)
        }
    }

    @Test func theSameCustomerPostedAgainAnswers200AndChangesNothing() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = #"{"customer_id": "C-200", "name": "Bakery"}"#
            let token = server.tokens[.manager]!
            let first = try await client.call(.post, "/api/v1/customers", token: token, body: body)
            let second = try await client.call(.post, "/api/v1/customers", token: token, body: body)
            #expect(first.status == .created)
            #expect(second.status == .ok)
        }
    }

    @Test func anotherCustomerUnderATakenReferenceIsAConflictNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-100", "name": "Someone else"}"#)
            #expect(answer.status == .conflict)
            #expect(answer.isProblem)
            #expect(answer["field"] == "customer_id")
        }
    }

    @Test func aBadFieldIsRefusedAsProblemDetailsNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-200", "name": "Bakery", "country": "Netherlands"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["field"] == "country")
            #expect(answer["detail"] == "'Netherlands' is not a two-letter country code (ISO 3166-1: NL, GB)")
        }
    }

    @Test func everyBadFieldIsListed() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-200", "email": "not an address", "language": "english"}"#)
            #expect(answer.status == .unprocessableContent)
            guard case .array(let errors) = answer.json["errors"] else {
                Issue.record("no errors listed")
                return
            }
            let fields = errors.compactMap { error -> String? in
                guard case .object(let error) = error, case .string(let field) = error["field"] else { return nil }
                return field
            }
            #expect(Set(fields) == ["name", "email", "language"])
        }
    }

    @Test func anUnknownFieldIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-200", "name": "Bakery", "vat": "NL001"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "vat")
        }
    }

    @Test func aBodyThatIsNotAJSONObjectIsABadRequest() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!, body: "customer_id=C-200")
            #expect(answer.status == .badRequest)
            #expect(answer.isProblem)
        }
    }

    @Test func aCursorTheListDidNotGiveIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/customers?cursor=abc", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer["field"] == "cursor")
        }
    }

    @Test func anotherOrganisationsCustomerAnswersExactlyAsAMissingOne() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let theirs = try await client.call(.get, "/api/v1/customers/C-900", token: server.tokens[.viewer]!)
            let missing = try await client.call(.get, "/api/v1/customers/C-999", token: server.tokens[.viewer]!)
            #expect(theirs.status == .notFound)
            #expect(missing.status == .notFound)
            #expect(theirs["detail"] == "no customer 'C-900' in this organisation")
            #expect(theirs.json.members.map(\.name) == missing.json.members.map(\.name))
        }
    }
}
