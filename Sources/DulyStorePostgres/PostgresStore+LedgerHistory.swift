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
                let invoice = try Self.balance(from: row, &currencies).invoice
                histories[invoice.number] = InvoiceHistory(invoice: invoice)
            }
            let found = Array(histories.keys)
            guard !found.isEmpty else { return [] }
            let allocations = try await connection.rows(
                """
                SELECT invoice_number, payment_id, amount_minor, date FROM allocations
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(found)::text[])
                ORDER BY invoice_number, date, payment_id COLLATE "C"
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
                ORDER BY invoice_number, date, credit_note_id COLLATE "C"
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
