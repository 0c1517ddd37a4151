import DulyCore
import DulyStore
import Logging
import NIOCore
import PostgresNIO

// The outbox: what the deliverer reads and records. Each write that decides on one action's delivery is a check then
// an update on that action's rows, under a row lock (docs/ARCHITECTURE.md, "Isolation"); a write that appends to the
// timeline takes the customer's lock first, then the row lock, the order every timeline writer takes them in.
extension PostgresStore: DeliveryStore {
    /// One account as the planner sees it, or nil when the customer is unknown: read as the collection day reads its
    /// batches (`accountsForReview`), so the deliverer re-checks exactly what the planner saw.
    public func account(organisationID: String, customerID: String) async throws -> Account? {
        try await accountsForReview(organisationID: organisationID, customerIDs: [customerID]).first?.account
    }

    /// The collectors whose details are kept, by name.
    public func collectors(organisationID: String) async throws -> [Collector] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                "SELECT name, email, phone FROM collectors WHERE org_id = \(organisationID) ORDER BY name COLLATE \"C\"",
                logger: logger
            ).map {
                Collector(name: try $0.value("name"), email: try $0.optional("email"), phone: try $0.optional("phone"))
            }
        }
    }

    /// Keeps a collector's details, replacing what was kept under the same name.
    public func saveCollector(_ collector: Collector, organisationID: String) async throws {
        guard !collector.name.isEmpty else { throw StoreError.invalid("a collector needs a name") }
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await connection.execute(
                """
                INSERT INTO collectors (org_id, name, email, phone)
                VALUES (\(organisationID), \(collector.name), \(collector.email), \(collector.phone))
                ON CONFLICT (org_id, name) DO UPDATE SET email = excluded.email, phone = excluded.phone
                """, logger: logger)
        }
    }

    /// Pending actions on the channels, due by the date, whose delivery is not done and may be tried now.
    public func dueDeliveries(
        organisationID: String, channels: Set<DulyCore.Channel>, dueBy: LocalDate, now: Int64, customerIDs: [String]?,
        limit: Int
    ) async throws -> [DeliveryJob] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.prefixedActionColumns), d.state, d.attempts, d.message_id
                FROM actions a
                LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                WHERE a.org_id = \(organisationID) AND a.status IN ('planned', 'approved') AND a.date <= \(dueBy)
                    AND a.channel = ANY(\(channels.map(\.rawValue).sorted())::text[])
                    AND (d.state IS NULL OR d.state IN ('sending', 'committed')
                        OR (d.state = 'retrying' AND d.next_attempt_at <= \(now)))
                    AND (\(customerIDs)::text[] IS NULL OR a.customer_id = ANY(\(customerIDs)::text[]))
                ORDER BY a.id
                LIMIT \(limit)
                """, logger: logger)
            let steps = try await Self.steps(
                ofActions: try rows.map { try $0.value("number") }, organisationID, connection, logger: logger)
            return try rows.map { row in
                let stored = try Self.storedAction(from: row, steps: steps[try row.value("number")] ?? [])
                return DeliveryJob(
                    actionID: stored.id, action: stored.action,
                    state: try row.optional("state", as: String.self).map { try Decode.value($0) },
                    attempts: try row.optional("attempts") ?? 0, messageID: try row.optional("message_id"))
            }
        }
    }

    public func claimDeliveryCustomers(
        organisationID: String, channels: Set<DulyCore.Channel>, dueBy: LocalDate, now: Int64, after: String?,
        holder: String, leaseNow: Int64, until: Int64, limit: Int
    ) async throws -> DeliveryClaim {
        let logger = self.logger
        return try await write { connection in
            // The customers after `after` with messages due that nobody holds, then their claims. Two deliverers
            // that pick the same customer at once meet on the claim's key: the second waits for the first's commit,
            // finds its claim alive and passes the customer over (no row comes back for it).
            let candidates = try await connection.rows(
                """
                SELECT DISTINCT a.customer_id COLLATE "C" AS customer_id FROM actions a
                LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                WHERE a.org_id = \(organisationID) AND a.status IN ('planned', 'approved') AND a.date <= \(dueBy)
                    AND a.channel = ANY(\(channels.map(\.rawValue).sorted())::text[])
                    AND (d.state IS NULL OR d.state IN ('sending', 'committed')
                        OR (d.state = 'retrying' AND d.next_attempt_at <= \(now)))
                    AND (\(after)::text IS NULL OR a.customer_id COLLATE "C" > \(after))
                    AND NOT EXISTS (
                        SELECT 1 FROM delivery_claims c
                        WHERE c.org_id = a.org_id AND c.customer_id = a.customer_id AND c.lease_expires > \(leaseNow))
                ORDER BY 1
                LIMIT \(limit)
                """, logger: logger
            ).map { try $0.value("customer_id", as: String.self) }
            // Others' claims on the customers passed over (all of them once the sweep is over): read after the
            // claims below, so that a customer another deliverer won in the race counts.
            func othersHoldUntil(from: String?, to: String?) async throws -> Int64? {
                try await connection.row(
                    """
                    SELECT min(lease_expires) AS until FROM delivery_claims
                    WHERE org_id = \(organisationID) AND holder <> \(holder) AND lease_expires > \(leaseNow)
                        AND (\(from)::text IS NULL OR customer_id COLLATE "C" > \(from))
                        AND (\(to)::text IS NULL OR customer_id COLLATE "C" <= \(to))
                    """, logger: logger
                )?.optional("until")
            }
            guard let last = candidates.last else {
                let others = try await othersHoldUntil(from: nil, to: nil)
                return DeliveryClaim(customerIDs: [], lastConsidered: nil, othersHoldUntil: others)
            }
            let claimed = Set(
                try await connection.rows(
                    """
                    INSERT INTO delivery_claims (org_id, customer_id, holder, lease_expires)
                    SELECT \(organisationID), c, \(holder), \(until) FROM unnest(\(candidates)::text[]) c
                    ON CONFLICT (org_id, customer_id) DO UPDATE SET
                        holder = excluded.holder, lease_expires = excluded.lease_expires
                    WHERE delivery_claims.lease_expires <= \(leaseNow)
                    RETURNING customer_id
                    """, logger: logger
                ).map { try $0.value("customer_id", as: String.self) })
            return DeliveryClaim(
                customerIDs: candidates.filter(claimed.contains), lastConsidered: last,
                othersHoldUntil: try await othersHoldUntil(from: after, to: last))
        }
    }

    public func renewDeliveryClaim(
        organisationID: String, customerID: String, holder: String, until: Int64
    ) async throws -> Bool {
        let logger = self.logger
        return try await write { connection in
            try await connection.rows(
                """
                UPDATE delivery_claims SET lease_expires = \(until)
                WHERE org_id = \(organisationID) AND customer_id = \(customerID) AND holder = \(holder)
                RETURNING customer_id
                """, logger: logger
            ).count == 1
        }
    }

    public func releaseDeliveryClaims(organisationID: String, customerIDs: [String], holder: String) async throws {
        guard !customerIDs.isEmpty else { return }
        let logger = self.logger
        try await write { connection in
            try await connection.execute(
                """
                DELETE FROM delivery_claims
                WHERE org_id = \(organisationID) AND holder = \(holder) AND customer_id = ANY(\(customerIDs)::text[])
                """, logger: logger)
        }
    }

    /// Records the intent to send, with the exact content, before anything leaves.
    public func beginDelivery(
        organisationID: String, actionID: Int64, messageID: String, content: [UInt8], context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            // The action's row lock: a withdrawal at the same moment comes first (and this is refused) or waits.
            guard
                let found = try await connection.row(
                    "SELECT id, status FROM actions WHERE org_id = \(organisationID) AND number = \(actionID) FOR UPDATE",
                    logger: logger)
            else { throw StoreError.actionNotFound(actionID) }
            let row = try found.value("id", as: Int64.self)
            let status = try found.value("status", as: String.self)
            guard status == ActionStatus.planned.rawValue || status == ActionStatus.approved.rawValue else {
                throw StoreError.invalid("action \(actionID) is \(status): only planned or approved actions go out")
            }
            try await connection.execute(
                """
                INSERT INTO deliveries (org_id, action_id, state, attempts, message_id, content)
                VALUES (\(organisationID), \(row), 'sending', 1, \(messageID), \(ByteBuffer(bytes: content)))
                ON CONFLICT (org_id, action_id) DO UPDATE SET
                    state = 'sending', attempts = deliveries.attempts + 1, content = excluded.content,
                    next_attempt_at = NULL
                """, logger: logger)
        }
    }

    /// Records that the message is about to become irrevocable.
    public func markDeliveryCommitted(organisationID: String, actionID: Int64) async throws {
        let logger = self.logger
        try await write { connection in
            // One statement decides: the row it returns says this call moved the delivery on.
            let moved = try await connection.rows(
                """
                UPDATE deliveries SET state = 'committed'
                WHERE org_id = \(organisationID) AND state = 'sending'
                    AND action_id = (SELECT id FROM actions WHERE org_id = \(organisationID) AND number = \(actionID))
                RETURNING action_id
                """, logger: logger)
            guard moved.count == 1 else {
                throw StoreError.invalid("action \(actionID) has no delivery in progress to commit")
            }
        }
    }

    /// Records how an attempt ended, moving the action on and writing the timeline.
    public func finishDelivery(
        organisationID: String, actionID: Int64, outcome: DeliveryOutcome, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            let customerID = try await Self.lockAction(actionID, organisationID, connection, logger: logger).customerID
            // The delivery's row too: the attempt it records ends once.
            guard
                let row = try await connection.row(
                    """
                    SELECT a.channel, d.message_id, a.id FROM actions a
                    JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                    WHERE a.org_id = \(organisationID) AND a.number = \(actionID)
                    FOR UPDATE
                    """, logger: logger)
            else { throw StoreError.actionNotFound(actionID) }
            let channel: DulyCore.Channel = try Decode.value(try row.value("channel"))
            let messageID = try row.value("message_id", as: String.self)
            // The action's row, which its delivery and hold point at; the timeline names the action's number.
            let actionRow = try row.value("id", as: Int64.self)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            if case .retry = outcome {
            } else {
                try await connection.execute(
                    "DELETE FROM delivery_holds WHERE org_id = \(organisationID) AND action_id = \(actionRow)",
                    logger: logger)
            }
            switch outcome {
            case .sent(let recipient, let confirmed):
                try await connection.execute(
                    """
                    UPDATE deliveries SET state = 'sent', recipient = \(recipient), last_error = NULL
                    WHERE org_id = \(organisationID) AND action_id = \(actionRow)
                    """, logger: logger)
                try await connection.execute(
                    "UPDATE actions SET status = 'sent' WHERE org_id = \(organisationID) AND id = \(actionRow)",
                    logger: logger)
                try await timeline.append(
                    .messageSent(
                        actionID: actionID, customerID: customerID, channel: channel, messageID: messageID,
                        to: recipient, confirmed: confirmed, on: context.date),
                    connection)
            case .retry(let error, let nextAttemptAt):
                try await connection.execute(
                    """
                    UPDATE deliveries SET state = 'retrying', next_attempt_at = \(nextAttemptAt), last_error = \(error)
                    WHERE org_id = \(organisationID) AND action_id = \(actionRow)
                    """, logger: logger)
                try await timeline.append(
                    .deliveryFailed(
                        actionID: actionID, customerID: customerID, error: error, permanent: false, on: context.date),
                    connection)
            case .failed(let error, let bouncedAddress):
                try await connection.execute(
                    """
                    UPDATE deliveries SET state = 'failed', last_error = \(error)
                    WHERE org_id = \(organisationID) AND action_id = \(actionRow)
                    """, logger: logger)
                try await connection.execute(
                    """
                    UPDATE actions SET status = 'failed', note = \(error)
                    WHERE org_id = \(organisationID) AND id = \(actionRow)
                    """, logger: logger)
                if let bouncedAddress {
                    // The address is repaired by a person; until then no email goes there (the planner skips it).
                    try await connection.execute(
                        """
                        UPDATE contacts SET email_bouncing = true
                        WHERE org_id = \(organisationID) AND customer_id = \(customerID)
                            AND lower(email) = lower(\(bouncedAddress))
                        """, logger: logger)
                }
                try await timeline.append(
                    .deliveryFailed(
                        actionID: actionID, customerID: customerID, error: error, permanent: true, on: context.date),
                    connection)
            }
            try await timeline.flush(connection)
        }
    }

    /// Records why a pending action waits; the timeline hears of it once per reason.
    public func holdDelivery(
        organisationID: String, actionID: Int64, reason: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            let (customerID, status) = try await Self.lockAction(actionID, organisationID, connection, logger: logger)
            guard status == .planned || status == .approved else {
                throw StoreError.invalid("action \(actionID) is \(status.rawValue): only a pending action can wait")
            }
            let actionRow = try await Self.actionRow(actionID, organisationID, connection, logger: logger)
            let previous = try await connection.row(
                "SELECT reason FROM delivery_holds WHERE org_id = \(organisationID) AND action_id = \(actionRow)",
                logger: logger
            ).map { try $0.value("reason", as: String.self) }
            try await connection.execute(
                """
                INSERT INTO delivery_holds (org_id, action_id, held_on, reason)
                VALUES (\(organisationID), \(actionRow), \(context.date), \(reason))
                ON CONFLICT (org_id, action_id) DO UPDATE SET held_on = excluded.held_on, reason = excluded.reason
                """, logger: logger)
            guard previous != reason else { return }
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .deliveryHeld(actionID: actionID, customerID: customerID, reason: reason, on: context.date), connection)
            try await timeline.flush(connection)
        }
    }

    /// The pending actions that wait, oldest first.
    public func heldDeliveries(organisationID: String) async throws -> [DeliveryHold] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT a.number, a.customer_id, h.held_on, h.reason FROM delivery_holds h
                JOIN actions a ON a.org_id = h.org_id AND a.id = h.action_id
                WHERE h.org_id = \(organisationID) AND a.status IN ('planned', 'approved')
                ORDER BY h.action_id
                """, logger: logger
            ).map { row in
                DeliveryHold(
                    actionID: try row.value("number"), customerID: try row.value("customer_id"),
                    heldOn: try row.value("held_on"), reason: try row.value("reason"))
            }
        }
    }

    /// The Message-ID of the last email sent to the customer.
    public func lastMessageID(organisationID: String, customerID: String) async throws -> String? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row(
                """
                SELECT d.message_id FROM deliveries d
                JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                WHERE d.org_id = \(organisationID) AND a.customer_id = \(customerID) AND a.channel = 'email'
                    AND d.state IN ('sent', 'committed')
                ORDER BY a.id DESC LIMIT 1
                """, logger: logger
            ).map { try $0.value("message_id", as: String.self) }
        }
    }

    /// Every message recorded for a customer, oldest first.
    public func communications(organisationID: String, customerID: String) async throws -> [Communication] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT a.number, d.message_id, d.state, d.content FROM deliveries d
                JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                WHERE d.org_id = \(organisationID) AND a.customer_id = \(customerID)
                ORDER BY d.action_id
                """, logger: logger
            ).map { row in
                Communication(
                    actionID: try row.value("number"), customerID: customerID, messageID: try row.value("message_id"),
                    state: try Decode.value(try row.value("state")),
                    content: Array(try row.value("content", as: ByteBuffer.self).readableBytesView))
            }
        }
    }

    /// Closes a call or meeting task with its outcome, on the timeline too.
    public func completeTask(
        organisationID: String, actionID: Int64, status: ActionStatus, outcome: String, note: String?,
        clientReached: Bool, context: RecordingContext
    ) async throws {
        guard status == .done || status == .failed else {
            throw StoreError.invalid("a task ends done or failed, not \(status.rawValue)")
        }
        let logger = self.logger
        try await write { connection in
            // The row lock: of two outcomes recorded at once for one call, the second reads the first's status.
            let (customerID, current) = try await Self.lockAction(actionID, organisationID, connection, logger: logger)
            guard
                let row = try await connection.row(
                    "SELECT channel FROM actions WHERE org_id = \(organisationID) AND number = \(actionID)",
                    logger: logger)
            else { throw StoreError.actionNotFound(actionID) }
            let channel: DulyCore.Channel = try Decode.value(try row.value("channel"))
            guard channel == .call || channel == .meeting else {
                throw StoreError.invalid(
                    "action \(actionID) is \(channel.rawValue == "email" ? "an" : "a") \(channel.rawValue), not a call or meeting"
                )
            }
            guard current == .planned || current == .approved else {
                throw StoreError.invalid(
                    "action \(actionID) is already \(current.rawValue.split(separator: "_").joined(separator: " "))")
            }
            try await connection.execute(
                """
                UPDATE actions SET status = \(status.rawValue), note = \(note),
                    client_reached = \(status == .done && clientReached)
                WHERE org_id = \(organisationID) AND number = \(actionID)
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .taskCompleted(
                    actionID: actionID, customerID: customerID, channel: channel, outcome: outcome, note: note,
                    on: context.date),
                connection)
            try await timeline.flush(connection)
        }
    }

    /// The row id of an action (what its delivery and hold point at), by its number.
    static func actionRow(
        _ actionID: Int64, _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        guard
            let row = try await connection.row(
                "SELECT id FROM actions WHERE org_id = \(organisationID) AND number = \(actionID)", logger: logger)
        else { throw StoreError.actionNotFound(actionID) }
        return try row.value("id", as: Int64.self)
    }
}
