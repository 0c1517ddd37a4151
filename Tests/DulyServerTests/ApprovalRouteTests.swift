import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct ApprovalRouteTests {
    @Test func anEscalationAwaitingApprovalIsQueuedWithWhyItsAccountQualifies() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let queue = try await client.call(.get, "/api/v1/approvals", token: server.tokens[.viewer]!)
            #expect(queue.status == .ok)
            let approval = try #require(queue.items.first)
            #expect(approval["action_id"] == .string(try await server.firstActionID(client)))
            #expect(approval["step"] == "manager_review")
            #expect(approval["escalates_to"] == "manager")
            guard case .array(let invoices) = approval["invoices"], case .object(let invoice) = invoices.first else {
                Issue.record("no invoices: \(approval)")
                return
            }
            #expect(invoice["invoice_number"] == "INV-100")
            #expect(invoice["days_overdue"] == .integer(17))
            #expect(invoice["open"] == "300.00")
            // Only a hand-over to an agency or a lawyer counts against the monthly cap.
            #expect(approval["external_escalations_cap"] == .null)
        }
    }

    @Test func aDecidedActionLeavesTheQueue() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            _ = try await client.call(
                .post, "/api/v1/actions/\(id)/decision", token: server.tokens[.manager]!,
                body: #"{"decision": "reject", "note": "paid by cheque"}"#)
            let queue = try await client.call(.get, "/api/v1/approvals", token: server.tokens[.viewer]!)
            #expect(queue.items.isEmpty)
            let timeline = try await server.store.timeline(organisationID: "studio", customerID: "C-100")
            #expect(timeline.last?.details.values.contains("paid by cheque") == true)
        }
    }

    @Test func anotherOrganisationsApprovalsAreNotListed() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let queue = try await client.call(.get, "/api/v1/approvals", token: server.otherToken)
            #expect(queue.status == .ok)
            #expect(queue.items.isEmpty)
        }
    }
}
