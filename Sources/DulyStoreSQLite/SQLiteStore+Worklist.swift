import DulyCore
import DulyStore
import GRDB

// The worklist's pages (`CollectorStore.worklistActions`, `heldEscalations`, `openDisputes`), each read through an
// index made for it in migration v32, so that the first page costs the same with ten customers or a hundred
// thousand.
extension SQLiteStore {
    public func worklistActions(
        organisationID: String, on date: LocalDate, after: Int64?, limit: Int
    ) async throws -> [WorklistAction] {
        try await read { db in
            // Two sorted streams merged by id: the actions that can need a person (their condition is the partial
            // index's, word for word, so SQLite reads that index), with their hold if any; and the other messages
            // whose delivery is held. No action is in both.
            // The cursor is an action's number; the streams walk rows, in the same order within an organisation, and
            // are sorted by row id (the first column), the partial index's own order: sorted by number, SQLite would
            // sort every matching action for each page (30 ms instead of 1 ms on the benchmark's 97,298 calls).
            let afterRow =
                try after.flatMap {
                    try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT id FROM actions WHERE org_id = ? AND number = ?"),
                        arguments: [organisationID, $0])
                } ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.id AS row_id, \(SQLiteStore.prefixedActionColumns),
                            (SELECT h.reason FROM delivery_holds h WHERE h.org_id = a.org_id AND h.action_id = a.id)
                                AS hold_reason
                        FROM actions a
                        WHERE a.org_id = ?1 AND a.id > ?2
                            AND (a.status = 'awaiting_approval' OR a.status = 'failed' OR a.status = 'skipped'
                                OR (a.status IN ('planned', 'approved') AND a.channel IN ('call', 'meeting')))
                            AND (a.status <> 'skipped' OR a.date > ?3)
                        UNION ALL
                        SELECT a.id AS row_id, \(SQLiteStore.prefixedActionColumns), h.reason AS hold_reason
                        FROM delivery_holds h
                        JOIN actions a ON a.org_id = h.org_id AND a.id = h.action_id
                        WHERE h.org_id = ?1 AND h.action_id > ?2 AND a.status IN ('planned', 'approved')
                            AND a.channel NOT IN ('call', 'meeting')
                        ORDER BY 1 LIMIT ?4
                        """),
                arguments: [organisationID, afterRow, date.adding(days: -7).description, limit])
            let stored = try SQLiteStore.storedActions(from: rows, organisationID, db)
            return zip(stored, rows).map { WorklistAction(stored: $0, holdReason: $1["hold_reason"]) }
        }
    }

    public func heldEscalations(
        organisationID: String, from customerID: String?, limit: Int
    ) async throws -> [Deferral] {
        try await read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT customer_id, held FROM customer_reviews
                        WHERE org_id = ? AND held IS NOT NULL AND customer_id >= ? ORDER BY customer_id
                        """),
                arguments: [organisationID, customerID ?? ""])
            var held: [Deferral] = []
            while held.count < limit, let row = try rows.next() {
                let customer: String = row["customer_id"]
                held += try HeldEscalations.deferrals(row["held"], customerID: customer)
            }
            return held
        }
    }

    public func openDisputes(
        organisationID: String, on date: LocalDate, after: DisputePageKey?, limit: Int
    ) async throws -> [CustomerDispute] {
        try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(SQLiteStore.disputeColumns) FROM disputes
                        WHERE org_id = ?1 AND opened_on <= ?2 AND (resolved_on IS NULL OR resolved_on > ?2)
                            AND (opened_on, dispute_id) > (?3, ?4)
                        ORDER BY opened_on, dispute_id LIMIT ?5
                        """),
                arguments: [
                    organisationID, date.description, after?.openedOn.description ?? "", after?.id ?? "", limit,
                ])
            var currencies = CurrencyCache()
            return try rows.map { row in
                CustomerDispute(
                    customerID: row["customer_id"], dispute: try SQLiteStore.dispute(from: row, &currencies))
            }
        }
    }

    // `actionColumns` read from `actions a`, for queries that join.
    static let prefixedActionColumns = actionColumns.split(separator: ",")
        .map { "a." + $0.filter { !$0.isWhitespace } }.joined(separator: ", ")
}
