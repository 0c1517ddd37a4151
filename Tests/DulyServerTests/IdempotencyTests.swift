import Testing

@testable import DulyServer

@Suite struct IdempotencyTests {
    @Test func theSamePostTwiceWithOneKeyCreatesOneRecord() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let body = PaymentAndRunRouteTests.payment
            let first = try await client.call(.post, "/api/v1/payments", token: token, body: body, key: "k-1")
            let second = try await client.call(.post, "/api/v1/payments", token: token, body: body, key: "k-1")
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.body == first.body)
            #expect(second.headers[.idempotentReplayed] == "true")
            let invoice = try await client.call(.get, "/api/v1/invoices/INV-100", token: token)
            #expect(invoice["open"] == "200.00")
        }
    }

    @Test func aKeyUsedAgainWithAnotherBodyIsRefusedWith422() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            _ = try await client.call(
                .post, "/api/v1/customers", token: token, body: #"{"customer_id": "C-1", "name": "A"}"#, key: "k-2")
            let other = try await client.call(
                .post, "/api/v1/customers", token: token, body: #"{"customer_id": "C-2", "name": "B"}"#, key: "k-2")
            #expect(other.status == .unprocessableContent)
            #expect(other["field"] == "Idempotency-Key")
            let missing = try await client.call(.get, "/api/v1/customers/C-2", token: token)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aRefusalIsAnsweredAgainForItsKey() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let body = #"{"customer_id": "C-1"}"#
            let first = try await client.call(.post, "/api/v1/customers", token: token, body: body, key: "k-3")
            let second = try await client.call(.post, "/api/v1/customers", token: token, body: body, key: "k-3")
            #expect(first.status == .unprocessableContent)
            #expect(second.body == first.body)
            #expect(second.headers[.idempotentReplayed] == "true")
        }
    }

    @Test func oneKeyInTwoOrganisationsIsTwoKeys() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = #"{"customer_id": "C-1", "name": "A"}"#
            let ours = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!, body: body, key: "same")
            let theirs = try await client.call(
                .post, "/api/v1/customers", token: server.otherToken, body: body, key: "same")
            #expect(ours.status == .created)
            #expect(theirs.status == .created)
            #expect(theirs.headers[.idempotentReplayed] == nil)
        }
    }
}
