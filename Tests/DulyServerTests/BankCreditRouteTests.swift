import DulyCore
import DulyStore
import Testing

@testable import DulyServer

@Suite struct BankCreditRouteTests {
    static func body(_ id: String, amount: String = "300.00", remittance: String = "Invoice INV-100") -> String {
        #"{"credit_id": "\#(id)", "booking_date": "2026-03-19", "currency": "EUR", "amount": "\#(amount)", "debtor_name": "Customer C-100", "remittance": "\#(remittance)"}"#
    }

    @Test func aCreditNamingAnInvoiceInItsRemittanceIsMatchedAndPaysIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.manager]!, body: Self.body("BANK-1"))
            #expect(answer.status == .created)
            #expect(answer["status"] == "matched")
            #expect(answer.json["recorded"] == .bool(true))
            guard case .object(let match) = answer.json["match"] else {
                Issue.record("no match")
                return
            }
            #expect(match["customer_id"] == "C-100")
            #expect(match["key"] == "remittance_text")
            #expect(match["invoices"] == .array([.object(["invoice_number": "INV-100", "amount": "300.00"])]))
            let invoice = try await client.call(.get, "/api/v1/invoices/INV-100", token: server.tokens[.viewer]!)
            #expect(invoice["open"] == "0.00")
        }
    }

    @Test func aCreditNoRuleMatchesWaitsOnTheQueueWithItsID() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.manager]!,
                body: Self.body("BANK-2", amount: "12.34", remittance: "thanks"))
            #expect(answer.status == .created)
            #expect(answer["status"] == "unmatched")
            #expect(answer["reason"] != nil)
            let id = try #require(answer["id"])
            #expect(answer["id"] == "bcr_1")
            let queue = try await client.call(
                .get, "/api/v1/bank-credits?status=unmatched", token: server.tokens[.viewer]!)
            #expect(queue.status == .ok)
            #expect(queue.items.map { $0["id"] } == [.string(id)])
            #expect(queue.items.first?["amount"] == "12.34")
            // Another organisation's queue does not show it.
            let theirs = try await client.call(.get, "/api/v1/bank-credits", token: server.otherToken)
            #expect(theirs.items.isEmpty)
        }
    }

    @Test func theSameCreditPostedAgainChangesNothing() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let first = try await client.call(
                .post, "/api/v1/bank-credits", token: token, body: Self.body("BANK-3", amount: "100.00"))
            let again = try await client.call(
                .post, "/api/v1/bank-credits", token: token, body: Self.body("BANK-3", amount: "100.00"))
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(again.json["recorded"] == .bool(false))
            let invoice = try await client.call(.get, "/api/v1/invoices/INV-100", token: server.tokens[.viewer]!)
            #expect(invoice["open"] == "200.00")
        }
    }

    @Test func aRepeatWithTheSameIdempotencyKeyAnswersTheFirstAnswer() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let first = try await client.call(
                .post, "/api/v1/bank-credits", token: token, body: Self.body("BANK-4"), key: "credit-4")
            let again = try await client.call(
                .post, "/api/v1/bank-credits", token: token, body: Self.body("BANK-4"), key: "credit-4")
            #expect(again.status == first.status)
            #expect(again.json == first.json)
            #expect(again.headers[.idempotentReplayed] == "true")
        }
    }

    @Test(arguments: [
        (#"{"credit_id": "B", "booking_date": "2026-03-19", "currency": "EUR", "amount": "-5.00"}"#, "amount"),
        (#"{"credit_id": "B", "booking_date": "2026-03-21", "currency": "EUR", "amount": "5.00"}"#, "booking_date"),
        (#"{"credit_id": "B", "booking_date": "19/03/2026", "currency": "EUR", "amount": "5.00"}"#, "booking_date"),
        (#"{"credit_id": "B", "booking_date": "2026-03-19", "currency": "EURO", "amount": "5.00"}"#, "currency"),
        (#"{"booking_date": "2026-03-19", "currency": "EUR", "amount": "5.00"}"#, "credit_id"),
        (
            #"{"credit_id": "B", "booking_date": "2026-03-19", "currency": "EUR", "amount": "5.00", "iban": "x"}"#,
            "iban"
        ),
    ])
    func aBadCreditIsRefusedNamingTheFieldAndNothingIsRecorded(_ body: String, _ field: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.manager]!, body: body)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["field"] == .some(field))
            #expect(try await server.store.unmatchedCredits(organisationID: "studio").isEmpty)
        }
    }

    @Test func aCollectorCannotRecordMoney() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.collector]!, body: Self.body("BANK-5"))
            #expect(answer.status == .forbidden)
        }
    }

    @Test func anotherOrganisationsInvoiceIsNeverMatched() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.manager]!,
                body: Self.body("BANK-6", amount: "12.34", remittance: "Invoice INV-900"))
            #expect(answer["status"] == "unmatched")
            guard case .array(let candidates) = answer.json["candidates"] else {
                Issue.record("no candidates listed")
                return
            }
            #expect(!candidates.contains { "\($0)".contains("INV-900") })
        }
    }
}
