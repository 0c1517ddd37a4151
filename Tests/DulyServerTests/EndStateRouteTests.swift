import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct EndStateRouteTests {
    @Test func aSettlementWaivesTheDifferenceAndTheAgreedAmountIsStillChased() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-100/settlement", token: server.tokens[.manager]!,
                body: #"{"reason": "agreed on the call", "agreed_amount": "200.00"}"#)
            #expect(answer.status == .created)
            #expect(answer["still_chased"] == "200.00")
            guard case .object(let note) = answer.json["credit_note"] else {
                Issue.record("no credit note: \(answer.json)")
                return
            }
            #expect(note["amount"] == "100.00")
            #expect(note["kind"] == "settlement")
            #expect(note["approved_by"] == "manager@studio.example")
            #expect(try await server.open("INV-100") == "200.00")
        }
    }

    @Test func aWriteOffClosesTheInvoiceAndASecondIsAConflict() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let uri = "/api/v1/invoices/INV-100/write-off"
            let token = server.tokens[.manager]!
            let answer = try await client.call(.post, uri, token: token, body: #"{"reason": "insolvent"}"#)
            #expect(answer.status == .created)
            #expect(try await server.open("INV-100") == "0.00")
            let again = try await client.call(.post, uri, token: token, body: #"{"reason": "insolvent again"}"#)
            #expect(again.status == .conflict)
            #expect(again["detail"] == "invoice 'INV-100' is closed (written_off)")
        }
    }

    @Test func aWriteOffWithoutAReasonIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-100/write-off", token: server.tokens[.manager]!, body: #"{}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "reason")
            #expect(try await server.open("INV-100") == "300.00")
        }
    }

    @Test func anAgreedAmountNotBelowWhatIsOpenIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-100/settlement", token: server.tokens[.manager]!,
                body: #"{"reason": "deal", "agreed_amount": "300.00"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "agreed_amount")
        }
    }

    @Test func aCollectorCannotWriteOff() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-100/write-off", token: server.tokens[.collector]!,
                body: #"{"reason": "insolvent"}"#)
            #expect(answer.status == .forbidden)
            #expect(try await server.open("INV-100") == "300.00")
        }
    }

    @Test func anotherOrganisationsInvoiceAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-900/settlement", token: server.tokens[.manager]!,
                body: #"{"reason": "deal"}"#)
            #expect(answer.status == .notFound)
            #expect(try await server.open("INV-900", organisationID: "other") == "300.00")
        }
    }

    @Test func aCreditNoteLowersWhatIsOpenOnceHoweverOftenItIsPosted() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = #"{"credit_note_id": "CN-1", "invoice_number": "INV-100", "amount": "20.00", "reason": "late"}"#
            let token = server.tokens[.manager]!
            let first = try await client.call(.post, "/api/v1/credit-notes", token: token, body: body, key: "cn-1")
            let again = try await client.call(.post, "/api/v1/credit-notes", token: token, body: body, key: "cn-1")
            #expect(first.status == .created)
            #expect(first["date"] == "2026-03-20")
            #expect(again.body == first.body)
            // Posted again without the key, the same note is still recorded once.
            _ = try await client.call(.post, "/api/v1/credit-notes", token: token, body: body)
            #expect(try await server.open("INV-100") == "280.00")
        }
    }

    @Test func aCreditNoteOfMoreThanIsOpenIsRefusedNamingTheAmount() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/credit-notes", token: server.tokens[.manager]!,
                body: #"{"credit_note_id": "CN-1", "invoice_number": "INV-100", "amount": "300.01"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "amount")
        }
    }

    @Test func aCreditNoteOnAnotherOrganisationsInvoiceIsRefusedNamingTheInvoice() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/credit-notes", token: server.tokens[.manager]!,
                body: #"{"credit_note_id": "CN-1", "invoice_number": "INV-900", "amount": "20.00"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "invoice_number")
            #expect(try await server.open("INV-900", organisationID: "other") == "300.00")
        }
    }

    @Test(arguments: ["settlement", "write-off"])
    func aRepeatedEndingWithItsKeyIsBookedOnce(_ route: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let uri = "/api/v1/invoices/INV-100/\(route)"
            let token = server.tokens[.manager]!
            let body = #"{"reason": "agreed"}"#
            let first = try await client.call(.post, uri, token: token, body: body, key: "end-1")
            let again = try await client.call(.post, uri, token: token, body: body, key: "end-1")
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.body == first.body)
            #expect(try await server.open("INV-100") == "0.00")
        }
    }
}
