import GRDB

// MARK: - The actions' checks without lists, their keys in customer order

extension Migrations {
    /// The actions table with its checks spelled out and its idempotency keys in customer order, appended after every
    /// earlier migration (registered by `migrator`).
    static func registerActionsRebuilt(_ migrator: inout DatabaseMigrator) {
        // Foreign keys off while the table is rebuilt, checked before the commit (GRDB's default): `deliveries` and
        // `delivery_holds` point at the actions' rows, which a drop with the checks on would refuse to leave.
        migrator.registerMigration("v42_actions_rebuilt") { db in
            try db.execute(sql: v42ActionsRebuilt)
        }
    }

    // Two costs of every action the collection day writes, in a table that can only be rebuilt to change them:
    // - SQLite evaluates `x IN ('a', 'b', 'c')` with more than two constants by building a small temporary B-tree of
    //   the constants, once per statement execution. In a CHECK or a partial index's condition that is once per row
    //   written, and the run inserts each action on its own: five such lists (channel, stage, escalation, status, and
    //   `actions_for_people`'s statuses) cost about half of each insert. The same conditions are written as
    //   comparisons joined by OR, which SQLite evaluates in place; what they accept is unchanged.
    // - The idempotency key is a hash, so its unique index took each new action at a random place: every write
    //   transaction dirtied (and copied into the write-ahead log) pages all over an index that grows with every day's
    //   actions. It is now unique per customer, keyed (organisation, customer, key): a run writes in customer order,
    //   so its keys fill the index in order too. A key hashes its customer's id with the rest (`Planner`), so unique
    //   per customer is unique per organisation.
    // The rebuild keeps the same columns in the same order, the rows with their ids, the AUTOINCREMENT counter (so
    // that no row id is ever given twice, even one whose row was erased), the indexes, and the planner's statistics
    // on them (dropping the table drops them, and without them SQLite picks worse indexes for the run's reads; the
    // key's index gets the shape v2 gives the others). The figures are in BENCHMARKS.md, "The actions table rebuilt".
    // PostgreSQL evaluates such lists in place and keeps its key index as it was.
    fileprivate static let v42ActionsRebuilt = """
        CREATE TABLE actions_rebuilt (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            channel TEXT NOT NULL CHECK (
                channel = 'email' OR channel = 'letter' OR channel = 'call' OR channel = 'meeting' OR channel = 'sms'),
            stage TEXT NOT NULL CHECK (stage = 'pre_due' OR stage = 'delayed' OR stage = 'non_payment'),
            step_id TEXT NOT NULL,
            template TEXT NOT NULL,
            requires_approval INTEGER NOT NULL CHECK (requires_approval IN (0, 1)),
            escalates_to TEXT CHECK (
                escalates_to = 'manager' OR escalates_to = 'senior_contact' OR escalates_to = 'agency'
                OR escalates_to = 'lawyer'),
            status TEXT NOT NULL CHECK (
                status = 'planned' OR status = 'awaiting_approval' OR status = 'approved' OR status = 'sent'
                OR status = 'done' OR status = 'failed' OR status = 'skipped' OR status = 'cancelled'),
            note TEXT,
            idempotency_key TEXT NOT NULL CHECK (idempotency_key <> ''),
            window_time_zone TEXT,
            window_start_hour INTEGER CHECK (window_start_hour BETWEEN 0 AND 23),
            window_end_hour INTEGER CHECK (window_end_hour BETWEEN 1 AND 24),
            decided_by TEXT,
            decided_on TEXT CHECK (length(decided_on) = 10),
            decision_note TEXT,
            offer_minor INTEGER CHECK (offer_minor > 0),
            offer_currency TEXT CHECK (length(offer_currency) = 3),
            offer_deadline TEXT CHECK (length(offer_deadline) = 10),
            offer_share INTEGER CHECK (offer_share > 0 AND offer_share < 10000),
            client_reached INTEGER CHECK (client_reached IN (0, 1)),
            invoice_steps TEXT NOT NULL DEFAULT '{}',
            playbook_version INTEGER CHECK (playbook_version IS NULL OR playbook_version >= 1),
            number INTEGER NOT NULL DEFAULT 0,
            UNIQUE (org_id, customer_id, idempotency_key),
            UNIQUE (org_id, id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        );
        INSERT INTO actions_rebuilt (
            id, org_id, customer_id, date, channel, stage, step_id, template, requires_approval, escalates_to, status,
            note, idempotency_key, window_time_zone, window_start_hour, window_end_hour, decided_by, decided_on,
            decision_note, offer_minor, offer_currency, offer_deadline, offer_share, client_reached, invoice_steps,
            playbook_version, number)
        SELECT
            id, org_id, customer_id, date, channel, stage, step_id, template, requires_approval, escalates_to, status,
            note, idempotency_key, window_time_zone, window_start_hour, window_end_hour, decided_by, decided_on,
            decision_note, offer_minor, offer_currency, offer_deadline, offer_share, client_reached, invoice_steps,
            playbook_version, number
        FROM actions ORDER BY id;
        CREATE TEMP TABLE actions_statistics AS SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'actions';
        DELETE FROM sqlite_sequence WHERE name = 'actions_rebuilt';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'actions_rebuilt', seq FROM sqlite_sequence WHERE name = 'actions';
        DROP TABLE actions;
        ALTER TABLE actions_rebuilt RENAME TO actions;
        CREATE INDEX actions_by_customer ON actions (org_id, customer_id, status);
        CREATE INDEX actions_with_offers ON actions (org_id, customer_id) WHERE offer_minor IS NOT NULL;
        CREATE INDEX actions_for_people ON actions (org_id, id)
        WHERE status = 'awaiting_approval' OR status = 'failed' OR status = 'skipped'
            OR (status IN ('planned', 'approved') AND channel IN ('call', 'meeting'));
        CREATE UNIQUE INDEX actions_by_number ON actions (org_id, number);
        CREATE INDEX actions_awaiting_approval ON actions (org_id, id) WHERE status = 'awaiting_approval';
        INSERT INTO sqlite_stat1 (tbl, idx, stat)
        SELECT 'actions', idx, stat FROM temp.actions_statistics WHERE idx <> 'sqlite_autoindex_actions_1';
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('actions', 'sqlite_autoindex_actions_1', '100000 100000 5 1');
        DROP TABLE temp.actions_statistics;
        ANALYZE sqlite_schema;
        """
}
