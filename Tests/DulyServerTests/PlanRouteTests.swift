import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct PlanRouteTests {
    static let uri = "/api/v1/customers/C-100/plans"
    static let body = """
        {"invoice_numbers": ["INV-100"], "proposed_by": "client",
         "instalments": [{"due_date": "2026-04-15", "amount": "150.00"}, {"due_date": "2026-05-15", "amount": "150.00"}]}
        """

    @Test func aProposedPlanPausesNothingUntilAManagerAcceptsIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let proposed = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: Self.body)
            #expect(proposed.status == .created)
            #expect(proposed["state"] == "proposed")
            #expect(proposed["total"] == "300.00")
            let id = try #require(proposed["plan_id"])
            let accepted = try await client.call(
                .post, "/api/v1/plans/\(id)/acceptance", token: server.tokens[.manager]!)
            #expect(accepted.status == .ok)
            #expect(accepted["accepted_on"] == "2026-03-20")
            #expect(accepted["state"] == "live")
            #expect(accepted["next_due_date"] == "2026-04-15")
            #expect(accepted["customer_id"] == "C-100")
            let stored = try await server.store.paymentPlan(organisationID: "studio", id: id)
            #expect(stored?.acceptedOn == TestServer.today)
        }
    }

    @Test func aPlanAcceptedTwiceIsAConflict() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/plans/PLN-C-100-2026-03-20/acceptance"
            _ = try await client.call(.post, uri, token: server.tokens[.manager]!)
            let again = try await client.call(.post, uri, token: server.tokens[.manager]!)
            #expect(again.status == .conflict)
            #expect(again["detail"] == "plan 'PLN-C-100-2026-03-20' was accepted on 2026-03-20")
        }
    }

    @Test func aCollectorCannotAcceptAPlan() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = Self.body.replacingOccurrences(of: #""proposed_by": "client","#, with: #""accepted": true,"#)
            let answer = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: body)
            #expect(answer.status == .forbidden)
            #expect(try await server.store.paymentPlan(organisationID: "studio", id: "PLN-C-100-2026-03-20") == nil)
        }
    }

    @Test func anInstalmentThatIsNotAnAmountIsRefusedNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"invoice_numbers": ["INV-100"], "instalments": [{"due_date": "2026-04-15", "amount": 150}]}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "instalments[0].amount")
        }
    }

    @Test func plansAreListedWithWhereEachStands() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let list = try await client.call(.get, "/api/v1/plans", token: server.tokens[.viewer]!)
            #expect(list.items.map { $0["plan_id"] } == [.string("PLN-C-100-2026-03-20")])
            #expect(list.items.first?["state"] == "proposed")
            let other = try await client.call(.get, "/api/v1/plans", token: server.otherToken)
            #expect(other.items.isEmpty)
        }
    }

    @Test func aRepeatedProposalWithItsKeyIsRecordedOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.collector]!
            let first = try await client.call(.post, Self.uri, token: token, body: Self.body, key: "plan-1")
            let again = try await client.call(.post, Self.uri, token: token, body: Self.body, key: "plan-1")
            #expect(again.body == first.body)
            let list = try await client.call(.get, "/api/v1/plans", token: token)
            #expect(list.items.count == 1)
        }
    }

    @Test func aRepeatedAcceptanceWithItsKeyIsAnsweredAgainNotRefused() async throws {
        let server = try await TestServer.make()
        try await server.commitments()
        try await server.test { client in
            let uri = "/api/v1/plans/PLN-C-100-2026-03-20/acceptance"
            let token = server.tokens[.manager]!
            let first = try await client.call(.post, uri, token: token, key: "accept-1")
            let again = try await client.call(.post, uri, token: token, key: "accept-1")
            #expect(again.status == .ok)
            #expect(again.body == first.body)
            // One entry for the proposal, one for the acceptance.
            #expect(try await server.timelineKinds().filter { $0 == "plan_recorded" }.count == 2)
        }
    }
}
