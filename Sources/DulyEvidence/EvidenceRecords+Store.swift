import DulyCore
import DulyStore

/// The law, rates and agreed rate an evidence pack's interest section is worked out with.
public struct EvidenceInterestTerms: Sendable {
    public var regime: InterestRegime
    public var rates: ReferenceRateTable
    /// Where the rates came from, as the working names it ("built-in table").
    public var ratesSource: String
    public var contractualRate: AnnualRate?

    public init(regime: InterestRegime, rates: ReferenceRateTable, ratesSource: String, contractualRate: AnnualRate?) {
        self.regime = regime
        self.rates = rates
        self.ratesSource = ratesSource
        self.contractualRate = contractualRate
    }
}

extension EvidenceRecords {
    /// Everything `duly evidence` packs about one account on `date`, read from the store; nil when the organisation
    /// has no such customer. `interest` nil leaves the interest section out (no law applies).
    public static func gather(
        from store: some DeliveryStore, organisation: Organisation, customerID: String,
        interest terms: EvidenceInterestTerms?, on date: LocalDate
    ) async throws -> EvidenceRecords? {
        guard let account = try await store.account(organisationID: organisation.id, customerID: customerID) else {
            return nil
        }
        let invoices = try await store.invoices(
            organisationID: organisation.id, customerID: customerID, openOnly: false)
        let timeline = try await store.timeline(organisationID: organisation.id, customerID: customerID)
        let channels = Dictionary(
            try await store.actions(organisationID: organisation.id, customerID: customerID).map {
                ($0.id, $0.action.channel)
            }, uniquingKeysWith: { first, _ in first })
        let communications = try await store.communications(organisationID: organisation.id, customerID: customerID)
            .map { EvidenceMessage(communication: $0, channel: channels[$0.actionID]) }
        var interest: EvidenceInterest?
        if let terms {
            interest = try await EvidenceInterest.compute(
                from: store, organisation: organisation, invoices: invoices, terms: terms, on: date)
        }
        return EvidenceRecords(
            organisation: organisation, customer: account.customer, contacts: account.contacts, invoices: invoices,
            disputes: account.disputes, promises: account.promises, plans: account.plans, refusals: account.refusals,
            communications: communications, timeline: timeline, interest: interest,
            documents: try await store.documents(organisationID: organisation.id, customerID: customerID))
    }
}

extension EvidenceInterest {
    /// The statutory interest and compensation each late invoice has earned by `date`, one line per invoice
    /// (rounded once, as `duly interest` shows it); an invoice that needs a rate not yet known is named in the
    /// method rather than left out silently.
    public static func compute(
        from store: some DeliveryStore, organisation: Organisation, invoices: [InvoiceBalance],
        terms: EvidenceInterestTerms, on date: LocalDate
    ) async throws -> EvidenceInterest {
        let late = invoices.filter { $0.invoice.dueDate < date }.map(\.invoice.number)
        var lines: [EvidenceInterest.Line] = []
        var problems: [String] = []
        // The part under an open dispute is not claimed (see `InvoiceBalance.undisputedOpen`).
        for found in try await store.interestClaims(
            invoiceNumbers: late, organisationID: organisation.id, regime: terms.regime, rates: terms.rates,
            contractualRate: terms.contractualRate, through: date)
        {
            let claim: InterestClaim
            switch found.claim {
            case .success(let worked): claim = worked
            case .failure(let error):
                // A missing half-year is the operator's to add; the pack says so rather than leaving the invoice out.
                problems.append("\(found.invoice.number): \(error)")
                continue
            }
            guard let lastDay = claim.lastDay, claim.days > 0 else { continue }
            let segments = claim.segments.map {
                "\($0.from) to \($0.to), \(counted($0.days, "day")) at \($0.rate.percentString) %"
            }
            lines.append(
                EvidenceInterest.Line(
                    invoiceNumber: claim.invoiceNumber, principal: claim.principal, from: claim.firstLateDay,
                    through: lastDay, days: claim.days,
                    annualRatePercent: claim.currentRate?.percentString ?? "0",
                    interest: claim.interest, compensation: claim.compensation,
                    basis: ([claim.legalBasis] + segments).joined(separator: "; ")))
        }
        var method =
            "Interest from the day after the due date to \(date) (or the payment date), on the balance unpaid, "
            + "rounded once per invoice, half to even; reference rates from \(terms.ratesSource)."
        if !problems.isEmpty { method += " Not computed: " + problems.joined(separator: "; ") }
        return EvidenceInterest(regime: terms.regime.jurisdiction.rawValue, asOf: date, lines: lines, method: method)
    }
}
