import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

/// The client portal over the fixture's real SQLite file: C-100 of `studio` (an XSS payload for a name, INV-100 of
/// EUR 300.00 due 2026-03-03) reads English; today is 2026-03-20.
struct PortalScreenTests {
    /// The links the server signs, with the secret it keeps in the database.
    private static func links(_ fixture: WebFixture) async throws -> PortalLinks {
        PortalLinks(
            secret: try await fixture.store.serverSecret(named: PortalLinks.secretName, generated: randomBytes(32)))
    }

    private static func path(
        _ fixture: WebFixture, organisation: String = "studio", customer: String = "C-100",
        issuedOn: LocalDate = WebFixture.today
    ) async throws -> String {
        "/p/"
            + (try await links(fixture)).token(organisationID: organisation, customerID: customer, issuedOn: issuedOn)
    }

    private static func commitments(_ fixture: WebFixture, _ customer: String = "C-100") async throws -> Account? {
        try await fixture.store.accountsWithCommitments(organisationID: "studio", customerID: customer).first
    }

    // MARK: - The page

    @Test func theLinkShowsWhatIsOwedPerInvoiceWithItsDueDateAndDaysOverdue() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("<html lang=\"en\">"))
            #expect(page.body.contains("INV-100"))
            #expect(page.body.contains("EUR\u{A0}300.00"))
            #expect(page.body.contains("3 March 2026"))
            #expect(page.body.contains("17 days overdue"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(!page.body.contains("<script"))
        }
    }

    @Test func theCustomersNameWithMarkupIsShownAsText() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let page = try await browser.get(path)
            #expect(!page.body.contains("<script>alert"))
            #expect(page.body.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; Co"))
        }
    }

    @Test func aGermanReadingCustomerGetsThePageInGermanWithTheEarlyPaymentSaving() async throws {
        // Given a German-reading customer with an invoice on 2/10 net 30 terms, issued two days ago
        let fixture = try await WebFixture.make()
        let eur = Currency(code: "EUR")!
        let context = RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T08:00:00Z")
        _ = try await fixture.store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C-DE", name: "Berger KG", language: "de"), contacts: [])],
            organisationID: "studio", context: context)
        _ = try await fixture.store.importInvoices(
            [
                Invoice(
                    number: "INV-DE", customerID: "C-DE", issueDate: LocalDate(year: 2026, month: 3, day: 18)!,
                    dueDate: LocalDate(year: 2026, month: 4, day: 17)!,
                    total: Money(minorUnits: 100_000, currency: eur),
                    terms: try PaymentTerms(parsing: "2/10 net 30"))
            ], organisationID: "studio", context: context)
        let path = try await Self.path(fixture, customer: "C-DE")
        try await fixture.test { browser in
            // Then the page speaks German and names the saving while it lasts
            let page = try await browser.get(path)
            #expect(page.body.contains("<html lang=\"de\">"))
            #expect(page.body.contains("Ihr Konto bei studio"))
            #expect(page.body.contains("Zahlungstermin zusagen"))
            #expect(page.body.contains("Zahlen Sie 980,00\u{A0}EUR bis 28. März 2026 und sparen Sie 20,00\u{A0}EUR."))
        }
    }

    @Test func oneCustomersLinkNeverShowsAnothersInvoices() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture, organisation: "other", customer: "C-900")
        try await fixture.test { browser in
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("INV-900"))
            #expect(!page.body.contains("INV-100"))
            #expect(!page.body.contains("alert"))
        }
    }

    // MARK: - Links that do not open

    @Test(arguments: ["tampered", "expired", "revoked", "foreign", "nonsense"])
    func aLinkThatDoesNotHoldAnswers403WithAPlainPage(_ kind: String) async throws {
        let fixture = try await WebFixture.make()
        var path = try await Self.path(fixture)
        switch kind {
        case "tampered":
            // The customer part swapped for another customer's, the signature kept.
            let other = try await Self.path(fixture, organisation: "other", customer: "C-900")
            var parts = path.split(separator: ".")
            parts[2] = other.split(separator: ".")[2]
            path = parts.joined(separator: ".")
        case "expired":
            path = try await Self.path(fixture, issuedOn: WebFixture.today.adding(days: -61))
        case "revoked":
            try await fixture.store.revokePortalLinks(
                customerID: "C-100", by: "owner@studio.example", organisationID: "studio",
                context: RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T10:00:00Z"))
        case "foreign":
            path =
                "/p/"
                + PortalLinks(secret: Array(repeating: 9, count: 32)).token(
                    organisationID: "studio", customerID: "C-100", issuedOn: WebFixture.today)
        default:
            path = "/p/not-a-token"
        }
        let denied = path
        try await fixture.test { browser in
            let page = try await browser.get(denied)
            #expect(page.status == .forbidden)
            #expect(page.body.contains("This link does not work"))
            #expect(!page.body.contains("INV-100"))
            #expect(!page.body.contains("INV-900"))
            let answer = try await browser.post(denied + "/promise", ["date": "2026-03-27", "csrf": "x"])
            #expect(answer.status == .forbidden)
        }
        #expect(try await Self.commitments(fixture)?.promises.isEmpty ?? true)
    }

    @Test func aRevocationIsOnTheTimelineAndLinksIssuedAfterItOpen() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.store.revokePortalLinks(
            customerID: "C-100", by: "owner@studio.example", organisationID: "studio",
            context: RecordingContext(date: WebFixture.today.adding(days: -1), recordedAt: "2026-03-19T10:00:00Z"))
        let path = try await Self.path(fixture)
        let status = try await fixture.test { browser in try await browser.get(path).status }
        #expect(status == .ok)
        let timeline = try await fixture.store.timeline(organisationID: "studio", customerID: "C-100")
        #expect(timeline.contains { $0.kind == "portal_links_revoked" && $0.summary.contains("owner@studio.example") })
    }

    // MARK: - What the client may do

    @Test func aPromiseMadeOnThePortalIsRecordedAsTheClientsAndShownBack() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(
                path + "/promise", ["date": "2026-03-27", "amount": "150,50", "csrf": csrf])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == path + "?done=promise")
            let page = try await browser.get(path + "?done=promise")
            #expect(page.body.contains("we have noted your promise"))
            #expect(page.body.contains("You promised to pay EUR\u{A0}150.50 by 27 March 2026 (INV-100)."))
        }
        let promise = try #require(try await Self.commitments(fixture)?.promises.first)
        #expect(promise.amount == Money(minorUnits: 15_050, currency: Currency(code: "EUR")!))
        #expect(promise.promisedDate == LocalDate(year: 2026, month: 3, day: 27))
        #expect(promise.promisedBy == "client via portal")
        let timeline = try await fixture.store.timeline(organisationID: "studio", customerID: "C-100")
        #expect(timeline.last?.kind == "promise_recorded")
        #expect(timeline.last?.details["promised_by"] == "client via portal")
    }

    @Test func sayingIHavePaidPausesTheChaseForThePlaybooksDaysAsTheClientsWord() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let page = try await browser.get(path)
            #expect(page.body.contains("Already paid?"))
            let csrf = try #require(page.csrf)
            let answer = try await browser.post(path + "/paid", ["csrf": csrf])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == path + "?done=paid")
            let after = try await browser.get(path + "?done=paid")
            #expect(after.body.contains("we pause our reminders for a few days"))
        }
        // The built-in playbook's paid_claim_pause_days is 5: paused through 2026-03-25, from today.
        let pause = try #require(try await fixture.store.pause(customerID: "C-100", organisationID: "studio"))
        #expect(pause.until == LocalDate(year: 2026, month: 3, day: 25))
        #expect(pause.byClient)
        #expect(pause.requestedBy == "client via portal")
        let timeline = try await fixture.store.timeline(organisationID: "studio", customerID: "C-100")
        #expect(timeline.last?.kind == "chase_paused")
    }

    @Test func sayingIHavePaidWithoutTheLinksTokenIsForbiddenAndPausesNothing() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let answer = try await browser.post(path + "/paid", ["csrf": "forged"])
            #expect(answer.status == .forbidden)
        }
        #expect(try await fixture.store.pause(customerID: "C-100", organisationID: "studio") == nil)
    }

    @Test func anInvoiceWithAPaymentLinkShowsAPayButtonToIt() async throws {
        // Given an invoice of C-100 that carries a payment link, and INV-100 without one
        let fixture = try await WebFixture.make()
        let context = RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T08:00:00Z")
        var invoice = Invoice(
            number: "INV-PAY", customerID: "C-100", issueDate: LocalDate(year: 2026, month: 3, day: 1)!,
            dueDate: LocalDate(year: 2026, month: 3, day: 31)!,
            total: Money(minorUnits: 5_000, currency: Currency(code: "EUR")!))
        invoice.paymentURL = "https://pay.example/inv-pay?x=1&y=2"
        _ = try await fixture.store.importInvoices([invoice], organisationID: "studio", context: context)
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let page = try await browser.get(path)
            #expect(page.body.contains(#"<a class="button pay" href="https://pay.example/inv-pay?x=1&amp;y=2""#))
            #expect(page.body.components(separatedBy: "class=\"button pay\"").count == 2, "one button, for INV-PAY")
        }
    }

    @Test func aPromiseWithoutAnAmountCoversWhatIsAskedForNotWhatIsDisputed() async throws {
        // Given EUR 100.00 of INV-100's EUR 300.00 under dispute
        let fixture = try await WebFixture.make()
        _ = try await fixture.store.openDispute(
            invoiceNumber: "INV-100", amount: { Money(minorUnits: 10_000, currency: $0) }, reasonCode: .quantity,
            reason: "two boxes missing", owner: nil, id: nil, organisationID: "studio",
            context: RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T08:30:00Z"))
        let path = try await Self.path(fixture)

        // When the client promises a date and leaves the amount empty
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(path + "/promise", ["date": "2026-03-27", "csrf": csrf])
            #expect(answer.status == .seeOther)
        }

        // Then the promise is of the EUR 200.00 asked for
        let promise = try #require(try await Self.commitments(fixture)?.promises.first)
        #expect(promise.amount == Money(minorUnits: 20_000, currency: Currency(code: "EUR")!))
    }

    @Test func aPromiseDatedBeforeTodayIsRefusedNamingTheField() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(path + "/promise", ["date": "2026-03-01", "csrf": csrf])
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("That did not go through: promised_date:"))
        }
        #expect(try await Self.commitments(fixture)?.promises.isEmpty ?? true)
    }

    @Test func aPlanProposedOnThePortalSplitsWhatIsOpenIntoMonthlyInstalments() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(
                path + "/plan", ["instalments": "3", "first": "2026-04-01", "csrf": csrf])
            #expect(answer.status == .seeOther)
        }
        let plan = try #require(try await Self.commitments(fixture)?.plans.first)
        #expect(plan.acceptedOn == nil)
        #expect(plan.proposedBy == .client)
        #expect(plan.instalments.map(\.amount.minorUnits) == [10_000, 10_000, 10_000])
        #expect(plan.instalments.map(\.dueDate.description) == ["2026-04-01", "2026-05-01", "2026-06-01"])
        let timeline = try await fixture.store.timeline(organisationID: "studio", customerID: "C-100")
        #expect(timeline.last?.summary.contains("proposed by the client") == true)
    }

    @Test func aDisputeReasonWithMarkupIsRecordedAsWrittenAndShownInert() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        let reason = "<img src=x onerror=alert(1)> wrong price"
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(
                path + "/dispute",
                ["invoice": "INV-100", "reason_code": "pricing", "amount": "50", "reason": reason, "csrf": csrf])
            #expect(answer.status == .seeOther)
            let page = try await browser.get(path)
            #expect(!page.body.contains("<img src=x"))
            #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt; wrong price"))
        }
        let dispute = try #require(try await Self.commitments(fixture)?.disputes.first)
        #expect(dispute.reason == reason)
        #expect(dispute.reasonCode == .pricing)
        #expect(dispute.amount == Money(minorUnits: 5_000, currency: Currency(code: "EUR")!))
    }

    @Test func aDisputeOnAnotherCustomersInvoiceIsRefused() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            let answer = try await browser.post(
                path + "/dispute", ["invoice": "INV-900", "reason": "not ours", "csrf": csrf])
            #expect(answer.status == .badRequest)
        }
        let other = try await fixture.store.accountsWithCommitments(organisationID: "other", customerID: "C-900")
        #expect(other.first?.disputes.isEmpty ?? true)
        #expect(try await Self.commitments(fixture)?.disputes.isEmpty ?? true)
    }

    @Test(arguments: ["", "forged", "another link's"])
    func aFormWithoutItsLinksTokenIsForbiddenAndRecordsNothing(_ token: String) async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        let otherPath = try await Self.path(fixture, organisation: "other", customer: "C-900")
        try await fixture.test { browser in
            var csrf = token
            if token == "another link's" { csrf = try #require(try await browser.get(otherPath).csrf) }
            let answer = try await browser.post(path + "/promise", ["date": "2026-03-27", "csrf": csrf])
            #expect(answer.status == .forbidden)
            #expect(answer.body.contains("This form has expired"))
        }
        #expect(try await Self.commitments(fixture)?.promises.isEmpty ?? true)
    }

    @Test func anInvoiceWithoutADocumentAnswers404() async throws {
        let fixture = try await WebFixture.make()
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let page = try await browser.get(path + "/documents/INV-100")
            #expect(page.status == .notFound)
            #expect(page.body.contains("No document"))
        }
    }

    @Test func aPortalPromiseAnnouncesAWebhookEvent() async throws {
        let fixture = try await WebFixture.make()
        _ = try await fixture.store.addWebhookSubscriber(
            url: "https://hooks.example/duly", events: nil, secret: "a-secret-of-sixteen-or-more",
            organisationID: "studio",
            createdAt: "2026-03-20T08:00:00Z")
        let path = try await Self.path(fixture)
        try await fixture.test { browser in
            let csrf = try #require(try await browser.get(path).csrf)
            try await browser.post(path + "/promise", ["date": "2026-03-27", "csrf": csrf])
        }
        let events = try await fixture.store.webhookEvents(organisationID: "studio", limit: 100)
        #expect(events.contains { $0.type == .promiseRecorded && $0.customerID == "C-100" })
    }
}
