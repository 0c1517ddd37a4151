extension Invoice {
    /// What is wrong with an invoice's own fields, whichever way it came in (a CSV row, a UBL file, the API, a
    /// store's write): the one list of rules every way in checks.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// No invoice number.
        case noNumber
        /// A total below zero (a credit is a credit note, not an invoice).
        case negativeTotal(Money)
        /// Due before it was issued.
        case dueBeforeIssue(due: LocalDate, issued: LocalDate)

        /// The field at fault, as Duly's CSV format names it.
        public var field: String {
            switch self {
            case .noNumber: "invoice_number"
            case .negativeTotal: "total"
            case .dueBeforeIssue: "due_date"
            }
        }

        public var description: String {
            switch self {
            case .noNumber: "an invoice needs a number"
            case .negativeTotal(let total): "the total cannot be negative (\(total)); a credit is a credit note"
            case .dueBeforeIssue(let due, let issued): "\(due) is before the issue date \(issued)"
            }
        }
    }

    /// The problem of a due date against the issue date, if any (for readers that know the two before the
    /// invoice is whole).
    public static func problem(due: LocalDate, issued: LocalDate) -> Problem? {
        due < issued ? .dueBeforeIssue(due: due, issued: issued) : nil
    }

    /// Every problem of the invoice's own fields, in the order of its columns; empty when it may be stored.
    public var problems: [Problem] {
        var found: [Problem] = []
        if number.isEmpty { found.append(.noNumber) }
        if let late = Invoice.problem(due: dueDate, issued: issueDate) { found.append(late) }
        if total.minorUnits < 0 { found.append(.negativeTotal(total)) }
        return found
    }
}
