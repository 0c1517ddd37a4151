import DulyCore
import Testing

/// What closing a dispute books against its invoice: one rule per outcome.
@Suite struct DisputeResolutionTests {
    let euro = Currency(code: "EUR")!
    func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }
    let day = LocalDate(iso: "2026-03-10")!

    // INV-8: 500.00, of which 100.00 was paid, so 400.00 open.
    var balance: InvoiceBalance {
        InvoiceBalance(
            invoice: Invoice(
                number: "INV-8", customerID: "C1", issueDate: LocalDate(iso: "2026-02-01")!,
                dueDate: LocalDate(iso: "2026-03-01")!, total: euros(500_00)),
            paid: euros(100_00))
    }

    func dispute(part: Money? = nil) -> Dispute {
        Dispute(
            id: "DSP-INV-8-2026-03-02", invoiceNumber: "INV-8", openedOn: LocalDate(iso: "2026-03-02")!,
            reason: "scratched", amount: part)
    }

    @Test func anUpheldDisputeCreditsTheDisputedPart() throws {
        let credit = try #require(
            try dispute(part: euros(120_00)).resolution(
                .upheld, balance: balance, agreedAmount: nil, note: "two panels scratched", approvedBy: nil, on: day))
        #expect(credit.amount == euros(120_00))
        #expect(credit.kind == .creditNote)
        #expect(credit.id == "dispute-DSP-INV-8-2026-03-02")
        #expect(credit.reason == "two panels scratched")
    }

    @Test func anUpheldDisputeOfTheWholeInvoiceCreditsWhatIsOpenAndNeverMore() throws {
        let whole = try dispute().resolution(
            .upheld, balance: balance, agreedAmount: nil, note: nil, approvedBy: nil, on: day)
        #expect(whole?.amount == euros(400_00))
        let tooMuch = try dispute(part: euros(450_00)).resolution(
            .upheld, balance: balance, agreedAmount: nil, note: nil, approvedBy: nil, on: day)
        #expect(tooMuch?.amount == euros(400_00))
    }

    @Test func aSettledDisputeWaivesTheOpenAmountLessTheAgreedOneWithItsApproval() throws {
        let settlement = try #require(
            try dispute().resolution(
                .settled, balance: balance, agreedAmount: euros(300_00), note: nil, approvedBy: "mia", on: day))
        #expect(settlement.amount == euros(100_00))
        #expect(settlement.kind == .settlement)
        #expect(settlement.approvedBy == "mia")
    }

    @Test(arguments: [nil, 400_00, 500_00])
    func aSettlementNeedsAnAgreedAmountBelowWhatIsOpen(agreed: Int?) {
        #expect(
            throws: DisputeResolutionError.agreedAmountOutOfRange(
                disputeID: "DSP-INV-8-2026-03-02", open: euros(400_00))
        ) {
            _ = try dispute().resolution(
                .settled, balance: balance, agreedAmount: agreed.map(euros), note: nil, approvedBy: "mia", on: day)
        }
    }

    @Test func aRejectedDisputeBooksNothing() throws {
        #expect(
            try dispute(part: euros(120_00)).resolution(
                .rejected, balance: balance, agreedAmount: nil, note: nil, approvedBy: nil, on: day) == nil)
    }
}
