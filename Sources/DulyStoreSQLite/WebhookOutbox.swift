import DulyCore
import DulyStore
import GRDB

/// Writes webhook events into the outbox inside the transaction of the change they announce, one delivery per
/// subscriber that wants each, so a rolled-back change announces nothing and a committed one is never lost.
///
/// The organisation's subscribers are read once per outbox (one per transaction): with none, announcing costs a
/// `switch` on the timeline kind and, the first time a kind maps to an event, one indexed probe.
struct WebhookOutbox {
    let organisationID: String
    let recordedAt: String
    // Nil until probed.
    private var subscribers: [(id: Int64, events: Set<WebhookEventType>?)]?

    init(organisationID: String, recordedAt: String) {
        self.organisationID = organisationID
        self.recordedAt = recordedAt
    }

    /// Announces what a timeline entry means to the outside, if anything and if anyone listens. What it announces
    /// is decided in DulyCore (`WebhookAnnouncement.of`); here the records it names are read and the events written.
    mutating func announce(_ event: TimelineEvent, _ db: Database) throws {
        // Cheap checks first: a kind with no public event never touches the database, and one that nobody listens
        // to costs the probe (once per outbox) and no lookup of the data it would carry.
        let possible = WebhookEventType.types(forTimelineKind: event.kind, escalation: true)
        guard !possible.isEmpty else { return }
        _ = try probe(db)
        guard possible.contains(where: wanted) else { return }
        for announcement in WebhookAnnouncement.of(event) {
            guard announcement.possibleTypes(timelineKind: event.kind).contains(where: wanted) else { continue }
            switch announcement {
            case .event(let type, let data):
                try record(type, event, data: data, db)
            case .invoiceCreated(let number):
                guard let data = try invoiceData(number, db) else { continue }
                try record(.invoiceCreated, event, data: data, db)
            case .paymentReceived(let id, let shares):
                try announcePayment(id, shares: shares, customerID: event.customerID, db)
            case .action(let id, let extra):
                guard let action = try actionData(id, extra: extra, db) else { continue }
                for type in WebhookEventType.types(forTimelineKind: event.kind, escalation: action.escalates) {
                    try record(type, event, data: action.data, db)
                }
            case .planRecorded(let id, var data):
                data["instalments"] = try instalments(of: id, db)
                try record(.planRecorded, event, data: .object(data), db)
            }
        }
    }

    /// Whether any subscriber wants `type` (probing once).
    mutating func wants(_ type: WebhookEventType, _ db: Database) throws -> Bool {
        try probe(db).contains { $0.events?.contains(type) ?? true }
    }

    /// Writes one event and a delivery for each subscriber that wants its type; false when nobody does.
    @discardableResult
    mutating func record(
        _ type: WebhookEventType, customerID: String, occurredOn: LocalDate, data: JSONValue, _ db: Database
    ) throws -> Bool {
        let listeners = try probe(db).filter { $0.events?.contains(type) ?? true }
        guard !listeners.isEmpty else { return false }
        let insertEvent = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_events (org_id, number, type, customer_id, occurred_on, recorded_at, data)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        let number = try OrganisationNumbers.takeOne(.webhookEvent, organisationID: organisationID, db)
        try insertEvent.execute(arguments: [
            organisationID, number, type.rawValue, customerID, occurredOn.description, recordedAt, data.text,
        ])
        let eventID = db.lastInsertedRowID
        let insertDelivery = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_deliveries (org_id, event_id, subscriber_id, created_at) VALUES (?, ?, ?, ?)
                """)
        for listener in listeners {
            try insertDelivery.execute(arguments: [organisationID, eventID, listener.id, recordedAt])
        }
        return true
    }

    // MARK: - Probing

    private mutating func probe(_ db: Database) throws -> [(id: Int64, events: Set<WebhookEventType>?)] {
        if let subscribers { return subscribers }
        let statement = try db.cachedStatement(
            sql: "SELECT id, events FROM webhook_subscribers WHERE org_id = ? AND removed_at IS NULL ORDER BY id")
        let found = try Row.fetchAll(statement, arguments: [organisationID]).map { row in
            (id: row["id"] as Int64, events: WebhookEventsColumn.events(from: row["events"]))
        }
        subscribers = found
        return found
    }

    private func wanted(_ type: WebhookEventType) -> Bool {
        (subscribers ?? []).contains { $0.events?.contains(type) ?? true }
    }

    private mutating func record(
        _ type: WebhookEventType, _ event: TimelineEvent, data: JSONValue, _ db: Database
    )
        throws
    {
        try record(type, customerID: event.customerID, occurredOn: event.date, data: data, db)
    }

    // MARK: - Data

    private func invoiceData(_ number: String, _ db: Database) throws -> JSONValue? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT issue_date, due_date, currency, total_minor, terms, po_number
                FROM invoices WHERE org_id = ? AND invoice_number = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, number]) else { return nil }
        return WebhookData.invoice(
            number: number, issueDate: row["issue_date"], dueDate: row["due_date"],
            total: try Decode.money(row["total_minor"], row["currency"]), terms: row["terms"],
            poNumber: row["po_number"])
    }

    // One event per payment: the payment as stored, and its shares as the timeline entry lists them (they are
    // written after the entry, in the same transaction).
    private mutating func announcePayment(
        _ id: String, shares: [WebhookAnnouncement.PaymentShare], customerID: String, _ db: Database
    ) throws {
        let statement = try db.cachedStatement(
            sql: "SELECT date, currency, amount_minor, reference FROM payments WHERE org_id = ? AND payment_id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, id]) else { return }
        let date = try Decode.date(row["date"])
        try record(
            .paymentReceived, customerID: customerID, occurredOn: date,
            data: WebhookData.payment(
                id: id, date: date, amount: try Decode.money(row["amount_minor"], row["currency"]),
                reference: row["reference"],
                shares: shares),
            db)
    }

    private func actionData(
        _ id: Int64, extra: [String: JSONValue], _ db: Database
    ) throws -> (data: JSONValue, escalates: Bool)? {
        let statement = try db.cachedStatement(
            sql:
                "SELECT date, channel, stage, step_id, status, escalates_to FROM actions WHERE org_id = ? AND number = ?"
        )
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, id]) else { return nil }
        let invoices = try String.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT s.key FROM actions a, json_each(a.invoice_steps) s WHERE a.org_id = ? AND a.number = ? ORDER BY s.id"
            ),
            arguments: [organisationID, id])
        let escalatesTo: String? = row["escalates_to"]
        return (
            WebhookData.action(
                id: id, date: row["date"], channel: row["channel"], stage: row["stage"], step: row["step_id"],
                status: row["status"],
                escalatesTo: escalatesTo, invoices: invoices, extra: extra),
            escalatesTo != nil
        )
    }

    private func instalments(of planID: String, _ db: Database) throws -> JSONValue {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT due_date, amount_minor, currency FROM plan_instalments
                WHERE org_id = ? AND plan_id = ? ORDER BY position
                """,
            arguments: [organisationID, planID])
        return .array(
            try rows.map { row in
                [
                    "due_date": .string(row["due_date"]),
                    "amount": .money(try Decode.money(row["amount_minor"], row["currency"])),
                ]
            })
    }
}
