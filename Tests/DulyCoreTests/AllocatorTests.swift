import DulyCore
import Testing

@Suite("Allocator and invoice balances")
struct AllocatorTests {
    private let euro = Currency(code: "EUR")!
    private let dollar = Currency(code: "USD")!

    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    private func cents(_ minorUnits: Int, _ currency: Currency? = nil) -> Money {
        Money(minorUnits: minorUnits, currency: currency ?? euro)
    }

    private func invoice(
        _ number: String, customer: String = "C1", issued: String = "2026-01-01", due: String, total: Int,
        currency: Currency? = nil
    ) throws -> Invoice {
        Invoice(
            number: number, customerID: customer, issueDate: try date(issued), dueDate: try date(due),
            total: cents(total, currency))
    }

    private func balance(_ invoice: Invoice, paid: Int = 0, credited: Int = 0) -> InvoiceBalance {
        InvoiceBalance(
            invoice: invoice, paid: cents(paid, invoice.currency), credited: cents(credited, invoice.currency))
    }

    private func payment(
        _ amount: Int, customer: String = "C1", naming invoiceNumber: String? = nil, currency: Currency? = nil
    ) throws -> Payment {
        Payment(
            id: "P1", customerID: customer, date: try date("2026-03-10"), amount: cents(amount, currency),
            invoiceNumber: invoiceNumber)
    }

    /// The allocations as (invoice, minor units), in the order made.
    private func split(_ allocations: [Allocation]) -> [Split] {
        allocations.map { Split(invoice: $0.invoiceNumber, cents: $0.amount.minorUnits) }
    }

    private struct Split: Equatable, CustomStringConvertible {
        var invoice: String
        var cents: Int
        var description: String { "\(invoice): \(cents)" }
    }

    // MARK: - Order

    @Test func aNamedInvoiceIsPaidFirstEvenWhenOthersAreOlder() throws {
        // Given an old invoice and a newer one the payer names
        let old = try invoice("INV-1", due: "2026-01-31", total: 10_000)
        let new = try invoice("INV-2", due: "2026-03-31", total: 5000)
        // When 60.00 arrives naming the newer one
        let result = Allocator.allocate(
            try payment(6000, naming: "INV-2"), to: [balance(old), balance(new)])
        // Then the named invoice is paid in full and the rest goes to the older one
        #expect(
            split(result.allocations) == [Split(invoice: "INV-2", cents: 5000), Split(invoice: "INV-1", cents: 1000)])
        #expect(result.unallocated.isZero)
    }

    @Test func withoutANameTheEarliestDueDateIsPaidFirst() throws {
        let later = try invoice("INV-A", issued: "2025-12-01", due: "2026-02-28", total: 3000)
        let sooner = try invoice("INV-Z", issued: "2026-01-15", due: "2026-02-14", total: 3000)
        let result = Allocator.allocate(try payment(4000), to: [balance(later), balance(sooner)])
        #expect(
            split(result.allocations) == [Split(invoice: "INV-Z", cents: 3000), Split(invoice: "INV-A", cents: 1000)])
    }

    @Test func onTheSameDueDateTheEarlierIssueDateIsPaidFirst() throws {
        let issuedLater = try invoice("INV-A", issued: "2026-01-20", due: "2026-02-28", total: 3000)
        let issuedEarlier = try invoice("INV-Z", issued: "2026-01-10", due: "2026-02-28", total: 3000)
        let result = Allocator.allocate(try payment(3000), to: [balance(issuedLater), balance(issuedEarlier)])
        #expect(split(result.allocations) == [Split(invoice: "INV-Z", cents: 3000)])
    }

    @Test func onTheSameDatesTheLowerInvoiceNumberIsPaidFirst() throws {
        let b = try invoice("INV-B", due: "2026-02-28", total: 1000)
        let c = try invoice("INV-C", due: "2026-02-28", total: 1000)
        let a = try invoice("INV-A", due: "2026-02-28", total: 1000)
        let result = Allocator.allocate(try payment(2500), to: [balance(b), balance(c), balance(a)])
        #expect(
            split(result.allocations) == [
                Split(invoice: "INV-A", cents: 1000), Split(invoice: "INV-B", cents: 1000),
                Split(invoice: "INV-C", cents: 500),
            ])
    }

    @Test func aNameThatMatchesNoOpenInvoiceFallsBackToOldestFirst() throws {
        let first = try invoice("INV-1", due: "2026-01-31", total: 1000)
        let result = Allocator.allocate(try payment(500, naming: "INV-404"), to: [balance(first)])
        #expect(split(result.allocations) == [Split(invoice: "INV-1", cents: 500)])
    }

    // MARK: - Amounts

    @Test func aPartialPaymentReducesTheOpenAmountOfOneInvoice() throws {
        let only = try invoice("INV-1", due: "2026-01-31", total: 10_000)
        let partlyPaid = balance(only, paid: 2500)
        let result = Allocator.allocate(try payment(3000), to: [partlyPaid])
        #expect(split(result.allocations) == [Split(invoice: "INV-1", cents: 3000)])
        #expect(result.unallocated.isZero)
        let after = InvoiceBalance(invoice: only, paid: cents(5500))
        #expect(after.open == cents(4500))
        #expect(!after.isClosed)
        #expect(after.endState == nil)
    }

    @Test func anAllocationTakesOnlyWhatIsStillOpen() throws {
        let only = try invoice("INV-1", due: "2026-01-31", total: 10_000)
        let result = Allocator.allocate(try payment(10_000), to: [balance(only, paid: 4000, credited: 1000)])
        #expect(split(result.allocations) == [Split(invoice: "INV-1", cents: 5000)])
        #expect(result.unallocated == cents(5000))
    }

    @Test func anOverPaymentLeavesTheRestUnallocated() throws {
        let one = try invoice("INV-1", due: "2026-01-31", total: 1000)
        let two = try invoice("INV-2", due: "2026-02-28", total: 2000)
        let result = Allocator.allocate(try payment(5000), to: [balance(one), balance(two)])
        #expect(
            split(result.allocations) == [Split(invoice: "INV-1", cents: 1000), Split(invoice: "INV-2", cents: 2000)])
        #expect(result.unallocated == cents(2000))
    }

    @Test func allocationsCarryThePaymentAndItsDate() throws {
        let one = try invoice("INV-1", due: "2026-01-31", total: 1000)
        let result = Allocator.allocate(try payment(1000), to: [balance(one)])
        let allocation = try #require(result.allocations.first)
        #expect(allocation.paymentID == "P1")
        #expect(allocation.date == (try date("2026-03-10")))
        #expect(allocation.amount.currency == euro)
    }

    @Test func aPaymentWithNoOpenInvoicesIsAllUnallocated() throws {
        let result = Allocator.allocate(try payment(1234), to: [])
        #expect(result.allocations.isEmpty)
        #expect(result.unallocated == cents(1234))
    }

    // MARK: - What takes no part

    @Test func invoicesInAnotherCurrencyAreLeftUntouched() throws {
        let inDollars = try invoice("INV-USD", due: "2026-01-01", total: 1000, currency: dollar)
        let inEuros = try invoice("INV-EUR", due: "2026-02-01", total: 1000)
        let result = Allocator.allocate(try payment(1500), to: [balance(inDollars), balance(inEuros)])
        #expect(split(result.allocations) == [Split(invoice: "INV-EUR", cents: 1000)])
        #expect(result.unallocated == cents(500))
    }

    @Test func aPaymentNamingAnInvoiceInAnotherCurrencyDoesNotTouchIt() throws {
        let inDollars = try invoice("INV-USD", due: "2026-01-01", total: 1000, currency: dollar)
        let result = Allocator.allocate(try payment(1000, naming: "INV-USD"), to: [balance(inDollars)])
        #expect(result.allocations.isEmpty)
        #expect(result.unallocated == cents(1000))
    }

    @Test func anotherCustomersInvoicesAreLeftUntouched() throws {
        let theirs = try invoice("INV-9", customer: "C2", due: "2026-01-01", total: 1000)
        let ours = try invoice("INV-1", due: "2026-02-01", total: 1000)
        let result = Allocator.allocate(
            try payment(2000, naming: "INV-9"), to: [balance(theirs), balance(ours)])
        #expect(split(result.allocations) == [Split(invoice: "INV-1", cents: 1000)])
        #expect(result.unallocated == cents(1000))
    }

    @Test func closedInvoicesAreSkipped() throws {
        let paid = try invoice("INV-1", due: "2026-01-01", total: 1000)
        let credited = try invoice("INV-2", due: "2026-01-02", total: 1000)
        let open = try invoice("INV-3", due: "2026-01-03", total: 1000)
        let result = Allocator.allocate(
            try payment(1000, naming: "INV-1"),
            to: [balance(paid, paid: 1000), balance(credited, credited: 1000), balance(open)])
        #expect(split(result.allocations) == [Split(invoice: "INV-3", cents: 1000)])
        #expect(result.unallocated.isZero)
    }

    @Test(arguments: [0, -500])
    func aPaymentOfNothingOrLessAllocatesNothing(amount: Int) throws {
        let open = try invoice("INV-1", due: "2026-01-01", total: 1000)
        let result = Allocator.allocate(try payment(amount), to: [balance(open)])
        #expect(result.allocations.isEmpty)
        #expect(result.unallocated == cents(amount))
    }

    // MARK: - Balances

    @Test(arguments: [
        // (paid, credited, open)
        (0, 0, 10_000), (2500, 0, 7500), (0, 2500, 7500), (2500, 2500, 5000), (10_000, 0, 0), (12_000, 0, 0),
        (0, 15_000, 0), (6000, 6000, 0),
    ])
    func openIsWhatRemainsAndNeverNegative(paid: Int, credited: Int, open: Int) throws {
        let issued = try invoice("INV-1", due: "2026-01-31", total: 10_000)
        let state = balance(issued, paid: paid, credited: credited)
        #expect(state.open == cents(open))
        #expect(state.open.minorUnits >= 0)
        #expect(state.isClosed == (open == 0))
    }

    @Test func aNewBalanceStartsWithNothingPaidOrCredited() throws {
        let issued = try invoice("INV-1", due: "2026-01-31", total: 100, currency: Currency(code: "JPY"))
        let state = InvoiceBalance(invoice: issued)
        #expect(state.paid.isZero && state.paid.currency.code == "JPY")
        #expect(state.credited.isZero && state.credited.currency.code == "JPY")
        #expect(state.open == issued.total)
    }

    @Test(arguments: [
        // (paid, credited, end state)
        (10_000, 0, EndState?.some(.paid)), (12_000, 0, .paid), (7000, 3000, .paid), (0, 10_000, .credited),
        (0, 11_000, .credited), (500, 10_000, .credited), (5000, 0, nil), (0, 9999, nil),
    ])
    func aClosedInvoiceEndsPaidOrCredited(paid: Int, credited: Int, endState: EndState?) throws {
        let issued = try invoice("INV-1", due: "2026-01-31", total: 10_000)
        #expect(balance(issued, paid: paid, credited: credited).endState == endState)
    }
}
