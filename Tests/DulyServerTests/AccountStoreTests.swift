import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyServer
@testable import DulyStoreSQLite

/// What the server keeps, in a real SQLite file: idempotency records and the schema check behind `/ready`.
@Suite struct AccountStoreTests {
    /// 2026-03-20T09:00:00Z, the test server's now.
    static let now: Int64 = 1_773_997_200

    @Test func aKeyClaimedButNotYetAnsweredTellsARepeatToWait() async throws {
        let server = try await TestServer.make()
        let first = try await server.store.claimIdempotency(
            key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        let repeated = try await server.store.claimIdempotency(
            key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        #expect(first == .claimed)
        #expect(repeated == .inProgress)
    }

    @Test func aReleasedKeyMayBeClaimedAgain() async throws {
        let server = try await TestServer.make()
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        try await server.store.releaseIdempotency(key: "k", organisationID: "studio")
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
                == .claimed)
    }

    @Test func anAnsweredKeyIsNeverReleased() async throws {
        let server = try await TestServer.make()
        let response = StoredResponse(status: 201, contentType: "application/json", body: Array("{}".utf8))
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        try await server.store.finishIdempotency(key: "k", response: response, organisationID: "studio")
        try await server.store.releaseIdempotency(key: "k", organisationID: "studio")
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
                == .answered(response))
    }

    @Test func aKeyIsForgottenADayAfterItWasClaimed() async throws {
        let server = try await TestServer.make()
        let response = StoredResponse(status: 201, contentType: "application/json", body: Array("{}".utf8))
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        try await server.store.finishIdempotency(key: "k", response: response, organisationID: "studio")
        let justBefore = Self.now + IdempotencyRule.keptSeconds - 1
        #expect(
            try await server.store.claimIdempotency(
                key: "k", requestHash: "h", organisationID: "studio", at: justBefore)
                == .answered(response))
        // A day later the key is new again, even for another request.
        let aDayLater = Self.now + IdempotencyRule.keptSeconds
        #expect(
            try await server.store.claimIdempotency(
                key: "k", requestHash: "other", organisationID: "studio", at: aDayLater)
                == .claimed)
    }

    @Test func aClaimLeftUnansweredByAStoppedServerIsTakenOverAfterFiveMinutes() async throws {
        let server = try await TestServer.make()
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
        let soon = Self.now + IdempotencyRule.abandonedAfterSeconds - 1
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: soon)
                == .inProgress)
        let later = Self.now + IdempotencyRule.abandonedAfterSeconds
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: later)
                == .claimed)
        // Taken over, the claim is fresh: a repeat right after is told to wait again.
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: later + 1)
                == .inProgress)
        // Another request with the key is still refused while the key is remembered.
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "x", organisationID: "studio", at: later + 2)
                == .differentRequest)
    }

    @Test func readyAnswers503WhenTheDatabaseLacksAMigrationOfThisBuild() async throws {
        let server = try await TestServer.make()
        try await server.store.pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v24_server_accounts'")
        }
        try await server.test { client in
            let answer = try await client.call(.get, "/ready")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.isProblem)
        }
    }

    @Test func aBodyOverOneMebibyteIsRefusedAsProblemDetails() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let name = String(repeating: "a", count: 1 << 20)
            let answer = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-1", "name": "\#(name)"}"#)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.isProblem)
        }
    }
}
