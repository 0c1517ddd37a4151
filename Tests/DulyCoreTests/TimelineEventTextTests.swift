import DulyCore
import Testing

/// What timeline entries say in words and details: a collector reads them, and an evidence pack quotes them.
@Suite struct TimelineEventTextTests {
    static let day = LocalDate(iso: "2026-03-10")!

    static func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: Currency(code: "EUR")!) }

    static let received = [
        PaymentReceived(
            payment: Payment(id: "P1", customerID: "C1", date: day, amount: euros(30_00)),
            allocations: [Allocation(paymentID: "P1", invoiceNumber: "INV-1", amount: euros(30_00), date: day)],
            unallocated: euros(0)),
        PaymentReceived(
            payment: Payment(id: "P2", customerID: "C1", date: day.adding(days: 1), amount: euros(80_00)),
            allocations: [
                Allocation(paymentID: "P2", invoiceNumber: "INV-1", amount: euros(20_00), date: day),
                Allocation(paymentID: "P2", invoiceNumber: "INV-2", amount: euros(50_00), date: day),
            ],
            unallocated: euros(10_00)),
    ]

    @Test func severalPaymentsOfOneImportReadAsEachPaymentsOwnEntryWouldInTheOrderReceived() {
        let entry = TimelineEvent.paymentsRecorded(customerID: "C1", Self.received, on: Self.day)
        let alone = Self.received.map {
            TimelineEvent.paymentRecorded($0.payment, allocations: $0.allocations, unallocated: $0.unallocated)
        }
        #expect(entry.summary == "2 payments: " + alone.map(\.summary).joined(separator: "; "))
        #expect(alone[0].summary == "Payment P1 of EUR 30.00 received 2026-03-10, applied to INV-1 (30.00)")
        #expect(
            alone[1].summary
                == "Payment P2 of EUR 80.00 received 2026-03-11, applied to INV-1 (20.00), INV-2 (50.00); "
                + "EUR 10.00 left as a credit")
    }

    @Test func severalPaymentsOfOneImportListEachShareWithItsPaymentInTheDetails() {
        let entry = TimelineEvent.paymentsRecorded(customerID: "C1", Self.received, on: Self.day)
        #expect(
            entry.details == [
                "payments": "P1,P2", "count": "2", "allocations": "P1:INV-1=30.00,P2:INV-1=20.00,P2:INV-2=50.00",
            ])
        #expect(entry.sortedDetails.map(\.key) == ["allocations", "count", "payments"])
    }
}
