import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyServer
@testable import DulyStoreSQLite

/// What the server keeps, in a real SQLite file: idempotency records and the schema check behind `/ready`.
@Suite struct AccountStoreTests {
    @Test func aKeyClaimedButNotYetAnsweredTellsARepeatToWait() async throws {
        let server = try await TestServer.make()
        let first = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio")
        let repeated = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio")
        #expect(first == .claimed)
        #expect(repeated == .inProgress)
    }

    @Test func aReleasedKeyMayBeClaimedAgain() async throws {
        let server = try await TestServer.make()
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio")
        try await server.store.releaseIdempotency(key: "k", organisationID: "studio")
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio") == .claimed)
    }

    @Test func anAnsweredKeyIsNeverReleased() async throws {
        let server = try await TestServer.make()
        let response = StoredResponse(status: 201, contentType: "application/json", body: Array("{}".utf8))
        _ = try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio")
        try await server.store.finishIdempotency(key: "k", response: response, organisationID: "studio")
        try await server.store.releaseIdempotency(key: "k", organisationID: "studio")
        #expect(
            try await server.store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio")
                == .answered(response))
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
