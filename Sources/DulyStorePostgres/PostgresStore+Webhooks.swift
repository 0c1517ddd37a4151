import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore: WebhookStore {
    // MARK: - Subscribers

    public func addWebhookSubscriber(
        url: String, events: Set<WebhookEventType>?, secret: String, organisationID: String, createdAt: String
    ) async throws -> WebhookSubscriber {
        if let refusal = WriteChecks.refusal(ofSubscriberAt: url, events: events, secret: secret) { throw refusal }
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            let number = try await PostgresNumbers.takeOne(
                .webhookSubscriber, organisationID: organisationID, connection, logger: logger)
            try await connection.execute(
                """
                INSERT INTO webhook_subscribers (org_id, number, url, events, secret, created_at)
                VALUES (\(organisationID), \(number), \(url), \(WebhookEventsColumn.text(for: events)), \(secret),
                    \(createdAt))
                """, logger: logger)
            return WebhookSubscriber(id: number, url: url, events: events, secret: secret, createdAt: createdAt)
        }
    }

    public func webhookSubscribers(organisationID: String) async throws -> [WebhookSubscriber] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT number, url, events, secret, created_at FROM webhook_subscribers
                WHERE org_id = \(organisationID) AND removed_at IS NULL ORDER BY number
                """, logger: logger
            ).map { try Self.subscriber(from: $0) }
        }
    }

    public func removeWebhookSubscriber(id: Int64, organisationID: String, removedAt: String) async throws -> Bool {
        let logger = self.logger
        return try await write { connection in
            // Named by its number; the deliveries point at its row. Only one of two removals at once finds it
            // still there (the second waits for the first's row lock, then sees `removed_at` set).
            guard
                let row = try await connection.row(
                    """
                    UPDATE webhook_subscribers SET removed_at = \(removedAt)
                    WHERE org_id = \(organisationID) AND number = \(id) AND removed_at IS NULL
                    RETURNING id
                    """, logger: logger)
            else { return false }
            let subscriberRow = try row.value("id", as: Int64.self)
            try await connection.execute(
                """
                UPDATE webhook_deliveries SET state = 'cancelled'
                WHERE org_id = \(organisationID) AND subscriber_id = \(subscriberRow) AND state IN ('pending', 'retrying')
                """, logger: logger)
            return true
        }
    }

    // MARK: - The collection day

    public func webhookRunWatch(organisationID: String) async throws -> WebhookRunWatch {
        let logger = self.logger
        return try await read { connection in
            var outbox = PostgresWebhookOutbox(organisationID: organisationID, recordedAt: "", logger: logger)
            return WebhookRunWatch(
                stageChanges: try await outbox.wants(.invoiceStageChanged, connection),
                brokenPromises: try await outbox.wants(.promiseBroken, connection))
        }
    }

    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview],
        observations: RunObservations, organisationID: String, context: RecordingContext
    ) async throws -> RunCommitSummary {
        let logger = self.logger
        return try await write { connection in
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            let summary = try await writeRun(
                actions: actions, cancellations: cancellations, reviews: reviews, organisationID, context,
                timeline: &timeline, connection)
            // Events only, no timeline entries: `writeRun` flushed the timeline and nothing is appended after it.
            try await Self.announce(
                observations, organisationID, context, &timeline.webhooks, connection, logger: logger)
            return summary
        }
    }

    // The events the observations call for, after the batch's own writes, and their markers: an event for each
    // invoice whose state differs from the one last announced (none yet counts as different: the first one seen is
    // announced with `previous_stage: null`), and one for each promise newly seen broken (it cannot mend). One
    // query reads the markers, one writes each kind back, and one writes every event with its deliveries.
    static func announce(
        _ observations: RunObservations, _ organisationID: String, _ context: RecordingContext,
        _ outbox: inout PostgresWebhookOutbox, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        var events: [PostgresWebhookOutbox.Event] = []
        let stages = observations.stages
        if !stages.isEmpty {
            var announced: [String: String] = [:]
            for row in try await connection.rows(
                """
                SELECT invoice_number, stage FROM webhook_invoice_stages
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(stages.map(\.invoiceNumber))::text[])
                """, logger: logger)
            {
                announced[try row.value("invoice_number", as: String.self)] = try row.value("stage", as: String.self)
            }
            // The marker each changed invoice ends with (the last of the batch's, should one appear twice).
            var marks: [String: String] = [:]
            var markOrder: [String] = []
            for stage in stages where announced[stage.invoiceNumber] != stage.state.rawValue {
                events.append(
                    PostgresWebhookOutbox.Event(
                        type: .invoiceStageChanged, customerID: stage.customerID, occurredOn: context.date,
                        data: [
                            "invoice_number": .string(stage.invoiceNumber),
                            "previous_stage": .optional(announced[stage.invoiceNumber]),
                            "stage": .string(stage.state.rawValue), "due_date": .string(stage.dueDate.description),
                            "open": .money(stage.open),
                        ]))
                if marks.updateValue(stage.state.rawValue, forKey: stage.invoiceNumber) == nil {
                    markOrder.append(stage.invoiceNumber)
                }
            }
            if !markOrder.isEmpty {
                try await connection.execute(
                    """
                    INSERT INTO webhook_invoice_stages (org_id, invoice_number, stage)
                    SELECT \(organisationID), m.invoice_number, m.stage
                    FROM unnest(\(markOrder)::text[], \(markOrder.map { marks[$0] ?? "" })::text[])
                        AS m (invoice_number, stage)
                    ON CONFLICT (org_id, invoice_number) DO UPDATE SET stage = excluded.stage
                    """, logger: logger)
            }
        }
        let broken = observations.brokenPromises
        if !broken.isEmpty {
            // A marker this statement inserted is a promise not announced before.
            var fresh = Set(
                try await connection.rows(
                    """
                    INSERT INTO webhook_promise_outcomes (org_id, promise_id, outcome)
                    SELECT \(organisationID), p, 'broken' FROM unnest(\(broken.map(\.promise.id))::text[]) p
                    ON CONFLICT (org_id, promise_id) DO NOTHING
                    RETURNING promise_id
                    """, logger: logger
                ).map { try $0.value("promise_id", as: String.self) })
            for item in broken where fresh.remove(item.promise.id) != nil {
                events.append(
                    PostgresWebhookOutbox.Event(
                        type: .promiseBroken, customerID: item.customerID, occurredOn: item.brokenOn,
                        data: [
                            "promise_id": .string(item.promise.id), "amount": .money(item.promise.amount),
                            "promised_date": .string(item.promise.promisedDate.description),
                            "broken_on": .string(item.brokenOn.description),
                            "invoices": .array(item.promise.invoiceNumbers.map { .string($0) }),
                        ]))
            }
        }
        try await outbox.record(events, connection)
    }

    // MARK: - Delivery

    public func webhookEvents(organisationID: String, limit: Int) async throws -> [WebhookEvent] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT number, type, customer_id, occurred_on, recorded_at, data FROM webhook_events
                WHERE org_id = \(organisationID) ORDER BY number DESC LIMIT \(limit)
                """, logger: logger
            ).map { try Self.webhookEvent(from: $0, organisationID) }
        }
    }

    public func dueWebhookDeliveries(
        organisationID: String, now: Int64, limit: Int
    ) async throws -> [WebhookDeliveryJob] {
        let logger = self.logger
        return try await read { connection in
            try await Self.webhookDeliveryJobs(
                organisationID, due: now, limit: limit, claimingUntil: nil, connection, logger: logger)
        }
    }

    public func claimWebhookDeliveries(
        organisationID: String, now: Int64, until: Int64, limit: Int
    ) async throws -> [WebhookDeliveryJob] {
        let logger = self.logger
        return try await write { connection in
            try await Self.webhookDeliveryJobs(
                organisationID, due: now, limit: limit, claimingUntil: until, connection, logger: logger)
        }
    }

    // The deliveries due at `now`, oldest first; with `claimingUntil`, row-locked (skipping rows another deliverer
    // is claiming) and their next attempt moved to then.
    private static func webhookDeliveryJobs(
        _ organisationID: String, due now: Int64, limit: Int, claimingUntil until: Int64?,
        _ connection: PostgresConnection, logger: Logger
    ) async throws -> [WebhookDeliveryJob] {
        let jobs = try await connection.rows(
            """
            SELECT d.id AS delivery_id, d.attempts, d.replay,
                s.number AS subscriber_number, s.url, s.events, s.secret, s.created_at AS subscribed_at,
                e.number AS event_number, e.type, e.customer_id, e.occurred_on, e.recorded_at, e.data
            FROM webhook_deliveries d
            JOIN webhook_subscribers s ON s.id = d.subscriber_id AND s.org_id = d.org_id
            JOIN webhook_events e ON e.id = d.event_id AND e.org_id = d.org_id
            WHERE d.org_id = \(organisationID) AND d.state IN ('pending', 'retrying')
                AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= \(now)) AND s.removed_at IS NULL
            ORDER BY d.id
            LIMIT \(limit)
            \(unescaped: until == nil ? "" : "FOR UPDATE OF d SKIP LOCKED")
            """, logger: logger
        ).map { row in
            WebhookDeliveryJob(
                deliveryID: try row.value("delivery_id"),
                subscriber: try Self.subscriber(from: row, number: "subscriber_number", createdAt: "subscribed_at"),
                event: try Self.webhookEvent(from: row, number: "event_number", organisationID),
                attempts: try row.value("attempts"), replay: try row.value("replay"))
        }
        if let until, !jobs.isEmpty {
            try await connection.execute(
                """
                UPDATE webhook_deliveries SET next_attempt_at = \(until)
                WHERE org_id = \(organisationID) AND id = ANY(\(jobs.map(\.deliveryID))::bigint[])
                """, logger: logger)
        }
        return jobs
    }

    public func recordWebhookAttempt(
        deliveryID: Int64, outcome: WebhookAttemptOutcome, organisationID: String, now: Int64
    ) async throws {
        let state: WebhookDeliveryState
        let status: Int?
        let error: String?
        let next: Int64?
        switch outcome {
        case .delivered(let code): (state, status, error, next) = (.delivered, code, nil, nil)
        case .retry(let code, let message, let at): (state, status, error, next) = (.retrying, code, message, at)
        case .failed(let code, let message): (state, status, error, next) = (.failed, code, message, nil)
        }
        let logger = self.logger
        try await write { connection in
            // Counting in the update itself: two attempts recorded at once number themselves 1 and 2.
            guard
                let row = try await connection.row(
                    """
                    UPDATE webhook_deliveries SET state = \(state.rawValue), attempts = attempts + 1,
                        next_attempt_at = \(next)
                    WHERE org_id = \(organisationID) AND id = \(deliveryID)
                    RETURNING attempts
                    """, logger: logger)
            else { throw StoreError.invalid("no webhook delivery \(deliveryID)") }
            let attempt = try row.value("attempts", as: Int.self)
            try await connection.execute(
                """
                INSERT INTO webhook_attempts (org_id, delivery_id, attempt, attempted_at, status_code, error,
                    outcome, next_attempt_at)
                VALUES (\(organisationID), \(deliveryID), \(attempt), \(now), \(status), \(error),
                    \(state == .retrying ? "retry" : state.rawValue), \(next))
                """, logger: logger)
        }
    }

    public func webhookLog(
        organisationID: String, eventSequence: Int64?, subscriberID: Int64?
    ) async throws -> [WebhookLogEntry] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT d.id AS delivery_id, e.number AS event_number, e.type, s.number AS subscriber_number,
                    d.replay, d.state,
                    a.attempt, a.attempted_at, a.status_code, a.error, a.next_attempt_at
                FROM webhook_deliveries d
                JOIN webhook_events e ON e.id = d.event_id AND e.org_id = d.org_id
                JOIN webhook_subscribers s ON s.id = d.subscriber_id AND s.org_id = d.org_id
                LEFT JOIN webhook_attempts a ON a.delivery_id = d.id AND a.org_id = d.org_id
                WHERE d.org_id = \(organisationID)
                    AND (\(eventSequence)::bigint IS NULL OR e.number = \(eventSequence))
                    AND (\(subscriberID)::bigint IS NULL OR s.number = \(subscriberID))
                ORDER BY d.id, a.attempt
                """, logger: logger
            ).map { row in
                WebhookLogEntry(
                    deliveryID: try row.value("delivery_id"),
                    eventID: PublicID.webhookEvent.id(try row.value("event_number", as: Int64.self)),
                    eventType: try Decode.value(try row.value("type", as: String.self)),
                    subscriberID: try row.value("subscriber_number"), replay: try row.value("replay"),
                    state: try Decode.value(try row.value("state", as: String.self)),
                    attempt: try row.optional("attempt"), attemptedAt: try row.optional("attempted_at"),
                    statusCode: try row.optional("status_code"), error: try row.optional("error"),
                    nextAttemptAt: try row.optional("next_attempt_at"))
            }
        }
    }

    public func replayWebhookEvent(
        sequence: Int64, subscriberID: Int64?, organisationID: String, createdAt: String
    ) async throws -> Int {
        let logger = self.logger
        return try await write { connection in
            guard
                let event = try await connection.row(
                    "SELECT id, type FROM webhook_events WHERE org_id = \(organisationID) AND number = \(sequence)",
                    logger: logger)
            else { throw StoreError.invalid("no webhook event evt_\(sequence)") }
            let eventRow = try event.value("id", as: Int64.self)
            let eventType = try Decode.value(try event.value("type", as: String.self), as: WebhookEventType.self)
            let rows = try await connection.rows(
                """
                SELECT number, url, events, secret, created_at, id FROM webhook_subscribers
                WHERE org_id = \(organisationID) AND removed_at IS NULL
                    AND (\(subscriberID)::bigint IS NULL OR number = \(subscriberID))
                ORDER BY number
                """, logger: logger)
            let subscribers = try rows.map {
                (subscriber: try Self.subscriber(from: $0), row: try $0.value("id", as: Int64.self))
            }
            if let subscriberID, subscribers.isEmpty {
                throw StoreError.invalid("no webhook subscriber \(subscriberID)")
            }
            // Named explicitly, a subscriber gets the event whatever it listens to now; otherwise those that want it.
            let targets = subscriberID == nil ? subscribers.filter { $0.subscriber.wants(eventType) } : subscribers
            try await connection.execute(
                """
                INSERT INTO webhook_deliveries (org_id, event_id, subscriber_id, replay, created_at)
                SELECT \(organisationID), \(eventRow), s.subscriber_id, true, \(createdAt)
                FROM unnest(\(targets.map { $0.row })::bigint[]) WITH ORDINALITY AS s (subscriber_id, position)
                ORDER BY s.position
                """, logger: logger)
            return targets.count
        }
    }

    // MARK: - Rows

    // A subscriber from a row with its columns by name; a join renames its number and creation time.
    private static func subscriber(
        from row: PostgresRandomAccessRow, number: String = "number", createdAt: String = "created_at"
    ) throws -> WebhookSubscriber {
        WebhookSubscriber(
            id: try row.value(number), url: try row.value("url"),
            events: WebhookEventsColumn.events(from: try row.value("events")), secret: try row.value("secret"),
            createdAt: try row.value(createdAt))
    }

    // An event from a row with its columns by name; a join renames its number.
    private static func webhookEvent(
        from row: PostgresRandomAccessRow, number: String = "number", _ organisationID: String
    ) throws -> WebhookEvent {
        WebhookEvent(
            sequence: try row.value(number), type: try Decode.value(try row.value("type", as: String.self)),
            organisationID: organisationID, customerID: try row.value("customer_id"),
            occurredOn: try row.value("occurred_on"), recordedAt: try row.value("recorded_at"),
            data: try row.value("data"))
    }
}
