import GRDB

// MARK: - The worklist, a page at a time

extension Migrations {
    /// Issue 12's worklist at scale, appended after every earlier migration (registered by `migrator`).
    static func registerWorklist(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v32_worklist") { db in
            try db.execute(sql: v32Worklist)
        }
    }

    // The worklist's first page must cost its own rows, not the ledger's (README, "Serving the API"):
    // - `held`: the escalations the collection day held back for a person (no contact made yet, a rejection
    //   standing, the last resort not met), written with the customer's review, as JSON triples of invoice, step
    //   and reason; NULL when there are none, which is nearly always, so the partial index stays small.
    // - `actions_for_people`: the actions that can need a person (approvals, failures, skipped steps, calls and
    //   meetings to make), so that the thousands of emails a day plans are never walked to find them.
    // - `disputes_by_opening`: open disputes oldest first.
    // The reviews are cleared of their settings, so the next run looks at every account and writes its holds.
    fileprivate static let v32Worklist = """
        ALTER TABLE customer_reviews ADD COLUMN held TEXT CHECK (held IS NULL OR json_valid(held));
        CREATE INDEX customer_reviews_held ON customer_reviews (org_id, customer_id) WHERE held IS NOT NULL;
        CREATE INDEX actions_for_people ON actions (org_id, id)
        WHERE status IN ('awaiting_approval', 'failed', 'skipped')
            OR (status IN ('planned', 'approved') AND channel IN ('call', 'meeting'));
        CREATE INDEX disputes_by_opening ON disputes (org_id, opened_on, dispute_id);
        DELETE FROM review_settings;
        """
}
