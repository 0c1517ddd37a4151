/// The statutory late-payment interest and fixed compensation of one jurisdiction, as data (docs/DOMAIN.md,
/// "Late-payment interest").
///
/// Every difference between the laws is a value here, so the calculator has one algorithm: which reference rate, the
/// margin over it, when the rate is chosen, the day basis, whether interest compounds, and the fixed sum per invoice.
public struct InterestRegime: Hashable, Sendable {
    /// Whose law.
    public enum Jurisdiction: String, Hashable, Sendable, CaseIterable {
        case unitedKingdom = "UK"
        /// Directive 2011/7/EU's minimum, for EU member states Duly has no national variant for.
        case euMinimum = "EU"
        case germany = "DE"
        case france = "FR"
        case netherlands = "NL"
        case ireland = "IE"
    }

    /// When the reference rate is read.
    public enum RatePolicy: String, Hashable, Sendable {
        /// One rate for the life of the debt: the half-year in which interest starts to run (UK-4).
        case fixedAtStart = "fixed_at_start"
        /// One rate for the life of the debt: the half-year of the due date (docs/DOMAIN.md, IE-2).
        case fixedAtDueDate = "fixed_at_due_date"
        /// The rate of each half-year for the days in it: the period is split at 1 January and 1 July (EU-3, DE-4,
        /// FR-2, NL-3).
        case perHalfYear = "per_half_year"
    }

    /// The year a day's interest is a fraction of.
    public enum DayBasis: String, Hashable, Sendable {
        /// Every year has 365 days, leap years too (UK-6: every UK guide; the French and Dutch calculators).
        case actual365 = "act/365"
        /// 366 days in a leap year, 365 otherwise (docs/DOMAIN.md, "Conventions": some German tools); a segment never
        /// spans a year end.
        case actualActual = "act/act"
    }

    /// One band of a banded fixed sum: debts up to `limit` (inclusive or not) get `amount`; the last band has no
    /// limit.
    public struct Band: Hashable, Sendable {
        public var limit: Money?
        public var limitIncluded: Bool
        public var amount: Money

        public init(limit: Money?, limitIncluded: Bool, amount: Money) {
            self.limit = limit
            self.limitIncluded = limitIncluded
            self.amount = amount
        }
    }

    /// The fixed compensation for recovery costs, per late invoice.
    public enum Compensation: Hashable, Sendable {
        /// The same sum whatever the debt (EUR 40: EU-6, DE-2, FR-3).
        case flat(Money)
        /// By the size of the debt (UK-8, IE-4); bands in order, the last without a limit.
        case banded([Band])
    }

    public var jurisdiction: Jurisdiction
    /// The reference rate the statutory rate is a margin over.
    public var reference: ReferenceRate
    /// Percentage points over the reference rate.
    public var margin: AnnualRate
    public var ratePolicy: RatePolicy
    public var dayBasis: DayBasis
    /// Whether interest unpaid after each full year is added to the principal (NL-2).
    public var compoundsYearly: Bool
    public var compensation: Compensation
    /// The statute of the interest, as a letter cites it (`§ 288 Abs. 2 BGB`).
    public var legalBasis: String
    /// The statute of the fixed sum.
    public var compensationBasis: String
    /// A caveat the working shows, when the regime is an approximation.
    public var note: String?

    public init(
        jurisdiction: Jurisdiction, reference: ReferenceRate, margin: AnnualRate, ratePolicy: RatePolicy,
        dayBasis: DayBasis, compoundsYearly: Bool, compensation: Compensation, legalBasis: String,
        compensationBasis: String, note: String? = nil
    ) {
        self.jurisdiction = jurisdiction
        self.reference = reference
        self.margin = margin
        self.ratePolicy = ratePolicy
        self.dayBasis = dayBasis
        self.compoundsYearly = compoundsYearly
        self.compensation = compensation
        self.legalBasis = legalBasis
        self.compensationBasis = compensationBasis
        self.note = note
    }

    /// The fixed sum for a debt, or nil when banded sums are in another currency than the debt (the bands cannot be
    /// compared without an exchange rate, which the law does not give).
    public func compensation(forDebt debt: Money) -> Money? {
        switch compensation {
        case .flat(let amount):
            return amount
        case .banded(let bands):
            for band in bands {
                guard let limit = band.limit else { return band.amount }
                guard limit.currency == debt.currency else { return nil }
                if debt.minorUnits < limit.minorUnits || (band.limitIncluded && debt.minorUnits == limit.minorUnits) {
                    return band.amount
                }
            }
            return nil
        }
    }
}

// MARK: - The regimes

extension InterestRegime {
    private static func pounds(_ units: Int) -> Money {
        Money(minorUnits: units * 100, currency: Currency(code: "GBP")!)
    }
    private static func euros(_ units: Int) -> Money {
        Money(minorUnits: units * 100, currency: Currency(code: "EUR")!)
    }

    /// UK: Bank Rate on the reference date + 8, fixed for the debt, simple, /365; £40/£70/£100 (docs/DOMAIN.md,
    /// UK-3…UK-8).
    public static let unitedKingdom = InterestRegime(
        jurisdiction: .unitedKingdom, reference: .bankOfEngland, margin: AnnualRate(basisPoints: 800),
        ratePolicy: .fixedAtStart, dayBasis: .actual365, compoundsYearly: false,
        // UK-8: "less than £1000" → 40; "£1000 or more, less than £10,000" → 70; "£10,000 or more" → 100.
        compensation: .banded([
            Band(limit: pounds(1_000), limitIncluded: false, amount: pounds(40)),
            Band(limit: pounds(10_000), limitIncluded: false, amount: pounds(70)),
            Band(limit: nil, limitIncluded: false, amount: pounds(100)),
        ]),
        legalBasis: "the Late Payment of Commercial Debts (Interest) Act 1998",
        compensationBasis: "section 5A of the Late Payment of Commercial Debts (Interest) Act 1998")

    /// The Directive's minimum: ECB rate + 8 per half-year, simple, /365, EUR 40 (docs/DOMAIN.md, EU-1…EU-6).
    public static let euMinimum = InterestRegime(
        jurisdiction: .euMinimum, reference: .ecbMainRefinancing, margin: AnnualRate(basisPoints: 800),
        ratePolicy: .perHalfYear, dayBasis: .actual365, compoundsYearly: false, compensation: .flat(euros(40)),
        legalBasis: "Directive 2011/7/EU on combating late payment in commercial transactions",
        compensationBasis: "article 6 of Directive 2011/7/EU",
        note: "the Directive's minimum with the ECB rate as reference; a member state outside the euro uses its "
            + "central bank's rate (docs/DOMAIN.md, EU-2): set a contract rate where it differs")

    /// Germany: Basiszinssatz + 9 (B2B) per half-year, act/act, EUR 40 Pauschale (docs/DOMAIN.md, DE-1…DE-4).
    public static let germany = InterestRegime(
        jurisdiction: .germany, reference: .germanBaseRate, margin: AnnualRate(basisPoints: 900),
        ratePolicy: .perHalfYear,
        // docs/DOMAIN.md, "Conventions" and "Open questions": no source fixes the German day count; German tools
        // commonly divide by the actual days of the year, so 2024 days are 1/366 of a year here and the UK's /365 is
        // not copied.
        dayBasis: .actualActual, compoundsYearly: false, compensation: .flat(euros(40)),
        legalBasis: "§ 288 Abs. 2 BGB", compensationBasis: "§ 288 Abs. 5 BGB")

    /// France: ECB rate + 10 per half-year, /365, EUR 40 indemnité forfaitaire (docs/DOMAIN.md, FR-2, FR-3).
    public static let france = InterestRegime(
        jurisdiction: .france, reference: .ecbMainRefinancing, margin: AnnualRate(basisPoints: 1_000),
        ratePolicy: .perHalfYear, dayBasis: .actual365, compoundsYearly: false, compensation: .flat(euros(40)),
        legalBasis: "article L441-10 du Code de commerce", compensationBasis: "article D441-5 du Code de commerce")

    /// The Netherlands: ECB rate + 8 per half-year, compounded yearly, /365, EUR 40 (docs/DOMAIN.md, NL-2, NL-3, EU-6).
    public static let netherlands = InterestRegime(
        jurisdiction: .netherlands, reference: .ecbMainRefinancing, margin: AnnualRate(basisPoints: 800),
        ratePolicy: .perHalfYear, dayBasis: .actual365, compoundsYearly: true, compensation: .flat(euros(40)),
        legalBasis: "artikel 6:119a BW", compensationBasis: "artikel 6:96 lid 4 BW (Richtlijn 2011/7/EU, art. 6)")

    /// Ireland: ECB rate + 8, one rate for the debt, /365, EUR 40/70/100 (docs/DOMAIN.md, IE-2, IE-4).
    public static let ireland = InterestRegime(
        jurisdiction: .ireland, reference: .ecbMainRefinancing, margin: AnnualRate(basisPoints: 800),
        // IE-2: "only one rate will apply to a late payment – that is the rate in force on the payment date",
        // which docs/DOMAIN.md (IE-2) reads as the date payment fell due: the half-year of the due date.
        ratePolicy: .fixedAtDueDate, dayBasis: .actual365, compoundsYearly: false,
        // IE-4: "not exceeding €1,000" → 40; "exceeding €1,000 but not exceeding €10,000" → 70; above → 100.
        compensation: .banded([
            Band(limit: euros(1_000), limitIncluded: true, amount: euros(40)),
            Band(limit: euros(10_000), limitIncluded: true, amount: euros(70)),
            Band(limit: nil, limitIncluded: false, amount: euros(100)),
        ]),
        legalBasis: "the European Communities (Late Payment in Commercial Transactions) Regulations 2012",
        compensationBasis: "Regulation 6 of S.I. No. 580 of 2012")

    /// Every regime, one per jurisdiction.
    public static let all: [InterestRegime] = [unitedKingdom, euMinimum, germany, france, netherlands, ireland]

    /// The regime for an organisation's country (ISO 3166-1 alpha-2), or nil where Duly knows no statutory regime.
    ///
    /// GB (and UK) → UK; DE, FR, NL, IE → their own; every other EU member state → the Directive's minimum.
    /// Northern Ireland and Scotland follow the UK Act (it extends to the whole UK), so GB covers them.
    public static func forCountry(_ code: String) -> InterestRegime? {
        switch code.uppercased() {
        case "GB", "UK": return .unitedKingdom
        case "DE": return .germany
        case "FR": return .france
        case "NL": return .netherlands
        case "IE": return .ireland
        case let other where euMemberStates.contains(other): return .euMinimum
        default: return nil
        }
    }

    /// The regime of a jurisdiction code (`UK`, `EU`, `DE`…).
    public static func named(_ code: String) -> InterestRegime? {
        all.first { $0.jurisdiction.rawValue == code.uppercased() }
    }

    // The 27 member states (ISO codes; Greece is GR in ISO 3166, EL in EU usage: both accepted).
    static let euMemberStates: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV", "LT",
        "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]
}
