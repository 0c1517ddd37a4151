import DulyCore

/// One customer's payments of an import, allocated in turn against their open invoices: what every backend's payment
/// import writes for the customer (the allocations, the discounts the terms give, one timeline entry, and each
/// invoice's new paid sum), decided once here.
///
/// Each payment sees what the ones before it covered, and an invoice it closed leaves the candidates. An invoice paid
/// inside its discount period for the discounted amount is closed by the discount, booked as a credit note.
public struct CustomerPaymentAllocation: Sendable {
    /// The customer's invoices still open, as the payments so far left them.
    public private(set) var balances: [InvoiceBalance]
    /// What each payment did, in order: the customer's one timeline entry lists them.
    public private(set) var received: [PaymentReceived] = []
    /// The discounts the payments earned, as credit notes to write.
    public private(set) var discounts: [CreditNote] = []
    private var paidHere: [String: (dueDate: LocalDate, minorUnits: Int)] = [:]

    /// Starts from the customer's open invoices.
    public init(openInvoices: [InvoiceBalance]) {
        balances = openInvoices
    }

    /// Allocates one payment, with the notes already found about it against `balances` as they stand, and says what
    /// it did.
    public mutating func allocate(_ payment: Payment, notes: [PaymentOutcome.Note]) -> PaymentOutcome {
        let (paid, unallocated) = Allocator.allocate(payment, to: balances)
        for allocation in paid {
            guard let index = balances.firstIndex(where: { $0.invoice.number == allocation.invoiceNumber }) else {
                continue
            }
            paidHere[allocation.invoiceNumber, default: (balances[index].invoice.dueDate, 0)].minorUnits +=
                allocation.amount.minorUnits
            balances[index].paid = balances[index].paid + allocation.amount
            if let discount = balances[index].discountEarned(paidOn: payment.date) {
                discounts.append(
                    CreditNote(
                        id: "discount-\(payment.id)-\(allocation.invoiceNumber)",
                        invoiceNumber: allocation.invoiceNumber, date: payment.date, amount: discount,
                        kind: .discount, reason: "paid within the discount period of its terms"))
                balances[index].credited = balances[index].credited + discount
            }
            if balances[index].isClosed { balances.remove(at: index) }
        }
        received.append(PaymentReceived(payment: payment, allocations: paid, unallocated: unallocated))
        return PaymentOutcome(
            payment: payment, allocations: paid, credit: unallocated,
            notes: notes + (unallocated.minorUnits > 0 ? [.moreThanOpen] : []))
    }

    /// Each invoice the payments paid, with what they paid on it, by due date then number (the order its cached sum
    /// is updated in).
    public var paidInvoices: [(invoiceNumber: String, dueDate: LocalDate, minorUnits: Int)] {
        paidHere.map { ($0.key, $0.value.dueDate, $0.value.minorUnits) }
            .sorted { ($0.dueDate, $0.invoiceNumber) < ($1.dueDate, $1.invoiceNumber) }
    }
}
