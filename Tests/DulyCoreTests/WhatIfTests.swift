import DulyCore
import Testing

/// `duly simulate`'s replay: the planner day by day, as if everything planned were carried out.
@Suite struct WhatIfTests {
    @Test func theReplayClimbsTheLadderAtItsOwnPaceAndKeepsItsManners() {
        // Due 2 February 2026: by Monday 2 March it is 28 days overdue, never contacted.
        let account = reachableAccount([openInvoice("INV-1", due: "2026-02-02", total: 900_00)])
        let actions = WhatIf.replay(account, planner: ladderPlanner, from: day("2026-03-02"), to: day("2026-04-30"))
        // The gentle steps first, one per run, each after its gap; the final notice waits for approval; the agency
        // hand-over waits for the last-resort rule, met by the email and call before it.
        #expect(
            actions.map(\.stepID) == [
                "first_follow_up", "second_follow_up", "call_offer_plan", "solution_offer", "manager_escalation",
                "final_notice", "agency_handover",
            ])
        #expect(actions.first?.date == day("2026-03-02"))
        #expect(actions.first(where: { $0.stepID == "final_notice" })?.status == .awaitingApproval)
        // Working days only, and never two contacts with the client on one day.
        #expect(actions.allSatisfy { Weekday.workWeek.contains($0.date.weekday) })
        let clientDays = actions.filter { $0.escalatesTo != .manager }.map(\.date)
        #expect(Set(clientDays).count == clientDays.count)
        // The same replay twice gives the same answer: the rehearsal is a pure function.
        #expect(
            WhatIf.replay(account, planner: ladderPlanner, from: day("2026-03-02"), to: day("2026-04-30")) == actions)
    }

    @Test func pendingActionsCountAsCarriedOutAndAKeptPlanMeansQuiet() {
        // A follow-up already planned for today is taken as sent: the replay does not plan it again.
        let pending = ActionRecord(
            id: 1, date: day("2026-03-02"), channel: .email, status: .planned,
            steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: "first_follow_up")])
        let account = reachableAccount([openInvoice("INV-1", due: "2026-02-02")], history: [pending])
        let actions = WhatIf.replay(account, planner: ladderPlanner, from: day("2026-03-02"), to: day("2026-03-13"))
        #expect(!actions.contains { $0.stepID == "first_follow_up" })
        #expect(actions.first.map { "\($0.date) \($0.stepID)" } == "2026-03-09 second_follow_up")
        // On an accepted plan, the replay shows only the plan's own reminders.
        var onPlan = reachableAccount([openInvoice("INV-1", due: "2026-02-02", total: 600_00)])
        onPlan.plans = [
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-1"],
                instalments: [
                    .init(dueDate: day("2026-03-11"), amount: euros(300_00)),
                    .init(dueDate: day("2026-04-08"), amount: euros(300_00)),
                ], acceptedOn: day("2026-03-01"))
        ]
        let quiet = WhatIf.replay(onPlan, planner: ladderPlanner, from: day("2026-03-02"), to: day("2026-03-10"))
        #expect(quiet.map { "\($0.date) \($0.stepID)" } == ["2026-03-09 instalment_reminder"])
    }
}
