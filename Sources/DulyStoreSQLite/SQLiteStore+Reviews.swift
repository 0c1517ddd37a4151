import DulyCore
import DulyStore
import GRDB

// The collection day's reviews (README, "The collection day"): which customers a run looks at, and what it records
// about each one it looked at. The table is `customer_reviews` (migration v20); `TimelineAppender` marks a customer
// due with every entry it appends.
extension SQLiteStore {
    public func customersToReview(
        organisationID: String, on date: LocalDate, fingerprint: String
    ) async throws -> ReviewSelection {
        try await read { db in
            try SQLiteStore.customersToReview(organisationID, on: date, fingerprint: fingerprint, db)
        }
    }

    // The selection, in whichever transaction the caller holds (a run begins with it).
    static func customersToReview(
        _ organisationID: String, on date: LocalDate, fingerprint: String, _ db: Database
    ) throws -> ReviewSelection {
        try SQLiteStore.requireOrganisation(db, organisationID)
        let customers =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM customers WHERE org_id = ?", arguments: [organisationID]) ?? 0
        let settings = try Row.fetchOne(
            db, sql: "SELECT fingerprint, last_run FROM review_settings WHERE org_id = ?",
            arguments: [organisationID])
        let lastRun: String? = settings?["last_run"]
        let sameSettings = settings?["fingerprint"] == fingerprint && lastRun.map { $0 <= date.description } == true
        // Reviews computed under other settings, or for a later day, say nothing about this run: all of them.
        let ids =
            sameSettings
            ? try String.fetchAll(
                db,
                sql: """
                    SELECT customer_id FROM customer_reviews WHERE org_id = ?1 AND next_review <= ?2
                    UNION
                    -- A customer written without a timeline entry has no review yet: due at once.
                    SELECT c.customer_id FROM customers c
                    WHERE c.org_id = ?1 AND NOT EXISTS (
                        SELECT 1 FROM customer_reviews r WHERE r.org_id = c.org_id AND r.customer_id = c.customer_id)
                    ORDER BY 1
                    """,
                arguments: [organisationID, date.description])
            : try String.fetchAll(
                db, sql: "SELECT customer_id FROM customers WHERE org_id = ? ORDER BY customer_id",
                arguments: [organisationID])
        return ReviewSelection(customerIDs: ids, customers: customers)
    }

    public func accountsForReview(organisationID: String, customerIDs: [String]) async throws -> [ReviewedAccount] {
        guard !customerIDs.isEmpty else { return [] }
        return try await read { db in
            // Decoded as the cursor steps, without copying each row, its columns looked up once.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(SQLiteStore.customerColumns(prefix: "c.")), coalesce(r.changes, 0) AS review_changes
                    FROM customers c
                    LEFT JOIN customer_reviews r ON r.org_id = c.org_id AND r.customer_id = c.customer_id
                    WHERE c.org_id = ? AND c.customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY c.customer_id
                    """)
            let column = ColumnPositions(statement)
            let (columns, reviewChanges) = (try CustomerPositions(column), try column("review_changes"))
            let rows = try Row.fetchCursor(statement, arguments: [organisationID, JSONText.encode(customerIDs)])
            var accounts: [Account] = []
            var changes: [Int64] = []
            while let row = try rows.next() {
                accounts.append(Account(customer: try SQLiteStore.customer(from: row, at: columns)))
                changes.append(row[reviewChanges])
            }
            try SQLiteStore.completeAccounts(&accounts, organisationID, db)
            return zip(accounts, changes).map { ReviewedAccount(account: $0, changes: $1) }
        }
    }

    // A batch's reviews, after its actions and their timeline entries (which mark nothing for these customers): each
    // written only if the account's change count is still what the run read.
    static func writeReviews(_ reviews: [CustomerReview], _ organisationID: String, _ db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO customer_reviews (org_id, customer_id, next_review, changes, held) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (org_id, customer_id) DO UPDATE SET next_review = excluded.next_review, held = excluded.held
                WHERE customer_reviews.changes = excluded.changes
                """)
        // Bound value by value: a run writes a review for each of up to a hundred thousand customers.
        upsert.startRawBinding()
        for review in reviews {
            upsert.nextRow()
            upsert.bind(organisationID, at: 1)
            upsert.bind(review.customerID, at: 2)
            upsert.bind(review.nextReview?.description, at: 3)
            upsert.bind(Int(review.changes), at: 4)
            upsert.bind(HeldEscalations.column(review.held), at: 5)
            try upsert.execute()
        }
    }
}
