import DulyStore
import Testing

@testable import DulyServer

@Suite struct MemberTests {
    @Test func aNewUserIsKeptWithABcryptHashNeverThePassword() async throws {
        let server = try await TestServer.make()
        let created = try await Members.add(
            email: "Bea@Studio.example", password: "correct horse battery", role: .collector,
            organisationID: "studio", store: server.store)
        #expect(created)
        let hash = try #require(try await server.store.passwordHash(email: "bea@studio.example"))
        #expect(hash.hasPrefix("$2"))
        #expect(!hash.contains("correct horse"))
        #expect(Password.verify("correct horse battery", hash: hash))
        #expect(try await server.store.role(email: "bea@studio.example", organisationID: "studio") == .collector)
    }

    @Test func aShortPasswordIsRefused() async throws {
        let server = try await TestServer.make()
        await #expect(throws: Members.Refusal.self) {
            try await Members.add(
                email: "bea@studio.example", password: "short", role: .viewer, organisationID: "studio",
                store: server.store)
        }
    }

    @Test func aNewUserWithoutAPasswordIsRefused() async throws {
        let server = try await TestServer.make()
        await #expect(throws: Members.Refusal.self) {
            try await Members.add(
                email: "bea@studio.example", password: nil, role: .viewer, organisationID: "studio",
                store: server.store)
        }
    }

    @Test func oneUserMayBelongToSeveralOrganisationsWithARoleInEach() async throws {
        let server = try await TestServer.make()
        try await Members.add(
            email: "viewer@studio.example", password: nil, role: .manager, organisationID: "other",
            store: server.store)
        #expect(try await server.store.role(email: "viewer@studio.example", organisationID: "studio") == .viewer)
        #expect(try await server.store.role(email: "viewer@studio.example", organisationID: "other") == .manager)
    }

    @Test func aTokenIsKeptOnlyAsItsHash() async throws {
        let server = try await TestServer.make()
        let secret = server.tokens[.viewer]!
        #expect(secret.hasPrefix("duly_"))
        #expect(try await server.store.tokenIdentity(secretHash: secret) == nil)
        let identity = try await server.store.tokenIdentity(secretHash: APIToken.hash(secret))
        #expect(identity?.email == "viewer@studio.example")
    }

    @Test func aTokenIsLookedUpByTheLowerCaseHexOfItsSHA256SoStoredTokensKeepWorking() {
        // `printf 'duly_example-secret' | sha256sum`: what every earlier version stored for this secret.
        #expect(
            APIToken.hash("duly_example-secret")
                == "0c11d89f3e5e396eefe8472a34f5723f234446c71f5f6eba02afd6d445011a32")
    }

    @Test func aTokenActsWithTheRoleItsUserHasNow() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let token = server.tokens[.manager]!
            let body = #"{"customer_id": "C-1", "name": "A"}"#
            let created = try await client.call(.post, "/api/v1/customers", token: token, body: body)
            #expect(created.status == .created)
            try await Members.add(
                email: "manager@studio.example", password: nil, role: .viewer, organisationID: "studio",
                store: server.store)
            let refused = try await client.call(.post, "/api/v1/customers", token: token, body: body)
            #expect(refused.status == .forbidden)
            #expect(refused.isProblem)
        }
    }

    @Test func aTokenNameIsUniqueInItsOrganisation() async throws {
        let server = try await TestServer.make()
        await #expect(throws: StoreError.conflict(kind: "token", key: "viewer@studio.example token", field: "name")) {
            try await Members.createToken(
                name: "viewer@studio.example token", email: "viewer@studio.example", organisationID: "studio",
                createdAt: "2026-03-20T08:00:00Z", store: server.store)
        }
    }
}
