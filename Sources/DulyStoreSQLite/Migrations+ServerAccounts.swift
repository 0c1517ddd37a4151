import GRDB

// MARK: - Server accounts: users, memberships, API tokens, idempotency records

extension Migrations {
    /// Issue 12's first slice, appended after every earlier migration (registered by `migrator`).
    static func registerServerAccounts(_ migrator: inout DatabaseMigrator) {
        // New tables only: no existing row to check, so the deferred foreign-key pass over every table is skipped.
        migrator.registerMigration("v24_server_accounts", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v24ServerAccounts)
        }
    }

    // A user is one person, known by email (kept in lower case, so that one address is one user); a membership
    // gives the user one role in one organisation, and a user may have several. A token belongs to a membership:
    // removing the membership takes its tokens' power away, and its role is read at each request, so a change of
    // role applies at once. Only the SHA-256 of a token's secret is kept. An idempotency record keeps the response
    // to a POST by key (`response_status` NULL while the request is being answered), per organisation. A server
    // secret is made once by the first server that needs it and shared by every node through the database.
    fileprivate static let v24ServerAccounts = """
        CREATE TABLE users (
            email TEXT NOT NULL PRIMARY KEY CHECK (email <> '' AND email = lower(email)),
            password_hash TEXT NOT NULL CHECK (password_hash <> '')
        ) WITHOUT ROWID;

        CREATE TABLE memberships (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            email TEXT NOT NULL REFERENCES users (email),
            role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'collector', 'viewer')),
            PRIMARY KEY (org_id, email)
        ) WITHOUT ROWID;

        CREATE INDEX memberships_by_user ON memberships (email);

        CREATE TABLE api_tokens (
            secret_hash TEXT NOT NULL PRIMARY KEY CHECK (length(secret_hash) = 64),
            org_id TEXT NOT NULL,
            email TEXT NOT NULL,
            name TEXT NOT NULL CHECK (name <> ''),
            created_at TEXT NOT NULL,
            UNIQUE (org_id, name),
            FOREIGN KEY (org_id, email) REFERENCES memberships (org_id, email) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE idempotency_records (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            idempotency_key TEXT NOT NULL CHECK (idempotency_key <> ''),
            request_hash TEXT NOT NULL,
            response_status INTEGER,
            response_content_type TEXT,
            response_body BLOB,
            PRIMARY KEY (org_id, idempotency_key)
        ) WITHOUT ROWID;

        CREATE TABLE server_secrets (
            name TEXT NOT NULL PRIMARY KEY,
            secret BLOB NOT NULL CHECK (length(secret) >= 32)
        ) WITHOUT ROWID;
        """
}
