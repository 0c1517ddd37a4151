import DulyCore
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

/// The account page's forms over the fixture's C-100 (INV-100, EUR 300.00 open, due 2026-03-03; today 2026-03-20).
struct AccountActionTests {
    static let eur = Currency(code: "EUR")!

    @Test func aCollectorRecordsAPromiseAndSeesItOnTheAccount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/promises",
                ["promised_date": "2026-03-31", "amount": "120.00", "invoice_numbers": "INV-100"])
            #expect(answer.status == .seeOther)
            let location = try #require(answer.headers[.location])
            #expect(location.hasPrefix("/accounts/C-100?logged="))
            let promise = try #require(try await Self.commitments(fixture)?.promises.first)
            #expect(promise.amount == Money(minorUnits: 12_000, currency: Self.eur))
            #expect(promise.promisedDate == LocalDate(year: 2026, month: 3, day: 31))
            let page = try await browser.get(location)
            #expect(page.body.contains("recorded: EUR 120.00 by 2026-03-31."))
            #expect(page.body.contains("Promise \(promise.id): EUR 120.00 by 2026-03-31 for INV-100"))
        }
    }

    @Test func aFormSentTwiceRecordsOnceAndAnswersTheSameRedirect() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let form = try await browser.formFields("/accounts/C-100", action: "/accounts/C-100/promises")
            let fields = form.merging(["promised_date": "2026-03-31", "invoice_numbers": "INV-100"]) { $1 }
            let first = try await browser.post("/accounts/C-100/promises", fields)
            let again = try await browser.post("/accounts/C-100/promises", fields)
            #expect(first.status == .seeOther)
            #expect(again.status == .seeOther)
            #expect(again.headers[.location] == first.headers[.location])
            #expect(try await Self.commitments(fixture)?.promises.count == 1)
        }
    }

    @Test func aPromiseDatedBeforeTodayComesBackWithTheReasonAtTheDateAndTheValuesKept() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/promises",
                ["promised_date": "2026-03-01", "amount": "99.50", "invoice_numbers": "INV-100"])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"<p class="alert" role="alert">Not recorded: "#))
            #expect(answer.body.contains(#"<p class="field-error" id="promise-date-error">"#))
            #expect(answer.body.contains(#"aria-describedby="promise-date-error""#))
            #expect(answer.body.contains(#"value="99.50""#))
            #expect(answer.body.contains(#"value="2026-03-01""#))
            #expect(try await Self.commitments(fixture)?.promises.isEmpty ?? true)
        }
    }

    @Test func aPromiseOfMoreThanIsOpenIsRefusedAtTheAmount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/promises",
                ["promised_date": "2026-03-31", "amount": "500.00", "invoice_numbers": "INV-100"])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"id="promise-amount-error""#))
        }
    }

    @Test func aViewerSeesNoFormsAndEveryPostIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/accounts/C-100")
            #expect(page.body.contains("Download the evidence pack"))
            #expect(!page.body.contains("action=\"/accounts/C-100/"))
            for path in [
                "promises", "plans", "disputes", "settlement", "write-off", "plans/PLN-1/acceptance",
                "disputes/DSP-1/resolution",
            ] {
                let answer = try await browser.post(
                    "/accounts/C-100/\(path)",
                    ["csrf": try await browser.csrf(), "submission": "s", "invoice_number": "INV-100", "reason": "x"])
                #expect(answer.status == .forbidden, "\(path)")
            }
            #expect(try await Self.commitments(fixture)?.promises.isEmpty ?? true)
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsForbiddenAndRecordsNothing() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let form = try await browser.formFields("/accounts/C-100", action: "/accounts/C-100/write-off")
            var fields = form.merging(["invoice_number": "INV-100", "reason": "insolvent"]) { $1 }
            fields["csrf"] = "forged"
            let answer = try await browser.post("/accounts/C-100/write-off", fields)
            #expect(answer.status == .forbidden)
            let invoice = try await fixture.store.invoice(organisationID: "studio", number: "INV-100")
            #expect(invoice?.endState == nil)
        }
    }

    @Test func aDisputeReasonWithMarkupIsShownAsText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/disputes",
                [
                    "invoice_number": "INV-100", "amount": "50.00", "reason_code": "quality",
                    "reason": "<script>alert('dispute')</script>",
                ])
            #expect(answer.status == .seeOther)
            let dispute = try #require(try await Self.commitments(fixture)?.disputes.first)
            #expect(dispute.amount == Money(minorUnits: 5_000, currency: Self.eur))
            #expect(dispute.reasonCode == .quality)
            let page = try await browser.get("/accounts/C-100")
            #expect(!page.body.contains("<script>alert('dispute')"))
            #expect(page.body.contains("&lt;script&gt;alert(&#39;dispute&#39;)&lt;/script&gt;"))
        }
    }

    @Test func aRefusedFormShowsItsMarkupValuesAsText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/disputes",
                ["invoice_number": "INV-100", "amount": "1000.00", "reason": "\"><img src=x onerror=alert(1)>"])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"id="dispute-amount-error""#))
            #expect(!answer.body.contains("<img src=x"))
            #expect(answer.body.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        }
    }

    @Test func anotherOrganisationsInvoiceCannotBeDisputedFromThisAccount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/disputes", ["invoice_number": "INV-900", "reason": "not ours"])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains("this account has no invoice &#39;INV-900&#39;"))
            #expect(try await Self.commitments(fixture)?.disputes.isEmpty ?? true)
        }
    }

    @Test func anotherOrganisationsCustomerAnswers404ToEveryForm() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            for path in ["promises", "disputes", "settlement", "write-off"] {
                let answer = try await browser.post(
                    "/accounts/C-900/\(path)",
                    [
                        "csrf": try await browser.csrf(), "submission": "s-\(path)", "invoice_number": "INV-900",
                        "invoice_numbers": "INV-900", "promised_date": "2026-03-31", "reason": "x",
                    ])
                #expect(answer.status == .notFound, "\(path)")
            }
            #expect(try await browser.get("/accounts/C-900/evidence").status == .notFound)
            let other = try await fixture.store.accountsWithCommitments(organisationID: "other", customerID: "C-900")
            #expect(other.first?.promises.isEmpty ?? true)
        }
    }

    @Test func aCollectorProposesAPlanWhichOnlyAManagerAccepts() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let proposed = try await browser.send(
                "/accounts/C-100/plans",
                ["invoice_numbers": "INV-100", "instalments": "2026-04-15 150.00\n2026-05-15=150.00"])
            #expect(proposed.status == .seeOther)
            let plan = try #require(try await Self.commitments(fixture)?.plans.first)
            #expect(plan.instalments.count == 2)
            #expect(plan.acceptedOn == nil)
            let refused = try await browser.post(
                "/accounts/C-100/plans/\(plan.id)/acceptance",
                ["csrf": try await browser.csrf(), "submission": "accept-1"])
            #expect(refused.status == .forbidden)
        }
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let plan = try #require(try await Self.commitments(fixture)?.plans.first)
            let page = try await browser.get("/accounts/C-100")
            #expect(page.body.contains("Accept plan \(plan.id)"))
            let accepted = try await browser.send("/accounts/C-100/plans/\(plan.id)/acceptance", [:])
            #expect(accepted.status == .seeOther)
            #expect(try await Self.commitments(fixture)?.plans.first?.acceptedOn == WebFixture.today)
        }
    }

    @Test func aPlanWithAnUnreadableInstalmentIsRefusedAtTheInstalments() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/plans", ["invoice_numbers": "INV-100", "instalments": "next week 150.00"])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"id="plan-instalments-error""#))
            #expect(answer.body.contains("line 1"))
            #expect(answer.body.contains(">next week 150.00</textarea>"))
        }
    }

    @Test func aCollectorAgreeingAPlanAtOnceIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.send(
                "/accounts/C-100/plans",
                ["invoice_numbers": "INV-100", "instalments": "2026-04-15 300.00", "accepted": "yes"])
            #expect(answer.status == .forbidden)
            #expect(try await Self.commitments(fixture)?.plans.isEmpty ?? true)
        }
    }

    @Test func aCollectorRejectsADisputeButOnlyAManagerSettlesOne() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            try await browser.send("/accounts/C-100/disputes", ["invoice_number": "INV-100", "reason": "late"])
            let id = try #require(try await Self.commitments(fixture)?.disputes.first?.id)
            let upheld = try await browser.post(
                "/accounts/C-100/disputes/\(id)/resolution",
                ["csrf": try await browser.csrf(), "submission": "resolve-1", "outcome": "upheld"])
            #expect(upheld.status == .forbidden)
            let rejected = try await browser.send(
                "/accounts/C-100/disputes/\(id)/resolution", ["outcome": "rejected", "note": "delivered on time"])
            #expect(rejected.status == .seeOther)
            #expect(rejected.headers[.location]?.contains("rejected") == true)
            let dispute = try #require(try await Self.commitments(fixture)?.disputes.first)
            #expect(dispute.outcome == .rejected)
        }
    }

    @Test func aManagerSettlesADisputeForTheAgreedAmount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            try await browser.send("/accounts/C-100/disputes", ["invoice_number": "INV-100", "reason": "scratched"])
            let id = try #require(try await Self.commitments(fixture)?.disputes.first?.id)
            let missing = try await browser.send("/accounts/C-100/disputes/\(id)/resolution", ["outcome": "settled"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("a settled dispute needs the agreed amount"))
            let settled = try await browser.send(
                "/accounts/C-100/disputes/\(id)/resolution", ["outcome": "settled", "agreed_amount": "250.00"])
            #expect(settled.status == .seeOther)
            let invoice = try await fixture.store.invoice(organisationID: "studio", number: "INV-100")
            #expect(invoice?.open == Money(minorUnits: 25_000, currency: Self.eur))
        }
    }

    @Test func settlingAndWritingOffAreAManagersAndEndTheInvoice() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            #expect(!(try await browser.get("/accounts/C-100").body.contains("/accounts/C-100/settlement")))
            let refused = try await browser.post(
                "/accounts/C-100/settlement",
                ["csrf": try await browser.csrf(), "submission": "s", "invoice_number": "INV-100", "reason": "x"])
            #expect(refused.status == .forbidden)
        }
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let noReason = try await browser.send("/accounts/C-100/write-off", ["invoice_number": "INV-100"])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains(#"id="write-off-reason-error""#))
            let settled = try await browser.send(
                "/accounts/C-100/settlement",
                ["invoice_number": "INV-100", "agreed_amount": "270.00", "reason": "agreed at 90 %"])
            #expect(settled.status == .seeOther)
            let invoice = try await fixture.store.invoice(organisationID: "studio", number: "INV-100")
            #expect(invoice?.open == Money(minorUnits: 27_000, currency: Self.eur))
            let page = try await browser.get(try #require(settled.headers[.location]))
            #expect(page.body.contains("INV-100 settled: EUR 30.00 waived; EUR 270.00 is still chased."))
        }
    }

    @Test func theEvidencePackDownloadsAsAZip() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let answer = try await browser.get("/accounts/C-100/evidence")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "application/zip")
            #expect(
                answer.headers[.contentDisposition] == "attachment; filename=\"evidence-C-100-2026-03-20.zip\"")
            #expect(answer.body.hasPrefix("PK"))
        }
    }

    static func commitments(_ fixture: WebFixture) async throws -> Account? {
        try await fixture.store.accountsWithCommitments(organisationID: "studio", customerID: "C-100").first
    }
}

extension Browser {
    /// The hidden fields (CSRF token, submission token) of the form posting to `action` on the page at `path`.
    func formFields(_ path: String, action: String) async throws -> [String: String] {
        let body = try await get(path).body
        let start = try #require(body.range(of: "action=\"\(action)\""), "no form posts to \(action) on \(path)")
        let form = body[start.upperBound...]
        let end = form.range(of: "</form>")?.lowerBound ?? form.endIndex
        var fields: [String: String] = [:]
        for name in ["csrf", "submission"] {
            let marker = "name=\"\(name)\" value=\""
            if let found = form[..<end].range(of: marker) {
                fields[name] = String(form[found.upperBound...].prefix { $0 != "\"" })
            }
        }
        return fields
    }

    /// Sends the form posting to `path` as the account page offers it, with `fields` filled in.
    @discardableResult
    func send(_ path: String, _ fields: [String: String]) async throws -> Page {
        let form = try await formFields("/accounts/C-100", action: path)
        return try await post(path, form.merging(fields) { $1 })
    }
}
