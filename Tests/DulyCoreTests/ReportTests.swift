import DulyCore
import Testing

// Reports against hand-computed figures: the KPI examples of docs/DOMAIN.md, "KPI examples" (K-1, K-2, K-5 to K-9; the
// table has no K-3 or K-4), a small ledger worked out by hand below, promise-kept rates and collection attribution.

private let gbp = Currency(code: "GBP")!
private func pounds(_ pence: Int) -> Money { Money(minorUnits: pence, currency: gbp) }
private let q1 = ReportPeriod(from: day("2026-01-01"), to: day("2026-03-31"))!

@Suite("KPI formulas: the KPI examples of docs/DOMAIN.md")
struct KPIVectorTests {
    // K-1 (Upflow): AR 200,000; annual sales 2,000,000; 365 days → 36.5 days.
    @Test func simpleDSOMatchesK1() throws {
        let dso = try #require(
            KPIFormulas.dso(receivables: euros(200_000_00), creditSales: euros(2_000_000_00), days: 365))
        #expect(dso.decimalString() == "36.50")
        #expect(dso == Ratio(73, over: 2))
    }

    // K-2 (Benji Pays / trymesha): ending AR 212,000; M3 100,000, M2 80,000, M1 70,000; 30-day months →
    // 30 + 30 + 32,000/70,000 × 30 = 73.714… days.
    @Test func countBackDSOMatchesK2() throws {
        let months = [100_000_00, 80_000_00, 70_000_00].map { KPIFormulas.MonthOfSales(sales: euros($0), days: 30) }
        let dso = try #require(KPIFormulas.countBackDSO(receivables: euros(212_000_00), months: months))
        #expect(dso.decimalString() == "73.71")
        #expect(dso == Ratio(60) + Ratio(32_000 * 30, over: 70_000))
    }

    @Test func countBackDSOIsNilWhenTheMonthsGivenDoNotExhaustTheReceivables() {
        let months = [KPIFormulas.MonthOfSales(sales: euros(100_00), days: 30)]
        #expect(KPIFormulas.countBackDSO(receivables: euros(100_01), months: months) == nil)
        #expect(KPIFormulas.countBackDSO(receivables: euros(100_00), months: months) == Ratio(30))
        #expect(KPIFormulas.countBackDSO(receivables: euros(0), months: []) == Ratio(0))
    }

    // K-5 (creditguru, "55.9 %"): beginning 6,200; 3-month sales 10,890 (3,630 a month); ending total 6,340;
    // ending current 3,590 → (6,200 + 3,630 − 6,340) / (6,200 + 3,630 − 3,590) = 3,490 / 6,240 = 55.93 %.
    @Test func ceiWithSalesOverNMatchesK5() throws {
        let cei = try #require(
            KPIFormulas.collectionEffectivenessIndex(
                beginning: euros(6_200_00), creditSales: euros(10_890_00), months: 3, endingTotal: euros(6_340_00),
                endingCurrent: euros(3_590_00), convention: .averageMonthlySales))
        #expect(cei.decimalString() == "55.93")
    }

    // K-6 (wizedu): the same data with the quarter's whole sales, no /N: 10,750 / 13,500 = 79.63 %. The two
    // conventions differ by 24 points on the same ledger, which is why Duly fixes one (/N) and says so.
    @Test func ceiWithoutDividingByNMatchesK6AndDiffersFromK5() throws {
        let whole = try #require(
            KPIFormulas.collectionEffectivenessIndex(
                beginning: euros(6_200_00), creditSales: euros(10_890_00), months: 3, endingTotal: euros(6_340_00),
                endingCurrent: euros(3_590_00), convention: .periodSales))
        #expect(whole.decimalString() == "79.63")
        #expect(whole == Ratio(10_750 * 100, over: 13_500))
        let monthly = KPIFormulas.collectionEffectivenessIndex(
            beginning: euros(6_200_00), creditSales: euros(10_890_00), months: 3, endingTotal: euros(6_340_00),
            endingCurrent: euros(3_590_00))
        #expect(monthly != whole)
    }

    // K-7 [D]: a 90-day quarter, credit sales 600,000, ending AR 250,000 of which 180,000 current →
    // DSO 37.50, BPDSO 27.00, ADD 10.50.
    @Test func bestPossibleDSOAndAverageDaysDelinquentMatchK7() throws {
        let dso = try #require(
            KPIFormulas.dso(receivables: euros(250_000_00), creditSales: euros(600_000_00), days: 90))
        let best = try #require(
            KPIFormulas.bestPossibleDSO(
                currentReceivables: euros(180_000_00), creditSales: euros(600_000_00), days: 90))
        let add = try #require(
            KPIFormulas.averageDaysDelinquent(
                receivables: euros(250_000_00), currentReceivables: euros(180_000_00),
                creditSales: euros(600_000_00), days: 90))
        #expect([dso, best, add].map { $0.decimalString() } == ["37.50", "27.00", "10.50"])
    }

    // K-8 [D]: as of 2026-03-31, due dates 15 days ahead down to 91 days past due, aged from the histories.
    @Test(arguments: [
        ("2026-04-15", AgingReport.Bucket.current), ("2026-03-31", .current), ("2026-03-30", .days1to30),
        ("2026-03-01", .days1to30), ("2026-02-28", .days31to60), ("2026-01-30", .days31to60),
        ("2026-01-29", .days61to90), ("2025-12-31", .days61to90), ("2025-12-30", .over90),
    ])
    func agingFromHistoriesMatchesK8(due: String, bucket: AgingReport.Bucket) {
        var report = ReceivablesReport(period: ReportPeriod(from: day("2026-03-31"), to: day("2026-03-31"))!)
        report.add(history("INV-1", issued: "2025-11-01", due: due, total: 123_45))
        #expect(report.aging.rows.count == 1)
        #expect(report.aging.rows.first?.amounts[bucket] == euros(123_45))
        #expect(report.aging.rows.first?.counts[bucket] == 1)
    }

    // K-9 (operately): write-offs 1,000 on credit sales 100,000 → 1 %.
    @Test func badDebtRatioMatchesK9() throws {
        let ratio = try #require(KPIFormulas.badDebtRatio(writtenOff: euros(1_000_00), creditSales: euros(100_000_00)))
        #expect(ratio.decimalString() == "1.00")
    }

    @Test func withoutSalesOrReceivablesAFigureIsNilNotZero() {
        #expect(KPIFormulas.dso(receivables: euros(10_00), creditSales: euros(0), days: 90) == nil)
        #expect(KPIFormulas.percent(euros(0), of: euros(0)) == nil)
        #expect(
            KPIFormulas.collectionEffectivenessIndex(
                beginning: euros(0), creditSales: euros(0), months: 3, endingTotal: euros(0), endingCurrent: euros(0))
                == nil)
    }
}

@Suite("Exact ratios")
struct RatioTests {
    @Test(arguments: [
        (1, 8, "0.12"), (3, 8, "0.38"), (-1, 8, "-0.12"), (5, 8, "0.62"), (2, 3, "0.67"), (1, 3, "0.33"),
        (7, 1, "7.00"), (0, 5, "0.00"), (-3, 8, "-0.38"),
    ])
    func roundsOnceHalfToEven(numerator: Int, denominator: Int, expected: String) {
        #expect(Ratio(numerator, over: denominator).decimalString() == expected)
    }

    @Test func keepsLowestTermsAndAPositiveDenominator() {
        let ratio = Ratio(-6, -4)
        #expect(ratio.numerator == 3 && ratio.denominator == 2)
        #expect(Ratio(2, over: 4) == Ratio(1, over: 2))
        #expect(Ratio(1, over: 3) + Ratio(1, over: 6) == Ratio(1, over: 2))
        #expect(Ratio(1) / Ratio(0) == nil)
        #expect(Ratio(5, over: 2).decimalString(places: 0) == "2")
    }
}

@Suite("Report periods")
struct ReportPeriodTests {
    @Test func theDefaultPeriodIsTheThreeCalendarMonthsUpToTheDate() {
        #expect(ReportPeriod.threeMonths(endingOn: day("2026-03-31")) == q1)
        let midMonth = ReportPeriod.threeMonths(endingOn: day("2026-03-09"))
        #expect(midMonth.from == day("2026-01-01") && midMonth.days == 68 && midMonth.months == 3)
        #expect(ReportPeriod.threeMonths(endingOn: day("2026-02-10")).from == day("2025-12-01"))
    }

    @Test func daysIncludeBothEndsAndMonthsCountTheCalendarMonthsTouched() {
        #expect(q1.days == 90 && q1.months == 3)
        #expect(ReportPeriod(from: day("2026-01-15"), to: day("2026-02-14"))!.months == 2)
        #expect(ReportPeriod(from: day("2025-01-01"), to: day("2025-12-31"))!.days == 365)
        #expect(ReportPeriod(from: day("2026-02-01"), to: day("2026-01-31")) == nil)
    }
}

// MARK: - A ledger computed by hand

/// EUR, first quarter of 2026 (90 days, N = 3), balances at the end of 2026-03-31:
///
/// | invoice | issued     | due        | total    | reductions                                    | open at 03-31 |
/// |---------|------------|------------|----------|-----------------------------------------------|---------------|
/// | A-5     | 2025-11-01 | 2025-12-01 | 700.00   | none                                          | 700 (120 d: 90+) |
/// | A-1     | 2025-12-10 | 2026-01-09 | 1,000.00 | paid 600 on 01-20, 400 on 02-15               | 0             |
/// | A-2     | 2026-01-15 | 2026-02-14 | 2,000.00 | credit note 200 on 02-01, paid 1,500 on 03-10 | 300 (45 d: 31–60) |
/// | A-3     | 2026-02-20 | 2026-03-22 | 1,500.00 | paid 1,500 on 04-05 (after the period)        | 1,500 (9 d: 1–30) |
/// | A-4     | 2026-03-15 | 2026-04-14 | 3,000.00 | paid 2,400 on 03-25                           | 600 (current) |
/// | A-6     | 2026-04-02 | 2026-05-02 | 999.00   | issued after the period: not counted          | —             |
///
/// Beginning AR (end of 2025-12-31): A-5 700 + A-1 1,000 = 1,700.00.
/// Credit sales in Q1: A-2 2,000 + A-3 1,500 + A-4 3,000 = 6,500.00 (monthly: Jan 2,000, Feb 1,500, Mar 3,000).
/// Ending AR 3,100.00, of which current 600.00 and over 90 days 700.00.
///
/// - DSO = 3,100 / 6,500 × 90 = 42.923… → 42.92
/// - Count-back: 3,100 − March 3,000 = 100 left, 31 days; February's 1,500 > 100 → 100 / 1,500 × 28 = 1.866…;
///   31 + 1.866… = 32.866… → 32.87
/// - BPDSO = 600 / 6,500 × 90 = 8.307… → 8.31
/// - ADD = (3,100 − 600) / 6,500 × 90 = 34.615… → 34.62 (not 42.92 − 8.31 = 34.61: each figure is rounded once,
///   from its exact value)
/// - CEI, sales / 3: (1,700 + 2,166.67 − 3,100) / (1,700 + 2,166.67 − 600); × 3: (5,100 + 6,500 − 9,300) /
///   (5,100 + 6,500 − 1,800) = 2,300 / 9,800 = 23.469… → 23.47 %  (without /N: 5,100 / 7,600 = 67.11 %)
/// - % current = 600 / 3,100 = 19.354… → 19.35; % over 90 = 700 / 3,100 = 22.580… → 22.58
///
/// GBP, kept apart: G-1 issued 2026-02-01, due 2026-03-03, 400.00 unpaid → DSO 400 / 400 × 90 = 90.00.
private func handLedger() -> [InvoiceHistory] {
    [
        history("A-5", issued: "2025-11-01", due: "2025-12-01", total: 700_00),
        history(
            "A-1", issued: "2025-12-10", due: "2026-01-09", total: 1_000_00,
            payments: [("2026-01-20", 600_00), ("2026-02-15", 400_00)]),
        history(
            "A-2", issued: "2026-01-15", due: "2026-02-14", total: 2_000_00, payments: [("2026-03-10", 1_500_00)],
            credits: [("2026-02-01", 200_00)]),
        history("A-3", issued: "2026-02-20", due: "2026-03-22", total: 1_500_00, payments: [("2026-04-05", 1_500_00)]),
        history("A-4", issued: "2026-03-15", due: "2026-04-14", total: 3_000_00, payments: [("2026-03-25", 2_400_00)]),
        history("A-6", issued: "2026-04-02", due: "2026-05-02", total: 999_00),
        InvoiceHistory(
            invoice: Invoice(
                number: "G-1", customerID: "C2", issueDate: day("2026-02-01"), dueDate: day("2026-03-03"),
                total: pounds(400_00))),
    ]
}

@Suite("Receivables KPIs over a hand-computed ledger")
struct ReceivablesReportTests {
    private func report(_ period: ReportPeriod = q1) -> ReceivablesReport {
        var report = ReceivablesReport(period: period)
        for history in handLedger() { report.add(history) }
        return report
    }

    @Test func receivablesAtAPastDateCountOnlyWhatWasIssuedPaidAndCreditedByThen() {
        let ledger = handLedger()
        func ar(_ date: String) -> Money {
            ledger.filter { $0.invoice.currency == eur }.reduce(euros(0)) { $0 + $1.open(on: day(date)) }
        }
        #expect(ar("2025-12-31") == euros(1_700_00))
        // A-1 settled, A-2 credited 200, A-3 not issued yet.
        #expect(ar("2026-02-15") == euros(2_500_00))
        #expect(ar("2026-03-31") == euros(3_100_00))
        // A-3 paid on 04-05, A-6 issued 04-02.
        #expect(ar("2026-04-05") == euros(2_599_00))
    }

    @Test func everyKPIMatchesTheHandComputation() throws {
        let kpis = report().kpis
        #expect(kpis.map(\.currency.code) == ["EUR", "GBP"])
        let euro = kpis[0]
        #expect(euro.beginning == euros(1_700_00))
        #expect(euro.creditSales == euros(6_500_00))
        #expect(
            euro.ending
                == ReceivablesPosition(
                    total: euros(3_100_00), current: euros(600_00), over90: euros(700_00), openInvoices: 4))
        #expect(euro.dso?.decimalString() == "42.92")
        #expect(euro.countBackDSO?.decimalString() == "32.87")
        #expect(euro.countBackDSO == Ratio(31) + Ratio(100 * 28, over: 1_500))
        #expect(euro.bestPossibleDSO?.decimalString() == "8.31")
        #expect(euro.averageDaysDelinquent?.decimalString() == "34.62")
        #expect(euro.collectionEffectivenessIndex?.decimalString() == "23.47")
        #expect(euro.collectionEffectivenessIndex == Ratio(2_300 * 100, over: 9_800))
        #expect(euro.percentCurrent?.decimalString() == "19.35")
        #expect(euro.percentOver90?.decimalString() == "22.58")
        let withoutN = KPIFormulas.collectionEffectivenessIndex(
            beginning: euro.beginning, creditSales: euro.creditSales, months: 3, endingTotal: euro.ending.total,
            endingCurrent: euro.ending.current, convention: .periodSales)
        #expect(withoutN?.decimalString() == "67.11")
    }

    @Test func eachCurrencyIsReportedOnItsOwn() {
        let pound = report().kpis[1]
        #expect(pound.creditSales == pounds(400_00))
        #expect(pound.ending.total == pounds(400_00))
        #expect(pound.dso?.decimalString() == "90.00")
        #expect(pound.beginning == pounds(0))
    }

    @Test func theAgingAtThePeriodsEndSplitsTheSameBalances() throws {
        let aging = report().aging
        #expect(aging.asOf == day("2026-03-31"))
        let euro = try #require(aging.rows.first { $0.currency == eur })
        #expect(euro.amounts[.current] == euros(600_00))
        #expect(euro.amounts[.days1to30] == euros(1_500_00))
        #expect(euro.amounts[.days31to60] == euros(300_00))
        #expect(euro.amounts[.days61to90] == euros(0))
        #expect(euro.amounts[.over90] == euros(700_00))
        #expect(euro.total == euros(3_100_00))
    }

    @Test func aMidMonthEndCountsTheLastMonthUpToThatDay() throws {
        // To 2026-03-20: A-4 is issued (03-15) but not yet paid, A-2's 1,500 is in. March so far: 3,000 over 20 days.
        // AR = 700 + 300 + 1,500 + 3,000 = 5,500; count-back: − 3,000 (20 days), − 1,500 (28 days), 1,000 of
        // January's 2,000 → 15.5 days: 63.5.
        let euro = report(ReportPeriod(from: day("2026-01-01"), to: day("2026-03-20"))!).kpis[0]
        #expect(euro.ending.total == euros(5_500_00))
        #expect(euro.countBackDSO == Ratio(127, over: 2))
    }
}

// MARK: - Promises

@Suite("Promise-kept rate")
struct PromiseKeptReportTests {
    private func promise(
        _ id: String, customer: String = "C1", invoice: String, amount: Int, by date: String, madeOn: String,
        receipts: [(String, Int)] = []
    ) -> PromiseHistory {
        PromiseHistory(
            customerID: customer,
            promise: PromiseToPay(
                id: id, invoiceNumbers: [invoice], amount: euros(amount), promisedDate: day(date), madeOn: day(madeOn)),
            receipts: receipts.map { Receipt(invoiceNumber: invoice, date: day($0.0), amount: euros($0.1)) })
    }

    @Test func keptOverKeptAndBrokenWithPartialAsBrokenAndLiveOnesApart() throws {
        // Grace 3 days, judged at the end of 2026-03-31.
        let promises = [
            // Kept: paid two days late, inside the grace.
            promise(
                "P-kept", invoice: "I-1", amount: 500_00, by: "2026-02-10", madeOn: "2026-02-01",
                receipts: [("2026-02-12", 500_00)]),
            // Broken: nothing came.
            promise("P-broken", invoice: "I-2", amount: 300_00, by: "2026-03-01", madeOn: "2026-02-20"),
            // Partial: 200 of 400 is a broken promise.
            promise(
                "P-partial", customer: "C2", invoice: "I-3", amount: 400_00, by: "2026-03-05",
                madeOn: "2026-03-01", receipts: [("2026-03-04", 200_00)]),
            // Live: due 03-30, grace runs to 04-02.
            promise("P-grace", customer: "C2", invoice: "I-4", amount: 250_00, by: "2026-03-30", madeOn: "2026-03-20"),
            // Live: not yet due.
            promise("P-later", customer: "C3", invoice: "I-5", amount: 100_00, by: "2026-04-15", madeOn: "2026-03-25"),
            // Kept, but due before the period: another period's.
            promise(
                "P-old", invoice: "I-6", amount: 100_00, by: "2025-12-15", madeOn: "2025-12-01",
                receipts: [("2025-12-14", 100_00)]),
            // Paid after the grace: broken, however much came later.
            promise(
                "P-late", customer: "C3", invoice: "I-7", amount: 100_00, by: "2026-01-10", madeOn: "2026-01-02",
                receipts: [("2026-01-20", 100_00)]),
        ]
        let report = PromiseKeptReport(promises: promises, period: q1, graceDays: 3)
        #expect(report.overall == PromiseKeptReport.Tally(kept: 1, broken: 3))
        #expect(report.overall.keptRate?.decimalString() == "25.00")
        #expect(
            report.customers == [
                .init(customerID: "C1", tally: .init(kept: 1, broken: 1)),
                .init(customerID: "C2", tally: .init(kept: 0, broken: 1)),
                .init(customerID: "C3", tally: .init(kept: 0, broken: 1)),
            ])
        #expect(report.customers[0].tally.keptRate?.decimalString() == "50.00")
        #expect(report.customers[1].tally.keptRate?.decimalString() == "0.00")
        #expect(report.live.map(\.promise.id) == ["P-grace", "P-later"])
    }

    @Test func withNoOutcomeYetTheRateIsNil() {
        let report = PromiseKeptReport(
            promises: [promise("P", invoice: "I-1", amount: 1_00, by: "2026-03-31", madeOn: "2026-03-30")],
            period: q1, graceDays: 3)
        #expect(report.overall.keptRate == nil)
        #expect(report.live.count == 1)
    }

    @Test func theGraceDaysDecideWhenAPromiseBreaks() {
        let late = promise(
            "P", invoice: "I-1", amount: 100_00, by: "2026-03-10", madeOn: "2026-03-01",
            receipts: [("2026-03-14", 100_00)])
        #expect(PromiseKeptReport(promises: [late], period: q1, graceDays: 3).overall.broken == 1)
        #expect(PromiseKeptReport(promises: [late], period: q1, graceDays: 5).overall.kept == 1)
    }
}

// MARK: - Collected by stage and channel

@Suite("Collected by stage and channel")
struct CollectionsReportTests {
    private let march = ReportPeriod(from: day("2026-03-01"), to: day("2026-03-31"))!

    private func collected(
        _ invoice: String, due: String, paidOn: String, amount: Int = 100_00, currency: Currency = eur
    ) -> CollectedAllocation {
        CollectedAllocation(
            allocation: Allocation(
                paymentID: "PAY-\(invoice)-\(paidOn)", invoiceNumber: invoice,
                amount: Money(minorUnits: amount, currency: currency), date: day(paidOn)),
            customerID: "C1", dueDate: day(due))
    }

    private func contact(
        _ id: Int64, _ channel: Channel, on date: String, _ invoices: [String], status: ActionStatus = .sent,
        escalatesTo: EscalationTarget? = nil
    ) -> ActionRecord {
        ActionRecord(
            id: id, date: day(date), channel: channel, status: status, escalatesTo: escalatesTo,
            steps: invoices.map { InvoiceStep(invoiceNumber: $0, stepID: "step") })
    }

    @Test(arguments: [
        ("2026-03-10", Stage.preDue), ("2026-03-09", .preDue), ("2026-03-11", .delayed), ("2026-04-08", .delayed),
        ("2026-04-09", .nonPayment), ("2026-06-01", .nonPayment),
    ])
    func theStageIsTheInvoicesAgeOnThePaymentDate(paidOn: String, stage: Stage) {
        // Due 03-10; the standard playbook's threshold: non_payment from 30 days past due (04-09).
        #expect(
            CollectionsReport.stage(dueDate: day("2026-03-10"), paidOn: day(paidOn), nonPaymentAfterDaysPastDue: 30)
                == stage)
    }

    @Test func theChannelIsTheLastContactThatReachedTheClientBeforeThePayment() {
        let contacts = [
            contact(1, .email, on: "2026-03-01", ["INV-1"]),
            contact(2, .call, on: "2026-03-05", ["INV-1", "INV-9"], status: .done),
            // Not counted: never went out, failed, internal, on the payment's day, about another invoice.
            contact(3, .letter, on: "2026-03-06", ["INV-1"], status: .planned),
            contact(4, .sms, on: "2026-03-07", ["INV-1"], status: .failed),
            contact(5, .email, on: "2026-03-07", ["INV-1"], escalatesTo: .manager),
            contact(6, .email, on: "2026-03-08", ["INV-1"]),
            contact(7, .meeting, on: "2026-03-07", ["INV-2"], status: .done),
        ]
        let report = CollectionsReport(
            collections: [
                collected("INV-1", due: "2026-02-20", paidOn: "2026-03-08", amount: 250_00),
                // Never contacted about INV-3.
                collected("INV-3", due: "2026-03-20", paidOn: "2026-03-15", amount: 40_00),
                // Paid 45 days late after a meeting.
                collected("INV-2", due: "2026-01-22", paidOn: "2026-03-08", amount: 60_00),
            ],
            contacts: contacts, period: march, nonPaymentAfterDaysPastDue: 30)
        #expect(
            report.rows == [
                .init(currency: eur, stage: .preDue, channel: nil, amount: euros(40_00), allocations: 1),
                .init(currency: eur, stage: .delayed, channel: .call, amount: euros(250_00), allocations: 1),
                .init(currency: eur, stage: .nonPayment, channel: .meeting, amount: euros(60_00), allocations: 1),
            ])
        #expect(report.totals == [euros(350_00)])
    }

    @Test func onlyThePeriodsMoneyCountsAndCurrenciesStayApart() {
        let report = CollectionsReport(
            collections: [
                collected("INV-1", due: "2026-03-31", paidOn: "2026-03-02", amount: 10_00),
                collected("INV-2", due: "2026-03-31", paidOn: "2026-03-03", amount: 20_00),
                collected("INV-3", due: "2026-03-31", paidOn: "2026-03-03", amount: 5_00, currency: gbp),
                // Outside March.
                collected("INV-4", due: "2026-03-31", paidOn: "2026-02-28", amount: 1_000_00),
                collected("INV-5", due: "2026-03-31", paidOn: "2026-04-01", amount: 1_000_00),
            ],
            contacts: [], period: march, nonPaymentAfterDaysPastDue: 30)
        #expect(
            report.rows == [
                .init(currency: eur, stage: .preDue, channel: nil, amount: euros(30_00), allocations: 2),
                .init(currency: gbp, stage: .preDue, channel: nil, amount: pounds(5_00), allocations: 1),
            ])
        #expect(report.totals == [euros(30_00), pounds(5_00)])
    }

    @Test func theLatestContactWinsAndOnTheSameDayTheLaterAction() {
        let contacts = [
            contact(8, .letter, on: "2026-03-03", ["INV-1"]),
            contact(9, .email, on: "2026-03-03", ["INV-1"]),
            contact(2, .call, on: "2026-03-02", ["INV-1"], status: .done),
        ]
        #expect(CollectionsReport.lastContact(before: day("2026-03-04"), among: contacts)?.id == 9)
        #expect(CollectionsReport.lastContact(before: day("2026-03-03"), among: contacts)?.id == 2)
        #expect(CollectionsReport.lastContact(before: day("2026-03-02"), among: contacts) == nil)
    }
}

// MARK: - Builders

private func history(
    _ number: String, issued: String, due: String, total: Int, customer: String = "C1",
    payments: [(String, Int)] = [], credits: [(String, Int)] = []
) -> InvoiceHistory {
    InvoiceHistory(
        invoice: Invoice(
            number: number, customerID: customer, issueDate: day(issued), dueDate: day(due), total: euros(total)),
        allocations: payments.enumerated().map { index, payment in
            Allocation(
                paymentID: "\(number)-P\(index)", invoiceNumber: number, amount: euros(payment.1), date: day(payment.0))
        },
        creditNotes: credits.enumerated().map { index, credit in
            CreditNote(id: "\(number)-CN\(index)", invoiceNumber: number, date: day(credit.0), amount: euros(credit.1))
        })
}
