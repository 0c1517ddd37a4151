import DulyCore
import DulyImport
import DulyStore

/// A file checked whole before anything is written: every problem in file order, the rows that do not read and the
/// records the database would refuse together, and what `--skip-invalid` leaves to import.
struct CheckedFile<Record: Sendable> {
    /// The records without a problem, in file order.
    var records: [CSVRecord<Record>]
    /// Every problem, in file order.
    var issues: [ImportIssue]
    /// Data rows read, good and bad.
    var rows: Int
    /// Why rows were invalid, one reason per row (its first problem's), most frequent first.
    var reasons: [(reason: String, rows: Int)]
    /// Problems found but not kept in `issues` (a streamed file keeps the first hundred).
    var moreIssues = 0

    /// Rows with at least one problem.
    var invalidRows: Int { reasons.reduce(0) { $0 + $1.rows } }

    var values: [Record] { records.map(\.value) }

    /// Adds what a later batch of the same file held: its rows, its problems (up to the first hundred of the file)
    /// and why they were invalid. Its records are not kept.
    mutating func absorb(_ batch: CheckedFile<Record>) {
        rows += batch.rows
        let room = max(0, 100 - issues.count)
        issues += batch.issues.prefix(room)
        moreIssues += batch.moreIssues + max(0, batch.issues.count - room)
        var tally = Dictionary(reasons.map { ($0.reason, $0.rows) }, uniquingKeysWith: +)
        for (reason, rows) in batch.reasons { tally[reason, default: 0] += rows }
        reasons = tally.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (reason: $0.key, rows: $0.value) }
    }
}

/// A problem found in a record after its row was read.
struct RecordProblem {
    var index: Int
    var field: String
    var message: String
    /// A few words for the tally of skipped rows (`unknown customer`).
    var reason: String
}

extension RecordProblem {
    init(_ refusal: ImportRefusal) {
        self.init(index: refusal.index, field: refusal.field, message: refusal.message, reason: refusal.kind.rawValue)
    }

    /// Payments dated after the organisation's today: money cannot have arrived on a day that has not come.
    static func futureDated(_ payments: [CSVRecord<Payment>], today: LocalDate) -> [RecordProblem] {
        payments.enumerated().compactMap { index, record in
            guard record.value.date > today else { return nil }
            return RecordProblem(
                index: index, field: "date",
                message: "\(record.value.date) is after today (\(today)); a payment is recorded once it has "
                    + "arrived: correct the date, or import the file on or after that day",
                reason: "dated after today")
        }
    }
}

enum ImportChecks {
    /// Joins a file's row issues with the problems found in its records, in file order; `location` gives a
    /// field's column in the file and how messages name it.
    static func check<Record>(
        _ parsed: CSVParseResult<Record>, problems: [RecordProblem],
        location: (String) -> (column: Int, label: String)
    ) -> CheckedFile<Record> {
        var issues = parsed.issues
        var reasonByLine: [Int: String] = [:]
        for issue in parsed.issues where reasonByLine[issue.line] == nil {
            reasonByLine[issue.line] = "with bad values"
        }
        var refused = Set<Int>()
        for problem in problems {
            let record = parsed.records[problem.index]
            let (column, label) = location(problem.field)
            issues.append(
                ImportIssue(
                    file: parsed.file, line: record.line, column: column, field: label, message: problem.message))
            refused.insert(problem.index)
            if reasonByLine[record.line] == nil { reasonByLine[record.line] = problem.reason }
        }
        // Stable: a row's own issues keep their order, and come before what the database says of it.
        let ordered = issues.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        var tally: [String: Int] = [:]
        for reason in reasonByLine.values { tally[reason, default: 0] += 1 }
        let reasons = tally.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (reason: $0.key, rows: $0.value) }
        // Nothing refused: the parsed records themselves, shared rather than copied.
        let records =
            refused.isEmpty
            ? parsed.records : parsed.records.enumerated().filter { !refused.contains($0.offset) }.map(\.element)
        return CheckedFile(records: records, issues: ordered, rows: parsed.rowCount, reasons: reasons)
    }

    /// Prints every problem (the first hundred) and refuses the file, unless `skipInvalid`: then says how many rows
    /// are skipped and why, and the import goes on with the rest.
    static func refuseOrSkip<Record>(_ checked: CheckedFile<Record>, file: String, skipInvalid: Bool) throws {
        guard !checked.issues.isEmpty else { return }
        let count = checked.issues.count + checked.moreIssues
        for issue in checked.issues.prefix(100) { printError(issue.description) }
        if count > 100 { printError("… and \(count - 100) more problems") }
        let why = checked.reasons.map { "\($0.rows) \($0.reason)" }.joined(separator: ", ")
        // A header that does not read leaves no row to import: skipping would import nothing and say it did fine.
        if skipInvalid && checked.rows > 0 {
            printError(
                "Skipping \(counted(checked.invalidRows, "invalid row")) of \(checked.rows) "
                    + "(\(why)).")
            return
        }
        guard checked.rows > 0 else {
            printError("\(file): \(counted(count, "problem")) in the header; nothing was imported.")
            throw DulyExit.badData
        }
        printError(
            "\(file): \(counted(count, "problem")) in \(checked.invalidRows) of "
                + "\(counted(checked.rows, "row")) (\(why)); nothing was imported (fix the file, or use --skip-invalid "
                + "to import the good rows).")
        throw DulyExit.badData
    }
}

/// What `import payments` says about where the money went: a line of totals, and a line for each payment that did
/// not go (all) where it said, with why.
enum PaymentOutcomeReport {
    static func lines(_ totals: PaymentTotals) -> [String] {
        guard totals.payments > 0 else { return [] }
        func sums(_ totals: [Currency: Int]) -> String {
            totals.sorted { $0.key.code < $1.key.code }.map { Money(minorUnits: $1, currency: $0).description }
                .joined(separator: ", ")
        }
        var total =
            totals.allocated.isEmpty
            ? "Allocated nothing to invoices"
            : "Allocated \(sums(totals.allocated)) to \(counted(totals.invoicesPaid, "invoice"))"
        total +=
            totals.credit.isEmpty ? "; no unallocated credit." : "; left as unallocated credit: \(sums(totals.credit))."
        var lines = [total]
        for outcome in totals.noted {
            let payment = outcome.payment
            var parts = outcome.allocations.map { "\($0.amount) to \($0.invoiceNumber)" }
            if outcome.credit.minorUnits > 0 { parts.append("\(outcome.credit) left as credit") }
            let why = outcome.notes.map { $0.explanation(paymentCurrency: payment.amount.currency) }
            lines.append(
                "  \(payment.id) (\(payment.customerID), \(payment.amount)): " + parts.joined(separator: ", ")
                    + " (" + why.joined(separator: "; ") + ")")
        }
        return lines
    }

    /// One payment's outcome in `--json`.
    struct JSON: Encodable {
        struct Part: Encodable {
            var invoiceNumber: String
            var amount: String
            enum CodingKeys: String, CodingKey {
                case invoiceNumber = "invoice_number"
                case amount
            }
        }
        struct Note: Encodable {
            var code: String
            var text: String
        }
        var paymentID: String
        var customerID: String
        var currency: String
        var amount: String
        var allocations: [Part]
        var credit: String
        var notes: [Note]
        enum CodingKeys: String, CodingKey {
            case paymentID = "payment_id"
            case customerID = "customer_id"
            case currency, amount, allocations, credit, notes
        }

        init(_ outcome: PaymentOutcome) {
            let payment = outcome.payment
            paymentID = payment.id
            customerID = payment.customerID
            currency = payment.amount.currency.code
            amount = payment.amount.decimalString
            allocations = outcome.allocations.map {
                Part(invoiceNumber: $0.invoiceNumber, amount: $0.amount.decimalString)
            }
            credit = outcome.credit.decimalString
            notes = outcome.notes.map {
                Note(code: $0.code, text: $0.explanation(paymentCurrency: payment.amount.currency))
            }
        }
    }
}
