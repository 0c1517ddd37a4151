import DulyCore
import DulyStore

/// What a final notice needs to state interest and compensation: the law, the rates, and the dated ledger of the
/// invoices it may cover (the caller reads those from the store before composing; composing never waits on it).
public struct InterestSettings: Sendable {
    public var regime: InterestRegime
    public var rates: ReferenceRateTable
    public var contractualRate: AnnualRate?
    /// Payments and credits per invoice number. An invoice missing here is taken at its balance: what was paid or
    /// credited counts from the due date, which can only understate the interest, never claim too much.
    public var histories: [String: InvoiceHistory]

    public init(
        regime: InterestRegime, rates: ReferenceRateTable, contractualRate: AnnualRate? = nil,
        histories: [String: InvoiceHistory] = [:]
    ) {
        self.regime = regime
        self.rates = rates
        self.contractualRate = contractualRate
        self.histories = histories
    }

    /// The figures for these invoices computed to `date`, or nil when none of them is late or a rate is missing
    /// (the notice then reserves the right to claim, rather than state a wrong figure). The part of an invoice under
    /// an open dispute (`disputes`) earns no interest here.
    public func figures(
        for balances: [InvoiceBalance], disputes: [Dispute] = [], on date: LocalDate
    ) -> InterestFigures? {
        var claims: [InterestClaim] = []
        for balance in balances {
            let history =
                histories[balance.invoice.number]
                ?? InvoiceHistory(
                    invoice: balance.invoice, allocations: [],
                    creditNotes: [
                        CreditNote(
                            id: "balance", invoiceNumber: balance.invoice.number, date: balance.invoice.dueDate,
                            amount: balance.paid + balance.credited)
                    ])
            guard
                let claim = try? InterestCalculator.claim(
                    for: history.invoice, payments: history.allocations, credits: history.creditNotes,
                    disputes: disputes, regime: regime, rates: rates, contractualRate: contractualRate, through: date)
            else { return nil }
            if claim.days > 0 { claims.append(claim) }
        }
        return InterestFigures(claims: claims, calculatedTo: date)
    }
}

extension InterestFigures {
    /// The figures a notice states for these claims; nil when there are none.
    ///
    /// The headline rate is the first claim's current one (one law per organisation: the claims differ only where
    /// the UK fixes each debt's rate at its own half-year); each item carries its own.
    public init?(claims: [InterestClaim], calculatedTo: LocalDate) {
        guard let first = claims.first, let rate = first.currentRate else { return nil }
        self.init(
            annualRateBasisPoints: InterestFigures.basisPoints(rate), legalBasis: first.regime.legalBasis,
            compensationBasis: first.regime.compensationBasis, isContractual: first.contractualRate != nil,
            calculatedTo: calculatedTo,
            items: claims.map { claim in
                Item(
                    invoiceNumber: claim.invoiceNumber, days: claim.days, interest: claim.interest,
                    compensation: claim.compensation ?? .zero(claim.interest.currency),
                    annualRateBasisPoints: claim.currentRate.map(InterestFigures.basisPoints))
            })
    }

    // Statutory rates are whole basis points; a contract rate with finer decimals is shown to the nearest one.
    private static func basisPoints(_ rate: AnnualRate) -> Int {
        Int(Money.divideHalfEven(Int128(rate.millionths), 100))
    }
}
