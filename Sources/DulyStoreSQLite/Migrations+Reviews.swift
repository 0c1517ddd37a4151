import GRDB

// MARK: - Reviews: which accounts the collection day must look at

extension Migrations {
    /// Issue 10's incremental collection day, appended after every earlier migration (registered by `migrator`).
    static func registerReviews(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20_customer_reviews") { db in
            try db.execute(sql: v20CustomerReviews)
        }
    }

    // When each customer's account next needs the collection day: the day the planner said (`next_review`), or at
    // once after any change (every timeline entry marks it, `changes` counting the marks), or never until a change
    // (NULL). A run writes a review only when `changes` is still what it read, so a change made while the run
    // planned is never lost. `review_settings` keeps what the reviews were computed under (the planner's
    // fingerprint: playbook and calendar) and the last run's day: a run under other settings, or for an earlier
    // day, looks at every account. Every existing customer starts due.
    fileprivate static let v20CustomerReviews = """
        CREATE TABLE customer_reviews (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            next_review TEXT CHECK (next_review IS NULL OR length(next_review) = 10),
            changes INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        CREATE INDEX customer_reviews_due ON customer_reviews (org_id, next_review) WHERE next_review IS NOT NULL;
        INSERT INTO customer_reviews (org_id, customer_id, next_review)
        SELECT org_id, customer_id, '0001-01-01' FROM customers ORDER BY org_id, customer_id;
        CREATE TABLE review_settings (
            org_id TEXT NOT NULL PRIMARY KEY REFERENCES organisations (org_id),
            fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
            last_run TEXT NOT NULL CHECK (length(last_run) = 10)
        ) WITHOUT ROWID;
        """
}
