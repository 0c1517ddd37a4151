import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: LedgerHistoryStore {
    /// The invoices with their dated allocations and credit notes, in one read transaction.
    public func invoiceHistories(organisationID: String, invoiceNumbers: [String]) async throws -> [InvoiceHistory] {
        try await read { db in
            let allocations = try db.cachedStatement(
                sql: """
                    SELECT payment_id, amount_minor, date FROM allocations
                    WHERE org_id = ? AND invoice_number = ?
                    ORDER BY date, payment_id
                    """)
            let credits = try db.cachedStatement(
                sql: """
                    SELECT credit_note_id, amount_minor, date FROM credit_notes
                    WHERE org_id = ? AND invoice_number = ?
                    ORDER BY date, credit_note_id
                    """)
            var histories: [InvoiceHistory] = []
            for number in invoiceNumbers {
                guard let balance = try SQLiteStore.invoiceBalance(number, organisationID, db) else { continue }
                let currency = balance.invoice.currency
                let paid = try Row.fetchAll(allocations, arguments: [organisationID, number]).map { row in
                    Allocation(
                        paymentID: row["payment_id"], invoiceNumber: number,
                        amount: Money(minorUnits: row["amount_minor"], currency: currency),
                        date: try Decode.date(row["date"]))
                }
                let credited = try Row.fetchAll(credits, arguments: [organisationID, number]).map { row in
                    CreditNote(
                        id: row["credit_note_id"], invoiceNumber: number, date: try Decode.date(row["date"]),
                        amount: Money(minorUnits: row["amount_minor"], currency: currency))
                }
                histories.append(InvoiceHistory(invoice: balance.invoice, allocations: paid, creditNotes: credited))
            }
            return histories
        }
    }
}
