import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: LedgerHistoryStore {
    /// The invoices with their dated allocations and credit notes, in one read transaction: three queries whatever the
    /// number of invoices asked for, put back in the order asked.
    public func invoiceHistories(organisationID: String, invoiceNumbers: [String]) async throws -> [InvoiceHistory] {
        guard !invoiceNumbers.isEmpty else { return [] }
        let logger = self.logger
        return try await read { connection in
            var currencies = CurrencyCache()
            var histories: [String: InvoiceHistory] = [:]
            let invoices = try await connection.rows(
                """
                SELECT \(unescaped: Self.invoiceColumns) FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(invoiceNumbers)::text[])
                """, logger: logger)
            for row in invoices {
                let invoice = try Self.invoiceBalance(from: row, &currencies).invoice
                histories[invoice.number] = InvoiceHistory(invoice: invoice)
            }
            let found = Array(histories.keys)
            guard !found.isEmpty else { return [] }
            let allocations = try await connection.rows(
                """
                SELECT invoice_number, payment_id, amount_minor, date FROM allocations
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(found)::text[])
                ORDER BY invoice_number, date, payment_id
                """, logger: logger)
            for row in allocations {
                let number = try row.value("invoice_number", as: String.self)
                guard let currency = histories[number]?.invoice.currency else { continue }
                histories[number]?.allocations.append(
                    Allocation(
                        paymentID: try row.value("payment_id"), invoiceNumber: number,
                        amount: Money(minorUnits: try row.value("amount_minor"), currency: currency),
                        date: try row.value("date")))
            }
            let credits = try await connection.rows(
                """
                SELECT invoice_number, credit_note_id, amount_minor, date FROM credit_notes
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(found)::text[])
                ORDER BY invoice_number, date, credit_note_id
                """, logger: logger)
            for row in credits {
                let number = try row.value("invoice_number", as: String.self)
                guard let currency = histories[number]?.invoice.currency else { continue }
                histories[number]?.creditNotes.append(
                    CreditNote(
                        id: try row.value("credit_note_id"), invoiceNumber: number, date: try row.value("date"),
                        amount: Money(minorUnits: try row.value("amount_minor"), currency: currency)))
            }
            // In the order asked, as often as asked; numbers with no invoice left out.
            return invoiceNumbers.compactMap { histories[$0] }
        }
    }
}

// MARK: - Invoice rows

extension PostgresStore {
    /// The invoice columns `invoiceBalance(from:_:)` reads.
    static let invoiceColumns = """
        invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number, paid_minor, \
        credited_minor, adjusted_as, payment_reference, payment_url
        """

    /// An invoice and its kept sums from a row that selects `invoiceColumns`.
    static func invoiceBalance(
        from row: PostgresRandomAccessRow, _ currencies: inout CurrencyCache
    ) throws -> InvoiceBalance {
        let currency = try currencies.currency(try row.value("currency"))
        let invoice = Invoice(
            number: try row.value("invoice_number"), customerID: try row.value("customer_id"),
            issueDate: try row.value("issue_date"), dueDate: try row.value("due_date"),
            total: Money(minorUnits: try row.value("total_minor"), currency: currency),
            terms: try currencies.terms(try row.optional("terms")), poNumber: try row.optional("po_number"),
            paymentReference: try row.optional("payment_reference"), paymentURL: try row.optional("payment_url"))
        return InvoiceBalance(
            invoice: invoice, paid: Money(minorUnits: try row.value("paid_minor"), currency: currency),
            credited: Money(minorUnits: try row.value("credited_minor"), currency: currency),
            adjustedAs: try row.optional("adjusted_as", as: String.self).flatMap(EndState.init(rawValue:)))
    }
}
