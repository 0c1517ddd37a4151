import GRDB

// MARK: - The contacts' checks without lists

extension Migrations {
    /// The contacts table with its checks spelled out, appended after every earlier migration (registered by
    /// `migrator`).
    static func registerContactsRebuilt(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v46_contacts_rebuilt") { db in
            try db.execute(sql: v46ContactsRebuilt)
        }
    }

    // As `v42_actions_rebuilt` found for the actions: SQLite evaluates `x IN ('a', 'b', 'c')` with more than two
    // constants by building a small temporary B-tree of the constants once per statement execution, and a CHECK is
    // evaluated for every row written. Contacts are inserted one by one (an import of 100,000 customers writes
    // 200,000), and the role's and preferred channel's lists cost more than half of each insert: 200,000 contacts
    // took 3.6 s against 1.4 s with the same conditions written as comparisons joined by OR (BENCHMARKS.md, "A first
    // load on two cores"). What they accept is unchanged; the two-value list of `email_bouncing` costs
    // nothing and stays. The rebuild keeps the columns in their order, the rows and the planner's statistics.
    fileprivate static let v46ContactsRebuilt = """
        CREATE TABLE contacts_rebuilt (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            role TEXT NOT NULL CHECK (role = 'billing' OR role = 'primary' OR role = 'senior'),
            name TEXT,
            email TEXT,
            phone TEXT,
            preferred_channel TEXT CHECK (
                preferred_channel = 'email' OR preferred_channel = 'letter' OR preferred_channel = 'call'
                OR preferred_channel = 'meeting' OR preferred_channel = 'sms'),
            email_bouncing INTEGER NOT NULL DEFAULT 0 CHECK (email_bouncing IN (0, 1)),
            opted_out TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (org_id, customer_id, position),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        INSERT INTO contacts_rebuilt (
            org_id, customer_id, position, role, name, email, phone, preferred_channel, email_bouncing, opted_out)
        SELECT org_id, customer_id, position, role, name, email, phone, preferred_channel, email_bouncing, opted_out
        FROM contacts ORDER BY org_id, customer_id, position;
        CREATE TEMP TABLE contact_statistics AS SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'contacts';
        DROP TABLE contacts;
        ALTER TABLE contacts_rebuilt RENAME TO contacts;
        INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT 'contacts', idx, stat FROM temp.contact_statistics;
        DROP TABLE temp.contact_statistics;
        ANALYZE sqlite_schema;
        """
}
