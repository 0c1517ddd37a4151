import DulyCore

/// The dated ledger of single invoices (DulyCore's `InvoiceHistory`), for interest claims. One read transaction
/// per call.
public protocol LedgerHistoryStore: DulyStore {
    /// The invoices with these numbers and their allocations and credit notes, in the order asked; numbers with no
    /// invoice in the organisation are left out.
    func invoiceHistories(organisationID: String, invoiceNumbers: [String]) async throws -> [InvoiceHistory]
}

/// An invoice's interest claim, or why it cannot be worked out (a reference rate not yet known).
public struct InvoiceInterest: Sendable {
    public var invoice: Invoice
    public var claim: Result<InterestClaim, InterestError>
}

extension DeliveryStore {
    /// The claims `duly interest` states on these invoices through `date`, in the order asked (numbers with no
    /// invoice in the organisation left out): each invoice's dated ledger, with the part its client disputes left
    /// unclaimed while the dispute is open.
    public func interestClaims(
        invoiceNumbers: [String], organisationID: String, regime: InterestRegime, rates: ReferenceRateTable,
        contractualRate: AnnualRate?, through date: LocalDate
    ) async throws -> [InvoiceInterest] {
        let histories = try await invoiceHistories(organisationID: organisationID, invoiceNumbers: invoiceNumbers)
        var disputes: [String: [Dispute]] = [:]
        for customerID in Set(histories.map(\.invoice.customerID)) {
            disputes[customerID] = try await account(organisationID: organisationID, customerID: customerID)?.disputes
        }
        return histories.map { history in
            InvoiceInterest(
                invoice: history.invoice,
                claim: Result { () throws(InterestError) in
                    try InterestCalculator.claim(
                        for: history.invoice, payments: history.allocations, credits: history.creditNotes,
                        disputes: disputes[history.invoice.customerID] ?? [], regime: regime, rates: rates,
                        contractualRate: contractualRate, through: date)
                })
        }
    }
}
