import GRDB

// MARK: - Payment providers' endpoint secrets

extension Migrations {
    /// Issue 12's third slice, appended after every earlier migration (registered by `migrator`).
    static func registerAPIRecords(_ migrator: inout DatabaseMigrator) {
        // A new table only: no existing row to check.
        migrator.registerMigration("v29_api_records", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v29APIRecords)
        }
    }

    // The secret a payment provider (Stripe) signs an organisation's events with; the provider makes it up, an owner
    // sets it. The events themselves need no table: each is recorded as a bank credit keyed by the provider's
    // payment id (`bank_credits`), which makes a redelivery a no-op.
    fileprivate static let v29APIRecords = """
        CREATE TABLE payment_provider_secrets (
            org_id TEXT NOT NULL REFERENCES organisations (org_id) ON DELETE CASCADE,
            provider TEXT NOT NULL CHECK (provider IN ('stripe')),
            secret TEXT NOT NULL CHECK (length(secret) >= 8),
            set_at TEXT NOT NULL,
            PRIMARY KEY (org_id, provider)
        ) WITHOUT ROWID;
        """
}
