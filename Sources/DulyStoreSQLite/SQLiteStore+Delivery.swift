import DulyCore
import DulyStore
import Foundation
import GRDB

extension SQLiteStore: DeliveryStore {
    /// One account as the planner sees it, or nil when the customer is unknown.
    public func account(organisationID: String, customerID: String) async throws -> Account? {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT \(SQLiteStore.customerColumns()) FROM customers WHERE org_id = ? AND customer_id = ?",
                arguments: [organisationID, customerID])
            guard let row else { return nil }
            var accounts = [Account(customer: try SQLiteStore.customer(from: row))]
            try SQLiteStore.completeAccounts(&accounts, organisationID, db)
            return accounts[0]
        }
    }

    /// The collectors whose details are kept, by name.
    public func collectors(organisationID: String) async throws -> [Collector] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, email, phone FROM collectors WHERE org_id = ? ORDER BY name",
                arguments: [organisationID]
            ).map { Collector(name: $0["name"], email: $0["email"], phone: $0["phone"]) }
        }
    }

    /// Keeps a collector's details, replacing what was kept under the same name.
    public func saveCollector(_ collector: Collector, organisationID: String) async throws {
        guard !collector.name.isEmpty else { throw StoreError.invalid("a collector needs a name") }
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            try db.execute(
                sql: """
                    INSERT INTO collectors (org_id, name, email, phone) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, name) DO UPDATE SET email = excluded.email, phone = excluded.phone
                    """,
                arguments: [organisationID, collector.name, collector.email, collector.phone])
        }
    }

    /// Pending actions on the channels, due by the date, whose delivery is not done and may be tried now.
    public func dueDeliveries(
        organisationID: String, channels: Set<Channel>, dueBy: LocalDate, now: Int64, customerIDs: [String]?,
        limit: Int
    ) async throws -> [DeliveryJob] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.actionColumnNames.map { "a." + $0 }.joined(separator: ", ")),
                        d.state, d.attempts, d.message_id
                    FROM actions a
                    LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                    WHERE \(SQLiteStore.dueCondition)
                        AND (?5 IS NULL OR a.customer_id IN (SELECT value FROM json_each(?5)))
                    ORDER BY a.id
                    LIMIT ?6
                    """,
                arguments: [
                    organisationID, dueBy.description, JSONText.encode(channels.map(\.rawValue).sorted()), now,
                    customerIDs.map(JSONText.encode), limit,
                ])
            let steps = try SQLiteStore.steps(ofActions: rows.map { $0["number"] as Int64 }, organisationID, db)
            return try rows.map { row in
                let id: Int64 = row["number"]
                let action = try SQLiteStore.storedAction(from: row, steps: steps[id] ?? []).action
                let state: String? = row["state"]
                return DeliveryJob(
                    actionID: id, action: action, state: try state.map { try Decode.value($0) },
                    attempts: row["attempts"] ?? 0, messageID: row["message_id"])
            }
        }
    }

    // What makes an action `a` (with its delivery `d`, if any) due: planned or approved, dated by ?2, on one of the
    // channels in the JSON array ?3, and never tried, left mid-way by a crash, or retrying by ?4 (organisation ?1).
    static let dueCondition = """
        a.org_id = ?1 AND a.status IN ('planned', 'approved') AND a.date <= ?2
            AND a.channel IN (SELECT value FROM json_each(?3))
            AND (d.state IS NULL OR d.state IN ('sending', 'committed')
                OR (d.state = 'retrying' AND d.next_attempt_at <= ?4))
        """

    public func claimDeliveryCustomers(
        organisationID: String, channels: Set<Channel>, dueBy: LocalDate, now: Int64, after: String?,
        holder: String, leaseNow: Int64, until: Int64, limit: Int
    ) async throws -> DeliveryClaim {
        try await write { db in
            // One writer at a time: what this reads free stays free until it is claimed.
            let free = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT a.customer_id FROM actions a
                    LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                    WHERE \(SQLiteStore.dueCondition)
                        AND (?5 IS NULL OR a.customer_id > ?5)
                        AND NOT EXISTS (
                            SELECT 1 FROM delivery_claims c
                            WHERE c.org_id = a.org_id AND c.customer_id = a.customer_id AND c.lease_expires > ?6)
                    ORDER BY a.customer_id
                    LIMIT ?7
                    """,
                arguments: [
                    organisationID, dueBy.description, JSONText.encode(channels.map(\.rawValue).sorted()), now, after,
                    leaseNow, limit,
                ])
            let claim = try db.cachedStatement(
                sql: """
                    INSERT INTO delivery_claims (org_id, customer_id, holder, lease_expires) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, customer_id) DO UPDATE SET
                        holder = excluded.holder, lease_expires = excluded.lease_expires
                    """)
            for customerID in free { try claim.execute(arguments: [organisationID, customerID, holder, until]) }
            // Others' claims on the customers passed over (all of them once the sweep is over).
            let others = try Int64.fetchOne(
                db,
                sql: """
                    SELECT min(lease_expires) FROM delivery_claims
                    WHERE org_id = ? AND holder <> ? AND lease_expires > ?
                        AND (?4 IS NULL OR customer_id > ?4) AND (?5 IS NULL OR customer_id <= ?5)
                    """, arguments: [organisationID, holder, leaseNow, free.isEmpty ? nil : after, free.last])
            return DeliveryClaim(customerIDs: free, lastConsidered: free.last, othersHoldUntil: others)
        }
    }

    public func renewDeliveryClaim(
        organisationID: String, customerID: String, holder: String, until: Int64
    ) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE delivery_claims SET lease_expires = ?
                    WHERE org_id = ? AND customer_id = ? AND holder = ?
                    """, arguments: [until, organisationID, customerID, holder])
            return db.changesCount == 1
        }
    }

    public func releaseDeliveryClaims(organisationID: String, customerIDs: [String], holder: String) async throws {
        guard !customerIDs.isEmpty else { return }
        try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM delivery_claims
                    WHERE org_id = ? AND holder = ? AND customer_id IN (SELECT value FROM json_each(?))
                    """, arguments: [organisationID, holder, JSONText.encode(customerIDs)])
        }
    }

    /// Records the intent to send, with the exact content, before anything leaves.
    public func beginDelivery(
        organisationID: String, actionID: Int64, messageID: String, content: [UInt8], context: RecordingContext
    ) async throws {
        try await write { db in
            let found = try Row.fetchOne(
                db, sql: "SELECT id, status FROM actions WHERE org_id = ? AND number = ?",
                arguments: [organisationID, actionID])
            guard let found else { throw StoreError.actionNotFound(actionID) }
            let row: Int64 = found["id"]
            let status: String = found["status"]
            guard status == ActionStatus.planned.rawValue || status == ActionStatus.approved.rawValue else {
                throw StoreError.invalid("action \(actionID) is \(status): only planned or approved actions go out")
            }
            try db.execute(
                sql: """
                    INSERT INTO deliveries (org_id, action_id, state, attempts, message_id, content)
                    VALUES (?, ?, 'sending', 1, ?, ?)
                    ON CONFLICT (org_id, action_id) DO UPDATE SET
                        state = 'sending', attempts = attempts + 1, content = excluded.content,
                        next_attempt_at = NULL
                    """,
                arguments: [organisationID, row, messageID, Data(content)])
        }
    }

    /// Records that the message is about to become irrevocable.
    public func markDeliveryCommitted(organisationID: String, actionID: Int64) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET state = 'committed'
                    WHERE org_id = ?1 AND state = 'sending'
                        AND action_id = (SELECT id FROM actions WHERE org_id = ?1 AND number = ?2)
                    """,
                arguments: [organisationID, actionID])
            guard db.changesCount == 1 else {
                throw StoreError.invalid("action \(actionID) has no delivery in progress to commit")
            }
        }
    }

    /// Records how an attempt ended, moving the action on and writing the timeline.
    public func finishDelivery(
        organisationID: String, actionID: Int64, outcome: DeliveryOutcome, context: RecordingContext
    ) async throws {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.customer_id, a.channel, d.message_id, a.id FROM actions a
                        JOIN deliveries d ON d.org_id = a.org_id AND d.action_id = a.id
                        WHERE a.org_id = ? AND a.number = ?
                        """,
                    arguments: [organisationID, actionID])
            else { throw StoreError.actionNotFound(actionID) }
            let customerID: String = row["customer_id"]
            let channel: Channel = try Decode.value(row["channel"])
            let messageID: String = row["message_id"]
            // The action's row, which its delivery and hold point at; the timeline names the action's number.
            let actionRow: Int64 = row["id"]
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            if case .retry = outcome {
            } else {
                try db.execute(
                    sql: "DELETE FROM delivery_holds WHERE org_id = ? AND action_id = ?",
                    arguments: [organisationID, actionRow])
            }
            switch outcome {
            case .sent(let recipient, let confirmed):
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'sent', recipient = ?, last_error = NULL
                        WHERE org_id = ? AND action_id = ?
                        """,
                    arguments: [recipient, organisationID, actionRow])
                try db.execute(
                    sql: "UPDATE actions SET status = 'sent' WHERE org_id = ? AND id = ?",
                    arguments: [organisationID, actionRow])
                try timeline.append(
                    .messageSent(
                        actionID: actionID, customerID: customerID, channel: channel, messageID: messageID,
                        to: recipient, confirmed: confirmed, on: context.date),
                    db)
            case .retry(let error, let nextAttemptAt):
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'retrying', next_attempt_at = ?, last_error = ?
                        WHERE org_id = ? AND action_id = ?
                        """,
                    arguments: [nextAttemptAt, error, organisationID, actionRow])
                try timeline.append(
                    .deliveryFailed(
                        actionID: actionID, customerID: customerID, error: error, permanent: false, on: context.date),
                    db)
            case .failed(let error, let bouncedAddress):
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'failed', last_error = ? WHERE org_id = ? AND action_id = ?",
                    arguments: [error, organisationID, actionRow])
                try db.execute(
                    sql: "UPDATE actions SET status = 'failed', note = ? WHERE org_id = ? AND id = ?",
                    arguments: [error, organisationID, actionRow])
                if let bouncedAddress {
                    // The address is repaired by a person; until then no email goes there (the planner skips it).
                    try db.execute(
                        sql: """
                            UPDATE contacts SET email_bouncing = 1
                            WHERE org_id = ? AND customer_id = ? AND lower(email) = lower(?)
                            """,
                        arguments: [organisationID, customerID, bouncedAddress])
                }
                try timeline.append(
                    .deliveryFailed(
                        actionID: actionID, customerID: customerID, error: error, permanent: true, on: context.date),
                    db)
            }
        }
    }

    /// Records why a pending action waits; the timeline hears of it once per reason.
    public func holdDelivery(
        organisationID: String, actionID: Int64, reason: String, context: RecordingContext
    ) async throws {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT customer_id, status, id FROM actions WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, actionID])
            else { throw StoreError.actionNotFound(actionID) }
            let customerID: String = row["customer_id"]
            let status: String = row["status"]
            let actionRow: Int64 = row["id"]
            guard status == ActionStatus.planned.rawValue || status == ActionStatus.approved.rawValue else {
                throw StoreError.invalid("action \(actionID) is \(status): only a pending action can wait")
            }
            let previous = try String.fetchOne(
                db, sql: "SELECT reason FROM delivery_holds WHERE org_id = ? AND action_id = ?",
                arguments: [organisationID, actionRow])
            try db.execute(
                sql: """
                    INSERT INTO delivery_holds (org_id, action_id, held_on, reason) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, action_id) DO UPDATE SET held_on = excluded.held_on, reason = excluded.reason
                    """,
                arguments: [organisationID, actionRow, context.date.description, reason])
            guard previous != reason else { return }
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .deliveryHeld(actionID: actionID, customerID: customerID, reason: reason, on: context.date), db)
        }
    }

    /// The pending actions that wait, oldest first.
    public func heldDeliveries(organisationID: String) async throws -> [DeliveryHold] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.number, a.customer_id, h.held_on, h.reason FROM delivery_holds h
                    JOIN actions a ON a.org_id = h.org_id AND a.id = h.action_id
                    WHERE h.org_id = ? AND a.status IN ('planned', 'approved')
                    ORDER BY h.action_id
                    """,
                arguments: [organisationID]
            ).map { row in
                DeliveryHold(
                    actionID: row["number"], customerID: row["customer_id"], heldOn: try Decode.date(row["held_on"]),
                    reason: row["reason"])
            }
        }
    }

    /// The Message-ID of the last email sent to the customer.
    public func lastMessageID(organisationID: String, customerID: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT d.message_id FROM deliveries d
                    JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                    WHERE d.org_id = ? AND a.customer_id = ? AND a.channel = 'email'
                        AND d.state IN ('sent', 'committed')
                    ORDER BY a.id DESC LIMIT 1
                    """,
                arguments: [organisationID, customerID])
        }
    }

    /// Every message recorded for a customer, oldest first.
    public func communications(organisationID: String, customerID: String) async throws -> [Communication] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.number, d.message_id, d.state, d.content FROM deliveries d
                    JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                    WHERE d.org_id = ? AND a.customer_id = ?
                    ORDER BY d.action_id
                    """,
                arguments: [organisationID, customerID]
            ).map { row in
                let content: Data = row["content"]
                return Communication(
                    actionID: row["number"], customerID: customerID, messageID: row["message_id"],
                    state: try Decode.value(row["state"]),
                    content: [UInt8](content))
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
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT customer_id, channel, status FROM actions WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, actionID])
            else { throw StoreError.actionNotFound(actionID) }
            let customerID: String = row["customer_id"]
            let channel: Channel = try Decode.value(row["channel"])
            let current: ActionStatus = try Decode.value(row["status"])
            guard channel == .call || channel == .meeting else {
                throw StoreError.invalid(
                    "action \(actionID) is \(channel.rawValue == "email" ? "an" : "a") \(channel.rawValue), not a call or meeting"
                )
            }
            guard current == .planned || current == .approved else {
                throw StoreError.invalid(
                    "action \(actionID) is already \(current.rawValue.split(separator: "_").joined(separator: " "))")
            }
            try db.execute(
                sql: "UPDATE actions SET status = ?, note = ?, client_reached = ? WHERE org_id = ? AND number = ?",
                arguments: [status.rawValue, note, status == .done && clientReached, organisationID, actionID])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .taskCompleted(
                    actionID: actionID, customerID: customerID, channel: channel, outcome: outcome, note: note,
                    on: context.date),
                db)
        }
    }

    /// Records a refusal to pay on the context's date (recording it twice on one day changes nothing).
    public func recordRefusal(
        customerID: String, note: String?, organisationID: String, context: RecordingContext
    )
        async throws
    {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var customers = try KnownCustomers(organisationID: organisationID, db, expectedLookups: 1)
            try customers.require(customerID, db)
            try db.execute(
                sql: """
                    INSERT INTO refusals (org_id, customer_id, date, note) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, customer_id, date) DO NOTHING
                    """,
                arguments: [organisationID, customerID, context.date.description, note])
            guard db.changesCount == 1 else { return }
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(.paymentRefused(customerID: customerID, on: context.date, note: note), db)
        }
    }

    // The invoice steps of some actions, keyed by the actions' numbers, in their order.
    static func steps(ofActions ids: [Int64], _ organisationID: String, _ db: Database) throws -> [Int64: [InvoiceStep]]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.number, s.key, s.value FROM actions a, json_each(a.invoice_steps) s
                WHERE a.org_id = ? AND a.number IN (SELECT value FROM json_each(?))
                ORDER BY a.number, s.id
                """,
            // Numbers, not strings, so that they compare equal to the INTEGER column.
            arguments: [organisationID, "[" + ids.map(String.init).joined(separator: ",") + "]"])
        var steps: [Int64: [InvoiceStep]] = [:]
        while let row = try rows.next() {
            steps[row["number"], default: []].append(InvoiceStep(invoiceNumber: row["key"], stepID: row["value"]))
        }
        return steps
    }
}
