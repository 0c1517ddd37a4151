import DulyChannels
import DulyCore
import Testing

/// The internal note to the manager states what was tried to reach the client, and claims nothing else.
@Suite struct ManagerNoteTests {
    let attempts = [
        EscalationReview.Attempt(
            date: LocalDate(iso: "2026-02-09")!, channel: .email, stepID: "first_follow_up", made: false,
            outcome: .skipped),
        EscalationReview.Attempt(
            date: LocalDate(iso: "2026-02-20")!, channel: .call, stepID: "call_offer_plan", made: false,
            outcome: .notReached),
    ]

    @Test func theNoteListsEachAttemptWithItsDayChannelAndOutcome() throws {
        var context = TemplateFixtures.context(template: "manager_escalation")
        context.contactHistory = attempts
        let note = try TemplateLibrary().render(template: "manager_escalation", language: .en, context: context)
        #expect(note.text.contains("Contacts made: 0."))
        #expect(note.text.contains("- 9 February 2026, email: skipped"))
        #expect(note.text.contains("- 20 February 2026, call: not reached"))
        // No fixed sentence claiming reminders, a call or a plan offer were tried.
        #expect(!note.text.contains("The reminders, the call and the offer of a plan"))
        let german = try TemplateLibrary().render(template: "manager_escalation", language: .de, context: context)
        #expect(german.text.contains("20. Februar 2026, Anruf: nicht erreicht"))
    }

    @Test func aNoteWithoutAnyAttemptSaysSo() throws {
        var context = TemplateFixtures.context(template: "manager_escalation")
        context.contactHistory = []
        let note = try TemplateLibrary().render(template: "manager_escalation", language: .en, context: context)
        #expect(note.text.contains("No attempt to reach the client about these invoices is on record."))
    }
}

/// A final notice's deadline lands on a day the organisation works.
@Suite struct RespondByTests {
    @Test func aDeadlineOnChristmasRollsToTheOrganisationsNextWorkingDay() throws {
        // Friday 11 December 2026 plus 14 days is Christmas Day; in Germany the 26th is a holiday too, then a weekend.
        let context = TemplateFixtures.context(template: "final_notice", asOf: LocalDate(iso: "2026-12-11")!)
        #expect(context.respondBy == LocalDate(iso: "2026-12-28")!)
        let notice = try TemplateLibrary().render(template: "final_notice", language: .en, context: context)
        #expect(notice.text.contains("28 December 2026"))
        #expect(!notice.text.contains("25 December 2026"))
    }
}
