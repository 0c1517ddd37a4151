import DulyCore

#if canImport(FoundationXML)
    import FoundationXML
    import Foundation
#else
    import Foundation
#endif

/// ISO 20022 camt.053 bank-to-customer statements, versions .001.02 to .001.08 and later (docs/DOMAIN.md,
/// "camt.053").
///
/// Elements are matched by local name, whatever their namespace prefix. Only booked (`Sts` or `Sts/Cd` = `BOOK`)
/// credits (`CdtDbtInd` = `CRDT`) that are not reversals (`RvslInd` = true) become ``BankCredit``s; every other entry
/// is listed in ``BankStatement/leftOut`` with its reason. An entry carrying several `TxDtls` (a batch) becomes one
/// credit per transaction.
///
/// Amounts: a batch's transactions each take their own amount (`TxDtls/Amt`, or v02's `TxDtls/AmtDtls/TxAmt/Amt`),
/// which must be in the entry's currency and add up to the entry amount. An entry with one transaction or none is one
/// credit of the entry amount (`Ntry/Amt`): that is what the account was credited, while a single transaction's own
/// amount may be in the instructed currency or, as in the genkgo v8 sample (0 SEK on an 8.85 EUR entry), a placeholder.
/// That amount is still checked for being well formed.
///
/// A file is read whole or not at all: any issue means no statement. An issue about a value is placed where the
/// parser reports its element's start tag ending (the `>` before the value). Documents with a DOCTYPE (and so any entity
/// declaration) are refused before parsing, and external entities are never resolved. ISO 20022 messages are UTF-8;
/// anything else is refused.
public enum Camt053 {
    /// Reads a camt.053 file; `fileName` (default: the path) is what issues name.
    public static func read(at path: String, fileName: String? = nil) throws(Camt053Error) -> [BankStatement] {
        let name = fileName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Camt053Error(issues: [ImportIssue(file: name, line: 0, column: 0, message: "cannot read the file")])
        }
        return try parse(Array(data), fileName: name)
    }

    /// Parses a camt.053 document held in memory (an upload); `fileName` is what issues name.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(Camt053Error) -> [BankStatement] {
        if let issue = XMLGuard.checkProlog(bytes, fileName: fileName, standard: "ISO 20022 messages") {
            throw Camt053Error(issues: [issue])
        }
        let reader = StatementReader(fileName: fileName)
        let finished = XMLGuard.run(reader, on: bytes, fileName: fileName)
        if finished, reader.issues.isEmpty, !reader.sawStatementMessage {
            reader.issues.append(
                ImportIssue(file: fileName, line: 1, column: 1, message: "no BkToCstmrStmt: not a camt.053 statement"))
        }
        guard reader.issues.isEmpty else {
            // Entries are checked when they close and statements after their entries: put issues back in file order.
            throw Camt053Error(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return reader.statements
    }
}

/// A camt.053 file that could not be imported, with every problem found in it.
public struct Camt053Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in document order; never empty.
    public var issues: [ImportIssue]

    /// Creates the error from its issues.
    public init(issues: [ImportIssue]) { self.issues = issues }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// One account statement (`Stmt`) of a camt.053 document: the credits a collections system matches.
public struct BankStatement: Hashable, Sendable {
    /// `Stmt/Id`.
    public var id: String
    /// The account the statement is for.
    public var account: BankAccountID
    /// `Acct/Ccy`, or the currency of the first entry when the account names none; nil when neither exists.
    public var currency: Currency?
    /// The booked, non-reversed credits, one per transaction, in document order.
    public var entries: [BankCredit]
    /// The entries not imported, and why.
    public var leftOut: [LeftOutEntry]

    /// Creates a statement.
    public init(
        id: String, account: BankAccountID, currency: Currency?, entries: [BankCredit], leftOut: [LeftOutEntry] = []
    ) {
        self.id = id
        self.account = account
        self.currency = currency
        self.entries = entries
        self.leftOut = leftOut
    }

    /// How many entries were left out for a reason.
    public func leftOutCount(_ reason: LeftOutEntry.Reason) -> Int {
        leftOut.count { $0.reason == reason }
    }

    /// The key one of the statement's credits is recorded under (`bankCreditKey` in DulyCore).
    public func key(of credit: BankCredit) -> String {
        bankCreditKey(
            account: account.description, statementID: id, entryIndex: credit.entryIndex,
            transactionIndex: credit.transactionIndex)
    }
}

/// A statement's account: `Acct/Id/IBAN` or `Acct/Id/Othr/Id`.
public enum BankAccountID: Hashable, Sendable, CustomStringConvertible {
    /// An IBAN, as written.
    case iban(String)
    /// Any other account identifier.
    case other(String)

    /// The identifier itself.
    public var description: String {
        switch self {
        case .iban(let value), .other(let value): return value
        }
    }
}

/// Money received: one booked credit transaction of a statement.
public struct BankCredit: Hashable, Sendable {
    /// Positive amount credited.
    public var amount: Money
    /// `BookgDt/Dt`, or the date part of `BookgDt/DtTm` (the bank's local date).
    public var bookingDate: LocalDate
    /// `ValDt/Dt` or the date part of `ValDt/DtTm`.
    public var valueDate: LocalDate?
    /// The structured creditor reference (`RmtInf/Strd/CdtrRefInf/Ref`): an RF reference or a national one.
    public var reference: String?
    /// Who issued ``reference``: `Tp/Issr` (`ISO` for RF, `BBA` for Belgian OGM), when stated.
    public var referenceIssuer: String?
    /// `Refs/EndToEndId`; nil when absent or `NOTPROVIDED`.
    public var endToEndId: String?
    /// `RltdPties/Dbtr/Nm` (v02–v07) or `RltdPties/Dbtr/Pty/Nm` (v08+).
    public var debtorName: String?
    /// `RltdPties/DbtrAcct/Id/IBAN`.
    public var debtorIBAN: String?
    /// `RmtInf/Ustrd` lines, in order.
    public var remittance: [String]
    /// `AddtlTxInf`, free text some banks put the payer's message in.
    public var additionalInfo: String?
    /// The bank's own reference: `TxDtls/Refs/AcctSvcrRef`, else `Ntry/AcctSvcrRef`.
    public var bankReference: String?
    /// 1-based position of the entry (`Ntry`) in its statement.
    public var entryIndex: Int
    /// 1-based position of the transaction (`TxDtls`) in its entry; 1 for an entry without details.
    public var transactionIndex: Int
    /// Line of the transaction (or the entry) in the file, for messages.
    public var line: Int

    /// Creates a credit.
    public init(
        amount: Money, bookingDate: LocalDate, valueDate: LocalDate? = nil, reference: String? = nil,
        referenceIssuer: String? = nil, endToEndId: String? = nil, debtorName: String? = nil,
        debtorIBAN: String? = nil, remittance: [String] = [], additionalInfo: String? = nil,
        bankReference: String? = nil, entryIndex: Int, transactionIndex: Int, line: Int
    ) {
        self.amount = amount
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.reference = reference
        self.referenceIssuer = referenceIssuer
        self.endToEndId = endToEndId
        self.debtorName = debtorName
        self.debtorIBAN = debtorIBAN
        self.remittance = remittance
        self.additionalInfo = additionalInfo
        self.bankReference = bankReference
        self.entryIndex = entryIndex
        self.transactionIndex = transactionIndex
        self.line = line
    }
}

/// An entry of a statement that was not imported.
public struct LeftOutEntry: Hashable, Sendable {
    /// Why an entry is not a credit to match.
    public enum Reason: Hashable, Sendable {
        /// Not booked: `PDNG`, `INFO` or another status.
        case notBooked
        /// Money out (`DBIT`).
        case debit
        /// `RvslInd` true: it cancels an earlier booking.
        case reversal
    }

    /// Why it was left out.
    public var reason: Reason
    /// 1-based position of the entry in its statement.
    public var entryIndex: Int
    /// The entry amount (always positive, whatever the direction).
    public var amount: Money
    /// The status as written (`BOOK`, `PDNG`).
    public var status: String
    /// Line of the entry in the file.
    public var line: Int

    /// Creates a left-out entry.
    public init(reason: Reason, entryIndex: Int, amount: Money, status: String, line: Int) {
        self.reason = reason
        self.entryIndex = entryIndex
        self.amount = amount
        self.status = status
        self.line = line
    }
}

// MARK: - Reader

/// The XMLParser delegate: builds one small element tree per entry, turns it into credits, and drops it, so memory
/// stays bounded by the largest entry, not the file.
private final class StatementReader: NSObject, GuardedXMLReader {
    let fileName: String
    var issues: [ImportIssue] = []
    var statements: [BankStatement] = []
    var parseError: (any Error)?
    /// Where the parser was when it reported ``parseError``.
    var errorPosition: (line: Int, column: Int)?
    var sawStatementMessage = false
    /// Set when the reader stopped the parser itself, having reported why.
    var aborted = false

    private var stack: [XMLNode] = []
    /// The elements not yet closed, outermost first, with the line each starts on.
    var openElements: [(name: String, line: Int)] { stack.map { ($0.name, $0.line) } }
    private var credits: [BankCredit] = []
    private var leftOut: [LeftOutEntry] = []
    private var entryCount = 0
    private var firstEntryCurrency: Currency?
    private static let maximumIssues = 100

    init(fileName: String) { self.fileName = fileName }

    private func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func report(_ line: Int, _ column: Int, field: String? = nil, _ message: String) {
        guard issues.count < Self.maximumIssues else { return }
        issues.append(ImportIssue(file: fileName, line: line, column: column, field: field, message: message))
    }

    private func abort(_ parser: XMLParser, _ message: String) {
        report(parser.lineNumber, parser.columnNumber, message)
        aborted = true
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let name = localName(elementName)
        switch stack.count {
        case 0:
            guard name == "Document" else {
                return abort(parser, "the root element is <\(elementName)>, not a camt.053 <Document>")
            }
            for (key, value) in attributeDict where key == "xmlns" || key.hasPrefix("xmlns:") {
                let prefix = "urn:iso:std:iso:20022:tech:xsd:"
                if value.hasPrefix(prefix), !value.dropFirst(prefix.count).hasPrefix("camt.053.") {
                    return abort(parser, "the namespace is \(value), not camt.053 (urn:…:camt.053.001.NN)")
                }
            }
        case 1:
            guard name == "BkToCstmrStmt" else {
                return abort(parser, "<Document> holds <\(name)>, not <BkToCstmrStmt>: not a camt.053 statement")
            }
            sawStatementMessage = true
        default:
            break
        }
        // Whitespace between child elements is layout, not a value: dropping it keeps a long Stmt from growing.
        if let parent = stack.last, !parent.text.isEmpty, parent.text.allSatisfy(\.isWhitespace) { parent.text = "" }
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict { attributes[localName(key)] = value }
        stack.append(XMLNode(name: name, attributes: attributes, line: parser.lineNumber, column: parser.columnNumber))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA cdataBlock: Data) {
        stack.last?.text += String(decoding: cdataBlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard let element = stack.popLast() else { return }
        element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Stack: Document, BkToCstmrStmt, Stmt: entries and balances are done with once read, statements too.
        if stack.count == 3, stack[2].name == "Stmt" {
            switch element.name {
            case "Ntry":
                entryCount += 1
                return readEntry(element, index: entryCount)
            case "Bal":
                return  // balances are not read; keeping them would only cost memory
            default:
                break
            }
        } else if stack.count == 2, element.name == "Stmt" {
            return finishStatement(element)
        }
        stack.last?.children.append(element)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard self.parseError == nil else { return }
        self.parseError = parseError
        errorPosition = (parser.lineNumber, parser.columnNumber)
    }

    // A DOCTYPE is refused before parsing; these are a second line of defence in case one slips through.
    func parser(
        _ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?
    ) {
        abort(parser, "entity declarations are refused (<!ENTITY \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        abort(parser, "external entities are refused (<!ENTITY \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?,
        systemID: String?, notationName: String?
    ) {
        abort(parser, "entity declarations are refused (<!ENTITY \(name)>)")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        abort(parser, "&\(name); is refused: only the predefined entities (&lt; &amp; …) and character references are")
        return nil
    }

    // MARK: Statement

    private func finishStatement(_ statement: XMLNode) {
        defer {
            credits = []
            leftOut = []
            entryCount = 0
            firstEntryCurrency = nil
        }
        guard let id = statement.value("Id") else {
            return report(statement.line, statement.column, field: "Stmt/Id", "the statement has no Id")
        }
        let account: BankAccountID
        if let iban = statement.value("Acct", "Id", "IBAN") {
            account = .iban(iban)
        } else if let other = statement.value("Acct", "Id", "Othr", "Id") {
            account = .other(other)
        } else {
            return report(
                statement.line, statement.column, field: "Stmt/Acct/Id",
                "the statement names no account (IBAN or Othr/Id)")
        }
        var currency = firstEntryCurrency
        if let code = statement.at("Acct", "Ccy") {
            currency = knownCurrency(code.text, at: code, field: "Acct/Ccy")
        }
        statements.append(
            BankStatement(id: id, account: account, currency: currency, entries: credits, leftOut: leftOut))
    }

    // MARK: Entry

    private func readEntry(_ entry: XMLNode, index: Int) {
        let issueCount = issues.count
        guard let amountElement = entry.child("Amt") else {
            return report(entry.line, entry.column, field: "Ntry/Amt", "entry \(index) has no amount")
        }
        guard let amount = money(amountElement, field: "Ntry/Amt") else { return }
        if firstEntryCurrency == nil { firstEntryCurrency = amount.currency }
        if amount.minorUnits < 0 {
            report(amountElement.line, amountElement.column, field: "Ntry/Amt", "entry amounts are never negative")
        }
        let direction = entry.value("CdtDbtInd")
        if direction != "CRDT", direction != "DBIT" {
            let at = entry.child("CdtDbtInd") ?? entry
            report(at.line, at.column, field: "Ntry/CdtDbtInd", "CdtDbtInd is '\(direction ?? "")', not CRDT or DBIT")
        }
        let statusText = entry.value("Sts", "Cd") ?? entry.value("Sts", "Prtry") ?? entry.value("Sts")
        guard let status = statusText else {
            return report(entry.line, entry.column, field: "Ntry/Sts", "entry \(index) has no status (Sts)")
        }
        var reversal = false
        if let indicator = entry.child("RvslInd") {
            switch indicator.text {
            case "true", "1": reversal = true
            case "false", "0": reversal = false
            default:
                report(indicator.line, indicator.column, field: "Ntry/RvslInd", "RvslInd is '\(indicator.text)'")
            }
        }
        let bookingDate = date(entry.at("BookgDt"), field: "Ntry/BookgDt")
        let valueDate = date(entry.at("ValDt"), field: "Ntry/ValDt")
        let transactions = entry.children("NtryDtls").flatMap { $0.children("TxDtls") }
        let amounts = transactions.map { transactionAmount($0) }
        guard issues.count == issueCount else { return }

        func leave(_ reason: LeftOutEntry.Reason) {
            leftOut.append(
                LeftOutEntry(reason: reason, entryIndex: index, amount: amount, status: status, line: entry.line))
        }
        guard status == "BOOK" else { return leave(.notBooked) }
        guard !reversal else { return leave(.reversal) }
        guard direction == "CRDT" else { return leave(.debit) }
        guard let bookedOn = bookingDate else {
            return report(entry.line, entry.column, field: "Ntry/BookgDt", "booked entry \(index) has no booking date")
        }

        let entryReference = entry.value("AcctSvcrRef")
        guard transactions.count > 1 else {
            credits.append(
                credit(
                    transactions.first, amount: amount, bookingDate: bookedOn, valueDate: valueDate,
                    entryReference: entryReference, entryIndex: index, transactionIndex: 1, line: entry.line))
            return
        }
        // A batch: each transaction's own amount, in the entry's currency, adding up to the entry.
        var total = 0
        for (position, (transaction, transactionAmount)) in zip(transactions, amounts).enumerated() {
            guard let transactionAmount, transactionAmount.currency == amount.currency else {
                report(
                    transaction.line, transaction.column, field: "TxDtls/Amt",
                    "transaction \(position + 1) of batch entry \(index) needs an amount in \(amount.currency.code)")
                continue
            }
            total += transactionAmount.minorUnits
            credits.append(
                credit(
                    transaction, amount: transactionAmount, bookingDate: bookedOn, valueDate: valueDate,
                    entryReference: entryReference, entryIndex: index, transactionIndex: position + 1,
                    line: transaction.line))
        }
        if issues.count == issueCount, total != amount.minorUnits {
            report(
                amountElement.line, amountElement.column, field: "Ntry/Amt",
                "batch entry \(index) is \(amount) but its \(transactions.count) transactions add up to "
                    + Money(minorUnits: total, currency: amount.currency).description)
        }
    }

    private func credit(
        _ transaction: XMLNode?, amount: Money, bookingDate: LocalDate, valueDate: LocalDate?,
        entryReference: String?, entryIndex: Int, transactionIndex: Int, line: Int
    ) -> BankCredit {
        let creditorReference = transaction?.at("RmtInf", "Strd", "CdtrRefInf")
        let endToEndId = transaction?.value("Refs", "EndToEndId")
        return BankCredit(
            amount: amount, bookingDate: bookingDate, valueDate: valueDate,
            reference: creditorReference?.value("Ref"), referenceIssuer: creditorReference?.value("Tp", "Issr"),
            endToEndId: endToEndId == "NOTPROVIDED" ? nil : endToEndId,
            debtorName: transaction?.value("RltdPties", "Dbtr", "Pty", "Nm")
                ?? transaction?.value("RltdPties", "Dbtr", "Nm"),
            debtorIBAN: transaction?.value("RltdPties", "DbtrAcct", "Id", "IBAN"),
            remittance: transaction?.at("RmtInf")?.children("Ustrd").map(\.text).filter { !$0.isEmpty } ?? [],
            additionalInfo: transaction?.value("AddtlTxInf"),
            bankReference: transaction?.value("Refs", "AcctSvcrRef") ?? entryReference,
            entryIndex: entryIndex, transactionIndex: transactionIndex, line: line)
    }

    /// `TxDtls/Amt` (v04+) or `TxDtls/AmtDtls/TxAmt/Amt` (v02), checked; nil when absent or bad.
    private func transactionAmount(_ transaction: XMLNode) -> Money? {
        if let element = transaction.child("Amt") { return money(element, field: "TxDtls/Amt") }
        if let element = transaction.at("AmtDtls", "TxAmt", "Amt") {
            return money(element, field: "TxDtls/AmtDtls/TxAmt/Amt")
        }
        return nil
    }

    // MARK: Values

    private func knownCurrency(_ code: String, at element: XMLNode, field: String) -> Currency? {
        guard code.count == 3, let currency = Currency(code: code), currency.code == code else {
            report(element.line, element.column, field: field, "'\(code)' is not an ISO 4217 currency code")
            return nil
        }
        return currency
    }

    private func money(_ element: XMLNode, field: String) -> Money? {
        guard let code = element.attributes["Ccy"] else {
            report(element.line, element.column, field: field, "the amount has no Ccy attribute")
            return nil
        }
        guard let currency = knownCurrency(code, at: element, field: field + "/@Ccy") else { return nil }
        do {
            return try Money(parsing: element.text, currency: currency)
        } catch {
            report(element.line, element.column, field: field, error.description)
            return nil
        }
    }

    /// `Dt` or the date part of `DtTm` under a date element; nil (with an issue when present but bad) otherwise.
    private func date(_ element: XMLNode?, field: String) -> LocalDate? {
        guard let element else { return nil }
        if let day = element.child("Dt") {
            guard let date = LocalDate(iso: day.text) else {
                report(day.line, day.column, field: field + "/Dt", "'\(day.text)' is not a date (YYYY-MM-DD)")
                return nil
            }
            return date
        }
        if let time = element.child("DtTm") {
            // The bank's local date: 2014-12-31T13:15:00+01:00 was booked on the 31st, whatever UTC says.
            let text = time.text
            let separator = text.index(text.startIndex, offsetBy: 10, limitedBy: text.endIndex)
            guard let separator, separator < text.endIndex, text[separator] == "T",
                let date = LocalDate(iso: text[..<separator]), isTime(text[text.index(after: separator)...])
            else {
                report(time.line, time.column, field: field + "/DtTm", "'\(text)' is not a date and time (ISO 8601)")
                return nil
            }
            return date
        }
        report(element.line, element.column, field: field, "neither Dt nor DtTm is given")
        return nil
    }

    // hh:mm:ss, optional fraction, optional Z or ±hh:mm.
    private func isTime(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>, max: Int) -> Bool {
            guard range.upperBound <= bytes.count else { return false }
            var value = 0
            for index in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return false }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value <= max
        }
        guard digits(0..<2, max: 23), bytes.count >= 8, bytes[2] == UInt8(ascii: ":"), digits(3..<5, max: 59),
            bytes[5] == UInt8(ascii: ":"), digits(6..<8, max: 60)
        else { return false }
        var index = 8
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        if index == bytes.count { return true }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        return bytes.count == index + 6 && digits(index + 1..<index + 3, max: 14)
            && bytes[index + 3] == UInt8(ascii: ":")
            && digits(index + 4..<index + 6, max: 59)
    }
}
