import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// The next batch of accounts for the collection day: customers after `after` with an open invoice, a pending
    /// action or a thank-you due, each with everything the planner reads. A handful of set-based queries per batch, whatever its size.
    public func accountsForRun(organisationID: String, after: String?, limit: Int) async throws -> [Account] {
        guard limit > 0 else { return [] }
        return try await read { db in
            // Customer ids are never empty (a CHECK says so), so '' sorts before every one of them.
            let customerRows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(SQLiteStore.customerColumns(prefix: "c."))
                        FROM customers c
                        WHERE c.org_id = ? AND c.customer_id > ?
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
                        LIMIT ?
                        """),
                arguments: [organisationID, after ?? "", limit])
            var accounts = try customerRows.map { Account(customer: try SQLiteStore.customer(from: $0)) }
            try SQLiteStore.completeAccounts(&accounts, organisationID, db)
            return accounts
        }
    }

    // Everything the planner reads about these customers' accounts, beyond the customer itself: a handful of
    // set-based queries, whatever the number of accounts.
    static func completeAccounts(_ accounts: inout [Account], _ organisationID: String, _ db: Database) throws {
        guard !accounts.isEmpty else { return }
        var index: [String: Int] = [:]
        for (position, account) in accounts.enumerated() { index[account.customer.id] = position }
        // The batch's ids travel as one bound JSON array; json_each turns it back into a set SQLite can join.
        let ids = JSONText.encode(accounts.map { $0.customer.id })
        try SQLiteStore.loadContacts(into: &accounts, index, ids, organisationID, db)
        // The history first: the closed invoices the run reads are those its pending actions still cover.
        try SQLiteStore.loadHistory(into: &accounts, index, ids, organisationID, db)
        try SQLiteStore.loadRunInvoices(into: &accounts, index, ids, organisationID, db)
        try SQLiteStore.loadCommitments(into: &accounts, index, ids, organisationID, db)
        try SQLiteStore.loadPauses(into: &accounts, index, ids, organisationID, db)
    }

    /// Writes one batch of a run: new actions (a known idempotency key is skipped), cancellations of still-pending
    /// actions, a timeline entry for each, and the batch's reviews, in one transaction.
    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], organisationID: String,
        context: RecordingContext
    ) async throws -> RunCommitSummary {
        try await write { db in
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            return try SQLiteStore.writeRun(
                actions: actions, cancellations: cancellations, reviews: reviews, organisationID, context,
                timeline: &timeline, db)
        }
    }

    // The body of `commitRun`, shared with the webhook variant that adds its events to the same transaction.
    static func writeRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], _ organisationID: String,
        _ context: RecordingContext, timeline: inout TimelineAppender, _ db: Database
    ) throws -> RunCommitSummary {
        try SQLiteStore.requireOrganisation(db, organisationID)
        // The batch writes its customers' reviews itself, after its entries: they need no mark of their own.
        timeline.reviewedByTheWriter = Set(reviews.map(\.customerID))
        // The batch's customers and the owners of their open invoices, each read in one query, in key order: a
        // transaction holds a few thousand of an organisation's customers, and their open invoices are neighbours in
        // `invoices_by_customer` (looking each invoice up by number instead cost a random seek per invoice step).
        let customerIDs = Set(actions.map(\.customerID)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let customerList = JSONText.encode(customerIDs)
        let knownCustomers = Set(
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT customer_id FROM customers
                        WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                        """),
                arguments: [organisationID, customerList]))
        var owners: [String: String] = [:]
        let (ownerRows, ownerColumn) = try db.rowsAndColumns(
            sql: """
                SELECT invoice_number, customer_id FROM invoices
                WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                    AND paid_minor + credited_minor < total_minor
                """,
            arguments: [organisationID, customerList], cached: true)
        let (ownedNumber, owner) = try (ownerColumn("invoice_number"), ownerColumn("customer_id"))
        while let row = try ownerRows.next() { owners[row[ownedNumber]] = row[owner] }
        // Closed invoices (a thank-you) and numbers that are not the customer's: looked up one by one.
        let others = Set(actions.flatMap(\.steps).map(\.invoiceNumber).filter { owners[$0] == nil })
        if !others.isEmpty {
            let otherRows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT invoice_number, customer_id FROM invoices
                        WHERE org_id = ? AND invoice_number IN (SELECT value FROM json_each(?))
                        """),
                arguments: [organisationID, JSONText.encode(Array(others))])
            while let row = try otherRows.next() { owners[row["invoice_number"]] = row["customer_id"] }
        }
        try timeline.preloadHeads(of: customerIDs, db)
        var summary = RunCommitSummary()
        let insertAction = try db.cachedStatement(
            sql: """
                INSERT INTO actions (org_id, customer_id, date, channel, stage, step_id, template,
                    requires_approval, escalates_to, status, note, idempotency_key, window_time_zone,
                    window_start_hour, window_end_hour, offer_minor, offer_currency, offer_deadline, offer_share,
                    invoice_steps, playbook_version, number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (org_id, customer_id, idempotency_key) DO NOTHING
                """)
        var numbers = try OrganisationNumbers(.action, organisationID: organisationID, db)
        insertAction.startRawBinding()
        // Approvals a new one was to take over but that were decided (or sent) since the planner read them: they
        // keep their decision, and the new approval is not written, so no invoice is covered twice.
        var keptReplaced: Set<Int64> = []
        for action in actions {
            guard knownCustomers.contains(action.customerID) else {
                throw StoreError.customerNotFound(action.customerID)
            }
            if !action.replaces.isEmpty {
                let stillWaiting = try action.replaces.allSatisfy {
                    try SQLiteStore.actionState($0, organisationID, db).status == .awaitingApproval
                }
                guard stillWaiting else {
                    keptReplaced.formUnion(action.replaces)
                    continue
                }
            }
            if let refusal = WriteChecks.refusal(of: action, owners: owners) { throw refusal }
            insertAction.nextRow()
            let columns = ActionColumns(action)
            let texts: [String?] = [
                organisationID, columns.customerID, columns.date.description, columns.channel, columns.stage,
                columns.stepID, columns.template,
            ]
            for (offset, text) in texts.enumerated() { insertAction.bind(text, at: Int32(offset + 1)) }
            insertAction.bind(columns.requiresApproval ? 1 : 0, at: 8)
            insertAction.bind(columns.escalatesTo, at: 9)
            insertAction.bind(columns.status, at: 10)
            insertAction.bind(columns.note, at: 11)
            insertAction.bind(columns.idempotencyKey, at: 12)
            insertAction.bind(columns.windowTimeZone, at: 13)
            insertAction.bind(columns.windowStartHour, at: 14)
            insertAction.bind(columns.windowEndHour, at: 15)
            insertAction.bind(columns.offerMinor, at: 16)
            insertAction.bind(columns.offerCurrency, at: 17)
            insertAction.bind(columns.offerDeadline?.description, at: 18)
            insertAction.bind(columns.offerShare, at: 19)
            insertAction.bind(columns.invoiceSteps, at: 20)
            insertAction.bind(columns.playbookVersion, at: 21)
            insertAction.bind(Int(numbers.peek), at: 22)
            try insertAction.execute()
            // A key already written (a second run of the same day, a retry after a crash) is not written again,
            // and takes no number.
            guard db.changesCount == 1 else { continue }
            let id = numbers.peek
            numbers.used()
            for step in action.steps {
                if step.stepID == Playbook.thankYouStepID {
                    // Thanked (or the thank-you recorded as skipped): it leaves the queue with this action.
                    try db.execute(
                        sql: "DELETE FROM thanks_due WHERE org_id = ? AND invoice_number = ?",
                        arguments: [organisationID, step.invoiceNumber])
                }
            }
            try timeline.append(.actionPlanned(action, id: id), db)
            summary.planned += 1
        }
        for cancellation in cancellations where !keptReplaced.contains(cancellation.actionID) {
            let (customerID, status) = try SQLiteStore.actionState(cancellation.actionID, organisationID, db)
            // An action that went out (or was already withdrawn) in the meantime stays as it is.
            guard status.isPending else { continue }
            try db.execute(
                sql: "UPDATE actions SET status = 'cancelled', note = ? WHERE org_id = ? AND number = ?",
                arguments: [cancellation.reason, organisationID, cancellation.actionID])
            try timeline.append(
                .actionCancelled(
                    id: cancellation.actionID, customerID: customerID, reason: cancellation.reason,
                    on: context.date),
                db)
            summary.cancelled += 1
        }
        try numbers.save(db)
        try SQLiteStore.writeReviews(reviews, organisationID, db)
        return summary
    }

    /// Moves an action on its life (`planned → (awaiting_approval → approved) → sent | done | failed | skipped |
    /// cancelled`) and records it on the timeline. Setting the status it already has changes nothing, so a deliverer
    /// may retry safely.
    public func updateActionStatus(
        id: Int64, to status: ActionStatus, organisationID: String, context: RecordingContext
    ) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let (customerID, current) = try SQLiteStore.actionState(id, organisationID, db)
            if current == status { return }
            guard current.mayBecome(status) else {
                throw StoreError.invalid("action \(id) is \(current.rawValue); it cannot become \(status.rawValue)")
            }
            try db.execute(
                sql: "UPDATE actions SET status = ? WHERE org_id = ? AND number = ?",
                arguments: [status.rawValue, organisationID, id])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .actionStatusChanged(id: id, customerID: customerID, to: status, on: context.date), db)
        }
    }

    /// One action by its number in the organisation: its row and its invoices' steps, read by key.
    public func action(organisationID: String, id: Int64) async throws -> StoredAction? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(SQLiteStore.actionColumns) FROM actions WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, id])
            else { return nil }
            let steps = try SQLiteStore.steps(ofActions: [id], organisationID, db)[id] ?? []
            return try SQLiteStore.storedAction(from: row, steps: steps)
        }
    }

    // The columns `storedAction(from:steps:)` reads, by name (the API's pages and the outbox read them too).
    static let actionColumnNames = ActionColumns.names
    static let actionColumns = actionColumnNames.joined(separator: ", ")

    /// Actions from rows that select `actionColumnNames`, each with its invoice steps (read in one query).
    static func storedActions(from rows: [Row], _ organisationID: String, _ db: Database) throws -> [StoredAction] {
        let numbers: [Int64] = rows.map { $0["number"] }
        let steps = try SQLiteStore.steps(ofActions: numbers, organisationID, db)
        return try zip(rows, numbers).map { row, number in
            try SQLiteStore.storedAction(from: row, steps: steps[number] ?? [])
        }
    }

    /// Reads an action from a row that selects `actionColumnNames` (with or without a table alias), by column name.
    static func storedAction(from row: Row, steps: [InvoiceStep]) throws -> StoredAction {
        let offerDeadline: String? = row["offer_deadline"]
        let columns = ActionColumns(
            customerID: row["customer_id"], date: try Decode.date(row["date"]), channel: row["channel"],
            stage: row["stage"], stepID: row["step_id"], template: row["template"],
            requiresApproval: row["requires_approval"], escalatesTo: row["escalates_to"], status: row["status"],
            note: row["note"], idempotencyKey: row["idempotency_key"], windowTimeZone: row["window_time_zone"],
            windowStartHour: row["window_start_hour"], windowEndHour: row["window_end_hour"],
            offerMinor: row["offer_minor"], offerCurrency: row["offer_currency"],
            offerDeadline: try Decode.optionalDate(offerDeadline), offerShare: row["offer_share"],
            playbookVersion: row["playbook_version"])
        return StoredAction(id: row["number"], customerID: columns.customerID, action: try columns.action(steps: steps))
    }

    public func actionsAwaitingApproval(organisationID: String) async throws -> [StoredAction] {
        try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(SQLiteStore.actionColumns) FROM actions INDEXED BY actions_awaiting_approval
                        WHERE org_id = ? AND status = 'awaiting_approval' ORDER BY id
                        """),
                arguments: [organisationID])
            return try SQLiteStore.storedActions(from: rows, organisationID, db)
        }
    }

    /// The organisation's actions (or one customer's), oldest first, as the outbox sees them.
    public func actions(organisationID: String, customerID: String?) async throws -> [StoredAction] {
        try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(SQLiteStore.actionColumns)
                        FROM actions WHERE org_id = ? AND (? IS NULL OR customer_id = ?)
                        ORDER BY id
                        """),
                arguments: [organisationID, customerID, customerID])
            let stepRows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.number, s.key AS invoice_number, s.value AS step_id
                        FROM actions a, json_each(a.invoice_steps) s
                        WHERE a.org_id = ? AND (? IS NULL OR a.customer_id = ?)
                        ORDER BY a.id, s.id
                        """),
                arguments: [organisationID, customerID, customerID])
            var steps: [Int64: [InvoiceStep]] = [:]
            for row in stepRows {
                steps[row["number"], default: []].append(
                    InvoiceStep(invoiceNumber: row["invoice_number"], stepID: row["step_id"]))
            }
            return try rows.map { row in
                let id: Int64 = row["number"]
                return try SQLiteStore.storedAction(from: row, steps: steps[id] ?? [])
            }
        }
    }

    // MARK: - Actions

    static func actionState(
        _ id: Int64, _ organisationID: String, _ db: Database
    ) throws
        -> (customerID: String, status: ActionStatus)
    {
        let statement = try db.cachedStatement(
            sql: "SELECT customer_id, status FROM actions WHERE org_id = ? AND number = ?")
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, id]) else {
            throw StoreError.actionNotFound(id)
        }
        return (row["customer_id"], try Decode.value(row["status"]))
    }

    // MARK: - A batch's accounts

    static func loadContacts(
        into accounts: inout [Account], _ index: [String: Int], _ ids: String, _ organisationID: String,
        _ db: Database
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                SELECT customer_id, role, name, email, phone, preferred_channel, email_bouncing, opted_out
                FROM contacts
                WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                ORDER BY customer_id, position
                """)
        let column = ColumnPositions(statement)
        let (columns, customerID) = (try ContactPositions(column), try column("customer_id"))
        let rows = try Row.fetchCursor(statement, arguments: [organisationID, ids])
        while let row = try rows.next() {
            guard let position = index[row[customerID]] else { continue }
            accounts[position].contacts.append(try contact(from: row, at: columns))
        }
    }

    // Open invoices, plus closed ones a pending action still covers (so that the planner can cancel the action).
    // Reads the accounts' history, so it comes after `loadHistory`.
    static func loadRunInvoices(
        into accounts: inout [Account], _ index: [String: Int], _ ids: String, _ organisationID: String,
        _ db: Database
    ) throws {
        // The open invoices come from `invoices_by_customer`, which holds only open ones, already in the planner's
        // order (customer, due date, number) and next to their rows in the table clustered the same way.
        let openStatement = try db.cachedStatement(
            sql: """
                SELECT \(invoiceColumns("i."))
                FROM invoices i
                WHERE i.org_id = ? AND i.customer_id IN (SELECT value FROM json_each(?))
                    AND i.paid_minor + i.credited_minor < i.total_minor
                ORDER BY i.customer_id, i.due_date, i.invoice_number
                """)
        let columns = try InvoicePositions(openStatement)
        let open = try Row.fetchCursor(openStatement, arguments: [organisationID, ids])
        var currencies = CurrencyCache()
        while let row = try open.next() {
            guard let position = index[row[columns.customerID]] else { continue }
            accounts[position].invoices.append(try balance(from: row, at: columns, &currencies))
        }
        // The closed ones still covered are few (paid since the action was planned): looked up by number.
        var covered: [String] = []
        for account in accounts {
            let open = Set(account.invoices.map(\.invoice.number))
            for record in account.history where record.status.isPending {
                covered += record.steps.map(\.invoiceNumber).filter { !open.contains($0) }
            }
        }
        guard !covered.isEmpty else { return }
        let closedStatement = try db.cachedStatement(
            sql: """
                SELECT \(invoiceColumns("i."))
                FROM invoices i
                WHERE i.org_id = ? AND i.invoice_number IN (SELECT value FROM json_each(?))
                    AND i.paid_minor + i.credited_minor >= i.total_minor
                """)
        let closedColumns = try InvoicePositions(closedStatement)
        let closed = try Row.fetchCursor(
            closedStatement, arguments: [organisationID, JSONText.encode(Array(Set(covered)))])
        var merged: Set<Int> = []
        while let row = try closed.next() {
            guard let position = index[row[closedColumns.customerID]] else { continue }
            accounts[position].invoices.append(try balance(from: row, at: closedColumns, &currencies))
            merged.insert(position)
        }
        // Back into the order one query would have given: due date, then number as SQLite compares text (bytes).
        for position in merged {
            accounts[position].invoices.sort { lhs, rhs in
                if lhs.invoice.dueDate != rhs.invoice.dueDate { return lhs.invoice.dueDate < rhs.invoice.dueDate }
                return lhs.invoice.number.utf8.lexicographicallyPrecedes(rhs.invoice.number.utf8)
            }
        }
    }

    static func loadHistory(
        into accounts: inout [Account], _ index: [String: Int], _ ids: String, _ organisationID: String,
        _ db: Database
    ) throws {
        let (stepRows, stepColumn) = try db.rowsAndColumns(
            sql: """
                SELECT a.number, s.key AS invoice_number, s.value AS step_id
                FROM actions a, json_each(a.invoice_steps) s
                WHERE a.org_id = ? AND a.customer_id IN (SELECT value FROM json_each(?))
                ORDER BY a.id, s.id
                """,
            arguments: [organisationID, ids], cached: true)
        let (stepAction, stepInvoice, stepID) = try (
            stepColumn("number"), stepColumn("invoice_number"), stepColumn("step_id")
        )
        var steps: [Int64: [InvoiceStep]] = [:]
        while let row = try stepRows.next() {
            steps[row[stepAction], default: []].append(
                InvoiceStep(invoiceNumber: row[stepInvoice], stepID: row[stepID]))
        }
        let (rows, column) = try db.rowsAndColumns(
            sql: """
                SELECT customer_id, number, date, channel, status, escalates_to, client_reached,
                    CASE WHEN status = 'cancelled' AND decided_by IS NOT NULL THEN decided_on END AS rejected_on
                FROM actions
                WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                ORDER BY customer_id, date, id
                """,
            arguments: [organisationID, ids], cached: true)
        let (customerID, number, date, channel, status) = try (
            column("customer_id"), column("number"), column("date"), column("channel"), column("status")
        )
        let (escalation, clientReached, rejection) = try (
            column("escalates_to"), column("client_reached"), column("rejected_on")
        )
        while let row = try rows.next() {
            guard let position = index[row[customerID]] else { continue }
            let id: Int64 = row[number]
            let escalatesTo: String? = row[escalation]
            let rejectedOn: String? = row[rejection]
            accounts[position].history.append(
                ActionRecord(
                    id: id, date: try Decode.date(row[date]), channel: try Decode.value(row[channel]),
                    status: try Decode.value(row[status]), escalatesTo: try escalatesTo.map { try Decode.value($0) },
                    steps: steps[id] ?? [], clientReached: row[clientReached],
                    rejectedOn: try rejectedOn.map(Decode.date)))
        }
    }

    // The columns `dispute(from:_:)` reads, in its order (the customer first).
    static let disputeColumns = """
        customer_id, dispute_id, invoice_number, opened_on, reason, amount_minor, currency, resolved_on, reason_code,
        owner, outcome, resolution_note
        """

    /// Reads a dispute from a row that selects `disputeColumns`, by column name.
    static func dispute(from row: Row, _ currencies: inout CurrencyCache) throws -> Dispute {
        let amountMinor: Int? = row["amount_minor"]
        let currency: String? = row["currency"]
        var amount: Money?
        if let amountMinor, let currency {
            amount = Money(minorUnits: amountMinor, currency: try currencies.currency(currency))
        }
        return Dispute(
            id: row["dispute_id"], invoiceNumber: row["invoice_number"], openedOn: try Decode.date(row["opened_on"]),
            reasonCode: DisputeReason(rawValue: row["reason_code"]) ?? .other, reason: row["reason"], amount: amount,
            owner: row["owner"], resolvedOn: try Decode.optionalDate(row["resolved_on"]),
            outcome: (row["outcome"] as String?).flatMap(DisputeOutcome.init(rawValue:)),
            findings: row["resolution_note"])
    }

    // The invoice numbers of each promise or plan of these customers, in their order: `table` lists them by `key`
    // for the commitments in `commitments` (the table names are this file's own, never input).
    private static func commitmentInvoices(
        table: String, of commitments: String, key: String, _ organisationID: String, _ ids: String, _ db: Database
    ) throws -> [String: [String]] {
        var invoices: [String: [String]] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT li.\(key) AS commitment_id, li.invoice_number
                    FROM \(table) li
                    JOIN \(commitments) c ON c.org_id = li.org_id AND c.\(key) = li.\(key)
                    WHERE c.org_id = ? AND c.customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY li.\(key), li.position
                    """),
            arguments: [organisationID, ids])
        while let row = try rows.next() {
            invoices[row["commitment_id"], default: []].append(row["invoice_number"])
        }
        return invoices
    }

    static func loadCommitments(
        into accounts: inout [Account], _ index: [String: Int], _ ids: String, _ organisationID: String,
        _ db: Database
    ) throws {
        var currencies = CurrencyCache()
        let disputeRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT \(SQLiteStore.disputeColumns)
                    FROM disputes
                    WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY customer_id, opened_on, dispute_id
                    """),
            arguments: [organisationID, ids])
        while let row = try disputeRows.next() {
            guard let position = index[row["customer_id"]] else { continue }
            accounts[position].disputes.append(try SQLiteStore.dispute(from: row, &currencies))
        }

        let promiseInvoices = try commitmentInvoices(
            table: "promise_invoices", of: "promises", key: "promise_id", organisationID, ids, db)
        let promiseRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT customer_id, promise_id, amount_minor, currency, promised_date, made_on, channel, promised_by
                    FROM promises p
                    WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                        AND NOT EXISTS (SELECT 1 FROM promise_withdrawals w WHERE w.org_id = p.org_id AND w.promise_id = p.promise_id)
                    ORDER BY customer_id, made_on, promise_id
                    """),
            arguments: [organisationID, ids])
        while let row = try promiseRows.next() {
            guard let position = index[row["customer_id"]] else { continue }
            let id: String = row["promise_id"]
            accounts[position].promises.append(
                PromiseToPay(
                    id: id, invoiceNumbers: promiseInvoices[id] ?? [],
                    amount: Money(minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"])),
                    promisedDate: try Decode.date(row["promised_date"]), madeOn: try Decode.date(row["made_on"]),
                    channel: (row["channel"] as String?).flatMap(Channel.init(rawValue:)),
                    promisedBy: row["promised_by"]))
        }

        // Refusals and thank-yous are rare: one probe per batch spares the lookups per customer when there are none.
        let hasRefusals =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM refusals WHERE org_id = ?)", arguments: [organisationID])
            ?? false
        if hasRefusals {
            let refusalRows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT customer_id, date FROM refusals
                        WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                        ORDER BY customer_id, date
                        """),
                arguments: [organisationID, ids])
            while let row = try refusalRows.next() {
                guard let position = index[row["customer_id"]] else { continue }
                accounts[position].refusals.append(try Decode.date(row["date"]))
            }
        }
        let hasThanksDue =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM thanks_due WHERE org_id = ?)", arguments: [organisationID])
            ?? false
        if hasThanksDue {
            let thanksStatement = try db.cachedStatement(
                sql: """
                    SELECT \(SQLiteStore.invoiceColumns("i."))
                    FROM thanks_due t
                    JOIN invoices i ON i.org_id = t.org_id AND i.invoice_number = t.invoice_number
                    WHERE t.org_id = ? AND t.customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY t.customer_id, t.invoice_number
                    """)
            let columns = try InvoicePositions(thanksStatement)
            let thanksRows = try Row.fetchCursor(thanksStatement, arguments: [organisationID, ids])
            while let row = try thanksRows.next() {
                guard let position = index[row[columns.customerID]] else { continue }
                accounts[position].thanksDue.append(try SQLiteStore.balance(from: row, at: columns, &currencies))
            }
        }

        let planInvoices = try commitmentInvoices(
            table: "plan_invoices", of: "payment_plans", key: "plan_id", organisationID, ids, db)
        var instalments: [String: [PaymentPlan.Instalment]] = [:]
        let instalmentRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT pi.plan_id, pi.due_date, pi.amount_minor, pi.currency
                    FROM plan_instalments pi
                    JOIN payment_plans p ON p.org_id = pi.org_id AND p.plan_id = pi.plan_id
                    WHERE p.org_id = ? AND p.customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY pi.plan_id, pi.position
                    """),
            arguments: [organisationID, ids])
        while let row = try instalmentRows.next() {
            instalments[row["plan_id"], default: []].append(
                PaymentPlan.Instalment(
                    dueDate: try Decode.date(row["due_date"]),
                    amount: Money(minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"]))))
        }
        let planRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT customer_id, plan_id, accepted_on, proposed_by
                    FROM payment_plans
                    WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                    ORDER BY customer_id, plan_id
                    """),
            arguments: [organisationID, ids])
        while let row = try planRows.next() {
            guard let position = index[row["customer_id"]] else { continue }
            let id: String = row["plan_id"]
            accounts[position].plans.append(
                PaymentPlan(
                    id: id, invoiceNumbers: planInvoices[id] ?? [], instalments: instalments[id] ?? [],
                    acceptedOn: try Decode.optionalDate(row["accepted_on"]),
                    proposedBy: PaymentPlan.Proposer(rawValue: row["proposed_by"]) ?? .collector))
        }

        // Receipts: money allocated to the invoices that the batch's promises and plans cover.
        let receiptRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT i.customer_id, al.invoice_number, al.date, al.amount_minor, i.currency
                    FROM allocations al
                    JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                    WHERE al.org_id = ? AND al.invoice_number IN (
                        SELECT pi.invoice_number FROM promise_invoices pi
                        JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                        WHERE p.org_id = ? AND p.customer_id IN (SELECT value FROM json_each(?))
                        UNION
                        SELECT li.invoice_number FROM plan_invoices li
                        JOIN payment_plans p ON p.org_id = li.org_id AND p.plan_id = li.plan_id
                        WHERE p.org_id = ? AND p.customer_id IN (SELECT value FROM json_each(?)))
                    ORDER BY i.customer_id, al.date, al.payment_id, al.invoice_number
                    """),
            arguments: [organisationID, organisationID, ids, organisationID, ids])
        while let row = try receiptRows.next() {
            guard let position = index[row["customer_id"]] else { continue }
            accounts[position].receipts.append(
                Receipt(
                    invoiceNumber: row["invoice_number"], date: try Decode.date(row["date"]),
                    amount: Money(minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"]))))
        }
    }
}
