import DulyChannels
import DulyCore
import Testing

/// The facts the messages about plans, disputes and settlement offers speak of, and the fields that carry them.
@Suite("Plan, dispute and offer fields")
struct EventMessageTests {
    private static func day(_ text: String) -> LocalDate { TemplateFixtures.day(text) }
    private static func euros(_ minorUnits: Int) -> Money { TemplateFixtures.euros(minorUnits) }

    /// Three instalments of 1,000.00 for INV-2026-009, agreed on 20 February.
    private static let plan = PaymentPlan(
        id: "PLAN-7", invoiceNumbers: ["INV-2026-009"],
        instalments: [
            .init(dueDate: day("2026-05-01"), amount: euros(1_000_00)),
            .init(dueDate: day("2026-03-01"), amount: euros(1_000_00)),
            .init(dueDate: day("2026-04-01"), amount: euros(1_000_00)),
        ], acceptedOn: day("2026-02-20"))

    /// The first instalment in full, then 400.00 toward the second; money before the plan and money on another
    /// invoice do not count toward it.
    private static let receipts = [
        Receipt(invoiceNumber: "INV-2026-009", date: day("2026-02-10"), amount: euros(500_00)),
        Receipt(invoiceNumber: "INV-2026-009", date: day("2026-03-01"), amount: euros(1_000_00)),
        Receipt(invoiceNumber: "INV-2026-014", date: day("2026-03-05"), amount: euros(250_00)),
        Receipt(invoiceNumber: "INV-2026-009", date: day("2026-03-20"), amount: euros(400_00)),
    ]

    /// Renders a one-line English override of `template` that shows `fields`, separated by `|`.
    // The fields under test, then the way forward every client message must offer, which is cut off again.
    private func render(_ fields: String, template: String, context: MessageContext) throws -> String {
        var library = TemplateLibrary()
        try library.override(template: template, language: .en, text: fields + "\u{1}Reply.")
        let text = try library.render(template: template, language: .en, context: context).text
        return String(text.prefix { $0 != "\u{1}" })
    }

    // MARK: - Plans

    @Test func theNextInstalmentAfterAPartPaymentIsWhatIsLeftOfIt() throws {
        // Given the first instalment paid and 400.00 of the second
        let facts = try #require(
            PlanFacts(plan: Self.plan, receipts: Self.receipts, asOf: Self.day("2026-03-28"), graceDays: 3))

        // Then the second instalment is next, with 600.00 of it still to pay, by its date plus the grace days
        #expect(facts.next?.dueDate == Self.day("2026-04-01"))
        #expect(facts.next?.amount == Self.euros(1_000_00))
        #expect(facts.next?.outstanding == Self.euros(600_00))
        #expect(facts.payBy == Self.day("2026-04-04"))
        #expect(facts.instalments.map(\.dueDate) == ["2026-03-01", "2026-04-01", "2026-05-01"].map(Self.day))
        #expect(facts.instalments.map(\.isPaid) == [true, false, false])
        // And the plan has brought in 1,400.00 of 3,000.00: 1,600.00 remain
        #expect(facts.total == Self.euros(3_000_00))
        #expect(facts.received == Self.euros(1_400_00))
        #expect(facts.remaining == Self.euros(1_600_00))
    }

    @Test func thePlanFieldsAreWrittenOutInTheLanguage() throws {
        // Given a reminder about the plan on 28 March
        var context = TemplateFixtures.context(
            template: "instalment_reminder", invoices: [TemplateFixtures.overdue], asOf: Self.day("2026-03-28"))
        context.plan = PlanFacts(plan: Self.plan, receipts: Self.receipts, asOf: context.asOf, graceDays: 3)

        // When its fields are rendered
        let text = try render(
            "{{#has_plan}}{{plan_next_date}}|{{plan_next_amount}}|"
                + "{{#plan_next_partly_paid}}part{{/plan_next_partly_paid}}|{{pay_by}}|{{plan_received}}|"
                + "{{plan_remaining}}|{{plan_total}}{{/has_plan}}\n"
                + "{{#plan_instalments}}{{date}} {{amount}} {{outstanding}}{{#is_paid}} paid{{/is_paid}}"
                + "{{#partly_paid}} part{{/partly_paid}}{{#is_next}} next{{/is_next}};{{/plan_instalments}}",
            template: "instalment_reminder", context: context)

        // Then they name the next instalment and the plan's progress
        #expect(
            text == "1 April 2026|EUR\u{A0}600.00|part|4 April 2026|EUR\u{A0}1,400.00|EUR\u{A0}1,600.00|"
                + "EUR\u{A0}3,000.00\n"
                + "1 March 2026 EUR\u{A0}1,000.00 EUR\u{A0}0.00 paid;"
                + "1 April 2026 EUR\u{A0}1,000.00 EUR\u{A0}600.00 part next;"
                + "1 May 2026 EUR\u{A0}1,000.00 EUR\u{A0}1,000.00;")
    }

    @Test func aMissedInstalmentIsStillTheNextOneInsideTheGraceDays() throws {
        // Given no money after the first instalment, two days after the second was due
        let receipts = [Self.receipts[1]]
        let facts = try #require(
            PlanFacts(plan: Self.plan, receipts: receipts, asOf: Self.day("2026-04-02"), graceDays: 3))

        // Then the missed instalment is the one to pay, in full, by its date plus three days
        #expect(facts.next?.dueDate == Self.day("2026-04-01"))
        #expect(facts.next?.outstanding == Self.euros(1_000_00))
        #expect(facts.payBy == Self.day("2026-04-04"))
        #expect(facts.remaining == Self.euros(2_000_00))
    }

    @Test func aPlanNobodyAcceptedHasNoFacts() {
        var proposal = Self.plan
        proposal.acceptedOn = nil
        #expect(PlanFacts(plan: proposal, receipts: Self.receipts, asOf: Self.day("2026-03-28"), graceDays: 3) == nil)
    }

    @Test func aMessageWithoutAPlanHasNoPlanFields() throws {
        let context = TemplateFixtures.context(template: "first_follow_up")
        let text = try render(
            "{{^has_plan}}none{{/has_plan}}{{^has_next_instalment}}|no next{{/has_next_instalment}}|{{plan_next_date}}",
            template: "first_follow_up", context: context)
        #expect(text == "none|no next|")
    }

    // MARK: - Offers

    @Test func anOfferIsTheShareOfTheOpenTotalRoundedHalfToEvenOnce() throws {
        // Given a 90 % offer, open for 14 days, made on 10 March about 1,234.55 open
        let invoice = InvoiceBalance(
            invoice: Invoice(
                number: "INV-7", customerID: "ACME", issueDate: Self.day("2026-01-05"),
                dueDate: Self.day("2026-02-04"), total: Self.euros(1_234_55)))
        var context = TemplateFixtures.context(template: "settlement_offer", invoices: [invoice])
        let offer = try #require(SettlementOfferTerms(step: TemplateFixtures.offerStep, madeOn: Self.day("2026-03-10")))
        context.offer = offer

        // Then 90 % of 1,234.55 is 1,111.095, rounded half to even to 1,111.10; 123.45 is waived; the offer stands
        // until 24 March
        #expect(context.offerAmounts == [Self.euros(1_111_10)])
        #expect(context.offerWaived == [Self.euros(123_45)])
        #expect(offer.deadline == Self.day("2026-03-24"))
        let text = try render(
            "{{#has_offer}}{{offer_amount}}|{{offer_percent}}|{{offer_waived}}|{{offer_deadline}}{{/has_offer}}",
            template: "settlement_offer", context: context)
        #expect(text == "EUR\u{A0}1,111.10|90%|EUR\u{A0}123.45|24 March 2026")
    }

    @Test func anOfferIsRoundedOnTheTotalNotPerInvoice() {
        // Given two invoices of 0.05 each: 90 % of each would round to 0.04 (0.08 in all)
        let invoices = ["A", "B"].map { number in
            InvoiceBalance(
                invoice: Invoice(
                    number: number, customerID: "ACME", issueDate: Self.day("2026-01-05"),
                    dueDate: Self.day("2026-02-04"), total: Self.euros(5)))
        }
        var context = TemplateFixtures.context(template: "settlement_offer", invoices: invoices)
        context.offer = SettlementOfferTerms(basisPoints: 9000, deadline: Self.day("2026-03-24"))

        // Then the offer is 90 % of the 0.10 total
        #expect(context.offerAmounts == [Self.euros(9)])
        #expect(context.offerWaived == [Self.euros(1)])
    }

    @Test func aStepWithoutAnOfferMakesNone() {
        let step = Playbook.standard.step("solution_offer")!
        #expect(SettlementOfferTerms(step: step, madeOn: Self.day("2026-03-10")) == nil)
        #expect(TemplateFixtures.context(template: "solution_offer").offerAmounts.isEmpty)
    }

    // MARK: - Disputes

    @Test func aDisputeIsToldInTheClientsWordsOrByItsReason() throws {
        // Given one dispute with the client's words and a finding, one with neither
        var worded = TemplateFixtures.dispute
        worded.reason = "The hours billed do not match our timesheets."
        var context = TemplateFixtures.context(template: "dispute_rejected")
        context.disputes = [
            DisputeFacts(worded, note: "The signed timesheet shows 8 hours."), DisputeFacts(TemplateFixtures.dispute),
        ]

        // When the dispute fields are rendered in German
        var library = TemplateLibrary()
        try library.override(
            template: "dispute_rejected", language: .de,
            text: "{{dispute_reason}}|{{dispute_opened_on}}|{{dispute_note}}\n"
                + "{{#disputes}}{{invoice_number}}: {{reason}}{{#has_note}} ({{note}}){{/has_note}};{{/disputes}}\n"
                + "Antworten Sie uns.")
        let text = try library.render(template: "dispute_rejected", language: .de, context: context).text

        // Then the client's words are kept as written, and a reason without words is named in German
        #expect(
            text
                == "The hours billed do not match our timesheets.|26. Februar 2026|"
                + "The signed timesheet shows 8 hours.\n"
                + "INV-2026-009: The hours billed do not match our timesheets. (The signed timesheet shows 8 hours.);"
                + "INV-2026-009: eine Frage zur Menge;\nAntworten Sie uns.")
    }

    @Test func theBuiltInNoteSaysNothingOfAFindingWhenThereIsNone() throws {
        let context = TemplateFixtures.context(template: "dispute_rejected")
        let message = try TemplateLibrary().render(template: "dispute_rejected", language: .en, context: context)
        #expect(message.text.contains("Invoice INV-2026-009, your query of 26 February 2026: a question about"))
        #expect(!message.text.contains("Our findings"))
    }

    // MARK: - Fields and voice

    @Test(arguments: ["{{outstanding}}", "{{#is_next}}x{{/is_next}}", "{{opened_on}}", "{{plan_next_dat}}"])
    func anInstalmentOrDisputeFieldOutsideItsListIsRejected(text: String) {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.self) {
            try library.override(template: "instalment_reminder", language: .en, text: text)
        }
    }

    @Test func theMessagesAboutEventsKeepTheDelayedVoiceAndTheOfferItsStepsStage() {
        let library = TemplateLibrary(playbook: TemplateFixtures.playbook)
        #expect(library.stage(of: "instalment_reminder") == .delayed)
        #expect(library.stage(of: "instalment_missed") == .delayed)
        #expect(library.stage(of: "dispute_rejected") == .delayed)
        #expect(library.stage(of: "settlement_offer") == .delayed)
        #expect(library.stage(of: "thank_you") == .preDue)
        let findings = library.lint()
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }

    @Test func aThreatInAnInstalmentMessageIsRefused() {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.self) {
            try library.override(
                template: "instalment_missed", language: .en,
                text: "Pay by {{pay_by}} or we hand the plan to a collection agency.")
        }
    }
}
