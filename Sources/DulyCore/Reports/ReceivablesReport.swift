/// The receivables of one currency at the end of a day, split the way the KPIs need.
public struct ReceivablesPosition: Hashable, Sendable {
    /// All open receivables.
    public var total: Money
    /// Not yet due (due on or after the day, 0 days past due or fewer): CRF's "current", aging's `current` bucket.
    public var current: Money
    /// More than 90 days past due: aging's `90+` bucket, CRF's "91+".
    public var over90: Money
    /// Invoices with something open.
    public var openInvoices: Int

    /// Nothing open.
    public static func zero(_ currency: Currency) -> ReceivablesPosition {
        ReceivablesPosition(total: .zero(currency), current: .zero(currency), over90: .zero(currency), openInvoices: 0)
    }

    public init(total: Money, current: Money, over90: Money, openInvoices: Int) {
        self.total = total
        self.current = current
        self.over90 = over90
        self.openInvoices = openInvoices
    }
}

/// The KPIs of one currency over a period (docs/DOMAIN.md, "Collections KPIs"). A nil figure could not be computed (no
/// credit sales, nothing receivable) and is shown as "n/a".
public struct CurrencyKPIs: Hashable, Sendable {
    public var currency: Currency
    public var period: ReportPeriod
    /// AR at the end of the day before the period.
    public var beginning: Money
    /// AR at the end of the period's last day.
    public var ending: ReceivablesPosition
    /// Totals of the invoices issued in the period (credit notes are not netted off: they reduce AR instead).
    public var creditSales: Money
    /// Simple DSO: ending AR ÷ credit sales × days in the period.
    public var dso: Ratio?
    /// Count-back DSO over calendar months, the latest one counted up to the period's last day.
    public var countBackDSO: Ratio?
    /// Best possible DSO: current AR ÷ credit sales × days.
    public var bestPossibleDSO: Ratio?
    /// Average days delinquent: DSO − BPDSO.
    public var averageDaysDelinquent: Ratio?
    /// CEI in percent, sales ÷ N with N the calendar months of the period (`CEIConvention.averageMonthlySales`).
    public var collectionEffectivenessIndex: Ratio?
    /// Current AR as a percentage of all AR.
    public var percentCurrent: Ratio?
    /// AR more than 90 days past due as a percentage of all AR.
    public var percentOver90: Ratio?

    /// Why the CEI figure is outside 0–100 % or means nothing here; nil when it reads plainly.
    public var collectionEffectivenessCaveat: String? {
        KPIFormulas.collectionEffectivenessCaveat(
            beginning: beginning, creditSales: creditSales, months: period.months, endingTotal: ending.total,
            endingCurrent: ending.current)
    }
}

/// Folds invoice histories, one at a time, into the receivables KPIs and the aging of a period, per currency.
///
/// Memory is a few numbers per currency and per calendar month of sales, whatever the number of invoices: the store
/// streams the histories in pages and this keeps only the sums. Currencies are never added together.
public struct ReceivablesReport: InvoiceHistoryConsumer, Sendable {
    public let period: ReportPeriod

    private struct Figures: Sendable {
        var beginning: Money
        var ending: ReceivablesPosition
        var creditSales: Money
        /// Credit sales by calendar month (year × 12 + month − 1), for every month up to the period's end.
        var monthlySales: [Int: Int] = [:]
        var aging: AgingReport.Row

        init(_ currency: Currency) {
            beginning = .zero(currency)
            ending = .zero(currency)
            creditSales = .zero(currency)
            aging = AgingReport.Row(currency: currency)
        }
    }

    private var figures: [Currency: Figures] = [:]

    public init(period: ReportPeriod) {
        self.period = period
    }

    /// Takes one invoice in; invoices issued after the period are not receivables of it and are left out.
    public mutating func add(_ history: InvoiceHistory) {
        guard history.invoice.issueDate <= period.to else { return }
        let currency = history.invoice.currency
        // Modified in place inside the dictionary: a copy taken out and written back would copy the monthly sales
        // on every invoice.
        ReceivablesReport.add(history, in: period, to: &figures[currency, default: Figures(currency)])
    }

    private static func add(_ history: InvoiceHistory, in period: ReportPeriod, to figures: inout Figures) {
        let invoice = history.invoice
        let month = invoice.issueDate.year * 12 + invoice.issueDate.month - 1
        figures.monthlySales[month, default: 0] += invoice.total.minorUnits
        if period.contains(invoice.issueDate) { figures.creditSales = figures.creditSales + invoice.total }
        figures.beginning = figures.beginning + history.open(on: period.dayBefore)
        let open = history.open(on: period.to)
        guard !open.isZero else { return }
        let bucket = AgingReport.Bucket(daysPastDue: invoice.dueDate.days(until: period.to))
        figures.ending.total = figures.ending.total + open
        figures.ending.openInvoices += 1
        if bucket == .current { figures.ending.current = figures.ending.current + open }
        if bucket == .over90 { figures.ending.over90 = figures.ending.over90 + open }
        figures.aging.amounts[bucket] = figures.aging.amounts[bucket]! + open
        figures.aging.counts[bucket]! += 1
    }

    /// The currencies seen, by code.
    public var currencies: [Currency] { figures.keys.sorted { $0.code < $1.code } }

    /// The KPIs of every currency seen, by currency code.
    public var kpis: [CurrencyKPIs] {
        currencies.map { currency in
            let figures = self.figures[currency]!
            let ending = figures.ending
            let days = period.days
            return CurrencyKPIs(
                currency: currency, period: period, beginning: figures.beginning, ending: ending,
                creditSales: figures.creditSales,
                dso: KPIFormulas.dso(receivables: ending.total, creditSales: figures.creditSales, days: days),
                countBackDSO: KPIFormulas.countBackDSO(
                    receivables: ending.total, months: countBackMonths(figures.monthlySales, currency)),
                bestPossibleDSO: KPIFormulas.bestPossibleDSO(
                    currentReceivables: ending.current, creditSales: figures.creditSales, days: days),
                averageDaysDelinquent: KPIFormulas.averageDaysDelinquent(
                    receivables: ending.total, currentReceivables: ending.current, creditSales: figures.creditSales,
                    days: days),
                collectionEffectivenessIndex: KPIFormulas.collectionEffectivenessIndex(
                    beginning: figures.beginning, creditSales: figures.creditSales, months: period.months,
                    endingTotal: ending.total, endingCurrent: ending.current),
                percentCurrent: KPIFormulas.percent(ending.current, of: ending.total),
                percentOver90: KPIFormulas.percent(ending.over90, of: ending.total))
        }
    }

    /// Open receivables by age at the end of the period, as `duly report aging` prints them.
    public var aging: AgingReport {
        var report = AgingReport(asOf: period.to, balances: [])
        report.rows = currencies.map { figures[$0]!.aging }.filter { row in
            AgingReport.Bucket.allCases.contains { row.counts[$0]! > 0 }
        }
        return report
    }

    // Calendar months from the period's last one back to the first with any sales, newest first; the last month
    // counts its days up to the period's end only, since its sales are only those up to then.
    private func countBackMonths(_ monthlySales: [Int: Int], _ currency: Currency) -> [KPIFormulas.MonthOfSales] {
        let last = period.to.year * 12 + period.to.month - 1
        guard let first = monthlySales.keys.min() else { return [] }
        return stride(from: last, through: first, by: -1).map { month in
            let year = month / 12
            let days = month == last ? period.to.day : LocalDate.daysIn(month: month % 12 + 1, year: year)
            return KPIFormulas.MonthOfSales(
                sales: Money(minorUnits: monthlySales[month] ?? 0, currency: currency), days: days)
        }
    }
}
