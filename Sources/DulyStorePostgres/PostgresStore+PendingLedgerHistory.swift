import DulyCore
import DulyStore

// SCAFFOLDING, never to reach main: `DeliveryStore` refines `LedgerHistoryStore`, which the reports helper writes
// (branch pg-reports). Deleted when that branch is merged.
extension PostgresStore: LedgerHistoryStore {
    public func invoiceHistories(organisationID: String, invoiceNumbers: [String]) async throws -> [InvoiceHistory] {
        throw Self.notYetOnPostgreSQL(#function)
    }
}
