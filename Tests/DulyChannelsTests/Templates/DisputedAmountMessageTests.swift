import DulyChannels
import DulyCore
import Testing

/// Issue 9, item 2: after `duly dispute open F-7 --amount 180.00`, no message demands the 180.00, each says it is
/// under review, and a notice no longer asks the client to tell us if they dispute what they already disputed.
@Suite("Messages ask only for what is not disputed")
struct DisputedAmountMessageTests {
    private typealias Fixtures = TemplateFixtures

    /// F-7: 1,180.00, due 10 February 2026, nothing paid; 180.00 of it disputed since 2 March.
    private static let f7 = InvoiceBalance(
        invoice: Invoice(
            number: "F-7", customerID: "ACME", issueDate: Fixtures.day("2026-01-11"),
            dueDate: Fixtures.day("2026-02-10"), total: Fixtures.euros(1_180_00)))
    private static let f8 = InvoiceBalance(
        invoice: Invoice(
            number: "F-8", customerID: "ACME", issueDate: Fixtures.day("2026-01-11"),
            dueDate: Fixtures.day("2026-02-10"), total: Fixtures.euros(300_00)))
    private static let dispute = Dispute(
        id: "DSP-F-7", invoiceNumber: "F-7", openedOn: Fixtures.day("2026-03-02"), reasonCode: .quality,
        reason: "two panels scratched", amount: Fixtures.euros(180_00))

    private func render(
        _ template: String, _ language: TemplateLanguage, invoices: [InvoiceBalance] = [f7],
        disputes: [Dispute] = [dispute]
    ) throws -> RenderedMessage {
        var customer = Fixtures.customer
        customer.language = language.rawValue
        let context = Fixtures.context(
            template: template, customer: customer, invoices: invoices, disputes: disputes)
        return try TemplateLibrary(playbook: Fixtures.playbook).render(
            template: template, language: language.rawValue, context: context)
    }

    @Test func theFrenchFormalNoticeDemandsTheUndisputedAmountAndSaysWhyTheRestIsLeftOut() throws {
        let notice = try render("final_notice", .fr)
        let whole = TemplateLanguage.fr.format(Fixtures.euros(1_180_00))
        let rest = TemplateLanguage.fr.format(Fixtures.euros(1_000_00))
        let disputed = TemplateLanguage.fr.format(Fixtures.euros(180_00))
        for part in [notice.subject, notice.text, notice.html] {
            #expect(part.contains(rest))
            #expect(!part.contains(whole), "the whole invoice is never demanded")
        }
        #expect(
            notice.text.contains(
                "\(disputed) de la facture F-7 sont en cours d’examen à la suite de votre réclamation et ne sont "
                    + "pas inclus ici."))
        #expect(notice.html.contains("\(disputed) de la facture F-7 sont en cours d’examen"))
        #expect(!notice.text.contains("Si vous contestez"), "the client has already disputed it")
    }

    @Test func theEnglishFinalNoticeDemandsTheUndisputedAmountAndSaysWhyTheRestIsLeftOut() throws {
        let notice = try render("final_notice", .en)
        let rest = TemplateLanguage.en.format(Fixtures.euros(1_000_00))
        let disputed = TemplateLanguage.en.format(Fixtures.euros(180_00))
        #expect(notice.subject.contains("\(rest) open"))
        #expect(!notice.text.contains("1,180.00"))
        #expect(
            notice.text.contains(
                "\(disputed) of invoice F-7 is under review after your query and is not included here."))
        #expect(!notice.text.contains("If you dispute"))
    }

    @Test(arguments: TemplateLanguage.allCases)
    func everyReminderAndCallScriptLeavesTheDisputedPartOut(language: TemplateLanguage) throws {
        let whole = language.format(Fixtures.euros(1_180_00))
        let rest = language.format(Fixtures.euros(1_000_00))
        for template in ["first_follow_up", "second_follow_up", "call_offer_plan", "solution_offer", "agency_handover"]
        {
            let message = try render(template, language)
            #expect(message.text.contains(rest), "\(template) in \(language)")
            #expect(!message.text.contains(whole), "\(template) in \(language)")
            #expect(message.text.contains("F-7"))
            #expect(message.text.contains(language.format(Fixtures.euros(180_00))), "\(template) says what is left out")
        }
    }

    @Test func theInterestFiguresOfANoticeLeaveTheDisputedPartOut() throws {
        let settings = InterestSettings(regime: .france, rates: .builtIn)
        let withDispute = try #require(
            settings.figures(for: [Self.f7], disputes: [Self.dispute], on: Fixtures.day("2026-03-10")))
        let onTheRest = try #require(
            settings.figures(
                for: [InvoiceBalance(invoice: Self.f7.invoice, credited: Fixtures.euros(180_00))],
                on: Fixtures.day("2026-03-10")))
        #expect(withDispute.interestTotals == onTheRest.interestTotals)
    }

    @Test func withoutADisputeTheNoticeStillInvitesOneAboutThisInvoiceOrAnyOfThese() throws {
        let one = try render("final_notice", .en, disputes: [])
        #expect(one.text.contains("If you dispute this invoice, tell us in writing"))
        let several = try render("final_notice", .en, invoices: [Self.f7, Self.f8], disputes: [])
        #expect(several.text.contains("If you dispute any of these invoices, tell us in writing"))
        let french = try render("final_notice", .fr, disputes: [])
        #expect(french.text.contains("Si vous contestez cette facture"))
    }

    @Test func aResolvedDisputeIsAskedForAgainInFull() throws {
        var resolved = Self.dispute
        resolved.resolvedOn = Fixtures.day("2026-03-09")
        resolved.outcome = .rejected
        let notice = try render("final_notice", .en, disputes: [resolved])
        #expect(notice.subject.contains("\(TemplateLanguage.en.format(Fixtures.euros(1_180_00))) open"))
        #expect(!notice.text.contains("under review"))
    }

    @Test func theManagersNoteSpeaksOfTheDisputeInTheThirdPerson() throws {
        let note = try render("manager_escalation", .en)
        let disputed = TemplateLanguage.en.format(Fixtures.euros(180_00))
        #expect(note.text.contains("\(disputed) of invoice F-7 is under dispute and not chased."))
        #expect(!note.text.contains("your query"))
    }
}
