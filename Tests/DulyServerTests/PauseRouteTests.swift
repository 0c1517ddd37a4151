import DulyCore
import HummingbirdTesting
import Testing

@testable import DulyServer

/// `POST /customers/{customer_id}/pause`: a collector pauses the whole chase of a customer until a date, or ends the
/// pause. Today is 2026-03-20; C-100 owes INV-100, long overdue.
@Suite struct PauseRouteTests {
    static let uri = "/api/v1/customers/C-100/pause"
    static let body = #"{"until": "2026-03-27", "reason": "paid by transfer, says Ann"}"#

    @Test func aCollectorPausesACustomerUntilADateOnTheTimeline() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: Self.body)
            #expect(answer.status == .ok)
            #expect(answer.json["paused"] == .bool(true))
            #expect(answer["until"] == "2026-03-27")
            #expect(answer["by"] == "collector@studio.example")
            #expect(answer.json["by_client"] == .bool(false))
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause?.until == LocalDate(iso: "2026-03-27"))
            #expect(account.pause?.reason == "paid by transfer, says Ann")
            #expect(try await server.timelineKinds().last == "chase_paused")
        }
    }

    @Test func theCollectionDayPlansNothingForAPausedCustomer() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: Self.body)
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            let planner = Planner(playbook: .standard, organisationID: "studio")
            #expect(planner.plan(account, asOf: TestServer.today).actions.isEmpty)
            #expect(!planner.plan(account, asOf: LocalDate(iso: "2026-03-30")!).actions.isEmpty)
        }
    }

    @Test func endingThePauseWithdrawsItOnTheTimeline() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, Self.uri, token: server.tokens[.collector]!, body: Self.body)
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!, body: #"{"end": true}"#)
            #expect(answer.status == .ok)
            #expect(answer.json["paused"] == .bool(false))
            #expect(answer.json["until"] == .null)
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
            #expect(try await server.timelineKinds().suffix(2) == ["chase_paused", "chase_pause_ended"])
        }
    }

    @Test func aLastDayThatHasPassedIsRefusedNamingUntil() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!,
                body: #"{"until": "2026-03-19", "reason": "late"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "until")
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
        }
    }

    @Test func aPauseWithoutAReasonIsRefusedNamingTheReason() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!, body: #"{"until": "2026-03-27"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "reason")
        }
    }

    @Test func aViewerMayNotPause() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.post, Self.uri, token: server.tokens[.viewer]!, body: Self.body)
            #expect(answer.status == .forbidden)
        }
    }

    @Test func withoutATokenNothingIsPaused() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.post, Self.uri, body: Self.body)
            #expect(answer.status == .unauthorized)
            let account = try #require(try await server.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
        }
    }

    @Test func anotherOrganisationsCustomerAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/customers/C-900/pause", token: server.tokens[.collector]!, body: Self.body)
            #expect(answer.status == .notFound)
        }
    }

    @Test func aRepeatWithTheSameIdempotencyKeyIsAnsweredOnceAndPausesOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!, body: Self.body, key: "pause-1")
            let second = try await client.call(
                .post, Self.uri, token: server.tokens[.collector]!, body: Self.body, key: "pause-1")
            #expect(first.status == .ok && second.status == .ok)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(try await server.timelineKinds().filter { $0 == "chase_paused" }.count == 1)
        }
    }
}
