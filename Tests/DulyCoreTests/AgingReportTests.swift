import DulyCore
import Testing

@Suite("Aging buckets")
struct AgingReportTests {
    // docs/DOMAIN.md, K-8: as of 2026-03-31.
    @Test(arguments: [
        ("2026-04-15", AgingReport.Bucket.current), ("2026-03-31", .current), ("2026-03-30", .days1to30),
        ("2026-03-01", .days1to30), ("2026-02-28", .days31to60), ("2026-01-30", .days31to60),
        ("2026-01-29", .days61to90), ("2025-12-31", .days61to90), ("2025-12-30", .over90),
    ])
    func anInvoiceIsAgedOnItsDueDate(due: String, bucket: AgingReport.Bucket) {
        let report = AgingReport(asOf: day("2026-03-31"), balances: [openInvoice("INV-1", due: due, total: 123_45)])
        #expect(report.rows.count == 1)
        #expect(report.rows[0].amounts[bucket] == euros(123_45))
        #expect(report.rows[0].counts[bucket] == 1)
    }

    @Test func onlyTheOpenPartIsAgedPerCurrencyAndClosedInvoicesAreLeftOut() {
        let yen = Currency(code: "JPY")!
        let yenInvoice = InvoiceBalance(
            invoice: Invoice(
                number: "J-1", customerID: "C1", issueDate: day("2026-01-01"), dueDate: day("2026-01-31"),
                total: Money(minorUnits: 50_000, currency: yen)))
        let report = AgingReport(
            asOf: day("2026-03-31"),
            balances: [
                openInvoice("INV-1", due: "2026-03-15", total: 100_00, paid: 40_00),
                openInvoice("INV-2", due: "2026-03-15", total: 100_00, paid: 100_00),
                yenInvoice,
            ])
        #expect(report.rows.map(\.currency.code) == ["EUR", "JPY"])
        #expect(report.rows[0].total == euros(60_00))
        #expect(report.rows[0].counts[.days1to30] == 1)
        #expect(report.rows[1].amounts[.days31to60] == Money(minorUnits: 50_000, currency: yen))
    }
}
