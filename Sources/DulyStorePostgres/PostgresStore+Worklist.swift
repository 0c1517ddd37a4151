import DulyCore
import DulyStore
import PostgresNIO

// The worklist's pages (`CollectorStore.worklistActions`, `heldEscalations`, `openDisputes`), each read through an
// index made for it (`actions_for_people`, `customer_reviews_held`, `disputes_by_opening`), so that a page costs its
// own rows, not the organisation's. Their cursors walk the index's own order (the database's collation for ids, which
// is SQLite's byte order on a database created with the C collation), not `COLLATE "C"`, which no index would serve.
extension PostgresStore {
    public func worklistActions(
        organisationID: String, on date: LocalDate, after: Int64?, limit: Int
    ) async throws -> [WorklistAction] {
        let logger = self.logger
        return try await read { connection in
            // Two streams merged by row id: the actions that can need a person (the partial index's condition, word
            // for word), with their hold if any; and the other messages whose delivery is held. No action is in both.
            // The cursor is an action's number; the page walks row ids, in the same order within an organisation.
            var afterRow: Int64 = 0
            if let after {
                afterRow =
                    try await connection.row(
                        "SELECT id FROM actions WHERE org_id = \(organisationID) AND number = \(after)", logger: logger
                    )?.value("id", as: Int64.self) ?? 0
            }
            let columns = Self.prefixedActionColumns
            let rows = try await connection.rows(
                """
                SELECT a.id AS row_id, \(unescaped: columns),
                    (SELECT h.reason FROM delivery_holds h WHERE h.org_id = a.org_id AND h.action_id = a.id)
                        AS hold_reason
                FROM actions a
                WHERE a.org_id = \(organisationID) AND a.id > \(afterRow)
                    AND (a.status IN ('awaiting_approval', 'failed', 'skipped')
                        OR (a.status IN ('planned', 'approved') AND a.channel IN ('call', 'meeting')))
                    AND (a.status <> 'skipped' OR a.date > \(date.adding(days: -7)))
                UNION ALL
                SELECT a.id AS row_id, \(unescaped: columns), h.reason AS hold_reason
                FROM delivery_holds h
                JOIN actions a ON a.org_id = h.org_id AND a.id = h.action_id
                WHERE h.org_id = \(organisationID) AND h.action_id > \(afterRow) AND a.status IN ('planned', 'approved')
                    AND a.channel NOT IN ('call', 'meeting')
                ORDER BY 1 LIMIT \(limit)
                """, logger: logger)
            let steps = try await Self.steps(
                ofActions: try rows.map { try $0.value("number") }, organisationID, connection, logger: logger)
            return try rows.map { row in
                WorklistAction(
                    stored: try Self.storedAction(from: row, steps: steps[try row.value("number")] ?? []),
                    holdReason: try row.optional("hold_reason"))
            }
        }
    }

    public func heldEscalations(
        organisationID: String, from customerID: String?, limit: Int
    ) async throws -> [Deferral] {
        let logger = self.logger
        return try await read { connection in
            var held: [Deferral] = []
            // Whole customers, `limit` at a time (each holds at least one as a rule), until `limit` are read.
            var from = customerID ?? ""
            var inclusive = true
            while held.count < limit {
                let rows = try await connection.rows(
                    """
                    SELECT customer_id, held FROM customer_reviews
                    WHERE org_id = \(organisationID) AND held IS NOT NULL
                        AND (customer_id > \(from) OR (\(inclusive) AND customer_id = \(from)))
                    ORDER BY customer_id LIMIT \(max(limit, 1))
                    """, logger: logger)
                for row in rows where held.count < limit {
                    let customer = try row.value("customer_id", as: String.self)
                    held += try HeldEscalations.deferrals(try row.value("held"), customerID: customer)
                }
                guard rows.count == max(limit, 1), let last = rows.last else { break }
                from = try last.value("customer_id")
                inclusive = false
            }
            return held
        }
    }

    public func openDisputes(
        organisationID: String, on date: LocalDate, after: DisputePageKey?, limit: Int
    ) async throws -> [CustomerDispute] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.disputeColumns) FROM disputes
                WHERE org_id = \(organisationID) AND opened_on <= \(date)
                    AND (resolved_on IS NULL OR resolved_on > \(date))
                    AND (\(after == nil) OR (opened_on, dispute_id) > (\(after?.openedOn), \(after?.id)))
                ORDER BY opened_on, dispute_id LIMIT \(limit)
                """, logger: logger)
            var currencies = CurrencyCache()
            return try rows.map { row in
                CustomerDispute(
                    customerID: try row.value("customer_id"),
                    dispute: try Self.dispute(from: row, &currencies))
            }
        }
    }

    /// `ActionColumns.names` read from `actions a`, for queries that join.
    static let prefixedActionColumns = ActionColumns.names.map { "a." + $0 }.joined(separator: ", ")
}
