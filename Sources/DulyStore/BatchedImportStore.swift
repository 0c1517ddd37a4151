import DulyCore

/// Imports too large to hold in memory: the records arrive batch by batch, and all of them are one transaction.
public protocol BatchedImportStore: DulyStore {
    /// Inserts invoices batch by batch in one transaction, calling `next` for each batch until it returns nil.
    ///
    /// The rules are `importInvoices`'s: identical invoices are unchanged, a number already present with other values
    /// is a conflict, unknown customers are an error; any refusal (or an error thrown by `next`) rolls everything
    /// back. One timeline entry per customer per batch lists its new invoices.
    func importInvoiceBatches(
        organisationID: String, context: RecordingContext, next: @escaping @Sendable () throws -> [Invoice]?
    ) async throws -> ImportSummary
}
