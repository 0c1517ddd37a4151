import DulyCore
import Testing

// The collector's tools as the planner obeys them: plans drive their own reminders, a rejected dispute is
// announced before the chase resumes, offers that waive much wait for a manager, and the end states.
@Suite struct CollectorToolsTests {
    // An accepted plan of two instalments on one invoice of 600.00.
    func accountOnAPlan(received: [Receipt] = []) -> Account {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-06", total: 600_00)])
        account.plans = [
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-1"],
                instalments: [
                    .init(dueDate: day("2026-03-04"), amount: euros(300_00)),
                    .init(dueDate: day("2026-04-06"), amount: euros(300_00)),
                ], acceptedOn: day("2026-02-20"))
        ]
        account.receipts = received
        account.invoices[0].paid = euros(received.reduce(0) { $0 + $1.amount.minorUnits })
        return account
    }

    /// The account after the plan's actions went out, as the next day's planner sees it.
    func afterSending(_ plan: AccountPlan, to account: Account, firstID: Int64) -> Account {
        var account = account
        for (offset, action) in plan.actions.enumerated() {
            account.history.append(
                ActionRecord(
                    id: firstID + Int64(offset), date: action.date, channel: action.channel, status: .sent,
                    escalatesTo: action.escalatesTo, steps: action.steps))
        }
        return account
    }

    @Test func anAcceptedPlanRemindsTheClientBeforeEachInstalmentOnce() {
        let account = accountOnAPlan()
        // Three days before (the playbook's instalment_reminder_days) and not earlier.
        #expect(
            ladderPlanner.plan(account, asOf: day("2026-03-02")).summary == [
                "instalment_reminder email INV-1 planned"
            ])
        let tooEarly = ladderPlanner.plan(account, asOf: day("2026-02-27"))
        #expect(tooEarly.actions.isEmpty)
        // Once per instalment: the next day sees the reminder in the history and plans nothing.
        let sent = afterSending(ladderPlanner.plan(account, asOf: day("2026-03-02")), to: account, firstID: 1)
        #expect(ladderPlanner.plan(sent, asOf: day("2026-03-03")).actions.isEmpty)
        #expect(ladderPlanner.states(of: sent, asOf: day("2026-03-03"))["INV-1"] == .onPlan)
    }

    @Test func aMissedInstalmentGetsOneFollowUpInsideTheGraceThenTheChaseResumes() {
        let account = accountOnAPlan()
        // Due Wednesday 4 March, unpaid on Thursday 5 March: the follow-up, once.
        let thursday = day("2026-03-05")
        #expect(ladderPlanner.plan(account, asOf: thursday).summary == ["instalment_missed email INV-1 planned"])
        let followedUp = afterSending(ladderPlanner.plan(account, asOf: thursday), to: account, firstID: 1)
        #expect(ladderPlanner.plan(followedUp, asOf: day("2026-03-06")).actions.isEmpty)
        // Past the grace (3 days) the plan is broken: no more plan messages, the ladder takes over.
        let broken = ladderPlanner.plan(followedUp, asOf: day("2026-03-09"))
        #expect(ladderPlanner.states(of: followedUp, asOf: day("2026-03-09"))["INV-1"] != .onPlan)
        #expect(broken.actions.allSatisfy { !Playbook.eventStepIDs.contains($0.stepID) })
        #expect(!broken.actions.isEmpty)
    }

    @Test func aKeptInstalmentNeedsNoFollowUpAndTheNextOneIsRemindedOf() {
        let paid = accountOnAPlan(received: [
            Receipt(invoiceNumber: "INV-1", date: day("2026-03-03"), amount: euros(300_00))
        ])
        #expect(ladderPlanner.plan(paid, asOf: day("2026-03-06")).actions.isEmpty)
        // The second instalment is on Monday 6 April: reminded on Friday 3 April.
        #expect(
            ladderPlanner.plan(paid, asOf: day("2026-04-03")).summary == ["instalment_reminder email INV-1 planned"])
        #expect(
            paid.plans[0].nextInstalment(on: day("2026-04-03"), graceDays: 3, receipts: paid.receipts)?.dueDate
                == day("2026-04-06"))
    }

    @Test func aPendingInstalmentReminderIsWithdrawnWhenThePlanIsPaidOff() {
        var account = accountOnAPlan()
        account.history = [
            ActionRecord(
                id: 7, date: day("2026-03-02"), channel: .email, status: .planned,
                steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: Playbook.instalmentReminderStepID)])
        ]
        account.invoices[0].paid = euros(600_00)
        account.receipts = [Receipt(invoiceNumber: "INV-1", date: day("2026-03-02"), amount: euros(600_00))]
        let plan = ladderPlanner.plan(account, asOf: day("2026-03-03"))
        #expect(plan.cancellations.map(\.actionID) == [7])
        // While the plan runs, the same reminder stays.
        var running = accountOnAPlan()
        running.history = account.history
        #expect(ladderPlanner.plan(running, asOf: day("2026-03-03")).cancellations.isEmpty)
    }

    @Test func aRejectedDisputeIsAnnouncedOnceBeforeTheChaseResumes() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-06")])
        account.disputes = [
            Dispute(
                id: "D1", invoiceNumber: "INV-1", openedOn: day("2026-02-10"), reasonCode: .quality,
                reason: "late delivery", resolvedOn: day("2026-03-02"), outcome: .rejected)
        ]
        // The ladder's first follow-up is due too, but the note speaks for the invoice today.
        let monday = ladderPlanner.plan(account, asOf: day("2026-03-02"))
        #expect(monday.summary == ["dispute_rejected email INV-1 planned"])
        let told = afterSending(monday, to: account, firstID: 1)
        // The next day the note is not repeated; the ladder resumes once its gap has passed.
        #expect(ladderPlanner.plan(told, asOf: day("2026-03-03")).actions.isEmpty)
        #expect(ladderPlanner.plan(told, asOf: day("2026-03-09")).summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func anUpheldDisputeSendsNoNote() {
        var account = reachableAccount([openInvoice("INV-1", due: "2026-02-06")])
        account.disputes = [
            Dispute(
                id: "D1", invoiceNumber: "INV-1", openedOn: day("2026-02-10"), reason: "wrong price",
                resolvedOn: day("2026-03-02"), outcome: .upheld)
        ]
        #expect(
            ladderPlanner.plan(account, asOf: day("2026-03-02")).summary == ["first_follow_up email INV-1 planned"])
    }

    @Test func aSettlementOfferThatWaivesMoreThanTheLimitWaitsForApproval() {
        func plan(offerPercent: Int) -> AccountPlan {
            let playbook = Playbook(
                name: "offers",
                steps: [
                    PlaybookStep(
                        id: "settlement_offer", stage: .delayed, offsetDays: 3, gapDays: 1, channel: .email,
                        settlementOfferBasisPoints: offerPercent * 100)
                ], settlementApprovalAboveBasisPoints: 1000)
            let planner = Planner(playbook: playbook, organisationID: "org")
            return planner.plan(reachableAccount([openInvoice("INV-1", due: "2026-02-06")]), asOf: day("2026-03-02"))
        }
        // Asking for 90 % waives 10 %: at the limit, no approval. Asking for 85 % waives 15 %: approval.
        #expect(plan(offerPercent: 90).summary == ["settlement_offer email INV-1 planned"])
        // 90 % of the 500.00 open, for 14 days.
        #expect(
            plan(offerPercent: 90).actions.first?.offer
                == SettlementOffer(amount: euros(450_00), deadline: day("2026-03-16"), shareBasisPoints: 9000))
        #expect(plan(offerPercent: 85).summary == ["settlement_offer email INV-1 awaiting_approval"])
    }

    @Test func aSettlementOfferBelongsAfterTheDueDateAndBetweenZeroAndAHundredPercent() {
        let playbook = Playbook(
            name: "bad",
            steps: [
                PlaybookStep(
                    id: "early_offer", stage: .preDue, offsetDays: -3, gapDays: 1, channel: .email,
                    settlementOfferBasisPoints: 9000),
                PlaybookStep(
                    id: "free", stage: .delayed, offsetDays: 3, gapDays: 1, channel: .email,
                    settlementOfferBasisPoints: 0),
                PlaybookStep(id: "thank_you", stage: .delayed, offsetDays: 9, gapDays: 1, channel: .email),
            ])
        let problems = playbook.problems().map { "\($0.step ?? "-") \($0.field)" }
        #expect(problems.contains("early_offer settlement_offer_percent"))
        #expect(problems.contains("free settlement_offer_percent"))
        #expect(problems.contains("thank_you id"))
    }

    // docs/DOMAIN.md, PT-12: 2/10 net 30, invoice 2026-01-15 of 1,000.00: paying 980.00 by 2026-01-25 closes it.
    @Test func paymentOfTheDiscountedAmountInsideThePeriodEarnsTheDiscount() throws {
        let invoice = Invoice(
            number: "INV-D", customerID: "C1", issueDate: day("2026-01-15"), dueDate: day("2026-02-14"),
            total: euros(1000_00), terms: try PaymentTerms(parsing: "2/10 net 30"))
        #expect(
            InvoiceBalance(invoice: invoice, paid: euros(980_00)).discountEarned(paidOn: day("2026-01-25"))
                == euros(20_00))
        // A day late, or a different amount, earns nothing: the rest is chased as usual.
        #expect(InvoiceBalance(invoice: invoice, paid: euros(980_00)).discountEarned(paidOn: day("2026-01-26")) == nil)
        #expect(InvoiceBalance(invoice: invoice, paid: euros(990_00)).discountEarned(paidOn: day("2026-01-20")) == nil)
        #expect(InvoiceBalance(invoice: invoice).discountEarned(paidOn: day("2026-01-20")) == nil)
        // After a credit note of 100.00 the discount is on the 900.00 left: 18.00.
        #expect(
            InvoiceBalance(invoice: invoice, paid: euros(882_00), credited: euros(100_00))
                .discountEarned(paidOn: day("2026-01-20")) == euros(18_00))
    }

    @Test func settledAndWrittenOffInvoicesEndInTheirOwnStateAndAreNotChased() {
        var settled = openInvoice("INV-S", due: "2026-01-10", total: 500_00, paid: 400_00)
        settled.credited = euros(100_00)
        settled.adjustedAs = .settled
        var writtenOff = openInvoice("INV-W", due: "2026-01-10", total: 500_00)
        writtenOff.credited = euros(500_00)
        writtenOff.adjustedAs = .writtenOff
        var credited = openInvoice("INV-C", due: "2026-01-10", total: 500_00)
        credited.credited = euros(500_00)
        let account = reachableAccount([settled, writtenOff, credited])
        let states = ladderPlanner.states(of: account, asOf: day("2026-03-02"))
        #expect(states == ["INV-S": .settled, "INV-W": .writtenOff, "INV-C": .credited])
        #expect(ladderPlanner.plan(account, asOf: day("2026-03-02")).actions.isEmpty)
        // A settlement that leaves an agreed amount open: still chased, ends as settled once paid.
        var agreed = openInvoice("INV-A", due: "2026-01-10", total: 500_00)
        agreed.credited = euros(100_00)
        agreed.adjustedAs = .settled
        #expect(agreed.endState == nil)
        agreed.paid = euros(400_00)
        #expect(agreed.endState == .settled)
    }

    @Test func theApprovalReviewSaysWhyAnAccountQualifies() {
        let invoice = openInvoice("INV-1", due: "2025-12-01", total: 1200_00, paid: 200_00)
        var account = reachableAccount(
            [invoice],
            history: [
                taken(1, "first_follow_up", on: "2025-12-04"),
                taken(2, "call_offer_plan", on: "2025-12-15", status: .done),
                taken(3, "manager_escalation", on: "2026-01-02"),
                ActionRecord(
                    id: 4, date: day("2026-01-09"), channel: .letter, status: .cancelled,
                    steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: "final_notice")]),
                taken(5, "agency_handover", on: "2026-01-23", status: .awaitingApproval),
            ])
        account.promises = [
            PromiseToPay(
                id: "P1", invoiceNumbers: ["INV-1"], amount: euros(1000_00), promisedDate: day("2025-12-20"),
                madeOn: day("2025-12-15"))
        ]
        let review = EscalationReview(actionID: 5, account: account, planner: ladderPlanner, asOf: day("2026-01-26"))
        // The manager escalation is internal and the cancelled letter never happened: two contacts count.
        #expect(review?.contactsMade == 2)
        #expect(review?.channelsUsed == [.email, .call])
        #expect(review?.firstContact == day("2025-12-04"))
        #expect(review?.lastContact == day("2025-12-15"))
        #expect(review?.brokenPromises == 1)
        #expect(review?.lastResortMet == true)
        #expect(review?.invoices.map(\.daysOverdue) == [56])
        #expect(review?.openTotals == [euros(1000_00)])
        // One channel only: the last-resort rule does not hold.
        account.history[1] = taken(2, "second_follow_up", on: "2025-12-15")
        let oneChannel = EscalationReview(
            actionID: 5, account: account, planner: ladderPlanner, asOf: day("2026-01-26"))
        #expect(oneChannel?.lastResortMet == false)
        #expect(
            EscalationReview(actionID: 99, account: account, planner: ladderPlanner, asOf: day("2026-01-26")) == nil)
    }

    @Test func anOfferIsTheShareOfTheOpenTotalRoundedOnceHalfToEven() {
        // 90 % of 1,234.55 is 1,111.095: half to even gives 1,111.10.
        let offer = SettlementOffer(
            shareBasisPoints: 9000, validDays: 14, open: [euros(1000_00), euros(234_55)], on: day("2026-03-02"))
        #expect(offer?.amount == euros(1111_10))
        #expect(offer?.deadline == day("2026-03-16"))
        // One offer is one amount: invoices in two currencies get none.
        let pounds = Money(minorUnits: 100_00, currency: Currency(code: "GBP")!)
        #expect(
            SettlementOffer(
                shareBasisPoints: 9000, validDays: 14, open: [euros(100_00), pounds], on: day("2026-03-02")) == nil)
    }

    @Test func aDisputeAgesUntilItIsResolved() {
        let open = Dispute(id: "D1", invoiceNumber: "INV-1", openedOn: day("2026-03-02"), reason: "price")
        #expect(open.age(on: day("2026-03-12")) == 10)
        var resolved = open
        resolved.resolvedOn = day("2026-03-05")
        #expect(resolved.age(on: day("2026-03-12")) == 3)
    }
}
