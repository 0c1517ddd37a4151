import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct CallOutcomeRouteTests {
    @Test func aPromiseOnACallClosesTheCallAndRecordsThePromise() async throws {
        let server = try await TestServer.make()
        try await server.plannedCall()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.collector]!,
                body: #"{"outcome": "promise", "date": "2026-04-01", "amount": "120.00", "promised_by": "Ann"}"#)
            #expect(answer.status == .created)
            #expect(answer["summary"] == "promised to pay EUR 120.00 by 2026-04-01")
            guard case .object(let action) = answer.json["action"], case .object(let promise) = answer.json["promise"]
            else {
                Issue.record("no action or promise: \(answer.json)")
                return
            }
            #expect(action["status"] == "done")
            #expect(promise["amount"] == "120.00")
            // Named by the call's public id: nothing of the database's row numbers.
            #expect(promise["promise_id"] == .string("PRM-\(id)"))
            #expect(promise["state"] == "live")
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.promises.map(\.amount.decimalString) == ["120.00"])
            #expect(try await server.timelineKinds().contains("promise_recorded"))
        }
    }

    @Test func aDisputeWithoutTheClientsReasonIsRefusedNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.plannedCall()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.collector]!,
                body: #"{"outcome": "dispute"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["field"] == "reason")
        }
    }

    @Test func anOutcomeIsRecordedOnACallOnly() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.collector]!,
                body: #"{"outcome": "reached"}"#)
            #expect(answer.status == .conflict)
            #expect(answer["detail"] == "the action is an email, not a call or meeting")
        }
    }

    @Test func aRepeatedOutcomeWithItsKeyRecordsOnePromise() async throws {
        let server = try await TestServer.make()
        try await server.plannedCall()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            let body = #"{"outcome": "promise", "date": "2026-04-01"}"#
            let first = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.collector]!, body: body, key: "call-1")
            let again = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.collector]!, body: body, key: "call-1")
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.body == first.body)
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.promises.count == 1)
        }
    }

    @Test func aViewerCannotRecordAnOutcome() async throws {
        let server = try await TestServer.make()
        try await server.plannedCall()
        try await server.test { client in
            let id = try await server.firstActionID(client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/outcome", token: server.tokens[.viewer]!, body: #"{"outcome": "reached"}"#
            )
            #expect(answer.status == .forbidden)
        }
    }
}
