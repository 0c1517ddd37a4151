import DulyStore
import Testing

@testable import DulyServer

@Suite struct PaymentAndRunRouteTests {
    static let payment = """
        {"payment_id": "PAY-1", "customer_id": "C-100", "date": "2026-03-20", "currency": "EUR", "amount": "100.00",
         "invoice_number": "INV-100"}
        """

    @Test func aPaymentIsAllocatedAsAnImportAllocatesIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/payments", token: server.tokens[.manager]!, body: Self.payment)
            #expect(answer.status == .created)
            #expect(answer.json["recorded"] == .bool(true))
            #expect(
                answer.json["allocations"]
                    == .array([.object(["amount": .string("100.00"), "invoice_number": .string("INV-100")])])
            )
            #expect(answer["credit"] == "0.00")
            let invoice = try await client.call(.get, "/api/v1/invoices/INV-100", token: server.tokens[.viewer]!)
            #expect(invoice["open"] == "200.00")
        }
    }

    @Test func moneyBeyondWhatIsOpenIsLeftAsCreditAndSaysWhy() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/payments", token: server.tokens[.manager]!,
                body: Self.payment.replacingOccurrences(of: "100.00", with: "350.00"))
            #expect(answer["credit"] == "50.00")
            #expect(
                answer.json["notes"]
                    == .array([
                        .object([
                            "code": .string("more_than_open"), "detail": .string("more than was open in EUR"),
                        ])
                    ]))
        }
    }

    @Test func theSamePaymentPostedAgainRecordsNothing() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            _ = try await client.call(.post, "/api/v1/payments", token: token, body: Self.payment)
            let again = try await client.call(.post, "/api/v1/payments", token: token, body: Self.payment)
            #expect(again.status == .ok)
            #expect(again.json["recorded"] == .bool(false))
            let invoice = try await client.call(.get, "/api/v1/invoices/INV-100", token: token)
            #expect(invoice["open"] == "200.00")
        }
    }

    @Test func aPaymentDatedAfterTodayIsRefusedNamingTheDate() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/payments", token: server.tokens[.manager]!,
                body: Self.payment.replacingOccurrences(of: "2026-03-20", with: "2026-03-21"))
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "date")
        }
    }

    @Test func aPaymentNamingAnInvoiceTheCustomerDoesNotHaveIsRefused() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/payments", token: server.tokens[.manager]!,
                body: Self.payment.replacingOccurrences(of: "\"INV-100\"", with: "\"INV-900\""))
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "invoice_number")
        }
    }

    @Test func aRunPlansTheDayOnceAndADryRunWritesNothing() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let dry = try await client.call(.post, "/api/v1/runs", token: token, body: #"{"dry_run": true}"#)
            #expect(dry.status == .ok)
            #expect(dry.json["planned"] == .integer(1))
            let run = try await client.call(.post, "/api/v1/runs", token: token, body: "{}")
            #expect(run.status == .created)
            #expect(run["as_of"] == "2026-03-20")
            #expect(run.json["planned"] == .integer(1))
            let again = try await client.call(.post, "/api/v1/runs", token: token, body: "{}")
            #expect(again.json["planned"] == .integer(0))
        }
    }

    @Test func aRealRunAfterTodayIsRefusedNamingAsOf() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/runs", token: server.tokens[.manager]!, body: #"{"as_of": "2026-03-21"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "as_of")
        }
    }
}
