import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: CollectorStore {
    public func resolveDispute(
        id: String, outcome: DisputeOutcome, agreedAmount: Money?, note: String?, approvedBy: String?,
        organisationID: String, context: RecordingContext
    ) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT customer_id, invoice_number, opened_on, reason, amount_minor, resolved_on, reason_code,
                            owner
                        FROM disputes WHERE org_id = ? AND dispute_id = ?
                        """,
                    arguments: [organisationID, id])
            else { throw StoreError.invalid("no dispute '\(id)'") }
            guard (row["resolved_on"] as String?) == nil else {
                throw StoreError.invalid("dispute '\(id)' is already resolved")
            }
            let customerID: String = row["customer_id"]
            let invoiceNumber: String = row["invoice_number"]
            guard let balance = try SQLiteStore.invoiceBalance(invoiceNumber, organisationID, db) else {
                throw StoreError.invoiceNotFound(invoiceNumber)
            }
            let openedOn = try Decode.date(row["opened_on"])
            guard openedOn <= context.date else {
                throw StoreError.invalid("dispute '\(id)' was opened on \(openedOn), after \(context.date)")
            }
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            let dispute = Dispute(
                id: id, invoiceNumber: invoiceNumber, openedOn: openedOn,
                reasonCode: DisputeReason(rawValue: row["reason_code"]) ?? .other, reason: row["reason"],
                amount: (row["amount_minor"] as Int?).map { Money(minorUnits: $0, currency: balance.invoice.currency) },
                owner: row["owner"])
            // What closing it books is DulyCore's rule; the store writes it with the dispute, in one transaction.
            let credit: CreditNote?
            do throws(DisputeResolutionError) {
                credit = try dispute.resolution(
                    outcome, balance: balance, agreedAmount: agreedAmount, note: note, approvedBy: approvedBy,
                    on: context.date)
            } catch {
                throw StoreError.invalid(error.description)
            }
            if let credit {
                try SQLiteStore.insertCreditNote(credit, organisationID: organisationID, timeline: &timeline, db)
            }
            try db.execute(
                sql: """
                    UPDATE disputes SET resolved_on = ?, outcome = ?, resolution_note = ?
                    WHERE org_id = ? AND dispute_id = ?
                    """,
                arguments: [context.date.description, outcome.rawValue, note, organisationID, id])
            var resolved = dispute
            resolved.amount = nil
            resolved.resolvedOn = context.date
            resolved.outcome = outcome
            resolved.findings = note
            try timeline.append(.disputeResolved(resolved, customerID: customerID, note: note), db)
        }
    }

    public func decideApproval(
        actionID: Int64, approve: Bool, by manager: String, note: String?, externalEscalationCap: Int?,
        organisationID: String, context: RecordingContext
    ) async throws {
        guard !manager.isEmpty else { throw StoreError.invalid("an approval needs the name of who decides") }
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let (customerID, current) = try SQLiteStore.actionState(actionID, organisationID, db)
            guard current == .awaitingApproval else {
                throw StoreError.invalid("action \(actionID) is \(current.rawValue), not awaiting approval")
            }
            if approve, let cap = externalEscalationCap,
                try SQLiteStore.escalatesExternally(actionID, organisationID, db)
            {
                let month = context.date.calendarMonth
                let approved = try SQLiteStore.externalEscalationsApproved(organisationID, month.first, month.last, db)
                if let refusal = ApprovalRefusal.externalCap(approvedThisMonth: approved, cap: cap) { throw refusal }
            }
            try db.execute(
                sql: """
                    UPDATE actions SET status = ?, decided_by = ?, decided_on = ?, decision_note = ?
                    WHERE org_id = ? AND number = ?
                    """,
                arguments: [
                    (approve ? ActionStatus.approved : .cancelled).rawValue, manager, context.date.description, note,
                    organisationID, actionID,
                ])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .approvalDecided(
                    id: actionID, customerID: customerID, approved: approve, by: manager, note: note,
                    on: context.date),
                db)
        }
    }

    public func externalEscalationsApproved(
        organisationID: String, from: LocalDate, to: LocalDate
    ) async throws -> Int {
        try await read { db in try SQLiteStore.externalEscalationsApproved(organisationID, from, to, db) }
    }

    // Hand-overs to an agency or a lawyer approved from `from` to `to`, both included.
    private static func externalEscalationsApproved(
        _ organisationID: String, _ from: LocalDate, _ to: LocalDate, _ db: Database
    ) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM actions
                WHERE org_id = ? AND escalates_to IN ('agency', 'lawyer') AND decided_on BETWEEN ? AND ?
                    AND status IN ('approved', 'sent', 'done', 'failed')
                """,
            arguments: [organisationID, from.description, to.description]) ?? 0
    }

    // Whether an action hands the account over to an agency or a lawyer.
    private static func escalatesExternally(_ actionID: Int64, _ organisationID: String, _ db: Database) throws -> Bool
    {
        let target = try String.fetchOne(
            db, sql: "SELECT escalates_to FROM actions WHERE org_id = ? AND number = ?",
            arguments: [organisationID, actionID])
        return target.flatMap(EscalationTarget.init(rawValue:))?.isExternal == true
    }

    public func invoice(organisationID: String, number: String) async throws -> InvoiceBalance? {
        try await read { db in try SQLiteStore.invoiceBalance(number, organisationID, db) }
    }

    /// One dispute, read by its key.
    public func dispute(organisationID: String, id: String) async throws -> Dispute? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT \(SQLiteStore.disputeColumns) FROM disputes WHERE org_id = ? AND dispute_id = ?",
                    arguments: [organisationID, id])
            else { return nil }
            var currencies = CurrencyCache()
            return try SQLiteStore.dispute(from: row, &currencies)
        }
    }

    /// One payment plan, read by its key with its invoices and instalments.
    public func paymentPlan(organisationID: String, id: String) async throws -> PaymentPlan? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT accepted_on, proposed_by FROM payment_plans WHERE org_id = ? AND plan_id = ?",
                    arguments: [organisationID, id])
            else { return nil }
            var plan = try SQLiteStore.loadPlan(id, acceptedOn: row["accepted_on"], organisationID, db)
            plan.proposedBy = PaymentPlan.Proposer(rawValue: row["proposed_by"]) ?? .collector
            return plan
        }
    }

    public func accountsWithCommitments(organisationID: String, customerID: String?) async throws -> [Account] {
        let ids = try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT customer_id FROM disputes WHERE org_id = ?1 AND (?2 IS NULL OR customer_id = ?2)
                    UNION SELECT customer_id FROM promises WHERE org_id = ?1 AND (?2 IS NULL OR customer_id = ?2)
                    UNION SELECT customer_id FROM payment_plans WHERE org_id = ?1 AND (?2 IS NULL OR customer_id = ?2)
                    ORDER BY 1
                    """,
                arguments: [organisationID, customerID])
        }
        var accounts: [Account] = []
        for id in ids {
            if let account = try await account(organisationID: organisationID, customerID: id) {
                accounts.append(account)
            }
        }
        return accounts
    }
}
