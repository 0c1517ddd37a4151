import DulyCore

/// The dated ledger of single invoices (DulyCore's `InvoiceHistory`), for interest claims. One read transaction
/// per call.
public protocol LedgerHistoryStore: DulyStore {
    /// The invoices with these numbers and their allocations and credit notes, in the order asked; numbers with no
    /// invoice in the organisation are left out.
    func invoiceHistories(organisationID: String, invoiceNumbers: [String]) async throws -> [InvoiceHistory]
}
