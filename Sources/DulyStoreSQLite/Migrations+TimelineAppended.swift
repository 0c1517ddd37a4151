import GRDB

// MARK: - The timeline written at the end of the file

extension Migrations {
    /// The timeline as a table with row ids, appended after every earlier migration (registered by `migrator`).
    static func registerTimelineAppended(_ migrator: inout DatabaseMigrator) {
        // Foreign keys checked as it goes: the deferred check GRDB runs otherwise reads every row of every table
        // afterwards (seconds on a file of a million invoices).
        migrator.registerMigration("v41_timeline_appended", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v41TimelineAppended)
        }
    }

    // The timeline was a table clustered by (organisation, customer, sequence): every new entry went into its
    // customer's pages, so a collection day writing one entry for each of 100,000 customers rewrote (and copied into
    // the write-ahead log, then into the file) nearly every page of the table. Entries now go at the end of the file,
    // in row-id order, and the same key is a unique index: an entry costs an append and an index entry, and the index's
    // pages are small. The writing run on the bench ledger took 6.5-6.8 s instead of 7.6-7.7 s, and the file shrank by
    // a quarter (BENCHMARKS.md, "The collection day at a million invoices"). Existing entries are copied in key order,
    // unchanged: their hashes are over their content, not where they are kept. The triggers that keep the table
    // append-only are the same.
    fileprivate static let v41TimelineAppended = """
        DROP TRIGGER timeline_entries_refuse_update;
        DROP TRIGGER timeline_entries_refuse_delete;
        CREATE TABLE timeline_entries_appended (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            date TEXT NOT NULL CHECK (length(date) = 10),
            recorded_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            details TEXT NOT NULL,
            previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        );
        INSERT INTO timeline_entries_appended
            (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
        SELECT org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash
        FROM timeline_entries ORDER BY org_id, customer_id, sequence;
        DROP TABLE timeline_entries;
        ALTER TABLE timeline_entries_appended RENAME TO timeline_entries;
        CREATE UNIQUE INDEX timeline_entries_key ON timeline_entries (org_id, customer_id, sequence);
        CREATE TRIGGER timeline_entries_refuse_update
        BEFORE UPDATE ON timeline_entries
        BEGIN
            SELECT RAISE(ABORT, 'timeline entries are append-only: UPDATE refused');
        END;
        CREATE TRIGGER timeline_entries_refuse_delete
        BEFORE DELETE ON timeline_entries
        WHEN NOT EXISTS (SELECT 1 FROM organisation_erasures WHERE org_id = OLD.org_id)
        BEGIN
            SELECT RAISE(ABORT, 'timeline entries are append-only: DELETE refused');
        END;
        """
}
