/// The collections KPIs of docs/DOMAIN.md, "Collections KPIs", as exact formulas over amounts of one currency.
///
/// Every function returns an exact `Ratio` (days, or percent where it says so), or nil when the formula divides by
/// zero (no credit sales in the period, no receivables): a report prints that as "n/a", never as 0 or infinity.
/// Nothing is rounded here; a value is rounded once, half to even, when it is printed.
public enum KPIFormulas {
    /// One calendar month of credit sales, for count-back DSO.
    public struct MonthOfSales: Hashable, Sendable {
        public var sales: Money
        /// The days it spans (a month's length; the current month up to the report date).
        public var days: Int

        public init(sales: Money, days: Int) {
            self.sales = sales
            self.days = days
        }
    }

    /// How CEI spreads the period's credit sales (docs/DOMAIN.md, "Collections KPIs": fixed in code; K-5 against K-6).
    public enum CEIConvention: String, Sendable, CaseIterable, Codable {
        /// CRF's: average monthly credit sales, the period's sales divided by N, the calendar months it touches.
        /// Duly reports this one.
        case averageMonthlySales = "average_monthly_sales"
        /// The period's whole credit sales, without /N: what some sources use for a one-year period.
        case periodSales = "period_sales"
    }

    /// DSO, the simple ("standard") method: ending AR ÷ credit sales × days in the period.
    public static func dso(receivables: Money, creditSales: Money, days: Int) -> Ratio? {
        precondition(receivables.currency == creditSales.currency, "DSO over two currencies")
        guard creditSales.minorUnits > 0 else { return nil }
        return Ratio(Int128(receivables.minorUnits) * Int128(days), Int128(creditSales.minorUnits))
    }

    /// Count-back (exhaustion) DSO: take the latest month's credit sales off the ending AR and count its days, then
    /// the month before, until what is left is less than a month's sales; that month counts for its share of days.
    ///
    /// - Parameter months: newest first. Nil when the months given do not exhaust the AR.
    public static func countBackDSO(receivables: Money, months: [MonthOfSales]) -> Ratio? {
        var remaining = receivables.minorUnits
        var days = Ratio(0)
        for month in months {
            guard remaining > 0 else { break }
            precondition(month.sales.currency == receivables.currency, "count-back over two currencies")
            if remaining >= month.sales.minorUnits {
                remaining -= month.sales.minorUnits
                days = days + Ratio(month.days)
            } else {
                days = days + Ratio(Int128(remaining) * Int128(month.days), Int128(month.sales.minorUnits))
                remaining = 0
            }
        }
        return remaining > 0 ? nil : days
    }

    /// Best possible DSO: current (not yet due) AR ÷ credit sales × days in the period.
    public static func bestPossibleDSO(currentReceivables: Money, creditSales: Money, days: Int) -> Ratio? {
        dso(receivables: currentReceivables, creditSales: creditSales, days: days)
    }

    /// Average days delinquent: DSO − best possible DSO, both by the simple method over the same period.
    public static func averageDaysDelinquent(
        receivables: Money, currentReceivables: Money, creditSales: Money, days: Int
    ) -> Ratio? {
        guard let dso = dso(receivables: receivables, creditSales: creditSales, days: days),
            let best = bestPossibleDSO(currentReceivables: currentReceivables, creditSales: creditSales, days: days)
        else { return nil }
        return dso - best
    }

    /// Collection effectiveness index, in percent:
    /// (beginning AR + S − ending total AR) ÷ (beginning AR + S − ending current AR) × 100, where S is the period's
    /// credit sales ÷ N (`averageMonthlySales`, N = `months`) or the whole of them (`periodSales`).
    public static func collectionEffectivenessIndex(
        beginning: Money, creditSales: Money, months: Int, endingTotal: Money, endingCurrent: Money,
        convention: CEIConvention = .averageMonthlySales
    ) -> Ratio? {
        precondition(months > 0, "a period of no months")
        // Multiplied through by N so that nothing is divided before the one division at the end.
        let n = Int128(convention == .averageMonthlySales ? months : 1)
        let sales = Int128(creditSales.minorUnits)
        let collectible = n * Int128(beginning.minorUnits) + sales
        let collected = collectible - n * Int128(endingTotal.minorUnits)
        let couldCollect = collectible - n * Int128(endingCurrent.minorUnits)
        guard couldCollect != 0 else { return nil }
        return Ratio(collected * 100, couldCollect)
    }

    /// Why a CEI figure cannot be read as "the share of what was collectible that was collected", or nil when it
    /// can: it is only that between 0 and 100 %. The same figures as `collectionEffectivenessIndex`; a report prints
    /// the reason beside the figure instead of a bare −813 %.
    public static func collectionEffectivenessCaveat(
        beginning: Money, creditSales: Money, months: Int, endingTotal: Money, endingCurrent: Money,
        convention: CEIConvention = .averageMonthlySales
    ) -> String? {
        precondition(months > 0, "a period of no months")
        let n = Int128(convention == .averageMonthlySales ? months : 1)
        let collectible = n * Int128(beginning.minorUnits) + Int128(creditSales.minorUnits)
        let collected = collectible - n * Int128(endingTotal.minorUnits)
        let couldCollect = collectible - n * Int128(endingCurrent.minorUnits)
        let sales =
            convention == .averageMonthlySales && months > 1
            ? "credit sales / \(months) months" : "credit sales"
        if couldCollect <= 0 {
            return "not meaningful: AR at start plus \(sales) is no more than the current AR at the end, so nothing "
                + "counted as collectible (CEI needs overdue receivables to measure)"
        }
        if collected < 0 {
            return "below 0 %: AR at the end is more than AR at the start plus \(sales), so the formula counts "
                + "less than nothing as collected; the receivables grew faster than the sales it counts (over several "
                + "months it counts one month's average), so read a one-month period or DSO instead"
        }
        if collected > couldCollect {
            return "above 100 %: more was collected than the formula counts as collectible, as when payments clear "
                + "opening balances or credits exceed the current AR at the end"
        }
        return nil
    }

    /// `part` as a percentage of `whole` (% current, % over 90); nil when the whole is zero.
    public static func percent(_ part: Money, of whole: Money) -> Ratio? {
        guard whole.minorUnits != 0 else { return nil }
        return Ratio(Int128(part.minorUnits) * 100, Int128(whole.minorUnits))
    }

    /// Bad-debt ratio (docs/DOMAIN.md, "Collections KPIs"): bad debts written off ÷ credit sales × 100.
    public static func badDebtRatio(writtenOff: Money, creditSales: Money) -> Ratio? {
        percent(writtenOff, of: creditSales)
    }
}
