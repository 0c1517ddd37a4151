import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct DisputeRouteTests {
    static let uri = "/api/v1/invoices/INV-100/disputes"

    @Test func aCollectorOpensADisputeOnPartOfAnInvoice() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"reason_code": "pricing", "reason": "not the rate quoted", "amount": "50.00"}"#)
            #expect(answer.status == .created)
            #expect(answer["dispute_id"] == "DSP-INV-100-2026-03-20")
            #expect(answer["customer_id"] == "C-100")
            #expect(answer["amount"] == "50.00")
            #expect(answer.json["outcome"] == .null)
            let stored = try await server.store.dispute(organisationID: "studio", id: "DSP-INV-100-2026-03-20")
            #expect(stored?.amount?.decimalString == "50.00")
            #expect(try await server.timelineKinds().last == "dispute_opened")
        }
    }

    @Test func aDisputeOfMoreThanIsOpenIsRefusedNamingTheAmount() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!, body: #"{"reason": "too dear", "amount": "301.00"}"#
            )
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "amount")
        }
    }

    @Test func aDisputeWithoutAReasonIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: #"{}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "reason")
        }
    }

    @Test func anotherOrganisationsInvoiceAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices/INV-900/disputes", token: server.tokens[.owner]!,
                body: #"{"reason": "too dear"}"#)
            #expect(answer.status == .notFound)
            #expect(try await server.store.dispute(organisationID: "other", id: "DSP-INV-900-2026-03-20") == nil)
        }
    }

    @Test func aCollectorRejectsADisputeButUpholdingOneIsAManagers() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/disputes/DSP-INV-100-2026-03-20/resolution"
            let refused = try await client.call(
                .post, uri, token: server.tokens[.collector]!, body: #"{"outcome": "upheld"}"#)
            #expect(refused.status == .forbidden)
            let upheld = try await client.call(
                .post, uri, token: server.tokens[.manager]!, body: #"{"outcome": "upheld", "note": "quote checked"}"#)
            #expect(upheld.status == .ok)
            #expect(upheld["outcome"] == "upheld")
            // Upheld, the disputed 50.00 is credited.
            #expect(try await server.open("INV-100") == "250.00")
        }
    }

    @Test func aSettledDisputeWithoutTheAgreedAmountIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/disputes/DSP-INV-100-2026-03-20/resolution", token: server.tokens[.manager]!,
                body: #"{"outcome": "settled"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "agreed_amount")
        }
    }

    @Test func openDisputesAreListedAndResolvedOnesLeaveThatList() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let token = server.tokens[.collector]!
            let open = try await client.call(.get, "/api/v1/disputes?open=true", token: token)
            #expect(open.items.map { $0["dispute_id"] } == [.string("DSP-INV-100-2026-03-20")])
            _ = try await client.call(
                .post, "/api/v1/disputes/DSP-INV-100-2026-03-20/resolution", token: token,
                body: #"{"outcome": "rejected"}"#)
            #expect(try await client.call(.get, "/api/v1/disputes?open=true", token: token).items.isEmpty)
            let all = try await client.call(.get, "/api/v1/disputes", token: token)
            #expect(all.items.first?["outcome"] == "rejected")
        }
    }

    @Test func aRepeatedDisputeWithItsKeyIsOpenedOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.collector]!
            let body = #"{"reason": "too dear"}"#
            let first = try await client.call(.post, Self.uri, token: token, body: body, key: "dispute-1")
            let again = try await client.call(.post, Self.uri, token: token, body: body, key: "dispute-1")
            #expect(again.body == first.body)
            #expect(try await client.call(.get, "/api/v1/disputes", token: token).items.count == 1)
        }
    }

    @Test func aRepeatedResolutionWithItsKeyIsRecordedOnce() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/disputes/DSP-INV-100-2026-03-20/resolution"
            let token = server.tokens[.manager]!
            let body = #"{"outcome": "upheld"}"#
            let first = try await client.call(.post, uri, token: token, body: body, key: "resolve-1")
            let again = try await client.call(.post, uri, token: token, body: body, key: "resolve-1")
            #expect(again.status == .ok)
            #expect(again.body == first.body)
            #expect(try await server.open("INV-100") == "250.00")
        }
    }
}
