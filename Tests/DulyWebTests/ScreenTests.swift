import DulyCore
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

struct WorklistScreenTests {
    @Test func theWorklistShowsTodaysCallWithItsScriptAndTheEscalationWaiting() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("Calls and meetings"))
            #expect(page.body.contains("Script: Call"))
            #expect(page.body.contains("ask for Ann on +31 20 123 4567"))
            #expect(page.body.contains("action=\"/calls/\(fixture.callID)\""))
            #expect(page.body.contains("Awaiting a manager's approval"))
            #expect(page.body.contains("EUR 300.00 open, 17 days overdue"))
        }
    }

    @Test func aDisputeOpenedOnACallWaitsOnTheWorklistForAnAnswerWithItsReasonAsText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            try await browser.post(
                "/calls/\(fixture.callID)",
                [
                    "outcome": "dispute", "reason": "<i>never delivered</i>", "back": "worklist",
                    "csrf": try await browser.csrf(),
                ])
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("Waiting for an answer"))
            #expect(page.body.contains("dispute to resolve (opened 2026-03-20)"))
            #expect(page.body.contains("&lt;i&gt;never delivered&lt;/i&gt;"))
        }
    }

    @Test func aPlanTheClientProposedWaitsOnTheWorklistForAnAnswer() async throws {
        let fixture = try await WebFixture.make()
        let eur = Currency(code: "EUR")!
        _ = try await fixture.store.proposePlan(
            customerID: "C-100", invoiceNumbers: ["INV-100"],
            instalments: { _ in
                [
                    PaymentPlan.Instalment(
                        dueDate: LocalDate(year: 2026, month: 4, day: 1)!,
                        amount: Money(minorUnits: 15_000, currency: eur)),
                    PaymentPlan.Instalment(
                        dueDate: LocalDate(year: 2026, month: 5, day: 1)!,
                        amount: Money(minorUnits: 15_000, currency: eur)),
                ]
            }, proposedBy: .client, accepted: false, id: nil, organisationID: "studio",
            context: RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T09:00:00Z"))
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("plan to accept or refuse (proposed by the client)"))
            #expect(page.body.contains("2 instalments from 2026-04-01"))
        }
    }

    @Test func aClientWhoSaysTheyHavePaidWaitsOnTheWorklistForTheBankToBeChecked() async throws {
        let fixture = try await WebFixture.make()
        _ = try await fixture.store.recordPaidClaim(
            customerID: "C-100", claimedBy: "client via portal", note: nil, playbook: .standard,
            organisationID: "studio",
            context: RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T09:00:00Z"))
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("says they have paid (on 2026-03-20; the chase waits until 2026-03-25)"))
            #expect(page.body.contains("EUR 300.00 open, 17 days overdue"))
        }
    }

    @Test func aPromiseTheClientMadeOnThePortalShowsOnTheWorklistBeforeItFallsDue() async throws {
        let fixture = try await WebFixture.make()
        let eur = Currency(code: "EUR")!
        _ = try await fixture.store.addPromise(
            customerID: "C-100", invoiceNumbers: ["INV-100"], amount: { _ in Money(minorUnits: 15_050, currency: eur) },
            promisedDate: LocalDate(year: 2026, month: 3, day: 27)!, channel: nil, promisedBy: "client via portal",
            id: nil, organisationID: "studio",
            context: RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T09:00:00Z"))
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("Promised on the portal this week"))
            #expect(page.body.contains("promise of EUR 150.50 by 2026-03-27 · INV-100"))
        }
    }

    @Test func aCustomerNameWithMarkupIsShownAsText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            for path in ["/worklist", "/approvals", "/accounts/C-100"] {
                let page = try await browser.get(path)
                #expect(!page.body.contains("<script>alert"), "\(path)")
                #expect(page.body.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; Co"), "\(path)")
            }
        }
    }

    @Test func aPromiseLoggedOnTheWorklistIsRecordedAndPausesTheCall() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/calls/\(fixture.callID)",
                ["outcome": "promise", "date": "2026-03-27", "back": "worklist", "csrf": try await browser.csrf()])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location]?.hasPrefix("/worklist?logged=") == true)
            let account = try await fixture.store.accountsWithCommitments(organisationID: "studio", customerID: "C-100")
            let promise = try #require(account.first?.promises.first)
            #expect(promise.amount == Money(minorUnits: 30_000, currency: Currency(code: "EUR")!))
            #expect(promise.promisedDate == LocalDate(year: 2026, month: 3, day: 27))
            let call = try await fixture.store.action(organisationID: "studio", id: fixture.callID)
            #expect(call?.action.status == .done)
        }
    }

    @Test func aPromiseWithoutADateIsRefusedNamingTheField() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/calls/\(fixture.callID)",
                ["outcome": "promise", "back": "worklist", "csrf": try await browser.csrf()])
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("date: outcome promise needs a date"))
        }
    }

    @Test func aCallLoggedWithAWrongCSRFTokenIsForbiddenAndRecordsNothing() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/calls/\(fixture.callID)", ["outcome": "reached", "back": "worklist", "csrf": "forged"])
            #expect(answer.status == .forbidden)
            let call = try await fixture.store.action(organisationID: "studio", id: fixture.callID)
            #expect(call?.action.status == .planned)
        }
    }

    @Test func aViewerSeesNoCallFormAndCannotLogACall() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            #expect(!(try await browser.get("/worklist").body.contains("action=\"/calls/")))
            let answer = try await browser.post(
                "/calls/\(fixture.callID)",
                ["outcome": "reached", "back": "worklist", "csrf": try await browser.csrf()])
            #expect(answer.status == .forbidden)
        }
    }

    @Test func aDisputeReasonWithMarkupIsShownAsTextOnTheAccount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            try await browser.post(
                "/calls/\(fixture.callID)",
                [
                    "outcome": "dispute", "reason": "<img src=x onerror=alert(1)>", "note": "<b>loud</b>",
                    "back": "account", "csrf": try await browser.csrf(),
                ])
            let page = try await browser.get("/accounts/C-100")
            #expect(!page.body.contains("<img src=x"))
            #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!page.body.contains("<b>loud</b>"))
        }
    }
}

struct ApprovalsScreenTests {
    @Test func aViewerSeesWhyTheAccountQualifiesButNoButtons() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/approvals")
            #expect(page.body.contains("Action \(fixture.escalationID): manager_review → manager"))
            #expect(page.body.contains("Contacts made: 0"))
            #expect(!page.body.contains("Approve action"))
        }
    }

    @Test func aDecisionPostedByAViewerOrCollectorIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        for email in ["viewer@studio.example", "collector@studio.example"] {
            try await fixture.test { browser in
                try await browser.signIn(email)
                let answer = try await browser.post(
                    "/approvals/\(fixture.escalationID)", ["decision": "approve", "csrf": try await browser.csrf()])
                #expect(answer.status == .forbidden)
            }
        }
        let action = try await fixture.store.action(organisationID: "studio", id: fixture.escalationID)
        #expect(action?.action.status == .awaitingApproval)
    }

    @Test func aManagerApprovesWithANoteKeptOnTheTimeline() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let page = try await browser.get("/approvals")
            #expect(page.body.contains("Approve action \(fixture.escalationID)"))
            let answer = try await browser.post(
                "/approvals/\(fixture.escalationID)",
                ["decision": "approve", "note": "called twice <i>no answer</i>", "csrf": page.csrf ?? ""])
            #expect(answer.status == .seeOther)
            let action = try await fixture.store.action(organisationID: "studio", id: fixture.escalationID)
            #expect(action?.action.status == .approved)
            let account = try await browser.get("/accounts/C-100")
            #expect(account.body.contains("called twice &lt;i&gt;no answer&lt;/i&gt;"))
        }
    }

    @Test func aDecisionWithoutCSRFIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let answer = try await browser.post("/approvals/\(fixture.escalationID)", ["decision": "reject"])
            #expect(answer.status == .forbidden)
        }
    }
}

struct AccountScreenTests {
    @Test func theAccountShowsBalancesInvoicesContactsAndTimeline() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/accounts/C-100")
            #expect(page.status == .ok)
            #expect(page.body.contains("Open: EUR 300.00"))
            #expect(page.body.contains("<td>INV-100</td>"))
            #expect(page.body.contains("billing: Ann ann@c-100.example +31 20 123 4567"))
            #expect(page.body.contains("Timeline, newest first"))
            #expect(page.body.contains("invoices added</span> Invoice INV-100 EUR 300.00 due 2026-03-03"))
            // Nothing was sent yet: no entry offers a message to view.
            #expect(!page.body.contains("view as sent"))
        }
    }

    @Test func anotherOrganisationsCustomerIsNotFound() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let page = try await browser.get("/accounts/C-900")
            #expect(page.status == .notFound)
            #expect(!page.body.contains("Other Customer"))
        }
    }

    @Test func aCollectorLogsTheAccountsCallFromTheAccountPage() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get("/accounts/C-100")
            #expect(page.body.contains("Log call \(fixture.callID)"))
            let answer = try await browser.post(
                "/calls/\(fixture.callID)", ["outcome": "voicemail", "back": "account", "csrf": page.csrf ?? ""])
            #expect(answer.headers[.location]?.hasPrefix("/accounts/C-100?logged=") == true)
            #expect(try await browser.get("/accounts/C-100").body.contains("left a voicemail"))
        }
    }
}

struct SentMessageTests {
    /// Plans an email to C-100 and delivers it with `content`, ending as `outcome`; returns its action id.
    static func deliver(
        _ content: String, outcome: DeliveryOutcome, key: String, fixture: WebFixture
    ) async throws -> Int64 {
        let context = RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T10:00:00Z")
        let email = PlannedAction(
            customerID: "C-100", date: WebFixture.today, channel: .email, stage: .delayed, stepID: "first_follow_up",
            template: "first_follow_up", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-100", stepID: "first_follow_up")], status: .planned,
            idempotencyKey: key)
        _ = try await fixture.store.commitRun(
            actions: [email], cancellations: [], organisationID: "studio", context: context)
        let id = try #require(
            try await fixture.store.actions(organisationID: "studio", customerID: "C-100").first {
                $0.action.idempotencyKey == key
            }?.id)
        try await fixture.store.beginDelivery(
            organisationID: "studio", actionID: id, messageID: "<\(key)@duly.example>", content: Array(content.utf8),
            context: context)
        try await fixture.store.finishDelivery(
            organisationID: "studio", actionID: id, outcome: outcome, context: context)
        return id
    }

    @Test func aSentMessageOpensAsItWasSentWithItsMarkupShownAsText() async throws {
        let fixture = try await WebFixture.make()
        let id = try await Self.deliver(
            "Subject: Invoice INV-100\r\n\r\n<p>Dear <b>Ann</b></p>",
            outcome: .sent(to: "ann@c-100.example", confirmed: true), key: "sent-email", fixture: fixture)
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let account = try await browser.get("/accounts/C-100")
            #expect(account.body.contains(#"<a href="/accounts/C-100/messages/\#(id)">view as sent</a>"#))
            let message = try await browser.get("/accounts/C-100/messages/\(id)")
            #expect(message.status == .ok)
            #expect(message.body.contains("Subject: Invoice INV-100"))
            #expect(message.body.contains("&lt;p&gt;Dear &lt;b&gt;Ann&lt;/b&gt;&lt;/p&gt;"))
        }
    }

    @Test func anotherOrganisationsMessageIsNotFound() async throws {
        let fixture = try await WebFixture.make()
        let id = try await Self.deliver(
            "Subject: Invoice INV-100\r\n\r\nprivate", outcome: .sent(to: "ann@c-100.example", confirmed: true),
            key: "sent-email", fixture: fixture)
        try await fixture.test { browser in
            // Signed in to `other`, where C-100 is not a customer
            try await browser.signIn("both@studio.example")
            let message = try await browser.get("/accounts/C-100/messages/\(id)")
            #expect(message.status == .notFound)
            #expect(!message.body.contains("private"))
        }
    }

    @Test func aBouncedEmailIsOnTheWorklist() async throws {
        let fixture = try await WebFixture.make()
        _ = try await Self.deliver(
            "Subject: Invoice INV-100\r\n\r\nhello",
            outcome: .failed(error: "550 no such mailbox", bouncedAddress: "ann@c-100.example"), key: "bounced",
            fixture: fixture)
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get("/worklist")
            #expect(page.body.contains("Bounced or unreachable"))
            #expect(page.body.contains("first_follow_up (email) on 2026-03-20"))
        }
    }
}

struct WorklistOrderTests {
    @Test func brokenPromisesComeFirstThenTheCallWithMostAtStake() async throws {
        // Given C-200 with EUR 5000.00 47 days overdue and a call, beside C-100's EUR 300.00 17 days overdue, and a
        // promise of C-100's broken since 2026-03-14
        let fixture = try await WebFixture.make()
        let store = fixture.store
        let context = RecordingContext(date: WebFixture.today, recordedAt: "2026-03-20T08:30:00Z")
        let eur = Currency(code: "EUR")!
        _ = try await store.importCustomers(
            [
                CustomerRecord(
                    customer: Customer(id: "C-200", name: "Big Debtor", country: "NL", language: "en"), contacts: [])
            ],
            organisationID: "studio", context: context)
        _ = try await store.importInvoices(
            [
                Invoice(
                    number: "INV-200", customerID: "C-200", issueDate: LocalDate(year: 2026, month: 1, day: 2)!,
                    dueDate: LocalDate(year: 2026, month: 2, day: 1)!, total: Money(minorUnits: 500_000, currency: eur))
            ], organisationID: "studio", context: context)
        _ = try await store.commitRun(
            actions: [
                PlannedAction(
                    customerID: "C-200", date: WebFixture.today, channel: .call, stage: .nonPayment,
                    stepID: "call_offer_plan", template: "call_offer_plan", requiresApproval: false, escalatesTo: nil,
                    steps: [InvoiceStep(invoiceNumber: "INV-200", stepID: "call_offer_plan")], status: .planned,
                    idempotencyKey: "big-call")
            ], cancellations: [], organisationID: "studio", context: context)
        try await store.recordPromise(
            PromiseToPay(
                id: "PRM-C-100-1", invoiceNumbers: ["INV-100"], amount: Money(minorUnits: 30_000, currency: eur),
                promisedDate: LocalDate(year: 2026, month: 3, day: 10)!,
                madeOn: LocalDate(year: 2026, month: 3, day: 5)!, channel: .call, promisedBy: nil),
            organisationID: "studio", context: context)

        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let body = try await browser.get("/worklist").body
            // Then the broken promise heads the page, and Big Debtor's call comes before C-100's
            let broken = try #require(body.range(of: "Broken promises"))
            let calls = try #require(body.range(of: "Calls and meetings"))
            #expect(broken.lowerBound < calls.lowerBound)
            let big = try #require(body.range(of: "Big Debtor</a> · call_offer_plan"))
            let small = try #require(body.range(of: "&amp; Co</a> · call_offer_plan"))
            #expect(big.lowerBound < small.lowerBound)
            #expect(body.contains("EUR 5000.00 open, 47 days overdue"))
        }
    }
}
