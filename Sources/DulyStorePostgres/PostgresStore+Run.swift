import DulyCore
import DulyStore
import Logging
import PostgresNIO

// The collection day's reads and writes (README, "The collection day"), as the SQLite store does them, with the
// locks a store with several writers needs (docs/ARCHITECTURE.md, "Isolation").
extension PostgresStore {
    /// The next batch of accounts for the collection day: customers after `after` with an open invoice, a pending
    /// action or a thank-you due, each with everything the planner reads. A handful of set-based queries per batch.
    public func accountsForRun(organisationID: String, after: String?, limit: Int) async throws -> [Account] {
        guard limit > 0 else { return [] }
        let logger = self.logger
        return try await read { connection in
            // Customer ids are never empty (a CHECK says so), so '' sorts before every one of them. The batches walk
            // the primary key in the database's collation, so that each is an index range: under a C or C.UTF-8
            // collation that is SQLite's byte order.
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: CustomerColumns.selectList(prefix: "c."))
                FROM customers c
                WHERE c.org_id = \(organisationID) AND c.customer_id > \(after ?? "")
                    AND (
                        EXISTS (
                            SELECT 1 FROM invoices i
                            WHERE i.org_id = c.org_id AND i.customer_id = c.customer_id
                                AND i.paid_minor + i.credited_minor < i.total_minor)
                        OR EXISTS (
                            SELECT 1 FROM actions a
                            WHERE a.org_id = c.org_id AND a.customer_id = c.customer_id
                                AND a.status IN ('planned', 'awaiting_approval', 'approved'))
                        OR EXISTS (
                            SELECT 1 FROM thanks_due t
                            WHERE t.org_id = c.org_id AND t.customer_id = c.customer_id))
                ORDER BY c.customer_id
                LIMIT \(limit)
                """, logger: logger)
            var accounts = try rows.map { Account(customer: try Self.customer(from: $0)) }
            try await Self.completeAccounts(&accounts, organisationID, connection, logger: logger)
            return accounts
        }
    }

    /// Writes one batch of a run: new actions (a known idempotency key is skipped), cancellations of still-pending
    /// actions, a timeline entry for each, and the batch's reviews, in one transaction.
    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], organisationID: String,
        context: RecordingContext
    ) async throws -> RunCommitSummary {
        let logger = self.logger
        return try await write { connection in
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            return try await writeRun(
                actions: actions, cancellations: cancellations, reviews: reviews, organisationID, context,
                timeline: &timeline, connection)
        }
    }

    /// The body of `commitRun`, for a variant that adds to the same transaction: it flushes `timeline` before it
    /// writes the reviews (a caller that appends more flushes again).
    ///
    /// Isolation: several nodes write batches at once. The batch's customers are locked (`lockCustomers`, in id
    /// order) before anything is read, the actions it cancels or replaces are read `FOR UPDATE`, and the action
    /// counter is locked by `PostgresNumbers`: the "every replaced approval still awaits approval" and "the review's
    /// account did not change" checks hold until the commit.
    func writeRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], _ organisationID: String,
        _ context: RecordingContext, timeline: inout PostgresTimeline, _ connection: PostgresConnection
    ) async throws -> RunCommitSummary {
        let logger = self.logger
        try await requireOrganisation(organisationID, connection)
        // The batch writes its customers' reviews itself, after its entries: they need no mark of their own.
        timeline.reviewedByTheWriter = Set(reviews.map(\.customerID))
        // Every customer the batch appends to or reviews, locked at once in id order: the customers of the actions it
        // cancels or replaces are read first (an action never changes customer), so no lock is taken after a row's.
        let touched = Array(Set(actions.flatMap(\.replaces) + cancellations.map(\.actionID)))
        var locked = Set(actions.map(\.customerID)).union(reviews.map(\.customerID))
        if !touched.isEmpty {
            for row in try await connection.rows(
                """
                SELECT DISTINCT customer_id FROM actions
                WHERE org_id = \(organisationID) AND number = ANY(\(touched)::bigint[])
                """, logger: logger)
            {
                locked.insert(try row.value("customer_id"))
            }
        }
        try await connection.lockCustomers(
            organisationID: organisationID, customerIDs: locked.sorted(), logger: logger)

        let customerIDs = Array(Set(actions.map(\.customerID)))
        let knownCustomers = Set(
            try await connection.rows(
                """
                SELECT customer_id FROM customers
                WHERE org_id = \(organisationID) AND customer_id = ANY(\(customerIDs)::text[])
                """, logger: logger
            ).map { try $0.value("customer_id", as: String.self) })
        let numbers = Array(Set(actions.flatMap(\.steps).map(\.invoiceNumber)))
        var owners: [String: String] = [:]
        for row in try await connection.rows(
            """
            SELECT invoice_number, customer_id FROM invoices
            WHERE org_id = \(organisationID) AND invoice_number = ANY(\(numbers)::text[])
            """, logger: logger)
        {
            owners[try row.value("invoice_number")] = try row.value("customer_id", as: String.self)
        }
        // The actions a new one replaces and those the batch cancels: row-locked, so that a decision or a delivery
        // begun meanwhile waits for this batch, or this batch sees it.
        var states = try await Self.actionStates(touched, organisationID, connection, logger: logger)
        let existingKeys = Set(
            try await connection.rows(
                """
                SELECT idempotency_key FROM actions
                WHERE org_id = \(organisationID) AND idempotency_key = ANY(\(actions.map(\.idempotencyKey))::text[])
                """, logger: logger
            ).map { try $0.value("idempotency_key", as: String.self) })

        // Approvals a new one was to take over but that were decided (or sent) since the planner read them: they
        // keep their decision, and the new approval is not written, so no invoice is covered twice.
        var keptReplaced: Set<Int64> = []
        var written: [PlannedAction] = []
        var keys = existingKeys
        for action in actions {
            guard knownCustomers.contains(action.customerID) else {
                throw StoreError.customerNotFound(action.customerID)
            }
            if !action.replaces.isEmpty {
                let stillWaiting = try action.replaces.allSatisfy {
                    guard let state = states[$0] else { throw StoreError.actionNotFound($0) }
                    return state.status == .awaitingApproval
                }
                guard stillWaiting else {
                    keptReplaced.formUnion(action.replaces)
                    continue
                }
            }
            if let refusal = WriteChecks.refusal(of: action, owners: owners) { throw refusal }
            // A key already written (a second run of the same day, a retry after a crash) is not written again, and
            // takes no number. The customers' locks keep another batch from writing these customers' keys meanwhile.
            guard keys.insert(action.idempotencyKey).inserted else { continue }
            written.append(action)
        }

        var cancelled: [(id: Int64, customerID: String, reason: String)] = []
        for cancellation in cancellations where !keptReplaced.contains(cancellation.actionID) {
            guard let state = states[cancellation.actionID] else {
                throw StoreError.actionNotFound(cancellation.actionID)
            }
            // An action that went out (or was already withdrawn) in the meantime stays as it is.
            guard state.status.isPending else { continue }
            states[cancellation.actionID] = (state.customerID, .cancelled)
            cancelled.append((cancellation.actionID, state.customerID, cancellation.reason))
        }
        // Every chain the batch appends to, read in one query.
        if !written.isEmpty || !cancelled.isEmpty { try await timeline.preloadHeads(of: Array(locked), connection) }

        var summary = RunCommitSummary()
        if !written.isEmpty {
            var counter = try await PostgresNumbers(
                .action, organisationID: organisationID, connection, logger: logger)
            let ids = written.map { _ in counter.take() }
            try await Self.insertActions(written, numbers: ids, organisationID, connection, logger: logger)
            try await counter.save(connection, logger: logger)
            // Thanked (or the thank-you recorded as skipped): the invoice leaves the queue with its action.
            let thanked = written.flatMap(\.steps).filter { $0.stepID == Playbook.thankYouStepID }.map(\.invoiceNumber)
            if !thanked.isEmpty {
                try await connection.execute(
                    """
                    DELETE FROM thanks_due
                    WHERE org_id = \(organisationID) AND invoice_number = ANY(\(thanked)::text[])
                    """, logger: logger)
            }
            for (action, id) in zip(written, ids) {
                try await timeline.append(.actionPlanned(action, id: id), connection)
            }
            summary.planned = written.count
        }

        if !cancelled.isEmpty {
            try await connection.execute(
                """
                UPDATE actions a SET status = 'cancelled', note = c.reason
                FROM unnest(\(cancelled.map(\.id))::bigint[], \(cancelled.map(\.reason))::text[]) AS c (number, reason)
                WHERE a.org_id = \(organisationID) AND a.number = c.number
                """, logger: logger)
            for cancellation in cancelled {
                try await timeline.append(
                    .actionCancelled(
                        id: cancellation.id, customerID: cancellation.customerID, reason: cancellation.reason,
                        on: context.date),
                    connection)
            }
            summary.cancelled = cancelled.count
        }
        try await timeline.flush(connection)
        try await Self.writeReviews(reviews, organisationID, connection, logger: logger)
        return summary
    }

    /// Moves an action on its life (`planned → (awaiting_approval → approved) → sent | done | failed | skipped |
    /// cancelled`) and records it on the timeline. Setting the status it already has changes nothing, so a deliverer
    /// may retry safely. The action's row is locked before its status is read.
    public func updateActionStatus(
        id: Int64, to status: ActionStatus, organisationID: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            let state = try await Self.lockAction(id, organisationID, connection, logger: logger)
            if state.status == status { return }
            guard state.status.mayBecome(status) else {
                throw StoreError.invalid(
                    "action \(id) is \(state.status.rawValue); it cannot become \(status.rawValue)")
            }
            try await connection.execute(
                """
                UPDATE actions SET status = \(status.rawValue) WHERE org_id = \(organisationID) AND number = \(id)
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .actionStatusChanged(id: id, customerID: state.customerID, to: status, on: context.date), connection)
            try await timeline.flush(connection)
        }
    }

    /// One action by its number in the organisation: its row and its invoices' steps, read by key.
    public func action(organisationID: String, id: Int64) async throws -> StoredAction? {
        let logger = self.logger
        return try await read { connection in
            guard
                let row = try await connection.row(
                    """
                    SELECT \(unescaped: Self.actionColumns) FROM actions
                    WHERE org_id = \(organisationID) AND number = \(id)
                    """, logger: logger)
            else { return nil }
            let steps = try await Self.steps(ofActions: [id], organisationID, connection, logger: logger)
            return try Self.storedAction(from: row, steps: steps[id] ?? [])
        }
    }

    public func actionsAwaitingApproval(organisationID: String) async throws -> [StoredAction] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.actionColumns) FROM actions
                WHERE org_id = \(organisationID) AND status = 'awaiting_approval'
                ORDER BY id
                """, logger: logger)
            return try await Self.storedActions(from: rows, organisationID, connection, logger: logger)
        }
    }

    /// The organisation's actions (or one customer's), oldest first, as the outbox sees them.
    public func actions(organisationID: String, customerID: String?) async throws -> [StoredAction] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.actionColumns) FROM actions
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                ORDER BY id
                """, logger: logger)
            var steps: [Int64: [InvoiceStep]] = [:]
            for row in try await connection.rows(
                """
                SELECT a.number, s.key, s.value
                FROM actions a CROSS JOIN LATERAL json_each_text(a.invoice_steps::json) WITH ORDINALITY
                    AS s (key, value, position)
                WHERE a.org_id = \(organisationID) AND (\(customerID)::text IS NULL OR a.customer_id = \(customerID))
                ORDER BY a.id, s.position
                """, logger: logger)
            {
                steps[try row.value("number", as: Int64.self), default: []].append(
                    InvoiceStep(invoiceNumber: try row.value("key"), stepID: try row.value("value")))
            }
            return try rows.map { row in
                try Self.storedAction(from: row, steps: steps[try row.value("number", as: Int64.self)] ?? [])
            }
        }
    }

    // MARK: - Actions

    /// The columns `storedAction(from:steps:)` reads (`ActionColumns.names`), for a query on `actions`.
    static let actionColumns = ActionColumns.names.joined(separator: ", ")

    /// Reads an action from a row that selects `ActionColumns.names`, by column name.
    static func storedAction(from row: PostgresRandomAccessRow, steps: [InvoiceStep]) throws -> StoredAction {
        let columns = ActionColumns(
            customerID: try row.value("customer_id"), date: try row.value("date"), channel: try row.value("channel"),
            stage: try row.value("stage"), stepID: try row.value("step_id"), template: try row.value("template"),
            requiresApproval: try row.value("requires_approval"), escalatesTo: try row.optional("escalates_to"),
            status: try row.value("status"), note: try row.optional("note"),
            idempotencyKey: try row.value("idempotency_key"), windowTimeZone: try row.optional("window_time_zone"),
            windowStartHour: try row.optional("window_start_hour"), windowEndHour: try row.optional("window_end_hour"),
            offerMinor: try row.optional("offer_minor"), offerCurrency: try row.optional("offer_currency"),
            offerDeadline: try row.optional("offer_deadline"), offerShare: try row.optional("offer_share"),
            playbookVersion: try row.optional("playbook_version"))
        return StoredAction(
            id: try row.value("number"), customerID: columns.customerID, action: try columns.action(steps: steps))
    }

    /// Actions from rows that select `ActionColumns.names`, each with its invoice steps (read in one query).
    static func storedActions(
        from rows: [PostgresRandomAccessRow], _ organisationID: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredAction] {
        let numbers = try rows.map { try $0.value("number", as: Int64.self) }
        let steps = try await steps(ofActions: numbers, organisationID, connection, logger: logger)
        return try zip(rows, numbers).map { row, number in try storedAction(from: row, steps: steps[number] ?? []) }
    }

    /// The invoice steps of some actions, keyed by the actions' numbers, each in its action's order.
    static func steps(
        ofActions ids: [Int64], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: [InvoiceStep]] {
        guard !ids.isEmpty else { return [:] }
        var steps: [Int64: [InvoiceStep]] = [:]
        for row in try await connection.rows(
            """
            SELECT a.number, s.key, s.value
            FROM actions a CROSS JOIN LATERAL json_each_text(a.invoice_steps::json) WITH ORDINALITY
                AS s (key, value, position)
            WHERE a.org_id = \(organisationID) AND a.number = ANY(\(ids)::bigint[])
            ORDER BY a.number, s.position
            """, logger: logger)
        {
            steps[try row.value("number", as: Int64.self), default: []].append(
                InvoiceStep(invoiceNumber: try row.value("key"), stepID: try row.value("value")))
        }
        return steps
    }

    /// The customer and status of some actions, by number, each row locked to the commit (`FOR UPDATE`): a check
    /// then an update on an action (docs/ARCHITECTURE.md, "Isolation"). Numbers the organisation lacks are absent.
    static func actionStates(
        _ ids: [Int64], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: (customerID: String, status: ActionStatus)] {
        guard !ids.isEmpty else { return [:] }
        var states: [Int64: (customerID: String, status: ActionStatus)] = [:]
        // In number order, so that two writers locking overlapping actions never wait for each other in a cycle.
        for row in try await connection.rows(
            """
            SELECT number, customer_id, status FROM actions
            WHERE org_id = \(organisationID) AND number = ANY(\(ids)::bigint[])
            ORDER BY number
            FOR UPDATE
            """, logger: logger)
        {
            states[try row.value("number", as: Int64.self)] = (
                try row.value("customer_id"), try Decode.value(try row.value("status", as: String.self))
            )
        }
        return states
    }

    /// Locks one action for a check then an update: its customer's lock first (as every timeline write takes it),
    /// then its row (`FOR UPDATE`); its customer and status as they stand under those locks.
    /// - Throws: `StoreError.actionNotFound` when the organisation has no action by that number.
    static func lockAction(
        _ id: Int64, _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> (customerID: String, status: ActionStatus) {
        guard
            let customerID = try await connection.row(
                "SELECT customer_id FROM actions WHERE org_id = \(organisationID) AND number = \(id)", logger: logger
            )?.value("customer_id", as: String.self)
        else { throw StoreError.actionNotFound(id) }
        try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
        guard let state = try await actionStates([id], organisationID, connection, logger: logger)[id] else {
            throw StoreError.actionNotFound(id)
        }
        return state
    }

    // The batch's new actions, numbered, in multi-row inserts (a few hundred rows per statement).
    private static func insertActions(
        _ actions: [PlannedAction], numbers: [Int64], _ organisationID: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let casts = [
            "text", "text", "date", "text", "text", "text", "text", "boolean", "text", "text", "text", "text", "text",
            "integer", "integer", "bigint", "text", "date", "integer", "text", "integer", "bigint",
        ]
        let rowsPerStatement = 500
        var start = 0
        while start < actions.count {
            let end = min(start + rowsPerStatement, actions.count)
            var binds = PostgresBindings(capacity: (end - start) * casts.count)
            for index in start..<end {
                let columns = ActionColumns(actions[index])
                binds.append(organisationID)
                binds.append(columns.customerID)
                binds.append(columns.date)
                binds.append(columns.channel)
                binds.append(columns.stage)
                binds.append(columns.stepID)
                binds.append(columns.template)
                binds.append(columns.requiresApproval)
                binds.append(columns.escalatesTo)
                binds.append(columns.status)
                binds.append(columns.note)
                binds.append(columns.idempotencyKey)
                binds.append(columns.windowTimeZone)
                binds.append(columns.windowStartHour)
                binds.append(columns.windowEndHour)
                binds.append(columns.offerMinor)
                binds.append(columns.offerCurrency)
                binds.append(columns.offerDeadline)
                binds.append(columns.offerShare)
                binds.append(columns.invoiceSteps)
                binds.append(columns.playbookVersion)
                binds.append(numbers[index])
            }
            // Placeholders and casts only: every value is bound.
            let query = PostgresQuery(
                unsafeSQL: """
                    INSERT INTO actions (org_id, customer_id, date, channel, stage, step_id, template,
                        requires_approval, escalates_to, status, note, idempotency_key, window_time_zone,
                        window_start_hour, window_end_hour, offer_minor, offer_currency, offer_deadline, offer_share,
                        invoice_steps, playbook_version, number)
                    VALUES \(valuesList(rows: end - start, casts: casts))
                    """, binds: binds)
            try await connection.execute(query, logger: logger)
            start = end
        }
    }

    /// `($1::text, $2::date), ($3::text, $4::date)`: the placeholders of a multi-row `VALUES`, each cast to its
    /// column's type (so that a NULL needs no type of its own).
    static func valuesList(rows: Int, casts: [String]) -> String {
        var parameter = 0
        return (0..<rows).map { _ in
            "("
                + casts.map { cast in
                    parameter += 1
                    return "$\(parameter)::\(cast)"
                }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    // MARK: - A batch's accounts

    /// Everything the planner reads about these customers' accounts beyond the customer itself: a handful of
    /// set-based queries, whatever the number of accounts.
    static func completeAccounts(
        _ accounts: inout [Account], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !accounts.isEmpty else { return }
        var index: [String: Int] = [:]
        for (position, account) in accounts.enumerated() { index[account.customer.id] = position }
        let ids = accounts.map(\.customer.id)
        let batch = AccountBatch(
            organisationID: organisationID, ids: ids, index: index, connection: connection, logger: logger)
        try await batch.loadContacts(into: &accounts)
        // The history first: the closed invoices the run reads are those its pending actions still cover.
        try await batch.loadHistory(into: &accounts)
        try await batch.loadRunInvoices(into: &accounts)
        try await batch.loadCommitments(into: &accounts)
        try await batch.loadPauses(into: &accounts)
    }

    // MARK: - Rows

    /// The invoice columns `balance(from:_:)` reads (`invoiceColumns`), each qualified by `table` (`i.`) for a join.
    static func invoiceColumns(_ table: String) -> String {
        invoiceColumns.split(separator: ",").map { table + $0.trimmingPrefix(while: \.isWhitespace) }
            .joined(separator: ", ")
    }

    /// The columns `dispute(from:_:)` reads.
    static let disputeColumns = """
        customer_id, dispute_id, invoice_number, opened_on, reason, amount_minor, currency, resolved_on, reason_code,
        owner, outcome, resolution_note
        """

    /// Reads a dispute from a row that selects `disputeColumns`, by name.
    static func dispute(from row: PostgresRandomAccessRow, _ currencies: inout CurrencyCache) throws -> Dispute {
        var amount: Money?
        if let minor: Int = try row.optional("amount_minor"), let code: String = try row.optional("currency") {
            amount = Money(minorUnits: minor, currency: try currencies.currency(code))
        }
        let outcome: String? = try row.optional("outcome")
        return Dispute(
            id: try row.value("dispute_id"), invoiceNumber: try row.value("invoice_number"),
            openedOn: try row.value("opened_on"),
            reasonCode: DisputeReason(rawValue: try row.value("reason_code")) ?? .other,
            reason: try row.value("reason"), amount: amount, owner: try row.optional("owner"),
            resolvedOn: try row.optional("resolved_on"), outcome: outcome.flatMap(DisputeOutcome.init(rawValue:)),
            findings: try row.optional("resolution_note"))
    }

    /// Reads a pause from a row that selects `set_on, until, reason, requested_by, by_client`.
    static func pause(from row: PostgresRandomAccessRow) throws -> ChasePause {
        ChasePause(
            setOn: try row.value("set_on"), until: try row.value("until"), reason: try row.value("reason"),
            requestedBy: try row.value("requested_by"), byClient: try row.value("by_client"))
    }
}

/// One batch of accounts being completed: the queries of `PostgresStore.completeAccounts`, each for the whole batch.
///
/// Rows are grouped by customer in memory; within an account, ids break ties in byte order (`COLLATE "C"`), as SQLite
/// compares them, whatever the database's collation.
private struct AccountBatch {
    let organisationID: String
    let ids: [String]
    let index: [String: Int]
    let connection: PostgresConnection
    let logger: Logger

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.rows(query, logger: logger)
    }

    private func accountIndex(_ row: PostgresRandomAccessRow) throws -> Int? {
        index[try row.value("customer_id", as: String.self)]
    }

    func loadContacts(into accounts: inout [Account]) async throws {
        for row in try await rows(
            """
            SELECT customer_id, role, name, email, phone, preferred_channel, email_bouncing, opted_out
            FROM contacts
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
            ORDER BY customer_id, position
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].contacts.append(try PostgresStore.contact(from: row))
        }
    }

    func loadHistory(into accounts: inout [Account]) async throws {
        var steps: [Int64: [InvoiceStep]] = [:]
        for row in try await rows(
            """
            SELECT a.number, s.key, s.value
            FROM actions a CROSS JOIN LATERAL json_each_text(a.invoice_steps::json) WITH ORDINALITY
                AS s (key, value, position)
            WHERE a.org_id = \(organisationID) AND a.customer_id = ANY(\(ids)::text[])
            ORDER BY a.id, s.position
            """)
        {
            steps[try row.value("number", as: Int64.self), default: []].append(
                InvoiceStep(invoiceNumber: try row.value("key"), stepID: try row.value("value")))
        }
        for row in try await rows(
            """
            SELECT customer_id, number, date, channel, status, escalates_to, client_reached,
                CASE WHEN status = 'cancelled' AND decided_by IS NOT NULL THEN decided_on END AS rejected_on
            FROM actions
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
            ORDER BY customer_id, date, id
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            let id = try row.value("number", as: Int64.self)
            let escalatesTo: String? = try row.optional("escalates_to")
            accounts[position].history.append(
                ActionRecord(
                    id: id, date: try row.value("date"), channel: try Decode.value(try row.value("channel")),
                    status: try Decode.value(try row.value("status")),
                    escalatesTo: try escalatesTo.map { try Decode.value($0) }, steps: steps[id] ?? [],
                    clientReached: try row.optional("client_reached"), rejectedOn: try row.optional("rejected_on")))
        }
    }

    // Open invoices, plus closed ones a pending action still covers (so that the planner can cancel the action).
    // Reads the accounts' history, so it comes after `loadHistory`.
    func loadRunInvoices(into accounts: inout [Account]) async throws {
        var currencies = CurrencyCache()
        for row in try await rows(
            """
            SELECT \(unescaped: PostgresStore.invoiceColumns("i."))
            FROM invoices i
            WHERE i.org_id = \(organisationID) AND i.customer_id = ANY(\(ids)::text[])
                AND i.paid_minor + i.credited_minor < i.total_minor
            ORDER BY i.customer_id, i.due_date, i.invoice_number COLLATE "C"
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].invoices.append(try PostgresStore.balance(from: row, &currencies))
        }
        // The closed ones still covered are few (paid since the action was planned): looked up by number.
        var covered: Set<String> = []
        for account in accounts {
            let open = Set(account.invoices.map(\.invoice.number))
            for record in account.history where record.status.isPending {
                covered.formUnion(record.steps.map(\.invoiceNumber).filter { !open.contains($0) })
            }
        }
        guard !covered.isEmpty else { return }
        var merged: Set<Int> = []
        for row in try await rows(
            """
            SELECT \(unescaped: PostgresStore.invoiceColumns("i."))
            FROM invoices i
            WHERE i.org_id = \(organisationID) AND i.invoice_number = ANY(\(Array(covered))::text[])
                AND i.paid_minor + i.credited_minor >= i.total_minor
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].invoices.append(try PostgresStore.balance(from: row, &currencies))
            merged.insert(position)
        }
        // Back into the order one query would have given: due date, then number as bytes compare.
        for position in merged {
            accounts[position].invoices.sort { lhs, rhs in
                if lhs.invoice.dueDate != rhs.invoice.dueDate { return lhs.invoice.dueDate < rhs.invoice.dueDate }
                return lhs.invoice.number.utf8.lexicographicallyPrecedes(rhs.invoice.number.utf8)
            }
        }
    }

    // The invoice numbers of each promise or plan of these customers, in their order: `table` lists them by `key`
    // for the commitments in `commitments` (the table names are this file's own, never input).
    private func commitmentInvoices(
        table: String, of commitments: String, key: String
    ) async throws
        -> [String: [String]]
    {
        var invoices: [String: [String]] = [:]
        for row in try await rows(
            """
            SELECT li.\(unescaped: key) AS commitment, li.invoice_number
            FROM \(unescaped: table) li
            JOIN \(unescaped: commitments) c ON c.org_id = li.org_id AND c.\(unescaped: key) = li.\(unescaped: key)
            WHERE c.org_id = \(organisationID) AND c.customer_id = ANY(\(ids)::text[])
            ORDER BY li.\(unescaped: key), li.position
            """)
        {
            invoices[try row.value("commitment"), default: []].append(try row.value("invoice_number"))
        }
        return invoices
    }

    private func organisationHasRows(in table: String) async throws -> Bool {
        try await rows("SELECT 1 FROM \(unescaped: table) WHERE org_id = \(organisationID) LIMIT 1").isEmpty == false
    }

    func loadCommitments(into accounts: inout [Account]) async throws {
        var currencies = CurrencyCache()
        for row in try await rows(
            """
            SELECT \(unescaped: PostgresStore.disputeColumns)
            FROM disputes
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
            ORDER BY customer_id, opened_on, dispute_id COLLATE "C"
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].disputes.append(try PostgresStore.dispute(from: row, &currencies))
        }

        let promiseInvoices = try await commitmentInvoices(
            table: "promise_invoices", of: "promises", key: "promise_id")
        for row in try await rows(
            """
            SELECT customer_id, promise_id, amount_minor, currency, promised_date, made_on, channel, promised_by
            FROM promises p
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
                AND NOT EXISTS (
                    SELECT 1 FROM promise_withdrawals w WHERE w.org_id = p.org_id AND w.promise_id = p.promise_id)
            ORDER BY customer_id, made_on, promise_id COLLATE "C"
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            let id: String = try row.value("promise_id")
            let channel: String? = try row.optional("channel")
            accounts[position].promises.append(
                PromiseToPay(
                    id: id, invoiceNumbers: promiseInvoices[id] ?? [],
                    amount: Money(
                        minorUnits: try row.value("amount_minor"),
                        currency: try currencies.currency(try row.value("currency"))),
                    promisedDate: try row.value("promised_date"), madeOn: try row.value("made_on"),
                    channel: channel.flatMap(Channel.init(rawValue:)), promisedBy: try row.optional("promised_by")))
        }

        // Refusals and thank-yous are rare: one probe per batch spares the lookups per customer when there are none.
        if try await organisationHasRows(in: "refusals") {
            for row in try await rows(
                """
                SELECT customer_id, date FROM refusals
                WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
                ORDER BY customer_id, date
                """)
            {
                guard let position = try accountIndex(row) else { continue }
                accounts[position].refusals.append(try row.value("date"))
            }
        }
        if try await organisationHasRows(in: "thanks_due") {
            for row in try await rows(
                """
                SELECT \(unescaped: PostgresStore.invoiceColumns("i."))
                FROM thanks_due t
                JOIN invoices i ON i.org_id = t.org_id AND i.invoice_number = t.invoice_number
                WHERE t.org_id = \(organisationID) AND t.customer_id = ANY(\(ids)::text[])
                ORDER BY t.customer_id, t.invoice_number COLLATE "C"
                """)
            {
                guard let position = try accountIndex(row) else { continue }
                accounts[position].thanksDue.append(try PostgresStore.balance(from: row, &currencies))
            }
        }

        let planInvoices = try await commitmentInvoices(table: "plan_invoices", of: "payment_plans", key: "plan_id")
        var instalments: [String: [PaymentPlan.Instalment]] = [:]
        for row in try await rows(
            """
            SELECT pi.plan_id, pi.due_date, pi.amount_minor, pi.currency
            FROM plan_instalments pi
            JOIN payment_plans p ON p.org_id = pi.org_id AND p.plan_id = pi.plan_id
            WHERE p.org_id = \(organisationID) AND p.customer_id = ANY(\(ids)::text[])
            ORDER BY pi.plan_id, pi.position
            """)
        {
            instalments[try row.value("plan_id"), default: []].append(
                PaymentPlan.Instalment(
                    dueDate: try row.value("due_date"),
                    amount: Money(
                        minorUnits: try row.value("amount_minor"),
                        currency: try currencies.currency(try row.value("currency")))))
        }
        for row in try await rows(
            """
            SELECT customer_id, plan_id, accepted_on, proposed_by
            FROM payment_plans
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
            ORDER BY customer_id, plan_id COLLATE "C"
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            let id: String = try row.value("plan_id")
            accounts[position].plans.append(
                PaymentPlan(
                    id: id, invoiceNumbers: planInvoices[id] ?? [], instalments: instalments[id] ?? [],
                    acceptedOn: try row.optional("accepted_on"),
                    proposedBy: PaymentPlan.Proposer(rawValue: try row.value("proposed_by")) ?? .collector))
        }

        // Receipts: money allocated to the invoices that the batch's promises and plans cover.
        for row in try await rows(
            """
            SELECT i.customer_id, al.invoice_number, al.date, al.amount_minor, i.currency
            FROM allocations al
            JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
            WHERE al.org_id = \(organisationID) AND al.invoice_number IN (
                SELECT pi.invoice_number FROM promise_invoices pi
                JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                WHERE p.org_id = \(organisationID) AND p.customer_id = ANY(\(ids)::text[])
                UNION
                SELECT li.invoice_number FROM plan_invoices li
                JOIN payment_plans p ON p.org_id = li.org_id AND p.plan_id = li.plan_id
                WHERE p.org_id = \(organisationID) AND p.customer_id = ANY(\(ids)::text[]))
            ORDER BY i.customer_id, al.date, al.payment_id COLLATE "C", al.invoice_number COLLATE "C"
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].receipts.append(
                Receipt(
                    invoiceNumber: try row.value("invoice_number"), date: try row.value("date"),
                    amount: Money(
                        minorUnits: try row.value("amount_minor"),
                        currency: try currencies.currency(try row.value("currency")))))
        }
    }

    /// The pauses of a batch's accounts. Pauses are rare: one probe spares the lookup when there are none.
    func loadPauses(into accounts: inout [Account]) async throws {
        guard try await organisationHasRows(in: "chase_pauses") else { return }
        for row in try await rows(
            """
            SELECT customer_id, set_on, until, reason, requested_by, by_client FROM chase_pauses
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(ids)::text[])
            """)
        {
            guard let position = try accountIndex(row) else { continue }
            accounts[position].pause = try PostgresStore.pause(from: row)
        }
    }
}
