import DulyCore
import Testing

/// Messages about a plan the client accepted are expected: one contact a week never crowds them out.
@Suite struct PlanMessageCapTests {
    @Test func anInstalmentReminderIsNotHeldBackByTheWeeksContactCap() {
        // Given a client on a plan for INV-1 who was sent a follow-up about INV-2 on Friday, under one contact a week,
        // and whose INV-3 is due its first follow-up too
        var account = reachableAccount([
            openInvoice("INV-1", due: "2026-02-06", total: 600_00), openInvoice("INV-2", due: "2026-02-20"),
            openInvoice("INV-3", due: "2026-02-26"),
        ])
        account.plans = [
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-1"],
                instalments: [.init(dueDate: day("2026-03-04"), amount: euros(600_00))], acceptedOn: day("2026-02-20"))
        ]
        account.history = [taken(1, "first_follow_up", on: "2026-02-27", ["INV-2"])]
        let planner = Planner(playbook: .standard, organisationID: "org")
        #expect(Playbook.standard.maxContactsPerSevenDays == 1)

        // When Monday comes, two days before the instalment
        let plan = planner.plan(account, asOf: day("2026-03-02"))

        // Then the reminder the client agreed to goes out, and the follow-up waits for the week's room
        #expect(plan.summary == ["instalment_reminder email INV-1 planned"])
        #expect(
            plan.deferrals.map { "\($0.invoiceNumber) \($0.stepID) \($0.reason)" } == [
                "INV-3 first_follow_up contactCap"
            ])
    }
}
