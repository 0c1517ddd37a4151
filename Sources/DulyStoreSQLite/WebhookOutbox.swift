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

    /// Announces what a timeline entry means to the outside, if anything and if anyone listens.
    mutating func announce(_ event: TimelineEvent, _ db: Database) throws {
        // Cheap checks first: a kind with no public event never touches the database, and one that nobody listens
        // to costs the probe (once per outbox) and no lookup of the data it would carry.
        let possible = WebhookEventType.types(forTimelineKind: event.kind, escalation: true)
        guard !possible.isEmpty else { return }
        _ = try probe(db)
        guard possible.contains(where: wanted) else { return }
        let details = event.details
        switch event.kind {
        case "customer_added", "customer_updated":
            try record(
                WebhookEventType.types(forTimelineKind: event.kind)[0], event,
                data: ["name": .optional(details["name"])],
                db)
        case "invoices_added":
            guard wanted(.invoiceCreated) else { return }
            for number in (details["invoices"] ?? "").split(separator: ",").map(String.init) {
                guard let data = try invoiceData(number, db) else { continue }
                try record(.invoiceCreated, event, data: data, db)
            }
        case "payment_recorded", "payments_recorded":
            guard wanted(.paymentReceived) else { return }
            try announcePayments(event, db)
        case "action_planned", "action_skipped", "action_awaiting_approval", "action_approved", "action_rejected",
            "action_sent", "message_sent", "action_done", "action_failed", "delivery_failed", "action_cancelled":
            guard let id = details["action"].flatMap({ Int64($0) }), let action = try actionData(id, db) else { return }
            var data = action.data
            for (key, name) in [
                ("by", "by"), ("note", "note"), ("reason", "reason"), ("error", "error"), ("to", "recipient"),
                ("message_id", "message_id"),
            ] {
                if let value = details[key], !value.isEmpty { data[name] = .string(value) }
            }
            for type in WebhookEventType.types(forTimelineKind: event.kind, escalation: action.escalates) {
                try record(type, event, data: .object(data), db)
            }
        case "credit_note_recorded", "discount_recorded", "settlement_recorded", "write_off_recorded":
            try record(
                WebhookEventType.types(forTimelineKind: event.kind)[0], event,
                data: [
                    "credit_note_id": .optional(details["credit_note"]),
                    "invoice_number": .optional(details["invoice"]),
                    "amount": WebhookOutbox.money(details["amount"]), "reason": .optional(details["reason"]),
                    "approved_by": .optional(details["approved_by"]),
                ],
                db)
        case "dispute_opened", "dispute_resolved":
            try record(
                WebhookEventType.types(forTimelineKind: event.kind)[0], event,
                data: [
                    "dispute_id": .optional(details["dispute"]), "invoice_number": .optional(details["invoice"]),
                    "reason_code": .optional(details["reason_code"]), "reason": .optional(details["reason"]),
                    "owner": .optional(details["owner"]), "outcome": .optional(details["outcome"]),
                    "note": .optional(details["note"]),
                    // "whole invoice" (or nothing) reads as null: the dispute covers all of it.
                    "amount": WebhookOutbox.money(details["amount"]),
                ],
                db)
        case "promise_recorded":
            try record(
                .promiseRecorded, event,
                data: [
                    "promise_id": .optional(details["promise"]), "amount": WebhookOutbox.money(details["amount"]),
                    "promised_date": .optional(details["date"]),
                    "invoices": WebhookOutbox.list(details["invoices"]), "channel": .optional(details["channel"]),
                    "promised_by": .optional(details["promised_by"]),
                ],
                db)
        case "plan_recorded":
            guard wanted(.planRecorded), let id = details["plan"] else { return }
            try record(
                .planRecorded, event,
                data: [
                    "plan_id": .string(id), "invoices": WebhookOutbox.list(details["invoices"]),
                    "instalments": try instalments(of: id, db), "accepted_on": .optional(details["accepted_on"]),
                    "proposed_by": .optional(details["proposed_by"]),
                ],
                db)
        case "payment_refused":
            try record(.paymentRefused, event, data: ["note": .optional(details["note"])], db)
        case "payment_matched":
            // The statement matcher's entry (another branch): its details pass through as strings, with the
            // amount as money when it reads as `EUR 12.50`.
            var data: [String: JSONValue] = [:]
            for (key, value) in details { data[key] = .string(value) }
            if let amount = details["amount"] { data["amount"] = WebhookOutbox.money(amount) }
            try record(.paymentMatched, event, data: .object(data), db)
        default:
            return
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
                INSERT INTO webhook_events (org_id, type, customer_id, occurred_on, recorded_at, data)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        try insertEvent.execute(arguments: [
            organisationID, type.rawValue, customerID, occurredOn.description, recordedAt, data.text,
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
            (id: row[0] as Int64, events: WebhookOutbox.events(fromColumn: row[1]))
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

    /// The `events` column: `*` for all, else names separated by commas (unknown names are ignored).
    static func events(fromColumn text: String) -> Set<WebhookEventType>? {
        if text == "*" { return nil }
        return Set(text.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) })
    }

    /// The `events` column for a set (nil: all).
    static func column(for events: Set<WebhookEventType>?) -> String {
        guard let events else { return "*" }
        return events.sorted().map(\.rawValue).joined(separator: ",")
    }

    // MARK: - Data

    private func invoiceData(_ number: String, _ db: Database) throws -> JSONValue? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT issue_date, due_date, currency, total_minor, terms, po_number
                FROM invoices WHERE org_id = ? AND invoice_number = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, number]) else { return nil }
        return [
            "invoice_number": .string(number), "issue_date": .string(row[0]), "due_date": .string(row[1]),
            "total": .money(try Decode.money(row[3], row[2])), "terms": .optional(row[4]),
            "po_number": .optional(row[5]),
        ]
    }

    // One event per payment: the payment as stored, and its allocations as the timeline entry lists them (they
    // are written after the entry, in the same transaction).
    private mutating func announcePayments(_ event: TimelineEvent, _ db: Database) throws {
        let single = event.kind == "payment_recorded"
        let ids =
            (single ? event.details["payment"] : event.details["payments"])?.split(separator: ",")
            .map(String.init) ?? []
        let allocationItems = (event.details["allocations"] ?? "").split(separator: ",").map(String.init)
        let statement = try db.cachedStatement(
            sql: "SELECT date, currency, amount_minor, reference FROM payments WHERE org_id = ? AND payment_id = ?")
        for id in ids {
            guard let row = try Row.fetchOne(statement, arguments: [organisationID, id]) else { continue }
            let amount = try Decode.money(row[2], row[1])
            var allocated = 0
            var allocations: [JSONValue] = []
            for item in allocationItems {
                var entry = Substring(item)
                if !single {
                    guard entry.hasPrefix(id + ":") else { continue }
                    entry = entry.dropFirst(id.count + 1)
                }
                guard let equals = entry.lastIndex(of: "="),
                    let share = try? Money(parsing: entry[entry.index(after: equals)...], currency: amount.currency)
                else { continue }
                allocated += share.minorUnits
                allocations.append(
                    ["invoice_number": .string(String(entry[..<equals])), "amount": .money(share)])
            }
            let date = try Decode.date(row[0])
            try record(
                .paymentReceived, customerID: event.customerID, occurredOn: date,
                data: [
                    "payment_id": .string(id), "date": .string(date.description), "amount": .money(amount),
                    "reference": .optional(row[3]), "allocations": .array(allocations),
                    "unallocated": .money(Money(minorUnits: amount.minorUnits - allocated, currency: amount.currency)),
                ],
                db)
        }
    }

    private func actionData(_ id: Int64, _ db: Database) throws -> (data: [String: JSONValue], escalates: Bool)? {
        let statement = try db.cachedStatement(
            sql: "SELECT date, channel, stage, step_id, status, escalates_to FROM actions WHERE org_id = ? AND id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, id]) else { return nil }
        let invoices = try String.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT s.key FROM actions a, json_each(a.invoice_steps) s WHERE a.org_id = ? AND a.id = ? ORDER BY s.id"
            ),
            arguments: [organisationID, id])
        let escalatesTo: String? = row[5]
        return (
            [
                "action_id": .int(Int(id)), "date": .string(row[0]), "channel": .string(row[1]),
                "stage": .string(row[2]), "step": .string(row[3]), "status": .string(row[4]),
                "escalates_to": .optional(escalatesTo), "invoices": .array(invoices.map { .string($0) }),
            ],
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
                ["due_date": .string(row[0]), "amount": .money(try Decode.money(row[1], row[2]))]
            })
    }

    /// `EUR 12.50` (how the timeline writes money) as JSON money; null when it is not money (`whole invoice`).
    static func money(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let currency = Currency(code: String(parts[0])),
            let amount = try? Money(parsing: parts[1], currency: currency)
        else { return .null }
        return .money(amount)
    }

    static func list(_ text: String?) -> JSONValue {
        .array((text ?? "").split(separator: ",").map { .string(String($0)) })
    }
}
