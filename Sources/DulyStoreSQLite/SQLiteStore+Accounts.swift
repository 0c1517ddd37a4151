import DulyCore
import DulyStore
import Foundation
import GRDB

extension SQLiteStore: AccountStore {
    /// Creates the user or replaces its password hash, and gives it `role` in the organisation.
    public func addMember(
        email: String, passwordHash: String?, organisationID: String, role: Role
    ) async throws -> Bool {
        let email = email.lowercased()
        return try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let exists =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", arguments: [email])
                ?? false
            if let passwordHash {
                try db.execute(
                    sql: """
                        INSERT INTO users (email, password_hash) VALUES (?, ?)
                        ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash
                        """,
                    arguments: [email, passwordHash])
            } else if !exists {
                throw StoreError.invalid("a new user needs a password")
            }
            try db.execute(
                sql: """
                    INSERT INTO memberships (org_id, email, role) VALUES (?, ?, ?)
                    ON CONFLICT (org_id, email) DO UPDATE SET role = excluded.role
                    """,
                arguments: [organisationID, email, role.rawValue])
            return !exists
        }
    }

    /// The user's role in the organisation, nil when not a member.
    public func role(email: String, organisationID: String) async throws -> Role? {
        let email = email.lowercased()
        return try await read { db in
            let text = try String.fetchOne(
                db, sql: "SELECT role FROM memberships WHERE org_id = ? AND email = ?",
                arguments: [organisationID, email])
            return try text.map { try Decode.value($0) as Role }
        }
    }

    /// The stored bcrypt hash of a user's password.
    public func passwordHash(email: String) async throws -> String? {
        let email = email.lowercased()
        return try await read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE email = ?", arguments: [email])
        }
    }

    /// Stores a token by the hash of its secret, for a member of the organisation.
    public func createToken(
        name: String, secretHash: String, email: String, organisationID: String, createdAt: String
    ) async throws {
        let email = email.lowercased()
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let member = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = ? AND email = ?)",
                arguments: [organisationID, email])
            guard member == true else {
                throw StoreError.invalid(
                    "'\(email)' is not a member of organisation '\(organisationID)': add them with `duly user add`")
            }
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE org_id = ? AND name = ?)",
                arguments: [organisationID, name])
            guard taken != true else {
                throw StoreError.conflict(kind: "token", key: name, field: "name")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (secret_hash, org_id, email, name, created_at) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [secretHash, organisationID, email, name, createdAt])
        }
    }

    /// Who a token speaks for, with the role its user has now.
    public func tokenIdentity(secretHash: String) async throws -> TokenIdentity? {
        try await read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT t.org_id, t.email, m.role, t.name FROM api_tokens t
                    JOIN memberships m ON m.org_id = t.org_id AND m.email = t.email
                    WHERE t.secret_hash = ?
                    """)
            guard let row = try Row.fetchOne(statement, arguments: [secretHash]) else { return nil }
            return TokenIdentity(
                organisationID: row["org_id"], email: row["email"], role: try Decode.value(row["role"] as String),
                tokenName: row["name"])
        }
    }

    // MARK: - Idempotency

    /// Claims a key for a request, or says how it was answered before (`IdempotencyRule`).
    public func claimIdempotency(
        key: String, requestHash: String, organisationID: String, at now: Int64
    ) async throws -> IdempotencyClaim {
        try await write { db in
            // Forgotten records go first, so that the table holds a day's keys and no more.
            try db.execute(
                sql: "DELETE FROM idempotency_records WHERE org_id = ? AND claimed_at <= ?",
                arguments: [organisationID, now - IdempotencyRule.keptSeconds])
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT request_hash, response_status, response_content_type, response_body, claimed_at
                    FROM idempotency_records WHERE org_id = ? AND idempotency_key = ?
                    """,
                arguments: [organisationID, key])
            let stored = row.map { row -> (requestHash: String, response: StoredResponse?, claimedAt: Int64) in
                let status: Int? = row["response_status"]
                let body: Data? = row["response_body"]
                return (
                    row["request_hash"],
                    status.map {
                        StoredResponse(
                            status: $0, contentType: row["response_content_type"] ?? "", body: Array(body ?? Data()))
                    }, row["claimed_at"]
                )
            }
            switch IdempotencyRule.decide(stored: stored, requestHash: requestHash, now: now) {
            case .answer(let claim):
                return claim
            case .claimAfresh:
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO idempotency_records (org_id, idempotency_key, request_hash, claimed_at)
                        VALUES (?, ?, ?, ?)
                        """,
                    arguments: [organisationID, key, requestHash, now])
            case .takeOver:
                try db.execute(
                    sql: "UPDATE idempotency_records SET claimed_at = ? WHERE org_id = ? AND idempotency_key = ?",
                    arguments: [now, organisationID, key])
            }
            return .claimed
        }
    }

    /// Keeps the response to a claimed key.
    public func finishIdempotency(key: String, response: StoredResponse, organisationID: String) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE idempotency_records SET response_status = ?, response_content_type = ?, response_body = ?
                    WHERE org_id = ? AND idempotency_key = ?
                    """,
                arguments: [response.status, response.contentType, Data(response.body), organisationID, key])
        }
    }

    /// Frees a claimed key that has no response.
    public func releaseIdempotency(key: String, organisationID: String) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM idempotency_records
                    WHERE org_id = ? AND idempotency_key = ? AND response_status IS NULL
                    """,
                arguments: [organisationID, key])
        }
    }

    /// The stored secret, or `generated` stored now.
    public func serverSecret(named name: String, generated: [UInt8]) async throws -> [UInt8] {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO server_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, Data(generated)])
            let stored = try Data.fetchOne(
                db, sql: "SELECT secret FROM server_secrets WHERE name = ?", arguments: [name])
            return Array(stored ?? Data(generated))
        }
    }

    /// Whether every migration this build knows has been applied.
    public func schemaIsCurrent() async throws -> Bool {
        try await read { db in try Migrations.migrator.hasCompletedMigrations(db) }
    }
}
