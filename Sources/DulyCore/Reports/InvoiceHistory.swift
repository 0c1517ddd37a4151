/// An invoice with every dated change to what is owed on it, so that reports can tell the receivables at the end of
/// any past day: the invoice's total once issued, less the allocations and credit notes dated by then.
public struct InvoiceHistory: Hashable, Sendable {
    public var invoice: Invoice
    /// Money applied to it, each dated with its payment's date.
    public var allocations: [Allocation]
    public var creditNotes: [CreditNote]

    public init(invoice: Invoice, allocations: [Allocation] = [], creditNotes: [CreditNote] = []) {
        self.invoice = invoice
        self.allocations = allocations
        self.creditNotes = creditNotes
    }

    /// Paid on it by the end of `date` (everything when nil).
    public func paid(by date: LocalDate? = nil) -> Money {
        allocations.reduce(.zero(invoice.currency)) { sum, allocation in
            date.map { allocation.date <= $0 } ?? true ? sum + allocation.amount : sum
        }
    }

    /// Credited on it by the end of `date` (everything when nil).
    public func credited(by date: LocalDate? = nil) -> Money {
        creditNotes.reduce(.zero(invoice.currency)) { sum, note in
            date.map { note.date <= $0 } ?? true ? sum + note.amount : sum
        }
    }

    /// The invoice's balance at the end of `date` (today's when nil).
    ///
    /// Before its issue date an invoice is not yet a receivable: its balance then shows it fully settled, so that
    /// it is neither open nor aged.
    public func balance(on date: LocalDate? = nil) -> InvoiceBalance {
        if let date, date < invoice.issueDate {
            return InvoiceBalance(invoice: invoice, paid: invoice.total)
        }
        return InvoiceBalance(invoice: invoice, paid: paid(by: date), credited: credited(by: date))
    }

    /// What was owed on it at the end of `date`: zero before it was issued, never below zero.
    public func open(on date: LocalDate) -> Money { balance(on: date).open }
}

/// Receives invoice histories one at a time, so that a report over a million invoices never holds them all.
public protocol InvoiceHistoryConsumer {
    /// Takes one more invoice into account.
    mutating func add(_ history: InvoiceHistory)
}
