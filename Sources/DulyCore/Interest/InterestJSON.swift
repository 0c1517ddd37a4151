/// A claim as `duly interest --json` prints it and the API answers it: one object, amounts as decimal strings in
/// major units.
public struct InterestJSON: Encodable, Sendable {
    /// A stretch of days at one rate on one principal.
    public struct Segment: Encodable, Sendable {
        var from: String
        var to: String
        var days: Int
        var principal: String
        var ratePercent: String
        var referenceRatePercent: String?
        var referenceHalfYear: String?
        var yearDays: Int
        /// Before the one rounding, to six decimals of the major unit.
        var interestExact: String

        enum CodingKeys: String, CodingKey {
            case from, to, days, principal
            case ratePercent = "rate_percent"
            case referenceRatePercent = "reference_rate_percent"
            case referenceHalfYear = "reference_half_year"
            case yearDays = "year_days"
            case interestExact = "interest_exact"
        }
    }

    /// Interest added to the principal (a law that compounds yearly).
    public struct Capitalised: Encodable, Sendable {
        var from: String
        var amount: String
    }

    var invoice: String
    var customer: String
    var asOf: String
    var regime: String
    var legalBasis: String
    var compensationBasis: String
    var contractual: Bool
    /// The rate running on the last day counted (the only rate unless `rateVaries`); nil when nothing is late.
    var ratePercent: String?
    var rateVaries: Bool
    var dueDate: String
    var from: String?
    var to: String?
    var days: Int
    var currency: String
    var principal: String
    var interest: String
    var compensation: String?
    var compensationCurrency: String?
    var segments: [Segment]
    var capitalisations: [Capitalised]
    var notes: [String]
    var ratesSource: String

    enum CodingKeys: String, CodingKey {
        case invoice, customer, regime, contractual, days, currency, principal, interest, compensation, segments
        case capitalisations, notes, from, to
        case asOf = "as_of"
        case legalBasis = "legal_basis"
        case compensationBasis = "compensation_basis"
        case ratePercent = "rate_percent"
        case rateVaries = "rate_varies"
        case dueDate = "due_date"
        case compensationCurrency = "compensation_currency"
        case ratesSource = "rates_source"
    }

    /// The claim on `invoice` worked out through `asOf`, with the rates it used.
    public init(_ claim: InterestClaim, invoice: Invoice, asOf: LocalDate, ratesSource: String) {
        self.invoice = invoice.number
        self.customer = invoice.customerID
        self.asOf = asOf.description
        self.regime = claim.regime.jurisdiction.rawValue
        self.legalBasis = claim.legalBasis
        self.compensationBasis = claim.regime.compensationBasis
        self.contractual = claim.contractualRate != nil
        self.ratePercent = (claim.currentRate ?? claim.contractualRate)?.percentString
        self.rateVaries = claim.rateVaries
        self.dueDate = claim.dueDate.description
        self.from = claim.lastDay == nil ? nil : claim.firstLateDay.description
        self.to = claim.lastDay?.description
        self.days = claim.days
        self.currency = invoice.currency.code
        self.principal = claim.principal.decimalString
        self.interest = claim.interest.decimalString
        self.compensation = claim.compensation?.decimalString
        self.compensationCurrency = claim.compensation?.currency.code
        self.segments = claim.segments.map { segment in
            Segment(
                from: segment.from.description, to: segment.to.description, days: segment.days,
                principal: segment.principal.decimalString, ratePercent: segment.rate.percentString,
                referenceRatePercent: segment.referenceRate?.percentString,
                referenceHalfYear: segment.referenceHalfYear?.description, yearDays: segment.yearDays,
                interestExact: segment.exactInterest.decimalString(in: invoice.currency, extraPlaces: 4))
        }
        self.capitalisations = claim.capitalisations.map {
            Capitalised(from: $0.from.description, amount: $0.amount.decimalString)
        }
        self.notes = claim.notes
        self.ratesSource = ratesSource
    }
}
