import DulyCore
import DulyStore
import DulyStorePostgres
import PostgresNIO
import Testing

/// What the server keeps, on a real PostgreSQL server: members, tokens, idempotency records (the SQLite store's
/// `AccountStoreTests` in DulyServerTests, through the store itself), server secrets and the schema check behind
/// `/ready`, with the races several nodes of one database run.
@Suite("PostgreSQL accounts", .enabled(if: TestServer.configured))
struct AccountStoreTests {
    /// 2026-03-20T09:00:00Z.
    static let now: Int64 = 1_773_997_200
    static let response = StoredResponse(status: 201, contentType: "application/json", body: Array("{}".utf8))

    /// Runs `body` on a new, migrated database holding the organisations "studio" and "other".
    static func withStore(_ body: @Sendable (PostgresStore) async throws -> Void) async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                for id in ["studio", "other"] {
                    try await store.saveOrganisation(
                        Organisation(
                            id: id, name: "Org \(id)", baseCurrency: Currency(code: "EUR")!, country: "NL",
                            timeZone: "Europe/Amsterdam"))
                }
                try await body(store)
            }
        }
    }

    // MARK: - Members and tokens

    @Test func aNewMemberIsCreatedOnceAndItsEmailComparedWithoutCase() async throws {
        try await Self.withStore { store async throws in
            #expect(
                try await store.addMember(
                    email: "Bea@Studio.example", passwordHash: "$2b$hash", organisationID: "studio", role: .collector))
            #expect(
                !(try await store.addMember(
                    email: "bea@studio.example", passwordHash: nil, organisationID: "other", role: .manager)))
            #expect(try await store.passwordHash(email: "BEA@studio.example") == "$2b$hash")
            #expect(try await store.role(email: "bea@studio.example", organisationID: "studio") == .collector)
            #expect(try await store.role(email: "bea@studio.example", organisationID: "other") == .manager)
            #expect(try await store.role(email: "nobody@studio.example", organisationID: "studio") == nil)
            #expect(try await store.passwordHash(email: "nobody@studio.example") == nil)
        }
    }

    @Test func aNewUserWithoutAPasswordOrAnOrganisationIsRefused() async throws {
        try await Self.withStore { store async throws in
            await #expect(throws: StoreError.invalid("a new user needs a password")) {
                try await store.addMember(
                    email: "bea@studio.example", passwordHash: nil, organisationID: "studio", role: .viewer)
            }
            await #expect(throws: StoreError.organisationNotFound("nowhere")) {
                try await store.addMember(
                    email: "bea@studio.example", passwordHash: "$2b$hash", organisationID: "nowhere", role: .viewer)
            }
        }
    }

    @Test func aTokenSpeaksForItsMemberWithTheRoleTheMemberHasNow() async throws {
        try await Self.withStore { store async throws in
            let hash = String(repeating: "a", count: 64)
            _ = try await store.addMember(
                email: "bea@studio.example", passwordHash: "$2b$hash", organisationID: "studio", role: .manager)
            try await store.createToken(
                name: "sync", secretHash: hash, email: "Bea@studio.example", organisationID: "studio",
                createdAt: "2026-03-20T08:00:00Z")
            #expect(
                try await store.tokenIdentity(secretHash: hash)
                    == TokenIdentity(
                        organisationID: "studio", email: "bea@studio.example", role: .manager, tokenName: "sync"))
            _ = try await store.addMember(
                email: "bea@studio.example", passwordHash: nil, organisationID: "studio", role: .viewer)
            #expect(try await store.tokenIdentity(secretHash: hash)?.role == .viewer)
            #expect(try await store.tokenIdentity(secretHash: String(repeating: "b", count: 64)) == nil)
        }
    }

    @Test func aTokenNameIsUniqueInItsOrganisationAndOnlyForMembers() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.addMember(
                email: "bea@studio.example", passwordHash: "$2b$hash", organisationID: "studio", role: .owner)
            try await store.createToken(
                name: "sync", secretHash: String(repeating: "a", count: 64), email: "bea@studio.example",
                organisationID: "studio", createdAt: "t")
            await #expect(throws: StoreError.conflict(kind: "token", key: "sync", field: "name")) {
                try await store.createToken(
                    name: "sync", secretHash: String(repeating: "b", count: 64), email: "bea@studio.example",
                    organisationID: "studio", createdAt: "t")
            }
            await #expect(
                throws: StoreError.invalid(
                    "'bea@studio.example' is not a member of organisation 'other': add them with `duly user add`")
            ) {
                try await store.createToken(
                    name: "sync", secretHash: String(repeating: "c", count: 64), email: "bea@studio.example",
                    organisationID: "other", createdAt: "t")
            }
        }
    }

    // MARK: - Idempotency

    @Test func aKeyClaimedButNotYetAnsweredTellsARepeatToWait() async throws {
        try await Self.withStore { store async throws in
            let first = try await store.claimIdempotency(
                key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            let repeated = try await store.claimIdempotency(
                key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            #expect(first == .claimed)
            #expect(repeated == .inProgress)
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "other", at: Self.now)
                    == .claimed, "another organisation's key is another key")
        }
    }

    @Test func aReleasedKeyMayBeClaimedAgain() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            try await store.releaseIdempotency(key: "k", organisationID: "studio")
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
                    == .claimed)
        }
    }

    @Test func anAnsweredKeyIsNeverReleased() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            try await store.finishIdempotency(key: "k", response: Self.response, organisationID: "studio")
            try await store.releaseIdempotency(key: "k", organisationID: "studio")
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
                    == .answered(Self.response))
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "x", organisationID: "studio", at: Self.now)
                    == .differentRequest)
        }
    }

    @Test func aKeyIsForgottenADayAfterItWasClaimed() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            try await store.finishIdempotency(key: "k", response: Self.response, organisationID: "studio")
            let justBefore = Self.now + IdempotencyRule.keptSeconds - 1
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: justBefore)
                    == .answered(Self.response))
            // A day later the key is new again, even for another request.
            let aDayLater = Self.now + IdempotencyRule.keptSeconds
            #expect(
                try await store.claimIdempotency(
                    key: "k", requestHash: "other", organisationID: "studio", at: aDayLater)
                    == .claimed)
        }
    }

    @Test func aClaimLeftUnansweredByAStoppedServerIsTakenOverAfterFiveMinutes() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            let soon = Self.now + IdempotencyRule.abandonedAfterSeconds - 1
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: soon)
                    == .inProgress)
            let later = Self.now + IdempotencyRule.abandonedAfterSeconds
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: later)
                    == .claimed)
            // Taken over, the claim is fresh: a repeat right after is told to wait again.
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: later + 1)
                    == .inProgress)
            // Another request with the key is still refused while the key is remembered.
            #expect(
                try await store.claimIdempotency(key: "k", requestHash: "x", organisationID: "studio", at: later + 2)
                    == .differentRequest)
        }
    }

    @Test func ofRequestsClaimingOneKeyAtOnceExactlyOneWins() async throws {
        try await Self.withStore { store async throws in
            let claims = try await Self.atOnce(8) {
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            }
            #expect(claims.filter { $0 == .claimed }.count == 1, "\(claims)")
            #expect(claims.filter { $0 == .inProgress }.count == 7, "\(claims)")
        }
    }

    @Test func ofRequestsTakingOverOneAbandonedClaimAtOnceExactlyOneWins() async throws {
        try await Self.withStore { store async throws in
            _ = try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: Self.now)
            let later = Self.now + IdempotencyRule.abandonedAfterSeconds
            let claims = try await Self.atOnce(8) {
                try await store.claimIdempotency(key: "k", requestHash: "h", organisationID: "studio", at: later)
            }
            #expect(claims.filter { $0 == .claimed }.count == 1, "\(claims)")
        }
    }

    // MARK: - Server secrets and the schema

    @Test func nodesAskingForASecretAtOnceAllGetTheSameOne() async throws {
        try await Self.withStore { store async throws in
            let secrets = try await Self.atOnce(6) {
                try await store.serverSecret(
                    named: "session", generated: (0..<32).map { _ in UInt8.random(in: 0...255) })
            }
            #expect(Set(secrets).count == 1)
            #expect(secrets.first?.count == 32)
            #expect(
                try await store.serverSecret(named: "session", generated: Array(repeating: 7, count: 32)) == secrets[0])
        }
    }

    @Test func theSchemaIsCurrentWhenEveryMigrationOfThisBuildIsApplied() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                #expect(!(try await store.schemaIsCurrent()), "an empty database is not current")
                try await store.migrate()
                #expect(try await store.schemaIsCurrent())
                // A newer build's migration beside this build's is still current for this one.
                try await store.sql(
                    "INSERT INTO duly_migrations (name) VALUES ('v99_from_the_future')", logger: TestServer.logger)
                #expect(try await store.schemaIsCurrent())
                try await store.sql(
                    "DELETE FROM duly_migrations WHERE name = 'v38_idempotency_times'", logger: TestServer.logger)
                #expect(!(try await store.schemaIsCurrent()), "a migration of this build is missing")
            }
        }
    }

    /// The results of `count` calls of `body` started together.
    static func atOnce<T: Sendable>(_ count: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> [T]
    {
        try await withThrowingTaskGroup(of: T.self) { group in
            for _ in 0..<count { group.addTask { try await body() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
