import ArgumentParser
import DulyCore
import DulyImport
import DulyStore
import Foundation

// MARK: - duly import statement

/// `duly import statement FILE`: a camt.053 or MT940 bank statement, its credits matched to open invoices.
struct StatementImport {
    var file: String
    var json: Bool
    var asOf: AsOfOption
    var global: GlobalOptions

    func run() async throws {
        // DULY_TIMING=1 prints how long each phase took to standard error (for the benchmark).
        let timing = environment("DULY_TIMING") != nil
        let clock = ContinuousClock()
        var phaseStart = clock.now
        func phase(_ name: String) {
            guard timing else { return }
            let now = clock.now
            printError("timing: \(name) \(now - phaseStart)")
            phaseStart = now
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("\(file): cannot read this file")
            throw DulyExit.noInput
        }
        let statements: [BankStatement]
        do {
            statements = try StatementFile.read(Array(data), fileName: file)
        } catch {
            try refuse(error.issues)
        }
        phase("parse")
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, context) = (command.store, command.organisation, command.recording)
        let future = StatementFile.bookedAfter(context.date, in: statements, fileName: file)
        if !future.isEmpty { try refuse(future) }

        let keyed = statements.flatMap { statement in statement.entries.map { (statement, $0) } }
        let credits = StatementFile.credits(of: statements)
        let keys = credits.map(\.key)
        let (records, summary) = try await store.matchAndRecord(
            credits, organisationID: organisation.id, context: context, phase: phase)

        if json {
            for (((statement, credit), key), record) in zip(zip(keyed, keys), records) {
                try JSONOutput.printLine(CreditLine(statement: statement, credit: credit, key: key, record: record))
            }
            return
        }
        report(statements, records: records, summary: summary)
    }

    /// ` (EUR 12.00, GBP 3.00)`: one sum per currency, in the order they first appear; empty for none.
    static func totals(_ amounts: [Money]) -> String {
        var sums: [Money] = []
        for amount in amounts {
            if let index = sums.firstIndex(where: { $0.currency == amount.currency }) {
                sums[index].minorUnits += amount.minorUnits
            } else {
                sums.append(amount)
            }
        }
        return sums.isEmpty ? "" : " (" + sums.map(\.description).joined(separator: ", ") + ")"
    }

    private func refuse(_ issues: [ImportIssue]) throws -> Never {
        for issue in issues.prefix(100) { printError(issue.description) }
        if issues.count > 100 { printError("… and \(issues.count - 100) more problems") }
        printError("\(file): nothing was imported.")
        throw DulyExit.badData
    }

    private func report(
        _ statements: [BankStatement], records: [StatementCreditRecord?], summary: StatementImportSummary
    ) {
        var offset = 0
        for statement in statements {
            let slice = records[offset..<offset + statement.entries.count]
            offset += statement.entries.count
            let new = slice.compactMap { $0 }
            var byKey: [MatchKey: Int] = [:]
            for record in new { if let key = record.match.key { byKey[key, default: 0] += 1 } }
            let matched = byKey.values.reduce(0, +)
            let keyText = [
                (MatchKey.creditorReference, "RF reference"), (.endToEndId, "end-to-end id"),
                (.remittanceText, "remittance text"), (.amountAndPayer, "amount and payer"),
            ].compactMap { key, label in byKey[key].map { "\($0) by \(label)" } }
            var line =
                "Statement \(statement.id) (\(statement.account)): \(counted(statement.entries.count, "credit"))"
                + ": \(matched) matched"
                + (keyText.isEmpty ? "" : " (" + keyText.joined(separator: ", ") + ")")
                + ", \(new.count - matched) unmatched"
            if new.count < slice.count { line += ", \(slice.count - new.count) already imported" }
            let leftOut = [
                (LeftOutEntry.Reason.debit, "debit", "debits"), (.reversal, "reversal", "reversals"),
                (.notBooked, "not booked", "not booked"),
            ].compactMap { reason, one, many -> String? in
                let count = statement.leftOutCount(reason)
                return count == 0 ? nil : counted(count, one, plural: many)
            }
            if !leftOut.isEmpty { line += "; left out: " + leftOut.joined(separator: ", ") }
            print(line + ".")
        }
        let received = StatementImport.totals(records.compactMap { $0?.amount })
        let unmatchedTotal = StatementImport.totals(
            records.compactMap { record in record.flatMap { $0.match.key == nil ? $0.amount : nil } })
        var parts = ["\(counted(summary.recorded, "new credit"))\(received)"]
        parts.append("\(summary.matched) matched as \(counted(summary.payments, "payment"))")
        parts.append("\(summary.unmatched) unmatched\(unmatchedTotal)")
        // Credits known before matching were never sent to the store; the store counts those it found known itself.
        let alreadyImported = summary.alreadyImported + records.count { $0 == nil }
        parts.append("\(alreadyImported) already imported")
        print("\(file): " + parts.joined(separator: ", ") + ".")
        if summary.unmatched > 0 {
            print("Unmatched credits wait on the worklist: `duly worklist`, then `duly match ID --invoice NUMBER`.")
        }
    }

    /// One credit as `--json` prints it.
    struct CreditLine: Encodable {
        var statement: String
        var account: String
        var credit: String
        var line: Int
        var amount: String
        var currency: String
        var bookingDate: String
        var valueDate: String?
        var debtorName: String?
        var debtorIBAN: String?
        var reference: String?
        var endToEndId: String?
        var remittance: [String]
        var match: MatchOutput

        enum CodingKeys: String, CodingKey {
            case statement, account, credit, line, amount, currency
            case bookingDate = "booking_date"
            case valueDate = "value_date"
            case debtorName = "debtor_name"
            case debtorIBAN = "debtor_iban"
            case reference
            case endToEndId = "end_to_end_id"
            case remittance, match
        }

        init(statement: BankStatement, credit: BankCredit, key: String, record: StatementCreditRecord?) {
            self.statement = statement.id
            account = statement.account.description
            self.credit = key
            line = credit.line
            amount = credit.amount.decimalString
            currency = credit.amount.currency.code
            bookingDate = credit.bookingDate.description
            valueDate = credit.valueDate?.description
            debtorName = credit.debtorName
            debtorIBAN = credit.debtorIBAN
            reference = credit.reference
            endToEndId = credit.endToEndId
            remittance = credit.remittance
            match = record.map { MatchOutput($0.match) } ?? .alreadyImported
        }
    }

    /// `"match": {…}` for a match, `"match": "unmatched"` (with `reason` and `candidates` beside it in the object),
    /// `"match": "already_imported"` for a credit an earlier import recorded.
    enum MatchOutput: Encodable {
        case matched(Matched)
        case unmatched(reason: String, candidates: [CandidateOutput], notes: [String])
        case alreadyImported

        struct Matched: Encodable {
            var key: String
            var confidence: String
            var customerID: String
            var invoices: [Part]
            var notes: [String]

            enum CodingKeys: String, CodingKey {
                case key, confidence
                case customerID = "customer_id"
                case invoices, notes
            }
        }

        struct Part: Encodable {
            var invoice: String
            var amount: String
        }

        init(_ match: CreditMatch) {
            switch match {
            case .matched(let customerID, let parts, let key, let confidence, let notes):
                self = .matched(
                    Matched(
                        key: key.rawValue, confidence: confidence.rawValue, customerID: customerID,
                        invoices: parts.map { Part(invoice: $0.invoiceNumber, amount: $0.amount.decimalString) },
                        notes: notes))
            case .unmatched(let reason, let candidates, let notes):
                self = .unmatched(reason: reason, candidates: candidates.map(CandidateOutput.init), notes: notes)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .matched(let matched): try container.encode(matched)
            case .unmatched: try container.encode("unmatched")
            case .alreadyImported: try container.encode("already_imported")
            }
        }
    }
}

extension StatementImport.CreditLine {
    private enum ExtraKeys: String, CodingKey { case reason, candidates, notes }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(statement, forKey: .statement)
        try container.encode(account, forKey: .account)
        try container.encode(credit, forKey: .credit)
        try container.encode(line, forKey: .line)
        try container.encode(amount, forKey: .amount)
        try container.encode(currency, forKey: .currency)
        try container.encode(bookingDate, forKey: .bookingDate)
        try container.encodeIfPresent(valueDate, forKey: .valueDate)
        try container.encodeIfPresent(debtorName, forKey: .debtorName)
        try container.encodeIfPresent(debtorIBAN, forKey: .debtorIBAN)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encodeIfPresent(endToEndId, forKey: .endToEndId)
        try container.encode(remittance, forKey: .remittance)
        try container.encode(match, forKey: .match)
        if case .unmatched(let reason, let candidates, let notes) = match {
            var extra = encoder.container(keyedBy: ExtraKeys.self)
            try extra.encode(reason, forKey: .reason)
            try extra.encode(candidates, forKey: .candidates)
            try extra.encode(notes, forKey: .notes)
        }
    }
}

/// A candidate invoice for an unmatched credit, as JSON prints it.
struct CandidateOutput: Encodable {
    var invoice: String
    var customerID: String
    var open: String
    var currency: String
    var why: String

    enum CodingKeys: String, CodingKey {
        case invoice
        case customerID = "customer_id"
        case open, currency, why
    }

    init(_ candidate: MatchCandidate) {
        invoice = candidate.invoiceNumber
        customerID = candidate.customerID
        open = candidate.open.decimalString
        currency = candidate.open.currency.code
        why = candidate.why
    }
}

// MARK: - duly match

/// `duly match`: settles a credit from the unmatched queue, or dismisses it.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a bank credit from the unmatched queue to invoices or a customer, or dismiss it.",
        discussion: """
            The credit's id is the one `duly worklist` shows under "Unmatched payments". With --invoice (repeatable) \
            the credit pays those invoices in the order given; with --customer, that customer's invoices oldest \
            first; --ignore --reason dismisses it (a refund, not a customer's payment). Paid invoices stop being \
            chased at once.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The credit's id, bcr_N or N (see `duly worklist`).") var credit: CreditNumber
    @Option(name: .customLong("invoice"), help: "An invoice the credit pays; repeat for several.")
    var invoices: [String] = []
    @Option(help: "The customer whose money it is (their invoices are paid oldest first).") var customer: String?
    @Flag(help: "Dismiss the credit: it is not a customer's payment.") var ignore = false
    @Option(help: "Why the credit is dismissed.") var reason: String?
    @Flag(help: "Print the outcome as one JSON object.") var json = false

    func validate() throws {
        let chosen = [!invoices.isEmpty, customer != nil, ignore].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give one of --invoice, --customer or --ignore") }
        if ignore && (reason ?? "").isEmpty { throw ValidationError("--ignore needs --reason") }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, context) = (command.store, command.organisation, command.recording)
        let resolution: CreditResolution =
            ignore ? .ignore(reason: reason!) : customer.map { .customer($0) } ?? .invoices(invoices)
        let resolved: QueuedCredit
        do {
            resolved = try await store.resolveCredit(
                id: credit.number, resolution, organisationID: organisation.id, context: context)
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
        let record = resolved.record
        if json {
            struct Outcome: Encodable {
                var credit: Int64
                var status: String
                var payments: [[String: String]]
            }
            try JSONOutput.printLine(
                Outcome(
                    credit: credit.number, status: resolved.status.rawValue,
                    payments: resolved.status == .resolved
                        ? resolvedPayments(record).map {
                            [
                                "payment_id": $0.id, "customer_id": $0.customerID, "amount": $0.amount.decimalString,
                                "currency": $0.amount.currency.code, "invoice": $0.invoiceNumber ?? "",
                            ]
                        } : []))
            return
        }
        let from = record.debtorName.map { " from \($0)" } ?? ""
        switch resolved.status {
        case .ignored:
            print(
                "Credit \(PublicID.bankCredit.id(credit.number)) (\(record.amount)\(from)) dismissed: \(reason ?? "").")
        default:
            let payments = resolvedPayments(record)
            let parts = payments.map { payment in
                payment.invoiceNumber.map { "\($0) (\(payment.amount))" } ?? "\(payment.customerID), oldest first"
            }
            print(
                "Credit \(PublicID.bankCredit.id(credit.number)) (\(record.amount)\(from)) recorded as payment of "
                    + parts.joined(separator: ", ")
                    + ". Paid invoices are no longer chased.")
        }
    }

    private func resolvedPayments(_ record: StatementCreditRecord) -> [Payment] {
        if case .matched(let customerID, let parts, _, _, _) = record.match, parts.isEmpty {
            return [
                Payment(
                    id: record.key, customerID: customerID, date: record.valueDate ?? record.bookingDate,
                    amount: record.amount)
            ]
        }
        return record.payments
    }
}

// MARK: - Worklist

/// The worklist's "Unmatched payments" section.
enum UnmatchedPayments {
    /// One `unmatched_payment` task, as `duly worklist --json` prints it.
    struct Task: Encodable {
        var kind = "unmatched_payment"
        var creditID: Int64
        var date: String
        var amount: String
        var currency: String
        var debtorName: String?
        var debtorIBAN: String?
        var reference: String?
        var remittance: [String]
        var reason: String
        var candidates: [CandidateOutput]

        enum CodingKeys: String, CodingKey {
            case kind
            case creditID = "credit_id"
            case date, amount, currency
            case debtorName = "debtor_name"
            case debtorIBAN = "debtor_iban"
            case reference, remittance, reason, candidates
        }

        init(_ queued: QueuedCredit) {
            let record = queued.record
            creditID = queued.id
            date = record.bookingDate.description
            amount = record.amount.decimalString
            currency = record.amount.currency.code
            debtorName = record.debtorName
            debtorIBAN = record.debtorIBAN
            reference = record.reference ?? record.endToEndId
            remittance = record.remittance
            if case .unmatched(let reason, let candidates, _) = record.match {
                self.reason = reason
                self.candidates = candidates.map(CandidateOutput.init)
            } else {
                reason = ""
                candidates = []
            }
        }
    }

    /// The section for people: each credit, why it is unmatched, and its candidates.
    static func render(_ credits: [QueuedCredit]) -> String {
        var table = TextTable(headers: ["credit", "booked", "amount", "payer", "says", "why unmatched", "candidates"])
        table.rightAligned = [2]
        for queued in credits {
            let task = Task(queued)
            let says = ([task.reference].compactMap { $0 } + task.remittance).joined(separator: " ")
            table.rows.append([
                PublicID.bankCredit.id(task.creditID), task.date, queued.record.amount.description,
                task.debtorName ?? "",
                String(says.prefix(40)), task.reason,
                task.candidates.map { "\($0.invoice) (\($0.customerID), \($0.currency) \($0.open): \($0.why))" }
                    .joined(separator: "; "),
            ])
        }
        return "Unmatched payments (pay invoices with `duly match ID --invoice N`, or `--customer C`; dismiss with "
            + "`duly match ID --ignore --reason TEXT`):\n" + table.render() + "\n"
    }
}
