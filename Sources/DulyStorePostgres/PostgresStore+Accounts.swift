import DulyCore
import DulyStore
import NIOCore
import PostgresNIO

extension PostgresStore: AccountStore {
    /// Creates the user or replaces its password hash, and gives it `role` in the organisation.
    public func addMember(
        email: String, passwordHash: String?, organisationID: String, role: Role
    ) async throws -> Bool {
        let email = email.lowercased()
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            let created: Bool
            if let passwordHash {
                // `xmax = 0` holds for a row this statement inserted, not one it updated: of two requests adding
                // the same new user at once, exactly one says it created it.
                let row = try await connection.row(
                    """
                    INSERT INTO users (email, password_hash) VALUES (\(email), \(passwordHash))
                    ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash
                    RETURNING (xmax = 0) AS created
                    """, logger: logger)
                created = try row?.value("created", as: Bool.self) ?? false
            } else {
                guard try await connection.row("SELECT 1 FROM users WHERE email = \(email)", logger: logger) != nil
                else { throw StoreError.invalid("a new user needs a password") }
                created = false
            }
            try await connection.execute(
                """
                INSERT INTO memberships (org_id, email, role) VALUES (\(organisationID), \(email), \(role.rawValue))
                ON CONFLICT (org_id, email) DO UPDATE SET role = excluded.role
                """, logger: logger)
            return created
        }
    }

    /// The user's role in the organisation, nil when not a member.
    public func role(email: String, organisationID: String) async throws -> Role? {
        let email = email.lowercased()
        let logger = self.logger
        return try await read { connection in
            let row = try await connection.row(
                "SELECT role FROM memberships WHERE org_id = \(organisationID) AND email = \(email)", logger: logger)
            return try row.map { try Decode.value(try $0.value("role", as: String.self), as: Role.self) }
        }
    }

    /// The stored bcrypt hash of a user's password.
    public func passwordHash(email: String) async throws -> String? {
        let email = email.lowercased()
        let logger = self.logger
        return try await read { connection in
            try await connection.row("SELECT password_hash FROM users WHERE email = \(email)", logger: logger)
                .map { try $0.value("password_hash", as: String.self) }
        }
    }

    /// Stores a token by the hash of its secret, for a member of the organisation.
    public func createToken(
        name: String, secretHash: String, email: String, organisationID: String, createdAt: String
    ) async throws {
        let email = email.lowercased()
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            guard
                try await connection.row(
                    "SELECT 1 FROM memberships WHERE org_id = \(organisationID) AND email = \(email)", logger: logger)
                    != nil
            else {
                throw StoreError.invalid(
                    "'\(email)' is not a member of organisation '\(organisationID)': add them with `duly user add`")
            }
            // The name's uniqueness is the insert's own test, so that of two tokens named alike at once one is
            // refused as a conflict rather than failing on the index.
            let inserted = try await connection.row(
                """
                INSERT INTO api_tokens (secret_hash, org_id, email, name, created_at)
                VALUES (\(secretHash), \(organisationID), \(email), \(name), \(createdAt))
                ON CONFLICT (org_id, name) DO NOTHING
                RETURNING 1 AS inserted
                """, logger: logger)
            guard inserted != nil else { throw StoreError.conflict(kind: "token", key: name, field: "name") }
        }
    }

    /// Who a token speaks for, with the role its user has now.
    public func tokenIdentity(secretHash: String) async throws -> TokenIdentity? {
        let logger = self.logger
        return try await read { connection in
            guard
                let row = try await connection.row(
                    """
                    SELECT t.org_id, t.email, m.role, t.name FROM api_tokens t
                    JOIN memberships m ON m.org_id = t.org_id AND m.email = t.email
                    WHERE t.secret_hash = \(secretHash)
                    """, logger: logger)
            else { return nil }
            return TokenIdentity(
                organisationID: try row.value("org_id"), email: try row.value("email"),
                role: try Decode.value(try row.value("role", as: String.self)), tokenName: try row.value("name"))
        }
    }

    // MARK: - Idempotency

    /// Claims a key for a request, or says how it was answered before (`IdempotencyRule`).
    ///
    /// Insert or find: a new key is inserted (`ON CONFLICT DO NOTHING`), so that of two requests with one key only
    /// the one whose insert lands wins; the other waits for its commit and finds its row, which it then holds
    /// `FOR UPDATE` while deciding, so that two take-overs of an abandoned claim never both succeed either.
    public func claimIdempotency(
        key: String, requestHash: String, organisationID: String, at now: Int64
    ) async throws -> IdempotencyClaim {
        let logger = self.logger
        return try await write { connection in
            // Forgotten records go first, so that the table holds a day's keys and no more.
            try await connection.execute(
                """
                DELETE FROM idempotency_records
                WHERE org_id = \(organisationID) AND claimed_at <= \(now - IdempotencyRule.keptSeconds)
                """, logger: logger)
            // A found row can vanish before it is locked (released, or forgotten by another claim); then the key
            // is new again and the insert is tried once more.
            for _ in 0..<3 {
                let inserted = try await connection.row(
                    """
                    INSERT INTO idempotency_records (org_id, idempotency_key, request_hash, claimed_at)
                    VALUES (\(organisationID), \(key), \(requestHash), \(now))
                    ON CONFLICT (org_id, idempotency_key) DO NOTHING
                    RETURNING 1 AS inserted
                    """, logger: logger)
                if inserted != nil { return .claimed }
                guard
                    let row = try await connection.row(
                        """
                        SELECT request_hash, response_status, response_content_type, response_body, claimed_at
                        FROM idempotency_records WHERE org_id = \(organisationID) AND idempotency_key = \(key)
                        FOR UPDATE
                        """, logger: logger)
                else { continue }
                let response = try row.optional("response_status", as: Int.self).map { status in
                    StoredResponse(
                        status: status, contentType: try row.optional("response_content_type") ?? "",
                        body: (try row.optional("response_body", as: ByteBuffer.self)).map {
                            Array($0.readableBytesView)
                        }
                            ?? [])
                }
                let stored = (
                    requestHash: try row.value("request_hash", as: String.self), response: response,
                    claimedAt: try row.value("claimed_at", as: Int64.self)
                )
                switch IdempotencyRule.decide(stored: stored, requestHash: requestHash, now: now) {
                case .answer(let claim):
                    return claim
                case .claimAfresh:
                    try await connection.execute(
                        """
                        UPDATE idempotency_records SET request_hash = \(requestHash), claimed_at = \(now),
                            response_status = NULL, response_content_type = NULL, response_body = NULL
                        WHERE org_id = \(organisationID) AND idempotency_key = \(key)
                        """, logger: logger)
                case .takeOver:
                    try await connection.execute(
                        """
                        UPDATE idempotency_records SET claimed_at = \(now)
                        WHERE org_id = \(organisationID) AND idempotency_key = \(key)
                        """, logger: logger)
                }
                return .claimed
            }
            throw StoreError.backend("the idempotency key '\(key)' kept changing while it was claimed")
        }
    }

    /// Keeps the response to a claimed key.
    public func finishIdempotency(key: String, response: StoredResponse, organisationID: String) async throws {
        let logger = self.logger
        try await write { connection in
            try await connection.execute(
                """
                UPDATE idempotency_records SET response_status = \(response.status),
                    response_content_type = \(response.contentType), response_body = \(ByteBuffer(bytes: response.body))
                WHERE org_id = \(organisationID) AND idempotency_key = \(key)
                """, logger: logger)
        }
    }

    /// Frees a claimed key that has no response.
    public func releaseIdempotency(key: String, organisationID: String) async throws {
        let logger = self.logger
        try await write { connection in
            try await connection.execute(
                """
                DELETE FROM idempotency_records
                WHERE org_id = \(organisationID) AND idempotency_key = \(key) AND response_status IS NULL
                """, logger: logger)
        }
    }

    /// The stored secret, or `generated` stored now: inserted unless one is there, then read, so that nodes asking
    /// at once all get the one that landed first.
    public func serverSecret(named name: String, generated: [UInt8]) async throws -> [UInt8] {
        let logger = self.logger
        return try await write { connection in
            try await connection.execute(
                """
                INSERT INTO server_secrets (name, secret) VALUES (\(name), \(ByteBuffer(bytes: generated)))
                ON CONFLICT (name) DO NOTHING
                """, logger: logger)
            let stored = try await connection.row(
                "SELECT secret FROM server_secrets WHERE name = \(name)", logger: logger)
            return try stored.map { Array(try $0.value("secret", as: ByteBuffer.self).readableBytesView) } ?? generated
        }
    }

    /// Whether every migration in `PostgresSchema.migrations` has been applied (a newer build's as well is fine).
    public func schemaIsCurrent() async throws -> Bool {
        let logger = self.logger
        return try await read { connection in
            // A database never migrated has no ledger table: not current, rather than an error.
            let ledger = try await connection.row(
                "SELECT to_regclass(\(PostgresSchema.ledgerTable)) IS NOT NULL AS present", logger: logger)
            guard try ledger?.value("present", as: Bool.self) == true else { return false }
            let applied = Set(
                try await connection.rows(
                    "SELECT name FROM \(unescaped: PostgresSchema.ledgerTable)", logger: logger
                ).map { try $0.value("name", as: String.self) })
            return PostgresSchema.migrations.allSatisfy { applied.contains($0.name) }
        }
    }
}
