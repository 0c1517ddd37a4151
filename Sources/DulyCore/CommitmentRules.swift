/// Why a promise or a dispute cannot be recorded as given: each case carries what the person needs to correct it.
public enum CommitmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An amount of zero or less (`--amount -100.00`).
    case amountNotPositive(Money)
    /// A promise whose date is before the day it is recorded: it would be broken the moment it exists.
    case promiseDatedBeforeRecording(promisedDate: LocalDate, recordedOn: LocalDate)
    /// A promise of more than is open on the invoices it covers.
    case promiseExceedsOpen(promised: Money, open: Money, invoiceNumbers: [String])
    /// A dispute of more than is open on its invoice.
    case disputeExceedsOpen(disputed: Money, open: Money, invoiceNumber: String)
    /// A dispute on an invoice with nothing open.
    case nothingOpenToDispute(invoiceNumber: String)

    public var description: String {
        switch self {
        case .amountNotPositive(let amount):
            return "the amount must be positive (\(amount) given)"
        case .promiseDatedBeforeRecording(let promisedDate, let recordedOn):
            return "the promised date \(promisedDate) is before \(recordedOn), the day it is recorded: a promise is "
                + "for a day to come; give the date the client named, from \(recordedOn) on"
        case .promiseExceedsOpen(let promised, let open, let numbers):
            return "the promise of \(promised) is more than the \(open) open on \(numbers.joined(separator: ", ")): "
                + "promise at most what is open"
        case .disputeExceedsOpen(let disputed, let open, let number):
            return "the dispute of \(disputed) is more than the \(open) open on \(number): dispute at most what is "
                + "open, or leave out --amount to dispute the whole of it"
        case .nothingOpenToDispute(let number):
            return "nothing is open on \(number): there is nothing left to dispute"
        }
    }
}

/// The rules a promise or a dispute must meet before it is recorded, for every way in (the command line, and later
/// the server), as pure checks on the values the caller read.
public enum CommitmentRules {
    /// What is wrong with a promise of `amount` by `promisedDate`, recorded on `recordedOn` over invoices with `open`
    /// in all (in the promise's currency); empty when it may be recorded.
    public static func problems(
        promising amount: Money, by promisedDate: LocalDate, recordedOn: LocalDate, open: Money,
        invoiceNumbers: [String]
    ) -> [CommitmentError] {
        var problems: [CommitmentError] = []
        if amount.minorUnits <= 0 { problems.append(.amountNotPositive(amount)) }
        if promisedDate < recordedOn {
            problems.append(.promiseDatedBeforeRecording(promisedDate: promisedDate, recordedOn: recordedOn))
        }
        if amount.currency == open.currency, amount.minorUnits > open.minorUnits {
            problems.append(.promiseExceedsOpen(promised: amount, open: open, invoiceNumbers: invoiceNumbers))
        }
        return problems
    }

    /// What is wrong with disputing `amount` (nil: the whole of it) of an invoice with `open` left; empty when it
    /// may be recorded.
    public static func problems(disputing amount: Money?, of invoiceNumber: String, open: Money) -> [CommitmentError] {
        guard let amount else {
            return open.minorUnits > 0 ? [] : [.nothingOpenToDispute(invoiceNumber: invoiceNumber)]
        }
        if amount.minorUnits <= 0 { return [.amountNotPositive(amount)] }
        if amount.currency == open.currency, amount.minorUnits > open.minorUnits {
            return [.disputeExceedsOpen(disputed: amount, open: open, invoiceNumber: invoiceNumber)]
        }
        return []
    }
}
