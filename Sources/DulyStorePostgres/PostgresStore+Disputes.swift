import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore {
    /// Ends an open dispute with what its outcome books, in one transaction: the customer's lock (for the timeline),
    /// then row locks on the dispute and its invoice, so that the check (open, the balance) holds until the update.
    public func resolveDispute(
        id: String, outcome: DisputeOutcome, agreedAmount: Money?, note: String?, approvedBy: String?,
        organisationID: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            // A dispute never changes customer, so reading it before the lock is safe.
            guard
                let owner = try await connection.row(
                    "SELECT customer_id FROM disputes WHERE org_id = \(organisationID) AND dispute_id = \(id)",
                    logger: logger)
            else { throw StoreError.invalid("no dispute '\(id)'") }
            let customerID = try owner.value("customer_id", as: String.self)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            guard
                let row = try await connection.row(
                    """
                    SELECT invoice_number, opened_on, reason, amount_minor, resolved_on, reason_code, owner
                    FROM disputes WHERE org_id = \(organisationID) AND dispute_id = \(id)
                    FOR UPDATE
                    """, logger: logger)
            else { throw StoreError.invalid("no dispute '\(id)'") }
            guard try row.optional("resolved_on", as: LocalDate.self) == nil else {
                throw StoreError.invalid("dispute '\(id)' is already resolved")
            }
            let invoiceNumber = try row.value("invoice_number", as: String.self)
            // The invoice's row lock: its balance stands until the credit note that follows from it is written.
            try await connection.execute(
                """
                SELECT 1 FROM invoices WHERE org_id = \(organisationID) AND invoice_number = \(invoiceNumber) FOR UPDATE
                """, logger: logger)
            guard
                let balance = try await Self.invoiceBalances(
                    [invoiceNumber], organisationID, connection, logger: logger
                ).first
            else { throw StoreError.invoiceNotFound(invoiceNumber) }
            let openedOn = try row.value("opened_on", as: LocalDate.self)
            guard openedOn <= context.date else {
                throw StoreError.invalid("dispute '\(id)' was opened on \(openedOn), after \(context.date)")
            }
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            let dispute = Dispute(
                id: id, invoiceNumber: invoiceNumber, openedOn: openedOn,
                reasonCode: DisputeReason(rawValue: try row.value("reason_code")) ?? .other,
                reason: try row.value("reason"),
                amount: try row.optional("amount_minor", as: Int.self).map {
                    Money(minorUnits: $0, currency: balance.invoice.currency)
                },
                owner: try row.optional("owner"))
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
                try await Self.insertCreditNote(
                    credit, organisationID: organisationID, timeline: &timeline, connection, logger: logger)
            }
            try await connection.execute(
                """
                UPDATE disputes SET resolved_on = \(context.date), outcome = \(outcome.rawValue),
                    resolution_note = \(note)
                WHERE org_id = \(organisationID) AND dispute_id = \(id)
                """, logger: logger)
            var resolved = dispute
            resolved.amount = nil
            resolved.resolvedOn = context.date
            resolved.outcome = outcome
            resolved.findings = note
            try await timeline.append(.disputeResolved(resolved, customerID: customerID, note: note), connection)
            try await timeline.flush(connection)
        }
    }
}
