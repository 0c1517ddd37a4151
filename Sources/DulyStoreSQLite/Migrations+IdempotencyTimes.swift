import GRDB

// MARK: - When idempotency keys were claimed

extension Migrations {
    /// Issue 12's idempotency keys that expire, appended after every earlier migration (registered by `migrator`).
    static func registerIdempotencyTimes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v38_idempotency_times") { db in
            try db.execute(sql: v38IdempotencyTimes)
        }
    }

    // When each key was claimed (Unix seconds), so that a key is forgotten after a day and a claim left unanswered
    // by a server that stopped mid-request can be taken over (`IdempotencyRule`). Records from before have 0: they
    // are forgotten at the next claim, as day-old records are.
    fileprivate static let v38IdempotencyTimes = """
        ALTER TABLE idempotency_records ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX idempotency_records_by_age ON idempotency_records (org_id, claimed_at);
        """
}
