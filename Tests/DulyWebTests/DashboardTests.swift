import DulyCore
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

struct DashboardTests {
    @Test func theDashboardDrawsEachReportAsAChartWithItsFiguresInATable() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/dashboard")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<a href="/dashboard" aria-current="page">Dashboard</a>"#))
            // Aging: INV-100 is 17 days past due on 2026-03-20.
            #expect(page.body.contains("<title id=\"aging-EUR-title\">Aging on 2026-03-20, EUR"))
            #expect(page.body.contains(#"<th scope="row">1-30 days</th><td class="amount">EUR 300.00 (1)</td>"#))
            #expect(page.body.contains(#"<th scope="row">current</th><td class="amount">EUR 0.00 (0)</td>"#))
            #expect(page.body.contains("<title id=\"dso-EUR-title\">DSO in days, EUR"))
            #expect(page.body.contains("<path class=\"line\""))
            #expect(page.body.contains("<title id=\"stages-EUR-title\">Open invoices by stage"))
            #expect(page.body.contains("Nothing was collected in the period."))
            #expect(page.body.contains("Promises kept and broken, 2026-01-01 to 2026-03-20"))
            #expect(!page.body.contains("<script"))
        }
    }

    @Test func theDSOTrendShowsTheFigureDSOReportsForTheMonth() async throws {
        let fixture = try await WebFixture.make()
        var report = ReceivablesReport(period: .threeMonths(endingOn: WebFixture.today))
        try await fixture.store.scanInvoiceHistories(organisationID: "studio", through: WebFixture.today, into: &report)
        let dso = try #require(report.kpis.first?.dso)
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/dashboard")
            #expect(page.body.contains(#"<th scope="row">today</th><td class="amount">\#(dso.decimalString())</td>"#))
        }
    }

    @Test func aKeptPromiseCountsOnTheDashboard() async throws {
        let fixture = try await WebFixture.make()
        let context = RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T08:00:00Z")
        _ = try await fixture.store.addPromise(
            customerID: "C-100", invoiceNumbers: ["INV-100"], amount: { _ in nil },
            promisedDate: WebFixture.today, channel: nil, promisedBy: nil, id: nil, organisationID: "studio",
            context: context)
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/dashboard")
            #expect(page.body.contains("1 still live."))
        }
    }

    @Test func withoutASessionTheDashboardSendsToSignIn() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let page = try await browser.get("/dashboard")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login")
        }
    }

    @Test func anotherOrganisationsFiguresAreNotShown() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("both@studio.example")
            let page = try await browser.get("/dashboard")
            // studio and other each hold one EUR 300.00 invoice: only one is counted.
            #expect(page.body.contains("Total open: EUR 300.00."))
        }
    }
}
