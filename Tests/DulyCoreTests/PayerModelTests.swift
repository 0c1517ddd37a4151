import DulyCore
import Testing

/// Each kind of simulated client answers contacts as README.md ("The default playbook") says it does.
@Suite struct PayerModelTests {
    let due = day("2026-03-02")

    func payer(_ kind: PayerKind) -> PayerMemory { PayerMemory(kind: kind, dueDate: due, disputeDays: 12) }

    @Test func aPromptPayerPaysOnItsOwnBeforeTheDueDateAndAnswersNothing() {
        var prompt = payer(.prompt)
        #expect(prompt.ownPayment(earlyDays: 2) == due.adding(days: -2))
        #expect(prompt.answer(.reminder, on: due) == nil)
        var forgetful = payer(.forgetful)
        #expect(forgetful.ownPayment(earlyDays: 2) == nil)
    }

    @Test func aForgetfulPayerPaysTheDayAfterItsFirstReminder() {
        var forgetful = payer(.forgetful)
        #expect(forgetful.answer(.reminder, on: due.adding(days: 3)) == .pays(on: due.adding(days: 4)))
        #expect(forgetful.answer(.reminder, on: due.adding(days: 10)) == nil, "it pays once")
    }

    @Test func aForgetfulPayerForgetsAReminderBeforeTheDueDate() {
        var forgetful = payer(.forgetful)
        #expect(forgetful.answer(.reminder, on: due.adding(days: -7)) == nil)
        #expect(forgetful.answer(.reminder, on: due) == .pays(on: due.adding(days: 1)), "a due-day notice works")
    }

    @Test func aForgetfulPayerPaysAfterAVoicemailToo() {
        var forgetful = payer(.forgetful)
        #expect(forgetful.answer(.call(reached: false), on: due.adding(days: 5)) == .pays(on: due.adding(days: 6)))
    }

    @Test func aSlowPayerPaysThreeDaysAfterACallThatReachesIt() {
        var slow = payer(.slow)
        #expect(slow.answer(.reminder, on: due.adding(days: 3)) == nil)
        #expect(slow.answer(.call(reached: false), on: due.adding(days: 10)) == nil, "a voicemail does nothing")
        #expect(slow.answer(.call(reached: true), on: due.adding(days: 14)) == .pays(on: due.adding(days: 17)))
    }

    @Test func aSlowPayerPaysThreeDaysAfterAnOfferOfASolution() {
        var slow = payer(.slow)
        #expect(slow.answer(.solutionOffer, on: due.adding(days: 21)) == .pays(on: due.adding(days: 24)))
    }

    @Test func aSlowPayerPaysThreeDaysAfterItsFourthReminder() {
        var slow = payer(.slow)
        for week in 1...3 { #expect(slow.answer(.reminder, on: due.adding(days: 7 * week)) == nil) }
        #expect(slow.answer(.reminder, on: due.adding(days: 28)) == .pays(on: due.adding(days: 31)))
    }

    @Test func aSlowPayerPaysFiveDaysAfterAFormalEscalation() {
        var slow = payer(.slow)
        #expect(slow.answer(.escalation, on: due.adding(days: 37)) == .pays(on: due.adding(days: 42)))
    }

    @Test(arguments: [PayerKind.disputerRight, .disputerWrong])
    func aDisputerDisputesOnItsFirstContactAfterTheDueDateOnce(kind: PayerKind) {
        var disputer = payer(kind)
        #expect(disputer.answer(.reminder, on: due.adding(days: -7)) == nil, "not before the due date")
        #expect(
            disputer.answer(.reminder, on: due.adding(days: 3))
                == .disputes(resolvedOn: due.adding(days: 15), upheld: kind == .disputerRight))
        #expect(disputer.answer(.reminder, on: due.adding(days: 10)) == nil)
    }

    @Test func aDisputerDisputesOnlyWhenAContactReachesIt() {
        var disputer = payer(.disputerWrong)
        #expect(disputer.answer(.call(reached: false), on: due.adding(days: 3)) == nil)
        #expect(disputer.answer(.call(reached: true), on: due.adding(days: 4)) != nil)
    }

    @Test func aWrongDisputerPaysFiveDaysAfterItsDisputeIsRejected() {
        var disputer = payer(.disputerWrong)
        _ = disputer.answer(.reminder, on: due.adding(days: 3))
        #expect(disputer.paysOn == due.adding(days: 20))
        var right = payer(.disputerRight)
        _ = right.answer(.reminder, on: due.adding(days: 3))
        #expect(right.paysOn == nil, "a right disputer is credited, never pays")
    }

    @Test func aPromiseKeeperPromisesOnACallThatReachesItAndPaysOnTheDate() {
        var keeper = payer(.promiseKeeper)
        #expect(keeper.answer(.call(reached: false), on: due.adding(days: 5)) == nil)
        #expect(
            keeper.answer(.call(reached: true), on: due.adding(days: 14))
                == .promises(date: due.adding(days: 24), keeps: true))
        #expect(keeper.paysOn == due.adding(days: 24))
    }

    @Test func aPromiserPromisesInWritingOnItsSecondReminder() {
        var keeper = payer(.promiseKeeper)
        #expect(keeper.answer(.reminder, on: due.adding(days: 7)) == nil)
        #expect(
            keeper.answer(.reminder, on: due.adding(days: 14)) == .promises(date: due.adding(days: 24), keeps: true))
    }

    @Test func aPromiseBreakerBreaksItsFirstPromiseAndKeepsTheSecond() {
        var breaker = payer(.promiseBreaker)
        #expect(
            breaker.answer(.call(reached: true), on: due.adding(days: 14))
                == .promises(date: due.adding(days: 24), keeps: false))
        #expect(breaker.paysOn == nil)
        #expect(breaker.answer(.reminder, on: due.adding(days: 21)) == nil, "no second promise while one runs")
        #expect(
            breaker.answer(.reminder, on: due.adding(days: 28)) == .promises(date: due.adding(days: 38), keeps: true))
        #expect(breaker.paysOn == due.adding(days: 38))
    }

    @Test func aNonPayerNeverAnswers() {
        var nonPayer = payer(.nonPayer)
        for contact in [PayerContact.reminder, .call(reached: true), .solutionOffer, .escalation] {
            #expect(nonPayer.answer(contact, on: due.adding(days: 20)) == nil)
        }
    }

    @Test func aThankYouIsNothingToAnswer() {
        var forgetful = payer(.forgetful)
        #expect(forgetful.answer(.courtesy, on: due.adding(days: 3)) == nil)
        #expect(forgetful.contactsAfterDue == 0)
    }

    @Test func theStandardPlaybooksStepsReachTheClientAsWhatTheyAre() throws {
        let standard = Playbook.standard
        #expect(PayerContact(step: try #require(standard.step("first_follow_up")), reached: true) == .reminder)
        #expect(
            PayerContact(step: try #require(standard.step("call_offer_plan")), reached: false)
                == .call(reached: false))
        #expect(PayerContact(step: try #require(standard.step("solution_offer")), reached: true) == .solutionOffer)
        #expect(PayerContact(step: try #require(standard.step("final_notice")), reached: true) == .escalation)
    }
}
