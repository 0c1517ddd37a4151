import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: WebhookStore {
    // MARK: - Subscribers

    public func addWebhookSubscriber(
        url: String, events: Set<WebhookEventType>?, secret: String, organisationID: String, createdAt: String
    ) async throws -> WebhookSubscriber {
        if let refusal = WriteChecks.refusal(ofSubscriberAt: url, events: events, secret: secret) { throw refusal }
        return try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let number = try OrganisationNumbers.takeOne(.webhookSubscriber, organisationID: organisationID, db)
            try db.execute(
                sql: """
                    INSERT INTO webhook_subscribers (org_id, number, url, events, secret, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [organisationID, number, url, WebhookEventsColumn.text(for: events), secret, createdAt])
            return WebhookSubscriber(id: number, url: url, events: events, secret: secret, createdAt: createdAt)
        }
    }

    public func webhookSubscribers(organisationID: String) async throws -> [WebhookSubscriber] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT number, url, events, secret, created_at FROM webhook_subscribers
                    WHERE org_id = ? AND removed_at IS NULL ORDER BY number
                    """,
                arguments: [organisationID]
            ).map { SQLiteStore.subscriber(from: $0) }
        }
    }

    public func removeWebhookSubscriber(id: Int64, organisationID: String, removedAt: String) async throws -> Bool {
        try await write { db in
            // Named by its number; the deliveries point at its row.
            guard
                let row = try Int64.fetchOne(
                    db, sql: "SELECT id FROM webhook_subscribers WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, id])
            else { return false }
            try db.execute(
                sql: """
                    UPDATE webhook_subscribers SET removed_at = ? WHERE org_id = ? AND id = ? AND removed_at IS NULL
                    """,
                arguments: [removedAt, organisationID, row])
            guard db.changesCount == 1 else { return false }
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries SET state = 'cancelled'
                    WHERE org_id = ? AND subscriber_id = ? AND state IN ('pending', 'retrying')
                    """,
                arguments: [organisationID, row])
            return true
        }
    }

    // MARK: - The collection day

    public func webhookRunWatch(organisationID: String) async throws -> WebhookRunWatch {
        try await read { db in
            var outbox = WebhookOutbox(organisationID: organisationID, recordedAt: "")
            return WebhookRunWatch(
                stageChanges: try outbox.wants(.invoiceStageChanged, db),
                brokenPromises: try outbox.wants(.promiseBroken, db))
        }
    }

    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview],
        observations: RunObservations, organisationID: String, context: RecordingContext
    ) async throws -> RunCommitSummary {
        try await write { db in
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            let summary = try SQLiteStore.writeRun(
                actions: actions, cancellations: cancellations, reviews: reviews, organisationID, context,
                timeline: &timeline, db)
            try SQLiteStore.announceStages(observations.stages, organisationID, context, &timeline.webhooks, db)
            try SQLiteStore.announceBrokenPromises(
                observations.brokenPromises, organisationID, &timeline.webhooks, db)
            return summary
        }
    }

    // An event for each invoice whose state differs from the one last announced (none yet counts as different:
    // the first one seen is announced with `previous_stage: null`), and the new marker.
    private static func announceStages(
        _ stages: [RunObservations.Stage], _ organisationID: String, _ context: RecordingContext,
        _ outbox: inout WebhookOutbox, _ db: Database
    ) throws {
        guard !stages.isEmpty else { return }
        var announced: [String: String] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT invoice_number, stage FROM webhook_invoice_stages
                WHERE org_id = ? AND invoice_number IN (SELECT value FROM json_each(?))
                """,
            arguments: [organisationID, JSONText.encode(stages.map(\.invoiceNumber))])
        while let row = try rows.next() { announced[row["invoice_number"]] = row["stage"] }
        let mark = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_invoice_stages (org_id, invoice_number, stage) VALUES (?, ?, ?)
                ON CONFLICT (org_id, invoice_number) DO UPDATE SET stage = excluded.stage
                """)
        for stage in stages where announced[stage.invoiceNumber] != stage.state.rawValue {
            try outbox.record(
                .invoiceStageChanged, customerID: stage.customerID, occurredOn: context.date,
                data: [
                    "invoice_number": .string(stage.invoiceNumber),
                    "previous_stage": .optional(announced[stage.invoiceNumber]),
                    "stage": .string(stage.state.rawValue), "due_date": .string(stage.dueDate.description),
                    "open": .money(stage.open),
                ],
                db)
            try mark.execute(arguments: [organisationID, stage.invoiceNumber, stage.state.rawValue])
        }
    }

    // A broken promise is announced once: it cannot mend (receipts after its deadline do not count).
    private static func announceBrokenPromises(
        _ broken: [RunObservations.BrokenPromise], _ organisationID: String, _ outbox: inout WebhookOutbox,
        _ db: Database
    ) throws {
        let mark = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_promise_outcomes (org_id, promise_id, outcome) VALUES (?, ?, 'broken')
                ON CONFLICT (org_id, promise_id) DO NOTHING
                """)
        for item in broken {
            try mark.execute(arguments: [organisationID, item.promise.id])
            guard db.changesCount == 1 else { continue }
            try outbox.record(
                .promiseBroken, customerID: item.customerID, occurredOn: item.brokenOn,
                data: [
                    "promise_id": .string(item.promise.id), "amount": .money(item.promise.amount),
                    "promised_date": .string(item.promise.promisedDate.description),
                    "broken_on": .string(item.brokenOn.description),
                    "invoices": .array(item.promise.invoiceNumbers.map { .string($0) }),
                ],
                db)
        }
    }

    // MARK: - Delivery

    public func webhookEvents(organisationID: String, limit: Int) async throws -> [WebhookEvent] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT number, type, customer_id, occurred_on, recorded_at, data FROM webhook_events
                    WHERE org_id = ? ORDER BY number DESC LIMIT ?
                    """,
                arguments: [organisationID, limit]
            ).map { try SQLiteStore.webhookEvent(from: $0, organisationID) }
        }
    }

    public func dueWebhookDeliveries(
        organisationID: String, now: Int64, limit: Int
    ) async throws -> [WebhookDeliveryJob] {
        try await read { db in try SQLiteStore.dueWebhookDeliveries(organisationID, now: now, limit: limit, db) }
    }

    public func claimWebhookDeliveries(
        organisationID: String, now: Int64, until: Int64, limit: Int
    ) async throws -> [WebhookDeliveryJob] {
        try await write { db in
            // One writer at a time: nothing else claims between the read and the update.
            let jobs = try SQLiteStore.dueWebhookDeliveries(organisationID, now: now, limit: limit, db)
            let claim = try db.cachedStatement(
                sql: "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE org_id = ? AND id = ?")
            for job in jobs { try claim.execute(arguments: [until, organisationID, job.deliveryID]) }
            return jobs
        }
    }

    private static func dueWebhookDeliveries(
        _ organisationID: String, now: Int64, limit: Int, _ db: Database
    ) throws -> [WebhookDeliveryJob] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.id AS delivery_id, d.attempts, d.replay,
                    s.number AS subscriber_number, s.url, s.events, s.secret, s.created_at AS subscribed_at,
                    e.number AS event_number, e.type, e.customer_id, e.occurred_on, e.recorded_at, e.data
                FROM webhook_deliveries d
                JOIN webhook_subscribers s ON s.id = d.subscriber_id AND s.org_id = d.org_id
                JOIN webhook_events e ON e.id = d.event_id AND e.org_id = d.org_id
                WHERE d.org_id = ? AND d.state IN ('pending', 'retrying')
                    AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) AND s.removed_at IS NULL
                ORDER BY d.id
                LIMIT ?
                """,
            arguments: [organisationID, now, limit]
        ).map { row in
            WebhookDeliveryJob(
                deliveryID: row["delivery_id"],
                subscriber: SQLiteStore.subscriber(from: row, number: "subscriber_number", createdAt: "subscribed_at"),
                event: try SQLiteStore.webhookEvent(from: row, number: "event_number", organisationID),
                attempts: row["attempts"], replay: row["replay"])
        }
    }

    public func recordWebhookAttempt(
        deliveryID: Int64, outcome: WebhookAttemptOutcome, organisationID: String, now: Int64
    ) async throws {
        try await write { db in
            guard
                let attempts = try Int.fetchOne(
                    db, sql: "SELECT attempts FROM webhook_deliveries WHERE org_id = ? AND id = ?",
                    arguments: [organisationID, deliveryID])
            else { throw StoreError.invalid("no webhook delivery \(deliveryID)") }
            let state: WebhookDeliveryState
            let status: Int?
            let error: String?
            let next: Int64?
            switch outcome {
            case .delivered(let code): (state, status, error, next) = (.delivered, code, nil, nil)
            case .retry(let code, let message, let at): (state, status, error, next) = (.retrying, code, message, at)
            case .failed(let code, let message): (state, status, error, next) = (.failed, code, message, nil)
            }
            let attempt = attempts + 1
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?
                    WHERE org_id = ? AND id = ?
                    """,
                arguments: [state.rawValue, attempt, next, organisationID, deliveryID])
            try db.execute(
                sql: """
                    INSERT INTO webhook_attempts (org_id, delivery_id, attempt, attempted_at, status_code, error,
                        outcome, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, deliveryID, attempt, now, status, error,
                    state == .retrying ? "retry" : state.rawValue, next,
                ])
        }
    }

    public func webhookLog(
        organisationID: String, eventSequence: Int64?, subscriberID: Int64?
    ) async throws -> [WebhookLogEntry] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id AS delivery_id, e.number AS event_number, e.type, s.number AS subscriber_number,
                        d.replay, d.state,
                        a.attempt, a.attempted_at, a.status_code, a.error, a.next_attempt_at
                    FROM webhook_deliveries d
                    JOIN webhook_events e ON e.id = d.event_id AND e.org_id = d.org_id
                    JOIN webhook_subscribers s ON s.id = d.subscriber_id AND s.org_id = d.org_id
                    LEFT JOIN webhook_attempts a ON a.delivery_id = d.id AND a.org_id = d.org_id
                    WHERE d.org_id = ?1 AND (?2 IS NULL OR e.number = ?2) AND (?3 IS NULL OR s.number = ?3)
                    ORDER BY d.id, a.attempt
                    """,
                arguments: [organisationID, eventSequence, subscriberID]
            ).map { row in
                let sequence: Int64 = row["event_number"]
                return WebhookLogEntry(
                    deliveryID: row["delivery_id"], eventID: PublicID.webhookEvent.id(sequence),
                    eventType: try Decode.value(row["type"]), subscriberID: row["subscriber_number"],
                    replay: row["replay"], state: try Decode.value(row["state"]), attempt: row["attempt"],
                    attemptedAt: row["attempted_at"], statusCode: row["status_code"], error: row["error"],
                    nextAttemptAt: row["next_attempt_at"])
            }
        }
    }

    public func replayWebhookEvent(
        sequence: Int64, subscriberID: Int64?, organisationID: String, createdAt: String
    ) async throws -> Int {
        try await write { db in
            guard
                let event = try Row.fetchOne(
                    db, sql: "SELECT id, type FROM webhook_events WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, sequence])
            else { throw StoreError.invalid("no webhook event evt_\(sequence)") }
            let eventRow: Int64 = event["id"]
            let type: String = event["type"]
            let eventType: WebhookEventType = try Decode.value(type)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT number, url, events, secret, created_at, id FROM webhook_subscribers
                    WHERE org_id = ?1 AND removed_at IS NULL AND (?2 IS NULL OR number = ?2) ORDER BY number
                    """,
                arguments: [organisationID, subscriberID])
            var subscriberRows: [Int64: Int64] = [:]
            let subscribers = rows.map { row in
                let subscriber = SQLiteStore.subscriber(from: row)
                subscriberRows[subscriber.id] = row["id"]
                return subscriber
            }
            if let subscriberID, subscribers.isEmpty {
                throw StoreError.invalid("no webhook subscriber \(subscriberID)")
            }
            // Named explicitly, a subscriber gets the event whatever it listens to now; otherwise those that want it.
            let targets = subscriberID == nil ? subscribers.filter { $0.wants(eventType) } : subscribers
            for subscriber in targets {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_deliveries (org_id, event_id, subscriber_id, replay, created_at)
                        VALUES (?, ?, ?, 1, ?)
                        """,
                    arguments: [organisationID, eventRow, subscriberRows[subscriber.id], createdAt])
            }
            return targets.count
        }
    }

    // MARK: - Rows

    // A subscriber from a row with its columns by name; a join renames its number and creation time.
    private static func subscriber(
        from row: Row, number: String = "number", createdAt: String = "created_at"
    ) -> WebhookSubscriber {
        WebhookSubscriber(
            id: row[number], url: row["url"], events: WebhookEventsColumn.events(from: row["events"]),
            secret: row["secret"], createdAt: row[createdAt])
    }

    // An event from a row with its columns by name; a join renames its number.
    private static func webhookEvent(
        from row: Row, number: String = "number", _ organisationID: String
    ) throws -> WebhookEvent {
        WebhookEvent(
            sequence: row[number], type: try Decode.value(row["type"]), organisationID: organisationID,
            customerID: row["customer_id"], occurredOn: try Decode.date(row["occurred_on"]),
            recordedAt: row["recorded_at"], data: row["data"])
    }
}
