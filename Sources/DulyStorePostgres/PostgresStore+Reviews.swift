import DulyCore
import DulyStore
import Logging
import PostgresNIO

// The collection day's reviews (README, "The collection day"): which customers a run looks at, and what it records
// about each one it looked at. `PostgresTimeline` marks a customer due with every entry it appends.
extension PostgresStore {
    public func customersToReview(
        organisationID: String, on date: LocalDate, fingerprint: String
    ) async throws -> ReviewSelection {
        let logger = self.logger
        return try await read { connection in
            try await Self.customersToReview(
                organisationID, on: date, fingerprint: fingerprint, connection, logger: logger)
        }
    }

    // The selection, in whichever transaction the caller holds (a run begins with it).
    static func customersToReview(
        _ organisationID: String, on date: LocalDate, fingerprint: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> ReviewSelection {
        guard
            try await connection.row("SELECT 1 FROM organisations WHERE org_id = \(organisationID)", logger: logger)
                != nil
        else { throw StoreError.organisationNotFound(organisationID) }
        let customers =
            try await connection.row(
                "SELECT count(*) AS customers FROM customers WHERE org_id = \(organisationID)", logger: logger
            )?.value("customers", as: Int.self) ?? 0
        let settings = try await connection.row(
            "SELECT fingerprint, last_run FROM review_settings WHERE org_id = \(organisationID)", logger: logger)
        let lastRun: LocalDate? = try settings?.value("last_run")
        let sameSettings =
            try settings?.value("fingerprint", as: String.self) == fingerprint
            && lastRun.map { $0 <= date } == true
        // In id order as SQLite compares ids (bytes), whatever the database's collation.
        // Reviews computed under other settings, or for a later day, say nothing about this run: all of them.
        let rows =
            sameSettings
            ? try await connection.rows(
                """
                SELECT customer_id COLLATE "C" AS customer_id FROM customer_reviews
                WHERE org_id = \(organisationID) AND next_review <= \(date)
                UNION
                -- A customer written without a timeline entry has no review yet: due at once.
                SELECT c.customer_id FROM customers c
                WHERE c.org_id = \(organisationID) AND NOT EXISTS (
                    SELECT 1 FROM customer_reviews r WHERE r.org_id = c.org_id AND r.customer_id = c.customer_id)
                ORDER BY 1
                """, logger: logger)
            : try await connection.rows(
                """
                SELECT customer_id FROM customers WHERE org_id = \(organisationID) ORDER BY customer_id COLLATE "C"
                """,
                logger: logger)
        return ReviewSelection(
            customerIDs: try rows.map { try $0.value("customer_id", as: String.self) }, customers: customers)
    }

    public func accountsForReview(organisationID: String, customerIDs: [String]) async throws -> [ReviewedAccount] {
        guard !customerIDs.isEmpty else { return [] }
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: CustomerColumns.selectList(prefix: "c.")), coalesce(r.changes, 0) AS review_changes
                FROM customers c
                LEFT JOIN customer_reviews r ON r.org_id = c.org_id AND r.customer_id = c.customer_id
                WHERE c.org_id = \(organisationID) AND c.customer_id = ANY(\(customerIDs)::text[])
                ORDER BY c.customer_id COLLATE "C"
                """, logger: logger)
            var accounts = try rows.map { Account(customer: try Self.customer(from: $0)) }
            let changes = try rows.map { try $0.value("review_changes", as: Int64.self) }
            try await Self.completeAccounts(&accounts, organisationID, connection, logger: logger)
            return zip(accounts, changes).map { ReviewedAccount(account: $0, changes: $1) }
        }
    }

    /// A batch's reviews, after its actions and their timeline entries (which mark nothing for these customers): each
    /// written only if the account's change count is still what the run read. The caller holds the customers' locks,
    /// so no entry lands between this check and the commit.
    static func writeReviews(
        _ reviews: [CustomerReview], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !reviews.isEmpty else { return }
        // One statement may not upsert a row twice: a customer reviewed twice in a batch keeps its last review, as
        // one upsert after the other would.
        var last: [String: Int] = [:]
        for (position, review) in reviews.enumerated() { last[review.customerID] = position }
        let unique = reviews.enumerated().filter { last[$0.element.customerID] == $0.offset }.map(\.element)
        let casts = ["text", "text", "date", "bigint", "text"]
        let rowsPerStatement = 1_000
        var start = 0
        while start < unique.count {
            let end = min(start + rowsPerStatement, unique.count)
            var binds = PostgresBindings(capacity: (end - start) * casts.count)
            for review in unique[start..<end] {
                binds.append(organisationID)
                binds.append(review.customerID)
                binds.append(review.nextReview)
                binds.append(review.changes)
                binds.append(HeldEscalations.column(review.held))
            }
            // Placeholders and casts only: every value is bound.
            let query = PostgresQuery(
                unsafeSQL: """
                    INSERT INTO customer_reviews (org_id, customer_id, next_review, changes, held)
                    VALUES \(valuesList(rows: end - start, casts: casts))
                    ON CONFLICT (org_id, customer_id) DO UPDATE SET next_review = excluded.next_review, held = excluded.held
                    WHERE customer_reviews.changes = excluded.changes
                    """, binds: binds)
            try await connection.execute(query, logger: logger)
            start = end
        }
    }
}
