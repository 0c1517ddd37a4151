import DulyCore
import DulyStore
import Logging
import PostgresNIO

/// Writes webhook events into the outbox inside the transaction of the change they announce, one delivery per
/// subscriber that wants each: a rolled-back change announces nothing and a committed one is never lost. What a
/// timeline entry announces is decided in DulyCore (`WebhookAnnouncement.of`); here the records it names are read
/// and the events written. The organisation's subscribers are read once per outbox (one per transaction).
struct PostgresWebhookOutbox {
    let organisationID: String
    let recordedAt: String
    let logger: Logger
    // Nil until probed.
    private var subscribers: [(id: Int64, events: Set<WebhookEventType>?)]?

    init(organisationID: String, recordedAt: String, logger: Logger) {
        self.organisationID = organisationID
        self.recordedAt = recordedAt
        self.logger = logger
    }

    /// Announces what a timeline entry means to the outside, if anything and if anyone listens. The records it names
    /// (an invoice, a payment, an action, a plan) must be written before it is called.
    mutating func announce(_ event: TimelineEvent, _ connection: PostgresConnection) async throws {
        // Cheap checks first: a kind with no public event never touches the database.
        let possible = WebhookEventType.types(forTimelineKind: event.kind, escalation: true)
        guard !possible.isEmpty else { return }
        _ = try await probe(connection)
        guard possible.contains(where: wanted) else { return }
        for announcement in WebhookAnnouncement.of(event) {
            guard announcement.possibleTypes(timelineKind: event.kind).contains(where: wanted) else { continue }
            switch announcement {
            case .event(let type, let data):
                try await record(type, customerID: event.customerID, occurredOn: event.date, data: data, connection)
            case .invoiceCreated(let number):
                guard let data = try await invoiceData(number, connection) else { continue }
                try await record(
                    .invoiceCreated, customerID: event.customerID, occurredOn: event.date, data: data, connection)
            case .paymentReceived(let id, let shares):
                try await announcePayment(id, shares: shares, customerID: event.customerID, connection)
            case .action(let id, let extra):
                guard let action = try await actionData(id, extra: extra, connection) else { continue }
                for type in WebhookEventType.types(forTimelineKind: event.kind, escalation: action.escalates) {
                    try await record(
                        type, customerID: event.customerID, occurredOn: event.date, data: action.data, connection)
                }
            case .planRecorded(let id, var data):
                data["instalments"] = try await instalments(of: id, connection)
                try await record(
                    .planRecorded, customerID: event.customerID, occurredOn: event.date, data: .object(data),
                    connection)
            }
        }
    }

    /// Whether any subscriber wants `type` (probing once).
    mutating func wants(_ type: WebhookEventType, _ connection: PostgresConnection) async throws -> Bool {
        try await probe(connection).contains { $0.events?.contains(type) ?? true }
    }

    /// Writes one event and a delivery for each subscriber that wants its type; false when nobody does.
    @discardableResult
    mutating func record(
        _ type: WebhookEventType, customerID: String, occurredOn: LocalDate, data: JSONValue,
        _ connection: PostgresConnection
    ) async throws -> Bool {
        let listeners = try await probe(connection).filter { $0.events?.contains(type) ?? true }
        guard !listeners.isEmpty else { return false }
        let number = try await PostgresNumbers.takeOne(
            .webhookEvent, organisationID: organisationID, connection, logger: logger)
        let inserted = try await connection.row(
            """
            INSERT INTO webhook_events (org_id, number, type, customer_id, occurred_on, recorded_at, data)
            VALUES (\(organisationID), \(number), \(type.rawValue), \(customerID), \(occurredOn), \(recordedAt),
                \(data.text))
            RETURNING id
            """, logger: logger)
        guard let eventID = try inserted?.value("id", as: Int64.self) else {
            throw StoreError.backend("a webhook event was not written")
        }
        try await connection.execute(
            """
            INSERT INTO webhook_deliveries (org_id, event_id, subscriber_id, created_at)
            SELECT \(organisationID), \(eventID), subscriber, \(recordedAt) FROM unnest(\(listeners.map(\.id))::bigint[]) subscriber
            """, logger: logger)
        return true
    }

    // MARK: - Probing

    private mutating func probe(
        _ connection: PostgresConnection
    ) async throws -> [(id: Int64, events: Set<WebhookEventType>?)] {
        if let subscribers { return subscribers }
        let rows = try await connection.rows(
            """
            SELECT id, events FROM webhook_subscribers WHERE org_id = \(organisationID) AND removed_at IS NULL
            ORDER BY id
            """, logger: logger)
        let found = try rows.map { row in
            (id: try row.value("id", as: Int64.self), events: WebhookEventsColumn.events(from: try row.value("events")))
        }
        subscribers = found
        return found
    }

    private func wanted(_ type: WebhookEventType) -> Bool {
        (subscribers ?? []).contains { $0.events?.contains(type) ?? true }
    }

    // MARK: - Data

    private func invoiceData(_ number: String, _ connection: PostgresConnection) async throws -> JSONValue? {
        guard
            let row = try await connection.row(
                """
                SELECT issue_date, due_date, currency, total_minor, terms, po_number
                FROM invoices WHERE org_id = \(organisationID) AND invoice_number = \(number)
                """, logger: logger)
        else { return nil }
        return WebhookData.invoice(
            number: number, issueDate: try row.value("issue_date", as: LocalDate.self).description,
            dueDate: try row.value("due_date", as: LocalDate.self).description,
            total: try row.money("total_minor"), terms: try row.optional("terms"),
            poNumber: try row.optional("po_number"))
    }

    // One event per payment: the payment as stored, and its shares as the timeline entry lists them.
    private mutating func announcePayment(
        _ id: String, shares: [WebhookAnnouncement.PaymentShare], customerID: String,
        _ connection: PostgresConnection
    ) async throws {
        guard
            let row = try await connection.row(
                """
                SELECT date, currency, amount_minor, reference FROM payments
                WHERE org_id = \(organisationID) AND payment_id = \(id)
                """, logger: logger)
        else { return }
        let date = try row.value("date", as: LocalDate.self)
        try await record(
            .paymentReceived, customerID: customerID, occurredOn: date,
            data: WebhookData.payment(
                id: id, date: date, amount: try row.money("amount_minor"), reference: try row.optional("reference"),
                shares: shares),
            connection)
    }

    private func actionData(
        _ id: Int64, extra: [String: JSONValue], _ connection: PostgresConnection
    ) async throws -> (data: JSONValue, escalates: Bool)? {
        guard
            let row = try await connection.row(
                """
                SELECT date, channel, stage, step_id, status, escalates_to FROM actions
                WHERE org_id = \(organisationID) AND number = \(id)
                """, logger: logger)
        else { return nil }
        // `json` (not `jsonb`) keeps the object's keys in the order written: the action's own order.
        let invoices = try await connection.rows(
            """
            SELECT s.key FROM actions a, json_each_text(a.invoice_steps::json) WITH ORDINALITY s
            WHERE a.org_id = \(organisationID) AND a.number = \(id) ORDER BY s.ordinality
            """, logger: logger
        ).map { try $0.value("key", as: String.self) }
        let escalatesTo: String? = try row.optional("escalates_to")
        return (
            WebhookData.action(
                id: id, date: try row.value("date", as: LocalDate.self).description, channel: try row.value("channel"),
                stage: try row.value("stage"), step: try row.value("step_id"), status: try row.value("status"),
                escalatesTo: escalatesTo, invoices: invoices, extra: extra),
            escalatesTo != nil
        )
    }

    private func instalments(of planID: String, _ connection: PostgresConnection) async throws -> JSONValue {
        let rows = try await connection.rows(
            """
            SELECT due_date, amount_minor, currency FROM plan_instalments
            WHERE org_id = \(organisationID) AND plan_id = \(planID) ORDER BY position
            """, logger: logger)
        return .array(
            try rows.map { row in
                [
                    "due_date": .string(try row.value("due_date", as: LocalDate.self).description),
                    "amount": .money(try row.money("amount_minor")),
                ]
            })
    }
}

// MARK: - Many events at once

extension PostgresWebhookOutbox {
    /// An event to write along with others (`record(_:_:)`).
    struct Event {
        var type: WebhookEventType
        var customerID: String
        var occurredOn: LocalDate
        var data: JSONValue
    }

    /// `record` for many events: their numbers taken together, the events and a delivery for each subscriber that
    /// wants each written in one statement, in order; an event nobody listens to is skipped. For a run's batch,
    /// which may announce thousands.
    mutating func record(_ events: [Event], _ connection: PostgresConnection) async throws {
        let subscribers = try await probe(connection)
        var written: [(event: Event, listeners: [Int64])] = []
        for event in events {
            let listeners = subscribers.filter { $0.events?.contains(event.type) ?? true }.map(\.id)
            if !listeners.isEmpty { written.append((event, listeners)) }
        }
        guard !written.isEmpty else { return }
        var numbers = try await PostgresNumbers(
            .webhookEvent, organisationID: organisationID, connection, logger: logger)
        var eventNumbers: [Int64] = []
        var deliveryNumbers: [Int64] = []
        var deliverySubscribers: [Int64] = []
        for (_, listeners) in written {
            let number = numbers.take()
            eventNumbers.append(number)
            deliveryNumbers += Array(repeating: number, count: listeners.count)
            deliverySubscribers += listeners
        }
        try await numbers.save(connection, logger: logger)
        try await connection.execute(
            """
            WITH written AS (
                INSERT INTO webhook_events (org_id, number, type, customer_id, occurred_on, recorded_at, data)
                SELECT \(organisationID), e.number, e.type, e.customer_id, e.occurred_on, \(recordedAt), e.data
                FROM unnest(\(eventNumbers)::bigint[], \(written.map { $0.event.type.rawValue })::text[],
                    \(written.map { $0.event.customerID })::text[], \(written.map { $0.event.occurredOn })::date[],
                    \(written.map { $0.event.data.text })::text[])
                    WITH ORDINALITY AS e (number, type, customer_id, occurred_on, data, position)
                ORDER BY e.position
                RETURNING id, number
            )
            INSERT INTO webhook_deliveries (org_id, event_id, subscriber_id, created_at)
            SELECT \(organisationID), written.id, d.subscriber_id, \(recordedAt)
            FROM unnest(\(deliveryNumbers)::bigint[], \(deliverySubscribers)::bigint[])
                WITH ORDINALITY AS d (number, subscriber_id, position)
            JOIN written ON written.number = d.number
            ORDER BY d.position
            """, logger: logger)
    }
}
