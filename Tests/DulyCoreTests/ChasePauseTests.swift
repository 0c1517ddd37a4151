import DulyCore
import Testing

// A pause of a customer's whole chase (`ChasePause`), one rule per test. Monday 2026-03-09 is "today"; INV-1 fell due
// on 2026-03-06, so the first follow-up (+3) is due today on the ladder of `ladderPlaybook`.

@Suite("Pausing a customer's chase")
struct ChasePauseTests {
    let monday = day("2026-03-09")
    let invoice = openInvoice("INV-1", due: "2026-03-06")

    func paused(until: String, setOn: String = "2026-03-09", history: [ActionRecord] = []) -> Account {
        var account = reachableAccount([invoice], history: history)
        account.pause = ChasePause(
            setOn: day(setOn), until: day(until), reason: "paid by transfer", requestedBy: "Ana")
        return account
    }

    @Test func nothingIsPlannedForAPausedCustomer() {
        #expect(
            ladderPlanner.plan(reachableAccount([invoice]), asOf: monday).summary == [
                "first_follow_up email INV-1 planned"
            ])
        let plan = ladderPlanner.plan(paused(until: "2026-03-12"), asOf: monday)
        #expect(plan.actions.isEmpty && plan.deferrals.isEmpty)
    }

    @Test func nothingIsPlannedOnThePausesLastDay() {
        let plan = ladderPlanner.plan(paused(until: "2026-03-12"), asOf: day("2026-03-12"))
        #expect(plan.actions.isEmpty)
    }

    @Test func contactResumesTheDayAfterThePausesLastDay() {
        let plan = ladderPlanner.plan(paused(until: "2026-03-12"), asOf: day("2026-03-13"))
        #expect(plan.summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func thePauseEndsByItselfTheDayAfterItsLastDayIsAReviewDay() {
        // An account with nothing else coming: only the pause's end brings the next review.
        var quiet = reachableAccount([])
        #expect(ladderPlanner.nextReview(of: quiet, after: AccountPlan(), on: monday) == nil)
        quiet.pause = ChasePause(setOn: monday, until: day("2026-03-20"), reason: "r", requestedBy: "Ana")
        #expect(ladderPlanner.nextReview(of: quiet, after: AccountPlan(), on: monday) == day("2026-03-21"))
        // And every day until then is quiet for a customer with an invoice due.
        let account = paused(until: "2026-03-20")
        var date = monday
        while date <= day("2026-03-20") {
            #expect(ladderPlanner.plan(account, asOf: date).actions.isEmpty, "\(date)")
            date = date.adding(days: 1)
        }
        #expect(!ladderPlanner.plan(account, asOf: day("2026-03-23")).actions.isEmpty)
    }

    @Test func aPauseWithdrawsWhatIsPendingForTheClientButNotTheNoteToTheManager() {
        let email = taken(1, "first_follow_up", on: "2026-03-09", status: .planned)
        let note = taken(2, "manager_escalation", on: "2026-03-09", status: .planned)
        let plan = ladderPlanner.plan(paused(until: "2026-03-12", history: [email, note]), asOf: monday)
        #expect(plan.cancellations.map(\.actionID) == [1])
        #expect(plan.cancellations.first?.reason == "chase paused until 2026-03-12")
    }

    @Test func invoicesKeepAgeingWhilePaused() {
        let old = openInvoice("INV-1", due: "2026-01-05")
        var account = reachableAccount([old])
        account.pause = ChasePause(setOn: monday, until: day("2026-03-20"), reason: "r", requestedBy: "Ana")
        #expect(ladderPlanner.states(of: account, asOf: monday) == ["INV-1": .nonPayment])
    }

    @Test func aPauseHoldsFromTheDayItWasSetToItsLastDay() {
        let pause = ChasePause(setOn: monday, until: day("2026-03-12"), reason: "r", requestedBy: "Ana")
        #expect(!pause.holds(on: day("2026-03-08")))
        #expect(pause.holds(on: monday) && pause.holds(on: day("2026-03-12")))
        #expect(!pause.holds(on: day("2026-03-13")))
    }

    @Test func theClientsWordThatTheyHavePaidPausesForThePlaybooksDays() {
        var playbook = ladderPlaybook
        playbook.paidClaimPauseDays = 4
        let pause = ChasePause.paidClaim(asOf: monday, playbook: playbook, claimedBy: "Ana", note: "sent on Friday")
        #expect(pause.until == day("2026-03-13") && pause.byClient && pause.requestedBy == "Ana")
        #expect(pause.reason == "the client says they have paid: sent on Friday")
        #expect(Playbook.standard.paidClaimPauseDays == 5)
    }

    @Test func aPauseNeedsAComingLastDayAReasonAndWhoAsked() {
        func problems(_ until: String, _ reason: String = "r", _ by: String = "Ana") -> [String] {
            ChasePause(setOn: monday, until: day(until), reason: reason, requestedBy: by).problems(asOf: monday)
                .map(\.field)
        }
        #expect(problems("2026-03-09").isEmpty)
        #expect(problems("2026-03-08") == ["until"])
        #expect(problems("2026-06-08") == ["until"])
        #expect(problems("2026-03-10", " ") == ["reason"])
        #expect(problems("2026-03-10", "r", "") == ["by"])
    }
}
