import DulyCore
import Testing

@Suite("Promises to pay")
struct PromiseToPayTests {
    private let euro = Currency(code: "EUR")!
    private let grace = 3

    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    private func receipt(
        _ invoice: String = "INV-1", on day: String, _ cents: Int, in currency: Currency? = nil
    )
        throws -> Receipt
    {
        Receipt(
            invoiceNumber: invoice, date: try date(day), amount: Money(minorUnits: cents, currency: currency ?? euro))
    }

    /// 500.00 on INV-1 and INV-2, promised on 2026-03-02 for 2026-03-10 (grace to 2026-03-13).
    private func promise() throws -> PromiseToPay {
        PromiseToPay(
            id: "PTP-1", invoiceNumbers: ["INV-1", "INV-2"], amount: Money(minorUnits: 50_000, currency: euro),
            promisedDate: try date("2026-03-10"), madeOn: try date("2026-03-02"))
    }

    private func state(on day: String, _ receipts: [Receipt] = []) throws -> CommitmentState {
        try promise().state(on: date(day), graceDays: grace, receipts: receipts)
    }

    @Test(arguments: ["2026-03-02", "2026-03-05", "2026-03-10"])
    func aPromiseIsLiveUntilItsDate(day: String) throws {
        #expect(try state(on: day) == .live)
    }

    @Test(arguments: ["2026-03-11", "2026-03-13"])
    func anUnpaidPromiseStaysLiveWithinTheGraceDays(day: String) throws {
        #expect(try state(on: day) == .live)
    }

    @Test(arguments: ["2026-03-14", "2026-04-30"])
    func anUnpaidPromiseIsBrokenOnceTheGraceDaysAreOver(day: String) throws {
        #expect(try state(on: day) == .broken)
    }

    @Test func aPromiseBreaksOnTheFirstDayPastTheGrace() throws {
        #expect(try promise().brokenOn(graceDays: grace) == date("2026-03-14"))
        #expect(try promise().brokenOn(graceDays: 0) == date("2026-03-11"))
    }

    @Test func aPromiseMadeAfterTheDateAskedAboutIsLive() throws {
        #expect(try state(on: "2026-03-01") == .live)
    }

    @Test func theExactAmountKeepsThePromise() throws {
        let receipts = [try receipt(on: "2026-03-09", 50_000)]
        #expect(try state(on: "2026-03-09", receipts) == .kept)
        #expect(try state(on: "2026-03-20", receipts) == .kept)
    }

    @Test func partialReceiptsOnThePromisedInvoicesAddUp() throws {
        // Given three receipts across both invoices that together reach 500.00
        let receipts = [
            try receipt("INV-1", on: "2026-03-03", 20_000), try receipt("INV-2", on: "2026-03-08", 10_000),
            try receipt("INV-1", on: "2026-03-12", 20_000),
        ]
        // Then the promise is live until the last one lands, inside the grace, and kept from then on
        #expect(try state(on: "2026-03-11", receipts) == .live)
        #expect(try state(on: "2026-03-12", receipts) == .kept)
        #expect(try state(on: "2026-03-30", receipts) == .kept)
    }

    @Test func aLargerReceiptKeepsThePromise() throws {
        #expect(try state(on: "2026-03-10", [receipt(on: "2026-03-10", 60_000)]) == .kept)
    }

    @Test func partialReceiptsShortOfTheAmountBreakThePromiseAfterTheGrace() throws {
        let receipts = [try receipt(on: "2026-03-05", 30_000), try receipt("INV-2", on: "2026-03-13", 19_999)]
        #expect(try state(on: "2026-03-13", receipts) == .live)
        #expect(try state(on: "2026-03-14", receipts) == .broken)
    }

    @Test func aReceiptOnTheLastGraceDayCountsButTheDayAfterDoesNot() throws {
        #expect(try state(on: "2026-03-20", [receipt(on: "2026-03-13", 50_000)]) == .kept)
        #expect(try state(on: "2026-03-20", [receipt(on: "2026-03-14", 50_000)]) == .broken)
    }

    @Test func receiptsBeforeThePromiseWasMadeDoNotCount() throws {
        let receipts = [try receipt(on: "2026-03-01", 50_000), try receipt(on: "2026-02-15", 50_000)]
        #expect(try state(on: "2026-03-14", receipts) == .broken)
        #expect(try state(on: "2026-03-14", [receipt(on: "2026-03-02", 50_000)]) == .kept)
    }

    @Test func receiptsForOtherInvoicesDoNotCount() throws {
        let receipts = [try receipt("INV-3", on: "2026-03-05", 50_000)]
        #expect(try state(on: "2026-03-10", receipts) == .live)
        #expect(try state(on: "2026-03-14", receipts) == .broken)
    }

    @Test func receiptsInAnotherCurrencyDoNotCount() throws {
        let receipts = [try receipt(on: "2026-03-05", 50_000, in: Currency(code: "USD"))]
        #expect(try state(on: "2026-03-14", receipts) == .broken)
    }

    @Test func receiptsAfterTheDateAskedAboutDoNotCountYet() throws {
        let receipts = [try receipt(on: "2026-03-09", 50_000)]
        #expect(try state(on: "2026-03-08", receipts) == .live)
    }
}

@Suite("Payment plans")
struct PaymentPlanTests {
    private let euro = Currency(code: "EUR")!
    private let grace = 3

    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    private func receipt(_ invoice: String = "INV-1", on day: String, _ cents: Int) throws -> Receipt {
        Receipt(invoiceNumber: invoice, date: try date(day), amount: Money(minorUnits: cents, currency: euro))
    }

    /// Three instalments of 100.00 on INV-1 and INV-2, due 03-01, 04-01 and 05-01, accepted 02-15.
    private func plan(acceptedOn accepted: String? = "2026-02-15") throws -> PaymentPlan {
        PaymentPlan(
            id: "PLAN-1", invoiceNumbers: ["INV-1", "INV-2"],
            instalments: [
                // Listed out of order on purpose: the plan sorts them by date.
                .init(dueDate: try date("2026-04-01"), amount: Money(minorUnits: 10_000, currency: euro)),
                .init(dueDate: try date("2026-03-01"), amount: Money(minorUnits: 10_000, currency: euro)),
                .init(dueDate: try date("2026-05-01"), amount: Money(minorUnits: 10_000, currency: euro)),
            ],
            acceptedOn: try accepted.map { try date($0) })
    }

    private func state(on day: String, _ receipts: [Receipt] = []) throws -> CommitmentState {
        try plan().state(on: date(day), graceDays: grace, receipts: receipts)
    }

    private func brokenOn(_ day: String, _ receipts: [Receipt] = []) throws -> LocalDate? {
        try plan().brokenOn(date: date(day), graceDays: grace, receipts: receipts)
    }

    @Test func instalmentsAreKeptInDateOrder() throws {
        #expect(try plan().instalments.map(\.dueDate.description) == ["2026-03-01", "2026-04-01", "2026-05-01"])
    }

    @Test func aPlanNobodyAcceptedIsBrokenAndPausesNothing() throws {
        let proposed = try plan(acceptedOn: nil)
        let receipts = [try receipt(on: "2026-02-20", 30_000)]
        #expect(try proposed.state(on: date("2026-02-20"), graceDays: grace, receipts: receipts) == .broken)
        #expect(try proposed.brokenOn(date: date("2026-06-01"), graceDays: grace, receipts: []) == nil)
    }

    @Test func aPlanNotYetAcceptedOnTheDateAskedAboutPausesNothing() throws {
        #expect(
            try plan(acceptedOn: "2026-03-01").state(on: date("2026-02-20"), graceDays: grace, receipts: []) == .broken)
    }

    @Test(arguments: ["2026-02-15", "2026-02-28", "2026-03-01", "2026-03-04"])
    func aPlanIsLiveBeforeTheFirstInstalmentIsPastItsGrace(day: String) throws {
        #expect(try state(on: day) == .live)
        #expect(try brokenOn(day) == nil)
    }

    @Test func aPlanStaysLiveWhileEveryPassedInstalmentIsCovered() throws {
        // Given the first two instalments paid on time, partly in two receipts on both invoices
        let receipts = [
            try receipt("INV-1", on: "2026-02-27", 6000), try receipt("INV-2", on: "2026-03-04", 4000),
            try receipt("INV-1", on: "2026-04-03", 10_000),
        ]
        // Then the plan is live up to the last instalment
        for day in ["2026-03-05", "2026-04-01", "2026-04-05", "2026-05-04"] {
            #expect(try state(on: day, receipts) == .live, "\(day)")
            #expect(try brokenOn(day, receipts) == nil, "\(day)")
        }
    }

    @Test func aMissedInstalmentBreaksThePlanOnTheFirstDayPastItsGrace() throws {
        // Given the first instalment paid, the second only half paid
        let receipts = [try receipt(on: "2026-03-01", 10_000), try receipt(on: "2026-04-02", 5000)]
        // Then the plan is live until 04-04 and broken from 04-05, which is when it broke
        #expect(try state(on: "2026-04-04", receipts) == .live)
        #expect(try state(on: "2026-04-05", receipts) == .broken)
        #expect(try brokenOn("2026-04-05", receipts) == date("2026-04-05"))
        #expect(try brokenOn("2026-06-30", receipts) == date("2026-04-05"))
        #expect(try brokenOn("2026-04-04", receipts) == nil)
    }

    @Test func catchingUpAfterTheGraceDoesNotMendABrokenPlan() throws {
        let receipts = [try receipt(on: "2026-03-10", 30_000)]
        #expect(try state(on: "2026-03-05", receipts) == .broken)
        #expect(try state(on: "2026-03-20", receipts) == .broken)
        #expect(try brokenOn("2026-03-20", receipts) == date("2026-03-05"))
    }

    @Test func aPlanPaidInFullIsKept() throws {
        let receipts = [
            try receipt(on: "2026-03-01", 10_000), try receipt("INV-2", on: "2026-04-01", 10_000),
            try receipt(on: "2026-04-28", 10_000),
        ]
        #expect(try state(on: "2026-04-28", receipts) == .kept)
        #expect(try state(on: "2026-06-01", receipts) == .kept)
        #expect(try brokenOn("2026-06-01", receipts) == nil)
    }

    @Test func aPlanPaidInFullUpFrontIsKept() throws {
        let receipts = [try receipt(on: "2026-02-16", 30_000)]
        #expect(try state(on: "2026-02-16", receipts) == .kept)
        #expect(try state(on: "2026-02-15", receipts) == .live)
    }

    @Test func receiptsBeforeAcceptanceOrForOtherInvoicesDoNotCount() throws {
        let receipts = [try receipt(on: "2026-02-14", 10_000), try receipt("INV-3", on: "2026-02-20", 10_000)]
        #expect(try state(on: "2026-03-04", receipts) == .live)
        #expect(try state(on: "2026-03-05", receipts) == .broken)
        #expect(try brokenOn("2026-03-05", receipts) == date("2026-03-05"))
    }
}

@Suite("Disputes")
struct DisputeTests {
    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ("2026-03-09", false), ("2026-03-10", true), ("2026-03-15", true), ("2026-03-19", true),
        ("2026-03-20", false), ("2026-04-01", false),
    ])
    func aResolvedDisputeIsOpenFromItsOpeningUntilTheDayBeforeResolution(day: String, isOpen: Bool) throws {
        let dispute = Dispute(
            id: "D-1", invoiceNumber: "INV-1", openedOn: try date("2026-03-10"), reason: "wrong quantity",
            resolvedOn: try date("2026-03-20"))
        #expect(try dispute.isOpen(on: date(day)) == isOpen)
    }

    @Test(arguments: [("2026-03-09", false), ("2026-03-10", true), ("2030-01-01", true)])
    func anUnresolvedDisputeStaysOpen(day: String, isOpen: Bool) throws {
        let dispute = Dispute(
            id: "D-1", invoiceNumber: "INV-1", openedOn: try date("2026-03-10"), reason: "not delivered",
            amount: Money(minorUnits: 2500, currency: try #require(Currency(code: "EUR"))))
        #expect(try dispute.isOpen(on: date(day)) == isOpen)
    }

    @Test func aDisputeResolvedTheDayItOpenedIsNeverOpen() throws {
        let dispute = Dispute(
            id: "D-1", invoiceNumber: "INV-1", openedOn: try date("2026-03-10"), reason: "duplicate",
            resolvedOn: try date("2026-03-10"))
        #expect(try !dispute.isOpen(on: date("2026-03-10")))
    }
}
