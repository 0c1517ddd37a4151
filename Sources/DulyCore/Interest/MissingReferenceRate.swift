/// A reference rate that interest on some invoices needs and the rate table lacks: the reason a notice would state
/// no figures, and the line an operator adds to the rate file to fix it.
public struct MissingReferenceRate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var reference: ReferenceRate
    public var halfYear: HalfYear
    /// The invoices whose interest needs it, in natural order.
    public var invoiceNumbers: [String]

    public init(reference: ReferenceRate, halfYear: HalfYear, invoiceNumbers: [String]) {
        self.reference = reference
        self.halfYear = halfYear
        self.invoiceNumbers = invoiceNumbers
    }

    /// The rate-file line to add once the rate is published, `ECB,2026-07-01,RATE` (columns
    /// reference,valid_from,rate_percent).
    public var rateFileLine: String { "\(reference.rawValue),\(halfYear.firstDay),RATE" }

    /// `the ECB main refinancing rate for 2026 H2 (the rate in force on 2026-07-01)`.
    public var description: String {
        "the \(reference) for \(halfYear) (the rate in force on \(reference.referenceDay(of: halfYear)))"
    }

    public static func < (lhs: MissingReferenceRate, rhs: MissingReferenceRate) -> Bool {
        (lhs.reference.rawValue, lhs.halfYear) < (rhs.reference.rawValue, rhs.halfYear)
    }
}

extension InterestCalculator {
    /// The reference rates that interest on these invoices, computed to `end`, needs and `rates` lacks; empty when
    /// every figure can be stated. One place for the question `deliver`, `status` and `approvals` all ask, so that
    /// they warn about the same half-years `claim(for:…)` would fail on.
    ///
    /// An invoice not yet late on `end` needs no rate; a contractual rate needs none at all. Under a per-half-year
    /// policy every half-year from the first late day to `end` is needed (a payment that clears the invoice earlier
    /// can only make fewer needed, so this never misses one).
    public static func missingRates(
        for invoices: [Invoice], regime: InterestRegime, rates: ReferenceRateTable, contractualRate: AnnualRate? = nil,
        through end: LocalDate
    ) -> [MissingReferenceRate] {
        guard contractualRate == nil else { return [] }
        var needs: [HalfYear: Set<String>] = [:]
        for invoice in invoices {
            let firstLateDay = invoice.dueDate.adding(days: 1)
            guard end >= firstLateDay else { continue }
            var halfYears: [HalfYear] = []
            switch regime.ratePolicy {
            case .fixedAtStart: halfYears = [HalfYear(containing: firstLateDay)]
            case .fixedAtDueDate: halfYears = [HalfYear(containing: invoice.dueDate)]
            case .perHalfYear:
                var halfYear = HalfYear(containing: firstLateDay)
                while halfYear <= HalfYear(containing: end) {
                    halfYears.append(halfYear)
                    halfYear = halfYear.next
                }
            }
            for halfYear in halfYears where (try? rates.row(regime.reference, for: halfYear)) == nil {
                needs[halfYear, default: []].insert(invoice.number)
            }
        }
        return needs.map { halfYear, numbers in
            MissingReferenceRate(
                reference: regime.reference, halfYear: halfYear,
                invoiceNumbers: numbers.sorted(by: NaturalOrder.precedes))
        }.sorted()
    }
}
