import Crypto
import DulyCore
import Testing

// One test per rule of the collection day (docs/PRODUCT.md, "The collection day"). Monday 2026-03-09 is "today" unless
// a test says otherwise; the ladder (`ladderPlaybook`, PlannerFixtures.swift) is: pre_due_reminder (-7), due_day_notice
// (0), first_follow_up (+3), second_follow_up (+10), call_offer_plan (+14), solution_offer (+21), then from 30 days
// past due manager_escalation, final_notice (+7, approval), agency_handover (+21, approval, last resort).

@Suite("The collection day's rules")
struct PlannerTests {
    let monday = day("2026-03-09")

    // MARK: - The ladder

    @Test func preDueReminderGoesOutAWeekBeforeTheDueDate() {
        let plan = ladderPlanner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-16")]), asOf: monday)
        #expect(plan.summary == ["pre_due_reminder email INV-1 planned"])
        #expect(plan.actions.first?.stage == .preDue)
    }

    @Test func nothingIsPlannedBeforeTheFirstStepsDay() {
        let plan = ladderPlanner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-17")]), asOf: monday)
        #expect(plan.actions.isEmpty)
    }

    @Test func aLaterPreDueStepSupersedesAnEarlierOneWhoseMomentPassed() {
        // First seen on its due date: the due-day notice, not a "due in a week" reminder.
        let plan = ladderPlanner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-09")]), asOf: monday)
        #expect(plan.summary == ["due_day_notice email INV-1 planned"])
    }

    @Test func preDueStepsAreNeverSentAfterTheDueDate() {
        // Two days late, nothing sent before: too late for pre-due reminders, too early for the first follow-up.
        let plan = ladderPlanner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-07")]), asOf: monday)
        #expect(plan.actions.isEmpty)
        let threeDaysLate = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-03-06")]), asOf: monday)
        #expect(threeDaysLate.summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func aFirstRunOverALongOverdueInvoiceSendsTheFirstOverdueStepNotAFinalNotice() {
        let plan = ladderPlanner.plan(reachableAccount([openInvoice("INV-1", due: "2025-11-03")]), asOf: monday)
        #expect(plan.summary == ["first_follow_up email INV-1 planned"])
        #expect(
            ladderPlanner.states(of: reachableAccount([openInvoice("INV-1", due: "2025-11-03")]), asOf: monday)
                == ["INV-1": .nonPayment])
    }

    @Test func theLadderClimbsOneRungPerRunAndResumesAtItsOwnPace() {
        // 126 days late, first follow-up sent 3 days ago: the next rung waits for its 7-day gap…
        let invoice = openInvoice("INV-1", due: "2025-11-03")
        let early = ladderPlanner.plan(
            reachableAccount([invoice], history: [taken(1, "first_follow_up", on: "2026-03-06")]), asOf: monday)
        #expect(early.actions.isEmpty)
        // …and then comes alone, however many rungs are overdue.
        let later = ladderPlanner.plan(
            reachableAccount([invoice], history: [taken(1, "first_follow_up", on: "2026-03-02")]), asOf: monday)
        #expect(later.summary == ["second_follow_up email INV-1 planned"])
    }

    @Test func overdueStepsAreNeverSkipped() {
        // After the second follow-up comes the call, even when the solution offer's day has also come.
        let history = [taken(1, "first_follow_up", on: "2026-02-09"), taken(2, "second_follow_up", on: "2026-02-23")]
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-02-06")], history: history), asOf: monday)
        #expect(plan.summary == ["call_offer_plan call INV-1 planned"])
    }

    @Test func runningTheSameDayTwicePlansNothingNew() {
        let account = reachableAccount([
            openInvoice("INV-1", due: "2026-03-16"), openInvoice("INV-2", due: "2026-02-20"),
        ])
        let first = ladderPlanner.plan(account, asOf: monday)
        #expect(!first.actions.isEmpty)
        var after = account
        after.history = first.actions.enumerated().map { offset, action in
            ActionRecord(
                id: Int64(offset + 1), date: action.date, channel: action.channel, status: action.status,
                escalatesTo: action.escalatesTo, steps: action.steps)
        }
        let second = ladderPlanner.plan(after, asOf: monday)
        #expect(second.actions.isEmpty)
        #expect(second.cancellations.isEmpty)
    }

    @Test func eachActionRecordsTheAdoptedPlaybookVersionThatPlannedIt() {
        let account = reachableAccount([openInvoice("INV-1", due: "2026-03-16")])
        var adopted = ladderPlaybook
        adopted.version = 3
        let planned = Planner(playbook: adopted, organisationID: "org").plan(account, asOf: monday).actions
        #expect(!planned.isEmpty)
        #expect(planned.allSatisfy { $0.playbookVersion == 3 })
        #expect(ladderPlanner.plan(account, asOf: monday).actions.allSatisfy { $0.playbookVersion == nil })
    }

    @Test func theIdempotencyKeyIsStableAndBelongsToOneOrganisation() {
        let account = reachableAccount([openInvoice("INV-1", due: "2026-03-16")])
        let once = ladderPlanner.plan(account, asOf: monday).actions[0].idempotencyKey
        let again = ladderPlanner.plan(account, asOf: monday).actions[0].idempotencyKey
        let elsewhere = Planner(playbook: ladderPlaybook, organisationID: "other").plan(account, asOf: monday)
        #expect(once == again)
        #expect(once != elsewhere.actions[0].idempotencyKey)
    }

    @Test func theIdempotencyKeyIsTheHashOfTheActionsFieldsSoStoredKeysStayValid() throws {
        // Keys already written by earlier versions must come out the same, or a second run of the day would plan
        // everything again: the first 16 bytes of SHA-256 over the fields, "|"-separated, in hex.
        let account = reachableAccount([openInvoice("INV-1", due: "2026-03-16")])
        let action = try #require(ladderPlanner.plan(account, asOf: monday).actions.first)
        let text =
            "org|C1|\(action.date)|\(action.channel.rawValue)|-|-|-|INV-1=\(try #require(action.steps.first).stepID)"
        #expect(action.idempotencyKey == Hex.encode(SHA256.hash(data: Array(text.utf8)).prefix(16)))
    }

    // MARK: - One voice per client

    @Test func stepsForSeveralInvoicesOnOneChannelGoOutAsOneMessage() {
        let account = reachableAccount([
            openInvoice("INV-1", due: "2026-03-05"), openInvoice("INV-2", due: "2026-02-20"),
            openInvoice("INV-3", due: "2026-03-16"),
        ])
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.actions.count == 1)
        #expect(plan.actions[0].invoiceNumbers == ["INV-1", "INV-2", "INV-3"])
        #expect(plan.actions[0].steps.map(\.stepID) == ["first_follow_up", "first_follow_up", "pre_due_reminder"])
        #expect(plan.actions[0].stage == .delayed)
    }

    // MARK: - Manners

    @Test func noMoreThanTheCapOfContactsInAnySevenDays() {
        // Two emails went out this week: a third contact waits, and says why.
        let history = [
            taken(1, "first_follow_up", on: "2026-03-03", ["INV-9"]),
            taken(2, "pre_due_reminder", on: "2026-03-05", ["INV-8"]),
        ]
        let account = reachableAccount([openInvoice("INV-1", due: "2026-03-05")], history: history)
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(plan.deferrals.map(\.reason) == [.contactCap])
        // Eight days later the window has moved on.
        #expect(ladderPlanner.plan(account, asOf: day("2026-03-11")).actions.count == 1)
    }

    @Test func theClientHearsOneVoiceADayTheMostAdvancedStepsAndTheRestFollowLater() {
        let history = [
            taken(1, "first_follow_up", on: "2026-02-09", ["INV-1"]),
            taken(2, "second_follow_up", on: "2026-02-16", ["INV-1"]),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2026-02-06"), openInvoice("INV-2", due: "2026-03-06")], history: history)
        // The call (a later rung) and a first follow-up about another invoice are both due: only the call goes.
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["call_offer_plan call INV-1 planned"])
        #expect(plan.deferrals.map(\.stepID) == ["first_follow_up"])
        #expect(plan.deferrals.map(\.reason) == [.oneVoice])
        // The next day the follow-up climbs.
        var after = account
        after.history.append(taken(3, "call_offer_plan", on: "2026-03-09", status: .done))
        #expect(ladderPlanner.plan(after, asOf: day("2026-03-10")).summary == ["first_follow_up email INV-2 planned"])
    }

    @Test func aFinalNoticeLetterAndAPreDueEmailNeverReachAClientOnTheSameDay() {
        // The case: a final notice is due for one invoice and a friendly pre-due reminder for another.
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16", status: .done), taken(4, "solution_offer", on: "2026-01-23"),
            taken(5, "manager_escalation", on: "2026-02-02"),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2026-01-02"), openInvoice("INV-2", due: "2026-03-16")], history: history)
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["final_notice letter INV-1 awaiting_approval"])
        #expect(plan.deferrals.map(\.stepID) == ["pre_due_reminder"])
        #expect(plan.deferrals.map(\.reason) == [.oneVoice])
    }

    @Test func aMessageAlreadyPlannedForTodaySpeaksForTheDay() {
        // A call-back the client asked for today: no email on top of it.
        let callBack = ActionRecord(
            id: 1, date: monday, channel: .call, status: .planned,
            steps: [InvoiceStep(invoiceNumber: "INV-2", stepID: "call_back")])
        let plan = ladderPlanner.plan(
            reachableAccount(
                [openInvoice("INV-1", due: "2026-03-05"), openInvoice("INV-2", due: "2026-02-20")], history: [callBack]),
            asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(plan.deferrals.map(\.reason) == [.oneVoice])
    }

    @Test func theManagerNoteIsNotAVoiceTheClientHears() {
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16", status: .done), taken(4, "solution_offer", on: "2026-01-23"),
        ]
        let account = reachableAccount(
            [openInvoice("INV-1", due: "2026-01-02"), openInvoice("INV-2", due: "2026-03-06")], history: history)
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["first_follow_up email INV-2 planned", "manager_escalation email INV-1 planned"])
    }

    @Test func nothingGoesOutOnAWeekend() {
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-03-02")]), asOf: day("2026-03-07"))
        #expect(plan.actions.isEmpty)
        #expect(plan.deferrals.map(\.reason) == [.nonWorkingDay])
    }

    @Test func nothingGoesOutOnAnOrganisationHoliday() {
        let planner = Planner(playbook: ladderPlaybook, holidays: [monday], organisationID: "org")
        let plan = planner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-02")]), asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(plan.deferrals.map(\.reason) == [.nonWorkingDay])
    }

    @Test func theOrganisationsOwnWorkingDaysDecide() {
        var playbook = ladderPlaybook
        playbook.workingDays = [.tuesday, .wednesday, .thursday, .friday, .saturday]
        let planner = Planner(playbook: playbook, organisationID: "org")
        let account = reachableAccount([openInvoice("INV-1", due: "2026-03-02")])
        #expect(planner.plan(account, asOf: monday).actions.isEmpty)
        #expect(planner.plan(account, asOf: day("2026-03-07")).actions.count == 1)
    }

    @Test func nothingIsSentToAChannelTheCustomerOptedOutOf() {
        let customer = Customer(id: "C1", name: "Acme", optedOut: [.email])
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-03-05")], customer: customer), asOf: monday)
        #expect(plan.summary == ["first_follow_up email INV-1 skipped"])
        #expect(plan.actions[0].note == "the customer opted out of email")
    }

    @Test func nothingIsSentToAContactWhoOptedOutOrWhoseAddressBounces() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-03-05")])
        account.contacts[0].optedOut = [.email]
        #expect(ladderPlanner.plan(account, asOf: monday).actions[0].status == .skipped)
        account.contacts[0].optedOut = []
        account.contacts[0].emailBouncing = true
        #expect(ladderPlanner.plan(account, asOf: monday).actions[0].status == .skipped)
    }

    @Test func aSkippedStepDoesNotCountAsAContact() {
        let customer = Customer(id: "C1", name: "Acme", optedOut: [.email])
        let history = [
            taken(1, "first_follow_up", on: "2026-03-02", status: .skipped),
            taken(2, "second_follow_up", on: "2026-03-04", ["INV-2"], status: .skipped),
        ]
        let plan = ladderPlanner.plan(
            reachableAccount(
                [openInvoice("INV-1", due: "2026-02-06"), openInvoice("INV-3", due: "2026-02-23")], history: history,
                customer: customer), asOf: monday)
        #expect(plan.deferrals.isEmpty)
    }

    @Test func emailsAndCallsKeepTheCustomersBusinessHoursInTheirOwnTimeZone() {
        let planner = Planner(playbook: ladderPlaybook, organisationID: "org", organisationTimeZone: "Europe/Amsterdam")
        let london = Customer(id: "C1", name: "Acme", timeZone: "Europe/London")
        let email = planner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-03-05")], customer: london), asOf: monday)
        #expect(email.actions[0].window == DeliveryWindow(timeZone: "Europe/London", startHour: 9, endHour: 17))
        // A customer without a time zone of their own gets the organisation's.
        let nowhere = planner.plan(reachableAccount([openInvoice("INV-1", due: "2026-03-05")]), asOf: monday)
        #expect(nowhere.actions[0].window?.timeZone == "Europe/Amsterdam")
        // Letters and the internal escalation have no hours to keep.
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16"), taken(4, "solution_offer", on: "2026-01-23"),
        ]
        let escalation = planner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history), asOf: monday)
        #expect(escalation.actions[0].escalatesTo == .manager)
        #expect(escalation.actions[0].window == nil)
        let window = DeliveryWindow(timeZone: "Europe/London", startHour: 9, endHour: 17)
        #expect(!window.allows(localHour: 8) && window.allows(localHour: 9) && window.allows(localHour: 16))
        #expect(!window.allows(localHour: 17))
    }

    // MARK: - Pauses

    @Test func aDisputedInvoiceIsNotChasedButTheOthersAre() {
        var account = reachableAccount([
            openInvoice("INV-1", due: "2026-03-05"), openInvoice("INV-2", due: "2026-03-05"),
        ])
        account.disputes = [Dispute(id: "D1", invoiceNumber: "INV-1", openedOn: day("2026-03-06"), reason: "damaged")]
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.summary == ["first_follow_up email INV-2 planned"])
        #expect(ladderPlanner.states(of: account, asOf: monday)["INV-1"] == .disputed)
    }

    @Test func aResolvedDisputeLetsTheChaseResume() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-03-05")])
        account.disputes = [
            Dispute(
                id: "D1", invoiceNumber: "INV-1", openedOn: day("2026-03-06"), reason: "damaged",
                resolvedOn: day("2026-03-08"))
        ]
        #expect(ladderPlanner.plan(account, asOf: monday).actions.count == 1)
    }

    @Test func aLivePromisePausesTheChaseUntilItsDatePlusGrace() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-06")])
        account.promises = [
            PromiseToPay(
                id: "P1", invoiceNumbers: ["INV-1"], amount: euros(500_00), promisedDate: day("2026-03-10"),
                madeOn: day("2026-03-02"))
        ]
        #expect(ladderPlanner.plan(account, asOf: monday).actions.isEmpty)
        #expect(ladderPlanner.states(of: account, asOf: monday)["INV-1"] == .promised)
        // Grace is 3 days: on the 13th it is still live, on Monday the 16th it is broken and the chase resumes.
        #expect(ladderPlanner.plan(account, asOf: day("2026-03-13")).actions.isEmpty)
        #expect(
            ladderPlanner.plan(account, asOf: day("2026-03-16")).summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func aKeptPromiseMeansNoContactAndNeverCountsAsBroken() {
        // One broken promise would be enough for non_payment here; a kept one is not broken.
        var playbook = ladderPlaybook
        playbook.nonPaymentAfterBrokenPromises = 1
        let planner = Planner(playbook: playbook, organisationID: "org")
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-27", total: 800_00, paid: 300_00)])
        account.promises = [
            PromiseToPay(
                id: "P1", invoiceNumbers: ["INV-1"], amount: euros(300_00), promisedDate: day("2026-03-04"),
                madeOn: day("2026-03-02"))
        ]
        account.receipts = [Receipt(invoiceNumber: "INV-1", date: day("2026-03-04"), amount: euros(300_00))]
        #expect(planner.states(of: account, asOf: day("2026-03-16"))["INV-1"] == .delayed)
        // Paid in full as promised: nothing at all is planned.
        account.invoices[0].paid = euros(800_00)
        #expect(planner.plan(account, asOf: day("2026-03-16")).actions.isEmpty)
    }

    @Test func brokenPromisesMoveTheAccountToNonPayment() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-27")])
        account.promises = [
            PromiseToPay(
                id: "P1", invoiceNumbers: ["INV-1"], amount: euros(100_00), promisedDate: day("2026-03-01"),
                madeOn: day("2026-02-28")),
            PromiseToPay(
                id: "P2", invoiceNumbers: ["INV-1"], amount: euros(100_00), promisedDate: day("2026-03-04"),
                madeOn: day("2026-03-02")),
        ]
        // 10 days past due would be `delayed`; two broken promises make it `non_payment`.
        #expect(ladderPlanner.states(of: account, asOf: monday)["INV-1"] == .nonPayment)
        var onePromise = account
        onePromise.promises.removeLast()
        #expect(ladderPlanner.states(of: onePromise, asOf: monday)["INV-1"] == .delayed)
    }

    @Test func aRefusalToPayMovesTheOverdueInvoicesToNonPayment() {
        var account = reachableAccount([
            openInvoice("INV-1", due: "2026-02-27"), openInvoice("INV-2", due: "2026-03-20"),
        ])
        account.refusals = [day("2026-03-06")]
        let states = ladderPlanner.states(of: account, asOf: monday)
        #expect(states["INV-1"] == .nonPayment)
        // Not yet due: it stays pre-due, and turns to non_payment the day after its due date, not 30 days later.
        #expect(states["INV-2"] == .preDue)
        #expect(ladderPlanner.states(of: account, asOf: day("2026-03-21"))["INV-2"] == .nonPayment)
        // A refusal recorded for a later day does not reach back.
        account.refusals = [day("2026-03-10")]
        #expect(ladderPlanner.states(of: account, asOf: monday)["INV-1"] == .delayed)
    }

    @Test func aPlanBeingKeptPausesTheChaseAndAMissedInstalmentResumesIt() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-06", total: 600_00)])
        account.plans = [
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-1"],
                instalments: [
                    .init(dueDate: day("2026-03-02"), amount: euros(300_00)),
                    .init(dueDate: day("2026-04-01"), amount: euros(300_00)),
                ], acceptedOn: day("2026-02-20"))
        ]
        account.receipts = [Receipt(invoiceNumber: "INV-1", date: day("2026-03-02"), amount: euros(300_00))]
        account.invoices[0].paid = euros(300_00)
        #expect(ladderPlanner.states(of: account, asOf: monday)["INV-1"] == .onPlan)
        #expect(ladderPlanner.plan(account, asOf: monday).actions.isEmpty)
        // The second instalment is missed: after its grace the chase resumes.
        let missed = day("2026-04-06")
        #expect(ladderPlanner.states(of: account, asOf: missed)["INV-1"] != .onPlan)
        #expect(!ladderPlanner.plan(account, asOf: missed).actions.isEmpty)
    }

    @Test func aProposedPlanNobodyAcceptedPausesNothing() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-03-05")])
        account.plans = [
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-1"],
                instalments: [.init(dueDate: day("2026-04-01"), amount: euros(500_00))],
                acceptedOn: nil)
        ]
        #expect(ladderPlanner.plan(account, asOf: monday).actions.count == 1)
    }

    // MARK: - Last resort

    @Test func anAgencyHandOverWaitsForTwoContactsOnTwoChannels() {
        let invoice = openInvoice("INV-1", due: "2025-12-01")
        let onlyEmails = [
            taken(1, "first_follow_up", on: "2025-12-04"), taken(2, "second_follow_up", on: "2025-12-11"),
            taken(3, "call_offer_plan", on: "2025-12-15", status: .skipped),
            taken(4, "solution_offer", on: "2025-12-22"), taken(5, "manager_escalation", on: "2026-01-02"),
            taken(6, "final_notice", on: "2026-01-09", status: .failed),
        ]
        let held = ladderPlanner.plan(reachableAccount([invoice], history: onlyEmails), asOf: monday)
        #expect(held.actions.isEmpty)
        #expect(held.deferrals.map(\.reason) == [.lastResortNotMet])

        var withCall = onlyEmails
        withCall[2].status = .done
        let proposed = ladderPlanner.plan(reachableAccount([invoice], history: withCall), asOf: monday)
        #expect(proposed.summary == ["agency_handover letter INV-1 awaiting_approval"])
        #expect(proposed.actions[0].escalatesTo == .agency)
    }

    @Test func aStepAwaitingApprovalHoldsTheLadder() {
        let history = [
            taken(1, "manager_escalation", on: "2026-01-02"),
            taken(2, "final_notice", on: "2026-01-09", status: .awaitingApproval),
        ]
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2025-12-01")], history: history), asOf: monday)
        #expect(plan.actions.isEmpty)
    }

    @Test func theManagerEscalationIsInternalAndDoesNotUseUpTheContactCap() {
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16"), taken(4, "solution_offer", on: "2026-01-23"),
            taken(5, "pre_due_reminder", on: "2026-03-03", ["INV-7"]),
            taken(6, "pre_due_reminder", on: "2026-03-04", ["INV-8"]),
        ]
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history), asOf: monday)
        #expect(plan.summary == ["manager_escalation email INV-1 planned"])
        #expect(plan.actions[0].escalatesTo == .manager)
    }

    // MARK: - Paid means stop

    @Test func aPaidInvoiceIsNeverChased() {
        let paid = openInvoice("INV-1", due: "2026-02-06", total: 500_00, paid: 500_00)
        let plan = ladderPlanner.plan(reachableAccount([paid]), asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(ladderPlanner.states(of: reachableAccount([paid]), asOf: monday)["INV-1"] == .paid)
    }

    @Test func aPaymentRecordedBeforeTheRunCancelsThePendingActionsItClears() {
        // Planned this morning for two invoices; one is paid before the deliverer ran: the message is withdrawn and
        // the unpaid invoice gets a message of its own.
        let pending = taken(1, "first_follow_up", on: "2026-03-09", ["INV-1", "INV-2"], status: .planned)
        let account = reachableAccount(
            [
                openInvoice("INV-1", due: "2026-03-05", total: 100_00, paid: 100_00),
                openInvoice("INV-2", due: "2026-03-05"),
            ], history: [pending])
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.cancellations == [Cancellation(actionID: 1, reason: "INV-1 paid")])
        #expect(plan.summary == ["first_follow_up email INV-2 planned"])
    }

    @Test func aDisputeRaisedAfterPlanningCancelsThePendingAction() {
        var account = reachableAccount(
            [openInvoice("INV-1", due: "2026-03-05")],
            history: [taken(1, "first_follow_up", on: "2026-03-09", status: .planned)])
        account.disputes = [Dispute(id: "D1", invoiceNumber: "INV-1", openedOn: monday, reason: "wrong price")]
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.cancellations.map(\.actionID) == [1])
        #expect(plan.actions.isEmpty)
    }

    // MARK: - Thank you

    @Test func aChasedInvoicePaidInFullEarnsAThankYouOfItsOwn() {
        var account = reachableAccount([openInvoice("INV-2", due: "2026-03-05")])
        account.thanksDue = [openInvoice("INV-1", due: "2026-02-06", total: 300_00, paid: 300_00)]
        let plan = ladderPlanner.plan(account, asOf: monday)
        // Never in the same message as a reminder, nor on the same day: the reminder speaks first.
        #expect(plan.summary == ["first_follow_up email INV-2 planned"])
        #expect(plan.deferrals.map(\.reason) == [.oneVoice])
        account.history = [taken(1, "first_follow_up", on: "2026-03-09", ["INV-2"])]
        let next = ladderPlanner.plan(account, asOf: day("2026-03-10"))
        #expect(next.summary == ["thank_you email INV-1 planned"])
        #expect(next.actions[0].template == "thank_you")
    }

    @Test func aThankYouIsSentOnceAndCanBeSwitchedOff() {
        var account = reachableAccount([])
        account.thanksDue = [openInvoice("INV-1", due: "2026-02-06", total: 300_00, paid: 300_00)]
        var playbook = ladderPlaybook
        playbook.thankYou = false
        #expect(Planner(playbook: playbook, organisationID: "org").plan(account, asOf: monday).actions.isEmpty)
        // Already planned (and still pending): not again, and not withdrawn because the invoice is paid.
        account.history = [taken(1, "first_follow_up", on: "2026-02-09")]
        account.history.append(
            ActionRecord(
                id: 2, date: day("2026-03-06"), channel: .email, status: .planned,
                steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: Playbook.thankYouStepID)]))
        let plan = ladderPlanner.plan(account, asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(plan.cancellations.isEmpty)
    }

    // MARK: - Stages

    @Test(arguments: [
        ("2026-03-16", InvoiceState.preDue), ("2026-03-09", .preDue), ("2026-03-08", .delayed),
        ("2026-02-08", .delayed), ("2026-02-07", .nonPayment), ("2025-01-01", .nonPayment),
    ])
    func anInvoicesStageFollowsItsDaysPastDue(due: String, expected: InvoiceState) {
        let states = ladderPlanner.states(of: reachableAccount([openInvoice("INV-1", due: due)]), asOf: monday)
        #expect(states["INV-1"] == expected)
    }

    @Test func stepConditionsLimitAStepToLargeBalancesOrTaggedCustomers() {
        var playbook = ladderPlaybook
        let callIndex = playbook.index(of: "call_offer_plan")!
        playbook.steps[callIndex].minimumOpenMilliUnits = 1_000_000  // 1,000.00
        let planner = Planner(playbook: playbook, organisationID: "org")
        let history = [taken(1, "first_follow_up", on: "2026-02-09"), taken(2, "second_follow_up", on: "2026-02-23")]
        let small = planner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-02-06", total: 999_99)], history: history), asOf: monday)
        #expect(small.summary == ["solution_offer email INV-1 planned"])
        let large = planner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-02-06", total: 1000_00)], history: history), asOf: monday)
        #expect(large.summary == ["call_offer_plan call INV-1 planned"])
    }
    // MARK: - Public holidays

    @Test func nothingGoesOutOnAPublicHolidayOfTheOrganisationsCountry() {
        // Easter Monday 2026 in the Netherlands; the day after, the step goes.
        let planner = Planner(playbook: ladderPlaybook, organisationID: "org", organisationCountry: "NL")
        let account = reachableAccount([openInvoice("INV-1", due: "2026-04-02")])
        let easterMonday = planner.plan(account, asOf: day("2026-04-06"))
        #expect(easterMonday.actions.isEmpty)
        #expect(easterMonday.deferrals.map(\.reason) == [.nonWorkingDay])
        #expect(planner.plan(account, asOf: day("2026-04-07")).summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func noEmailOrCallReachesAClientOnAPublicHolidayInTheirCountry() {
        // Pfingstmontag 2026: an Irish organisation works, its German client is on holiday.
        let planner = Planner(playbook: ladderPlaybook, organisationID: "org", organisationCountry: "IE")
        let german = Customer(id: "C1", name: "Acme GmbH", country: "DE", address: acmeAddress)
        let account = reachableAccount([openInvoice("INV-1", due: "2026-05-21")], customer: german)
        let pfingstmontag = planner.plan(account, asOf: day("2026-05-25"))
        #expect(pfingstmontag.actions.isEmpty)
        #expect(pfingstmontag.deferrals.map(\.reason) == [.customerHoliday])
        #expect(planner.plan(account, asOf: day("2026-05-26")).summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func aSettlementOffersDeadlineOnAHolidayRollsToTheNextWorkingDay() {
        var playbook = ladderPlaybook
        let index = playbook.index(of: "solution_offer")!
        playbook.steps[index].settlementOfferBasisPoints = 9000
        playbook.steps[index].offerValidDays = 14
        let planner = Planner(playbook: playbook, organisationID: "org", organisationCountry: "GB")
        let history = [
            taken(1, "first_follow_up", on: "2025-11-14"), taken(2, "second_follow_up", on: "2025-11-21"),
            taken(3, "call_offer_plan", on: "2025-11-25", status: .done),
        ]
        // Offered on 11 December 2026: 14 days on is Christmas Day, then Boxing Day (a Saturday, so Monday 28th).
        let plan = planner.plan(
            reachableAccount([openInvoice("INV-1", due: "2025-11-11")], history: history), asOf: day("2026-12-11"))
        #expect(plan.summary == ["solution_offer email INV-1 planned"])
        #expect(plan.actions.first?.offer?.deadline == day("2026-12-29"))
    }

    // MARK: - Letters

    @Test func aLetterToAClientWithoutAPostalAddressIsSkippedForTheWorklist() {
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16", status: .done), taken(4, "solution_offer", on: "2026-01-23"),
            taken(5, "manager_escalation", on: "2026-02-02"),
        ]
        let nowhere = Customer(id: "C1", name: "Brightwave Ltd", country: "GB")
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history, customer: nowhere),
            asOf: monday)
        #expect(plan.summary == ["final_notice letter INV-1 skipped"])
        #expect(plan.actions.first?.note == "no postal address")
    }

    // MARK: - Escalation needs a contact made

    @Test func noEscalationForAClientNeverReached() {
        // The case: no email (every email skipped) and one wrong-number call.
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05", status: .skipped),
            taken(2, "second_follow_up", on: "2026-01-12", status: .skipped),
            taken(3, "call_offer_plan", on: "2026-01-16", status: .failed),
            taken(4, "solution_offer", on: "2026-01-23", status: .skipped),
        ]
        let plan = ladderPlanner.plan(
            reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history), asOf: monday)
        #expect(plan.actions.isEmpty)
        #expect(plan.deferrals.map(\.reason) == [.noContactMade])
        #expect(plan.deferrals.map(\.stepID) == ["manager_escalation"])
    }

    @Test func aVoicemailIsNotAContactMade() {
        var call = taken(3, "call_offer_plan", on: "2026-01-16", status: .done)
        call.clientReached = false
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05", status: .skipped), call,
            taken(4, "solution_offer", on: "2026-01-23", status: .skipped),
        ]
        let account = reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history)
        #expect(ladderPlanner.plan(account, asOf: monday).deferrals.map(\.reason) == [.noContactMade])
        // A call that reached someone is one.
        var reached = account
        reached.history[1].clientReached = true
        #expect(ladderPlanner.plan(reached, asOf: monday).summary == ["manager_escalation email INV-1 planned"])
    }

    @Test func aRejectedEscalationWaitsForANewContactOrThePlaybooksWait() {
        var rejected = taken(6, "final_notice", on: "2026-03-02", status: .cancelled)
        rejected.rejectedOn = day("2026-03-03")
        let history = [
            taken(1, "first_follow_up", on: "2026-01-05"), taken(2, "second_follow_up", on: "2026-01-12"),
            taken(3, "call_offer_plan", on: "2026-01-16", status: .done), taken(4, "solution_offer", on: "2026-01-23"),
            taken(5, "manager_escalation", on: "2026-02-02"), rejected,
        ]
        let account = reachableAccount([openInvoice("INV-1", due: "2026-01-02")], history: history)
        // The next working day: not proposed again, and the worklist can say why.
        let nextDay = ladderPlanner.plan(account, asOf: day("2026-03-04"))
        #expect(nextDay.actions.isEmpty)
        #expect(nextDay.deferrals.map(\.reason) == [.escalationRejected])
        // Thirty days on (the playbook's escalation_retry_days), it may be proposed again.
        #expect(
            ladderPlanner.plan(account, asOf: day("2026-04-02")).summary == [
                "final_notice letter INV-1 awaiting_approval"
            ])
        // Sooner when the client was reached since.
        var called = account
        called.history.append(
            ActionRecord(
                id: 7, date: day("2026-03-05"), channel: .call, status: .done,
                steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: "call_back")], clientReached: true))
        #expect(
            ladderPlanner.plan(called, asOf: day("2026-03-13")).summary == [
                "final_notice letter INV-1 awaiting_approval"
            ])
    }
}
