import DulyCore
import Testing

// Issue 10: a consolidated message (one per client and channel) speaks with its most advanced step, but each
// invoice in it climbs its own rung; one approval per client and step; what one voice moves is said.

@Suite("Consolidated messages, rungs and approvals")
struct ConsolidatedMessageTests {
    let monday = day("2026-03-09")

    @Test func eachInvoiceInAConsolidatedMessageTakesItsOwnRungAndNeverTheSameTwice() {
        // Given one invoice due today and another due on Friday
        let account = reachableAccount([
            openInvoice("INV-1", due: "2026-03-09"), openInvoice("INV-2", due: "2026-03-13"),
        ])

        // When the day is planned, one due-day notice covers both, each at its own rung
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["due_day_notice email INV-1,INV-2 planned"])
        let notice = plan.actions[0]
        #expect(notice.invoiceSteps == ["INV-1": "due_day_notice", "INV-2": "pre_due_reminder"])

        // Then on Friday the ladder reads each rung back: INV-2 gets its own due-day notice, INV-1 its first
        // follow-up, and neither gets a rung it already took.
        var after = account
        after.history = [
            ActionRecord(id: 1, date: monday, channel: .email, status: .sent, steps: notice.steps)
        ]
        let friday = ladderPlanner.plan(after, asOf: day("2026-03-13"))
        #expect(friday.actions.map(\.invoiceSteps) == [["INV-1": "first_follow_up", "INV-2": "due_day_notice"]])
        #expect(friday.actions.map(\.stepID) == ["first_follow_up"])
    }

    @Test func aSecondInvoiceReachingAStepAwaitingApprovalJoinsThatApproval() {
        // Given a final notice about INV-1 waiting for a manager since Friday, and INV-2 reaching the same step
        let both = ["INV-1", "INV-2"]
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05", both), taken(2, "second_follow_up", on: "2026-01-12", both),
            taken(3, "call_offer_plan", on: "2026-01-16", both, status: .done),
            taken(4, "solution_offer", on: "2026-01-23", both), taken(5, "manager_escalation", on: "2026-02-02", both),
            taken(6, "final_notice", on: "2026-03-06", ["INV-1"], status: .awaitingApproval),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2025-12-01"), openInvoice("INV-2", due: "2025-12-05")], history: history)

        // When the day is planned
        let plan = ladderPlanner.plan(account, asOf: monday)

        // Then the manager has one decision for the customer's final notice, covering both invoices
        #expect(plan.summary == ["final_notice letter INV-1,INV-2 awaiting_approval"])
        #expect(plan.actions[0].invoiceSteps == ["INV-1": "final_notice", "INV-2": "final_notice"])
        #expect(plan.cancellations.map(\.actionID) == [6])
        #expect(plan.cancellations.first?.reason == "joined into one approval on 2026-03-09 with INV-2")
        #expect(
            plan.actions[0].note
                == "one approval for the customer's final_notice: joins INV-1, waiting since 2026-03-06")

        // And running the day again changes nothing
        var after = account
        after.history[5].status = .cancelled
        after.history.append(
            ActionRecord(
                id: 7, date: monday, channel: .letter, status: .awaitingApproval, steps: plan.actions[0].steps))
        let again = ladderPlanner.plan(after, asOf: monday)
        #expect(again.actions.isEmpty && again.cancellations.isEmpty)
    }

    @Test func anApprovalForAnotherStepIsNotJoined() {
        // Given an agency hand-over about INV-1 awaiting approval, and a final notice due for INV-2
        let both = ["INV-1", "INV-2"]
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05", both), taken(2, "second_follow_up", on: "2026-01-12", both),
            taken(3, "call_offer_plan", on: "2026-01-16", both, status: .done),
            taken(4, "solution_offer", on: "2026-01-23", both), taken(5, "manager_escalation", on: "2026-02-02", both),
            taken(6, "final_notice", on: "2026-02-09", ["INV-1"]),
            taken(7, "agency_handover", on: "2026-03-02", ["INV-1"], status: .awaitingApproval),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2025-12-01"), openInvoice("INV-2", due: "2025-12-05")], history: history)

        // Then the final notice is a decision of its own and the hand-over keeps waiting
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["final_notice letter INV-2 awaiting_approval"])
        #expect(plan.cancellations.isEmpty)
    }

    @Test func theMessageThatSpeaksSaysWhatOneVoiceMovedToALaterDay() {
        // Given a call due for INV-1 and a first follow-up due for INV-2 on the same day
        let history = [
            taken(1, "first_follow_up", on: "2026-02-09", ["INV-1"]),
            taken(2, "second_follow_up", on: "2026-02-16", ["INV-1"]),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2026-02-06"), openInvoice("INV-2", due: "2026-03-06")], history: history)

        // Then the call speaks and its note says the follow-up was moved, not folded
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["call_offer_plan call INV-1 planned"])
        #expect(plan.actions[0].note == "one voice today; moved to the next allowed day: INV-2 first_follow_up")
    }
}
