import GRDB

// MARK: - The client portal

extension Migrations {
    /// The client portal's revocations (issue 14), appended after every earlier migration (registered by
    /// `migrator`).
    static func registerPortal(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v33_portal") { db in
            try db.execute(sql: v33Portal)
        }
    }

    // One row per customer whose portal links were revoked: links issued on or before `revoked_on` are void. A
    // later revocation moves the day on; the history stays on the timeline.
    fileprivate static let v33Portal = """
        CREATE TABLE portal_revocations (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            revoked_on TEXT NOT NULL CHECK (length(revoked_on) = 10),
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id) ON DELETE CASCADE
        );
        """
}
