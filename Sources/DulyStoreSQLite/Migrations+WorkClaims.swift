import GRDB

// MARK: - Work shared by several nodes

extension Migrations {
    /// Issue 13's claims of shared work, appended after every earlier migration (registered by `migrator`).
    static func registerWorkClaims(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v39_work_claims") { db in
            try db.execute(sql: v39WorkClaims)
        }
    }

    // The collection day's runs, each cut into batches of customers that nodes claim a few at a time
    // (`CollectionRunStore`): a batch's row is deleted once written, so the rows left are the work left. At most one
    // run per organisation is open. And the customers whose due messages a deliverer holds (`DeliveryClaimStore`).
    // Claims lapse at `lease_expires` (Unix seconds).
    fileprivate static let v39WorkClaims = """
        CREATE TABLE collection_runs (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            run INTEGER NOT NULL,
            as_of TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            customers INTEGER NOT NULL,
            selected INTEGER NOT NULL,
            batches INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'finished', 'replaced')),
            PRIMARY KEY (org_id, run)
        );
        CREATE UNIQUE INDEX collection_runs_open ON collection_runs (org_id) WHERE state = 'open';
        CREATE TABLE collection_run_batches (
            org_id TEXT NOT NULL,
            run INTEGER NOT NULL,
            batch INTEGER NOT NULL,
            customer_ids TEXT NOT NULL,
            holder TEXT,
            lease_expires INTEGER,
            PRIMARY KEY (org_id, run, batch),
            FOREIGN KEY (org_id, run) REFERENCES collection_runs (org_id, run) ON DELETE CASCADE
        );
        CREATE TABLE delivery_claims (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            holder TEXT NOT NULL,
            lease_expires INTEGER NOT NULL,
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id) ON DELETE CASCADE
        );
        """
}
