import GRDB

// MARK: - Reviews without an index by date

extension Migrations {
    /// `customer_reviews` without its index by next review, appended after every earlier migration (registered by
    /// `migrator`).
    static func registerReviewsUnindexed(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v44_reviews_unindexed") { db in
            try db.execute(sql: "DROP INDEX customer_reviews_due")
        }
    }
    // `customer_reviews_due` (organisation, next review) served one query: the customers a run looks at
    // (`customersToReview`). That query also looks for the organisation's customers without a review, which reads
    // every one of its customers, so it takes the same time reading the reviews by their key (48 ms for 100,000
    // customers either way). The index cost every review written: the collection day writes one for each account it
    // plans, moving its entry from one date to another, and every timeline entry marks its customer due. Without it
    // 100,000 reviews are written in 0.25 s instead of 0.41 s (`scripts/bench_indexes.py`; BENCHMARKS.md, "The
    // writer keeps a core").
    // PostgreSQL keeps its index.
}
