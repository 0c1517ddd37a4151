import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Inserts new invoices; identical ones are unchanged, different ones a conflict that imports nothing.
    public func importInvoices(
        _ invoices: [Invoice], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            try await connection.lockForImport(
                organisationID: organisationID, customerIDs: invoices.map(\.customerID), logger: logger)
            // One batch: the whole array.
            var given: [Invoice]? = invoices
            return try await Self.importInvoiceStream(
                next: {
                    defer { given = nil }
                    return given
                }, refusing: nil, writes: { true }, expectedRows: invoices.count, organisationID: organisationID,
                context: context, connection, logger: logger)
        }
    }

    /// Records a credit note (or a discount, settlement or write-off) against one invoice; recording the same note
    /// again changes nothing. A settlement or write-off needs a reason and an approver; a write-off takes all that
    /// is open.
    public func recordCreditNote(_ note: CreditNote, organisationID: String, context: RecordingContext) async throws {
        let logger = self.logger
        try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            // The balance is checked, then moved, under the customer's lock that every write to its invoices takes.
            if let owner = try await connection.row(
                """
                SELECT customer_id FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = \(note.invoiceNumber)
                """, logger: logger)
            {
                try await connection.lockCustomer(
                    organisationID: organisationID, customerID: try owner.value("customer_id"), logger: logger)
            }
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await Self.insertCreditNote(
                note, organisationID: organisationID, timeline: &timeline, connection, logger: logger)
            try await timeline.flush(connection)
        }
    }

    /// The credit note's rows, its cached sum and its timeline entry, inside the caller's transaction (and on its
    /// timeline: one per transaction keeps each chain's head right). The caller holds the invoice's customer's lock.
    static func insertCreditNote(
        _ note: CreditNote, organisationID: String, timeline: inout PostgresTimeline, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let label = note.kind == .creditNote ? "credit note '\(note.id)'" : "\(note.kind.rawValue) '\(note.id)'"
        guard note.amount.minorUnits > 0 else {
            throw StoreError.invalid("\(label): the amount must be more than zero")
        }
        if note.kind.needsApproval {
            guard !(note.reason ?? "").isEmpty, !(note.approvedBy ?? "").isEmpty else {
                throw StoreError.invalid("\(label): a \(note.kind.rawValue) needs a reason and who approved it")
            }
        }
        guard let balance = try await invoiceBalance(note.invoiceNumber, organisationID, connection, logger) else {
            throw StoreError.invoiceNotFound(note.invoiceNumber)
        }
        if let row = try await connection.row(
            """
            SELECT invoice_number, date, amount_minor, kind, reason, approved_by FROM credit_notes
            WHERE org_id = \(organisationID) AND credit_note_id = \(note.id)
            """, logger: logger)
        {
            let stored: [(field: String, same: Bool)] = [
                ("invoice_number", try row.value("invoice_number", as: String.self) == note.invoiceNumber),
                ("date", try row.value("date", as: LocalDate.self) == note.date),
                (
                    "amount",
                    try row.value("amount_minor", as: Int.self) == note.amount.minorUnits
                        && note.amount.currency == balance.invoice.currency
                ),
                ("kind", try row.value("kind", as: String.self) == note.kind.rawValue),
                ("reason", try row.optional("reason", as: String.self) == note.reason),
                ("approved_by", try row.optional("approved_by", as: String.self) == note.approvedBy),
            ]
            if let difference = stored.first(where: { !$0.same }) {
                throw StoreError.conflict(kind: "credit_note", key: note.id, field: difference.field)
            }
            return
        }
        if let refusal = WriteChecks.refusal(of: note, label: label, against: balance) { throw refusal }
        try await connection.execute(
            """
            INSERT INTO credit_notes (org_id, credit_note_id, invoice_number, date, amount_minor, kind, reason,
                approved_by)
            VALUES (\(organisationID), \(note.id), \(note.invoiceNumber), \(note.date), \(note.amount.minorUnits),
                \(note.kind.rawValue), \(note.reason), \(note.approvedBy))
            """, logger: logger)
        // The cached sum moves in the same transaction as the credit note it sums; a settlement or write-off also
        // decides how the invoice ends.
        let adjustedAs: EndState? =
            switch note.kind {
            case .settlement: .settled
            case .writeOff: .writtenOff
            case .creditNote, .discount: nil
            }
        try await connection.execute(
            """
            UPDATE invoices SET credited_minor = credited_minor + \(note.amount.minorUnits),
                adjusted_as = coalesce(\(adjustedAs?.rawValue)::text, adjusted_as)
            WHERE org_id = \(organisationID) AND invoice_number = \(note.invoiceNumber)
            """, logger: logger)
        try await timeline.append(.adjustmentRecorded(note, customerID: balance.invoice.customerID), connection)
    }

    /// Invoices with their balances, ordered by customer, due date and number.
    public func invoices(organisationID: String, customerID: String?, openOnly: Bool) async throws -> [InvoiceBalance] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.invoiceColumns) FROM invoices
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                    AND (NOT \(openOnly) OR paid_minor + credited_minor < total_minor)
                ORDER BY customer_id COLLATE "C", due_date, invoice_number COLLATE "C"
                """, logger: logger)
            var currencies = CurrencyCache()
            return try rows.map { try Self.balance(from: $0, &currencies) }
        }
    }

    // MARK: - Rows

    /// The invoice columns `balance(from:)` reads. Every query that reads invoices selects these, so adding a column
    /// means changing this list and that function only.
    static let invoiceColumns = """
        invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number, paid_minor, \
        credited_minor, adjusted_as, payment_reference, payment_url
        """

    /// Reads an invoice row selected as `invoiceColumns`.
    static func balance(from row: PostgresRandomAccessRow, _ currencies: inout CurrencyCache) throws -> InvoiceBalance {
        let currency = try currencies.currency(row.value("currency"))
        let invoice = Invoice(
            number: try row.value("invoice_number"), customerID: try row.value("customer_id"),
            issueDate: try row.value("issue_date"), dueDate: try row.value("due_date"),
            total: Money(minorUnits: try row.value("total_minor"), currency: currency),
            terms: try currencies.terms(row.optional("terms")), poNumber: try row.optional("po_number"),
            paymentReference: try row.optional("payment_reference"), paymentURL: try row.optional("payment_url"))
        return InvoiceBalance(
            invoice: invoice, paid: Money(minorUnits: try row.value("paid_minor"), currency: currency),
            credited: Money(minorUnits: try row.value("credited_minor"), currency: currency),
            adjustedAs: try row.optional("adjusted_as", as: String.self).flatMap(EndState.init(rawValue:)))
    }

    /// These invoices with their balances, those that exist, in no particular order: one query for a batch of
    /// numbers (`invoiceBalance` reads one).
    static func invoiceBalances(
        _ numbers: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [InvoiceBalance] {
        let rows = try await connection.rows(
            """
            SELECT \(unescaped: invoiceColumns) FROM invoices
            WHERE org_id = \(organisationID) AND invoice_number = ANY(\(numbers)::text[])
            """, logger: logger)
        var currencies = CurrencyCache()
        return try rows.map { try balance(from: $0, &currencies) }
    }
}
