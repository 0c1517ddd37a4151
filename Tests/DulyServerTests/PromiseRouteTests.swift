import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct PromiseRouteTests {
    static let uri = "/api/v1/customers/C-100/promises"

    @Test func aCollectorRecordsAPromiseAndTheStoreHoldsIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"invoice_numbers": ["INV-100"], "promised_date": "2026-04-01", "channel": "call"}"#)
            #expect(answer.status == .created)
            #expect(answer["promise_id"] == "PRM-C-100-2026-03-20-1")
            // Without an amount, all that is open is promised.
            #expect(answer["amount"] == "300.00")
            #expect(answer["state"] == "live")
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.promises.map(\.id) == ["PRM-C-100-2026-03-20-1"])
            #expect(try await server.timelineKinds().last == "promise_recorded")
        }
    }

    @Test func aPromiseDatedBeforeTodayIsRefusedNamingTheDate() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"invoice_numbers": ["INV-100"], "promised_date": "2026-03-01"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["field"] == "promised_date")
        }
    }

    @Test func aPromiseOfMoreThanIsOpenIsRefusedNamingTheAmount() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"invoice_numbers": ["INV-100"], "promised_date": "2026-04-01", "amount": "400.00"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "amount")
            #expect(answer["detail"]?.hasPrefix("the promise of EUR 400.00 is more than the EUR 300.00 open") == true)
        }
    }

    @Test func aPromiseOnAnInvoiceTheCustomerLacksIsRefusedNamingTheInvoices() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"invoice_numbers": ["INV-900"], "promised_date": "2026-04-01"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "invoice_numbers")
        }
    }

    @Test func anotherOrganisationsCustomerAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers/C-900/promises", token: server.tokens[.owner]!,
                body: #"{"invoice_numbers": ["INV-900"], "promised_date": "2026-04-01"}"#)
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
        }
    }

    @Test func aRepeatedPromiseWithItsKeyIsRecordedOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = #"{"invoice_numbers": ["INV-100"], "promised_date": "2026-04-01"}"#
            let token = server.tokens[.collector]!
            let first = try await client.call(.post, Self.uri, token: token, body: body, key: "promise-1")
            let again = try await client.call(.post, Self.uri, token: token, body: body, key: "promise-1")
            #expect(again.body == first.body)
            #expect(again.headers[.idempotentReplayed] == "true")
            let list = try await client.call(.get, "/api/v1/promises", token: server.tokens[.viewer]!)
            #expect(list.items.count == 1)
        }
    }

    @Test func aWithdrawnPromiseIsListedAsWithdrawnAndCannotBeWithdrawnAgain() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/promises/PRM-C-100-2026-03-20-1/withdrawal"
            let token = server.tokens[.collector]!
            let answer = try await client.call(.post, uri, token: token, body: #"{"reason": "wrong customer"}"#)
            #expect(answer.status == .ok)
            #expect(answer["state"] == "withdrawn")
            #expect(answer["withdrawn_by"] == "collector@studio.example")
            let list = try await client.call(.get, "/api/v1/promises?customer_id=C-100", token: token)
            #expect(list.items.map { $0["state"] } == [.string("withdrawn")])
            let again = try await client.call(.post, uri, token: token, body: #"{"reason": "again"}"#)
            #expect(again.status == .conflict)
        }
    }

    @Test func aWithdrawalWithoutAReasonIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/promises/PRM-C-100-2026-03-20-1/withdrawal", token: server.tokens[.collector]!,
                body: #"{"reason": " "}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "reason")
        }
    }

    @Test func aRepeatedWithdrawalWithItsKeyIsAnsweredAgainNotRefused() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/promises/PRM-C-100-2026-03-20-1/withdrawal"
            let token = server.tokens[.collector]!
            let body = #"{"reason": "wrong customer"}"#
            let first = try await client.call(.post, uri, token: token, body: body, key: "withdraw-1")
            let again = try await client.call(.post, uri, token: token, body: body, key: "withdraw-1")
            #expect(again.status == .ok)
            #expect(again.body == first.body)
            #expect(try await server.timelineKinds().filter { $0 == "promise_withdrawn" }.count == 1)
        }
    }
}
