import DulyCore
import DulyStore
import Logging
import PostgresNIO

// Reading stored actions from rows, for the delivery and worklist reads (the SQLite store's `storedAction(from:steps:)`
// and `steps(ofActions:)`).
enum PostgresActionRows {
    /// The columns `storedAction(from:steps:)` reads, by name.
    static let columnNames = [
        "number", "customer_id", "date", "channel", "stage", "step_id", "template", "requires_approval", "escalates_to",
        "status", "note", "idempotency_key", "window_time_zone", "window_start_hour", "window_end_hour", "offer_minor",
        "offer_currency", "offer_deadline", "offer_share", "playbook_version",
    ]

    /// `columnNames` read from `actions a`, for queries that join.
    static let prefixedColumns = columnNames.map { "a." + $0 }.joined(separator: ", ")

    /// Reads an action from a row that selects `columnNames`, by column name.
    static func storedAction(from row: PostgresRandomAccessRow, steps: [InvoiceStep]) throws -> StoredAction {
        var window: DeliveryWindow?
        if let timeZone = try row.optional("window_time_zone", as: String.self),
            let start = try row.optional("window_start_hour", as: Int.self),
            let end = try row.optional("window_end_hour", as: Int.self)
        {
            window = DeliveryWindow(timeZone: timeZone, startHour: start, endHour: end)
        }
        var offer: SettlementOffer?
        if let minor = try row.optional("offer_minor", as: Int.self),
            let currency = try row.optional("offer_currency", as: String.self),
            let deadline = try row.optional("offer_deadline", as: LocalDate.self),
            let share = try row.optional("offer_share", as: Int.self)
        {
            offer = SettlementOffer(
                amount: try Decode.money(minor, currency), deadline: deadline, shareBasisPoints: share)
        }
        let action = PlannedAction(
            customerID: try row.value("customer_id"), date: try row.value("date"),
            channel: try Decode.value(try row.value("channel")), stage: try Decode.value(try row.value("stage")),
            stepID: try row.value("step_id"), template: try row.value("template"),
            requiresApproval: try row.value("requires_approval"),
            escalatesTo: try row.optional("escalates_to", as: String.self).map { try Decode.value($0) },
            steps: steps, status: try Decode.value(try row.value("status")), note: try row.optional("note"),
            window: window, idempotencyKey: try row.value("idempotency_key"), offer: offer,
            playbookVersion: try row.optional("playbook_version"))
        return StoredAction(id: try row.value("number"), customerID: action.customerID, action: action)
    }

    /// The invoice steps of some actions, keyed by the actions' numbers, in their order: one query for the lot.
    static func steps(
        ofActions numbers: [Int64], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: [InvoiceStep]] {
        guard !numbers.isEmpty else { return [:] }
        // `json` (not `jsonb`) keeps the object's keys in their written order: the action's order.
        let rows = try await connection.rows(
            """
            SELECT a.number, s.key, s.value FROM actions a,
                json_each_text(a.invoice_steps::json) WITH ORDINALITY AS s (key, value, position)
            WHERE a.org_id = \(organisationID) AND a.number = ANY(\(numbers)::bigint[])
            ORDER BY a.number, s.position
            """, logger: logger)
        var steps: [Int64: [InvoiceStep]] = [:]
        for row in rows {
            steps[try row.value("number", as: Int64.self), default: []].append(
                InvoiceStep(invoiceNumber: try row.value("key"), stepID: try row.value("value")))
        }
        return steps
    }

    /// The actions of these rows (each selecting `columnNames`), with their steps, in the rows' order.
    static func storedActions(
        from rows: [PostgresRandomAccessRow], _ organisationID: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredAction] {
        let numbers = try rows.map { try $0.value("number", as: Int64.self) }
        let steps = try await steps(ofActions: numbers, organisationID, connection, logger: logger)
        return try zip(rows, numbers).map { row, number in try storedAction(from: row, steps: steps[number] ?? []) }
    }
}
