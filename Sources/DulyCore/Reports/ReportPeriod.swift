/// The days a report covers, both ends included.
public struct ReportPeriod: Hashable, Sendable, CustomStringConvertible {
    /// The first day.
    public let from: LocalDate
    /// The last day: balances are taken at its end.
    public let to: LocalDate

    /// A period from `from` to `to`; nil when `to` is before `from`.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    /// The three calendar months ending with `asOf`'s month, up to and including `asOf`: the default period of
    /// `duly report`. On a quarter's last day it is that quarter (CRF's quarterly figures); mid-month it is the two
    /// months before plus the month so far.
    public static func threeMonths(endingOn asOf: LocalDate) -> ReportPeriod {
        let first = LocalDate(year: asOf.year, month: asOf.month, day: 1)!.adding(months: -2)
        return ReportPeriod(from: first, to: asOf)!
    }

    /// Days in the period, both ends included: "days in period" of the DSO formulas.
    public var days: Int { from.days(until: to) + 1 }

    /// The calendar months the period touches: N in the CEI's "credit sales / N" (Jan 1–Mar 31 is 3, Jan 15–Feb 14
    /// is 2). Whole calendar months give the textbook figure.
    public var months: Int { (to.year * 12 + to.month) - (from.year * 12 + from.month) + 1 }

    /// The day before the period: the beginning receivables are those at its end.
    public var dayBefore: LocalDate { from.adding(days: -1) }

    /// Whether `date` is inside the period.
    public func contains(_ date: LocalDate) -> Bool { from <= date && date <= to }

    public var description: String { "\(from) to \(to)" }
}
