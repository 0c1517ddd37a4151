import DulyCore
import Testing

// Issue 9, items 7, 10 and 15: the rules behind what the commands refuse, warn about and print, one per test.

@Suite("Commitments that cannot be recorded")
struct CommitmentRulesTests {
    let eur = Currency(code: "EUR")!

    func euros(_ text: String) -> Money { try! Money(parsing: text, currency: eur) }

    @Test func aPromiseDatedBeforeItsRecordingDayIsRefused() {
        let problems = CommitmentRules.problems(
            promising: euros("50.00"), by: day("2026-03-01"), recordedOn: day("2026-03-02"), open: euros("100.00"),
            invoiceNumbers: ["INV-1"])
        #expect(
            problems == [.promiseDatedBeforeRecording(promisedDate: day("2026-03-01"), recordedOn: day("2026-03-02"))])
    }

    @Test func aPromiseOfMoreThanIsOpenIsRefused() {
        let problems = CommitmentRules.problems(
            promising: euros("100.01"), by: day("2026-03-09"), recordedOn: day("2026-03-02"), open: euros("100.00"),
            invoiceNumbers: ["INV-1"])
        #expect(
            problems == [
                .promiseExceedsOpen(promised: euros("100.01"), open: euros("100.00"), invoiceNumbers: ["INV-1"])
            ])
    }

    @Test func aPromiseOfAllThatIsOpenForTodayIsFine() {
        #expect(
            CommitmentRules.problems(
                promising: euros("100.00"), by: day("2026-03-02"), recordedOn: day("2026-03-02"),
                open: euros("100.00"), invoiceNumbers: ["INV-1"]
            ).isEmpty)
    }

    @Test func aDisputeOfMoreThanIsOpenIsRefused() {
        #expect(
            CommitmentRules.problems(disputing: euros("180.00"), of: "INV-1", open: euros("100.00"))
                == [.disputeExceedsOpen(disputed: euros("180.00"), open: euros("100.00"), invoiceNumber: "INV-1")])
    }

    @Test func aNegativeAmountIsRefusedAsNotPositive() {
        #expect(
            CommitmentRules.problems(disputing: euros("-1.00"), of: "INV-1", open: euros("100.00"))
                == [.amountNotPositive(euros("-1.00"))])
        #expect(CommitmentError.amountNotPositive(euros("-1.00")).description.hasPrefix("the amount must be positive"))
    }
}

@Suite("Missing reference rates")
struct MissingReferenceRateTests {
    func invoice(_ number: String, due: String) -> Invoice {
        Invoice(
            number: number, customerID: "C1", issueDate: day(due).adding(days: -30), dueDate: day(due),
            total: Money(minorUnits: 100_00, currency: Currency(code: "EUR")!))
    }

    @Test func aPerHalfYearClaimNeedsEveryHalfYearUpToTheDate() {
        let missing = InterestCalculator.missingRates(
            for: [invoice("INV-1", due: "2026-05-31")], regime: .netherlands, rates: .builtIn,
            through: day("2026-07-06"))
        #expect(missing.map(\.halfYear) == [HalfYear(year: 2026, half: 2)])
        #expect(missing.first?.rateFileLine == "ECB,2026-07-01,RATE")
        #expect(missing.first?.invoiceNumbers == ["INV-1"])
    }

    @Test func aClaimFixedAtItsStartNeedsOnlyThatHalfYear() {
        // UK: the rate of the half-year interest starts in (2026 H1) stays for the debt.
        #expect(
            InterestCalculator.missingRates(
                for: [invoice("INV-1", due: "2026-05-31")], regime: .unitedKingdom, rates: .builtIn,
                through: day("2026-09-01")
            ).isEmpty)
    }

    @Test func anInvoiceNotYetLateNeedsNoRate() {
        #expect(
            InterestCalculator.missingRates(
                for: [invoice("INV-1", due: "2026-08-31")], regime: .netherlands, rates: .builtIn,
                through: day("2026-08-31")
            ).isEmpty)
    }

    @Test func aContractualRateNeedsNoReferenceRate() {
        #expect(
            InterestCalculator.missingRates(
                for: [invoice("INV-1", due: "2026-05-31")], regime: .netherlands, rates: .builtIn,
                contractualRate: AnnualRate(percent: "8"), through: day("2026-09-01")
            ).isEmpty)
    }
}

@Suite("Words and order for people")
struct WordingTests {
    @Test func countsOfOneAreSingular() {
        #expect(counted(1, "action") == "1 action")
        #expect(counted(2, "action") == "2 actions")
        #expect(counted(0, "invoice") == "0 invoices")
        #expect(counted(3, "entry") == "3 entries")
        #expect(counted(2, "day") == "2 days")
        #expect(counted(2, "not booked", plural: "not booked") == "2 not booked")
    }

    @Test func invoiceNumbersSortNaturally() {
        let sorted = ["F-10", "F-4", "F-9", "F-100", "E-20"].sorted(by: NaturalOrder.precedes)
        #expect(sorted == ["E-20", "F-4", "F-9", "F-10", "F-100"])
        #expect(NaturalOrder.precedes("INV-2026-9", "INV-2026-10"))
        #expect(!NaturalOrder.precedes("F-10", "F-10"))
    }

    @Test func ceiBelowZeroIsExplained() {
        let eur = Currency(code: "EUR")!
        let caveat = KPIFormulas.collectionEffectivenessCaveat(
            beginning: .zero(eur), creditSales: Money(minorUnits: 300_00, currency: eur), months: 3,
            endingTotal: Money(minorUnits: 300_00, currency: eur), endingCurrent: .zero(eur))
        #expect(caveat?.hasPrefix("below 0 %") == true)
    }

    @Test func ceiWithinTheRangeNeedsNoExplanation() {
        let eur = Currency(code: "EUR")!
        #expect(
            KPIFormulas.collectionEffectivenessCaveat(
                beginning: Money(minorUnits: 100_00, currency: eur),
                creditSales: Money(minorUnits: 300_00, currency: eur),
                months: 1, endingTotal: Money(minorUnits: 150_00, currency: eur),
                endingCurrent: Money(minorUnits: 100_00, currency: eur)) == nil)
    }

    @Test func theTimelineReadsByDateAndInWords() {
        let planned = TimelineEntry(
            after: nil, customerID: "C1", date: day("2026-03-09"), recordedAt: "2026-03-09T08:00:00Z",
            kind: "action_planned", summary: "Planned first_follow_up by email for INV-1",
            details: ["action": "7", "step": "first_follow_up", "channel": "email", "invoices": "INV-1"])
        let sent = TimelineEntry(
            after: planned, customerID: "C1", date: day("2026-03-09"), recordedAt: "2026-03-09T09:00:00Z",
            kind: "action_sent", summary: "Action 7 sent", details: ["action": "7", "status": "sent"])
        let payment = TimelineEntry(
            after: sent, customerID: "C1", date: day("2026-03-05"), recordedAt: "2026-03-10T09:00:00Z",
            kind: "payment_recorded", summary: "Payment PAY-1 of EUR 10.00 received 2026-03-05")
        let entries = [planned, sent, payment]
        #expect(TimelineNarrative.byDate(entries).map(\.sequence) == [3, 1, 2])
        let words = TimelineNarrative.sentences(entries)
        #expect(words[1] == "Planned first follow up by email for INV-1")
        #expect(words[2] == "First follow up for INV-1 by email: sent")
        #expect(words[3] == payment.summary)
    }
}
