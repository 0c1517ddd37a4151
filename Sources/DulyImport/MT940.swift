import DulyCore
import Foundation

/// SWIFT MT940 customer statements (docs/DOMAIN.md, "MT940"), read into the same ``BankStatement``s as camt.053.
///
/// Fields are `:20:` reference, `:25:` account, `:28C:` statement number, `:60F:`/`:60M:` opening balance (which
/// gives the currency), then per transaction a `:61:` statement line and its `:86:` information, then `:62F:`/`:62M:`
/// closing balance (and `:64:`, `:65:`, which are not read). A line that starts no field continues the one before
/// (the second line of `:61:` holds supplementary details). SWIFT block headers (`{1:…}{2:…}{4:`) and the trailer
/// (`-}` or `-`) are skipped; a file may hold several statements, each starting at `:20:`.
///
/// `:61:` is `value date (YYMMDD) [entry date (MMDD)] mark [funds code] amount (decimal comma) type (1!a3!c)
/// customer reference [//bank reference]`, the mark being `C` (credit), `D` (debit), `RC` or `RD` (reversals).
/// Credits become ``BankCredit``s; debits and reversals are left out and counted, like camt.053's. Every line of an
/// MT940 statement is booked. The booking date is the entry date (its year taken from the value date's, across a
/// year end if need be), else the value date.
///
/// `:86:` is bank-specific. Two common structures are read: the German `?20`…`?29` subfields (with `SVWZ+`
/// remittance, `EREF+` end-to-end id, `?32`/`?33` payer name, `?31` payer IBAN) and the Dutch `/TAG/value` form
/// (`/EREF/`, `/REMI/` with `USTD//` text or `STRD/CUR/` a creditor reference, `/NAME/`, `/IBAN/`, `/CNTP/`);
/// anything else is remittance text as written, one entry per line.
///
/// A file is read whole or not at all; every issue names file, line, column and field. Bytes that are not UTF-8 are
/// read as ISO 8859-1 (MT940 is an ASCII-era format and banks still send Latin-1).
public enum MT940 {
    /// Reads an MT940 file; `fileName` (default: the path) is what issues name.
    public static func read(at path: String, fileName: String? = nil) throws(MT940Error) -> [BankStatement] {
        let name = fileName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MT940Error(issues: [ImportIssue(file: name, line: 0, column: 0, message: "cannot read the file")])
        }
        return try parse(Array(data), fileName: name)
    }

    /// Whether the bytes look like MT940 rather than XML: a `:20:` field before anything else that matters.
    public static func looksLikeMT940(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("<") { return false }
        return trimmed.hasPrefix(":20:") || trimmed.hasPrefix("{1:") || head.contains("\n:20:")
            || head.contains("\r\n:20:")
    }

    /// Parses an MT940 document held in memory; `fileName` is what issues name.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(MT940Error) -> [BankStatement] {
        var parser = Parser(fileName: fileName)
        parser.run(lines: lines(of: bytes))
        guard parser.issues.isEmpty else { throw MT940Error(issues: parser.issues) }
        guard !parser.statements.isEmpty else {
            throw MT940Error(issues: [
                ImportIssue(file: fileName, line: 1, column: 1, message: "no :20: field: not an MT940 statement")
            ])
        }
        return parser.statements
    }

    /// One `:61:` statement line, parsed.
    public struct StatementLine: Hashable, Sendable {
        /// `C`, `D`, `RC`, `RD`.
        public enum Mark: String, Hashable, Sendable {
            case credit = "C"
            case debit = "D"
            case reversalOfCredit = "RC"
            case reversalOfDebit = "RD"
        }

        public var valueDate: LocalDate
        /// The entry (booking) date, its year inferred from the value date's.
        public var entryDate: LocalDate?
        public var mark: Mark
        /// The third letter of the currency code, when given.
        public var fundsCode: Character?
        public var amount: Money
        /// `NTRF`, `NMSC`, `S103`…
        public var transactionType: String
        /// The account owner's reference (`NONREF` when none).
        public var customerReference: String
        /// The bank's reference, after `//`.
        public var bankReference: String?
        /// The second line, when there is one.
        public var supplementaryDetails: String?
    }

    /// Parses the value of a `:61:` field (its first line): MT-T1 `231225D1234,56NTRFREF123456` is a debit of
    /// 1234.56 on 2023-12-25, type `NTRF`, customer reference `REF123456`, no bank reference.
    /// - Throws: the problem and its 0-based offset in `text`.
    public static func statementLine(
        _ text: String, currency: Currency
    ) throws(StatementLineError) -> StatementLine {
        let characters = Array(text)
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= characters.count else { return nil }
            var value = 0
            for character in characters[position..<position + count] {
                guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let yymmdd = digits(6) else {
            throw StatementLineError(offset: 0, message: "the value date (YYMMDD) is missing")
        }
        let year = yymmdd / 10000
        guard
            let valueDate = LocalDate(
                year: year < 80 ? 2000 + year : 1900 + year, month: yymmdd / 100 % 100, day: yymmdd % 100)
        else {
            throw StatementLineError(offset: 0, message: "'\(String(characters.prefix(6)))' is not a date (YYMMDD)")
        }
        position = 6
        var entryDate: LocalDate?
        if let mmdd = digits(4) {
            let month = mmdd / 100
            var entryYear = valueDate.year
            if month == 12 && valueDate.month == 1 { entryYear -= 1 }
            if month == 1 && valueDate.month == 12 { entryYear += 1 }
            guard let date = LocalDate(year: entryYear, month: month, day: mmdd % 100) else {
                throw StatementLineError(
                    offset: 6, message: "'\(String(characters[6..<10]))' is not an entry date (MMDD)")
            }
            entryDate = date
            position = 10
        }
        let markStart = position
        let rest = String(characters[position...])
        let mark: StatementLine.Mark
        if rest.hasPrefix("RC") {
            mark = .reversalOfCredit
        } else if rest.hasPrefix("RD") {
            mark = .reversalOfDebit
        } else if rest.hasPrefix("C") {
            mark = .credit
        } else if rest.hasPrefix("D") {
            mark = .debit
        } else {
            throw StatementLineError(offset: markStart, message: "the debit/credit mark must be C, D, RC or RD")
        }
        position += mark.rawValue.count
        var fundsCode: Character?
        if position < characters.count, characters[position].isLetter {
            fundsCode = characters[position]
            position += 1
        }
        let amountStart = position
        while position < characters.count, characters[position].isASCII,
            characters[position].isNumber || characters[position] == ","
        {
            position += 1
        }
        var amountText = String(characters[amountStart..<position])
        guard amountText.contains(","), amountText.count <= 15, amountText.first != "," else {
            throw StatementLineError(
                offset: amountStart,
                message: "the amount '\(amountText)' needs digits and a decimal comma (1234,56), at most 15 characters")
        }
        if amountText.hasSuffix(",") { amountText.removeLast() }
        let amount: Money
        do {
            amount = try Money(parsing: amountText.replacingOccurrences(of: ",", with: "."), currency: currency)
        } catch {
            throw StatementLineError(offset: amountStart, message: error.description)
        }
        guard position + 4 <= characters.count,
            characters[position].isLetter,
            characters[position + 1..<position + 4].allSatisfy({ $0.isLetter || $0.isNumber })
        else {
            throw StatementLineError(
                offset: position, message: "the transaction type (a letter and three characters, like NTRF) is missing")
        }
        let type = String(characters[position..<position + 4])
        position += 4
        let references = String(characters[position...])
        var customerReference = references
        var bankReference: String?
        if let separator = references.range(of: "//") {
            customerReference = String(references[..<separator.lowerBound])
            bankReference = String(references[separator.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        return StatementLine(
            valueDate: valueDate, entryDate: entryDate, mark: mark, fundsCode: fundsCode, amount: amount,
            transactionType: type, customerReference: customerReference.trimmingCharacters(in: .whitespaces),
            bankReference: bankReference.flatMap { $0.isEmpty ? nil : $0 }, supplementaryDetails: nil)
    }

    // MARK: - Lines

    fileprivate struct Line {
        var number: Int
        var text: String
    }

    private static func lines(of bytes: [UInt8]) -> [Line] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let text: String
        if let utf8 = String(validating: body, as: UTF8.self) {
            text = utf8
        } else {
            text = String(String.UnicodeScalarView(body.map { Unicode.Scalar($0) }))
        }
        var result: [Line] = []
        var number = 0
        // "\r\n" is one Character in Swift: split on it as well as on "\n" (banks send either).
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            result.append(Line(number: number, text: line))
        }
        return result
    }
}

/// An MT940 file that could not be imported, with every problem found in it.
public struct MT940Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in file order; never empty.
    public var issues: [ImportIssue]

    public init(issues: [ImportIssue]) { self.issues = issues }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Why a `:61:` value could not be read, and where in it.
public struct StatementLineError: Error, Hashable, Sendable {
    /// 0-based offset in the field's value.
    public var offset: Int
    public var message: String
}

// MARK: - Parser

extension MT940 {
    fileprivate struct Field {
        var tag: String
        var line: Int
        /// 1-based column where the value starts.
        var column: Int
        var lines: [String]
    }

    fileprivate struct Parser {
        let fileName: String
        var issues: [ImportIssue] = []
        var statements: [BankStatement] = []

        private var fields: [Field] = []

        init(fileName: String) { self.fileName = fileName }

        mutating func run(lines: [MT940.Line]) {
            var current: Field?
            func flush(_ parser: inout Parser) {
                if let field = current { parser.fields.append(field) }
                current = nil
            }
            for line in lines {
                var text = line.text
                var columnOffset = 0
                if text.hasPrefix("{") {
                    // A SWIFT envelope: `{1:…}{2:…}{4:` and the fields follow, on this line or the next.
                    guard let body = text.range(of: "{4:") else { continue }
                    columnOffset = text.distance(from: text.startIndex, to: body.upperBound)
                    text = String(text[body.upperBound...])
                    if text.isEmpty { continue }
                }
                if text == "-}" || text == "-" || text.hasPrefix("-}") {
                    flush(&self)
                    continue
                }
                if text.hasPrefix(":"), let end = text.dropFirst().firstIndex(of: ":") {
                    let tag = String(text[text.index(after: text.startIndex)..<end])
                    if (2...3).contains(tag.count), tag.prefix(2).allSatisfy(\.isNumber) {
                        flush(&self)
                        let value = String(text[text.index(after: end)...])
                        current = Field(
                            tag: tag, line: line.number, column: columnOffset + tag.count + 3, lines: [value])
                        continue
                    }
                }
                if current != nil {
                    current!.lines.append(text)
                } else if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    report(line.number, 1, nil, "expected a field (:20:, :25:, :61: …), found '\(text.prefix(20))'")
                }
            }
            flush(&self)
            buildStatements()
        }

        private mutating func report(_ line: Int, _ column: Int, _ field: String?, _ message: String) {
            guard issues.count < 100 else { return }
            issues.append(ImportIssue(file: fileName, line: line, column: column, field: field, message: message))
        }

        private mutating func buildStatements() {
            var index = 0
            while index < fields.count {
                guard fields[index].tag == "20" else {
                    let field = fields[index]
                    report(field.line, 1, ":\(field.tag):", "a statement starts with :20:, not :\(field.tag):")
                    index += 1
                    continue
                }
                var end = index + 1
                while end < fields.count, fields[end].tag != "20" { end += 1 }
                statement(Array(fields[index..<end]))
                index = end
            }
        }

        private mutating func statement(_ fields: [Field]) {
            let reference = fields[0].lines.joined().trimmingCharacters(in: .whitespaces)
            var account: String?
            var number: String?
            var currency: Currency?
            var credits: [BankCredit] = []
            var leftOut: [LeftOutEntry] = []
            var entryIndex = 0
            var position = 1
            while position < fields.count {
                let field = fields[position]
                let value = field.lines[0].trimmingCharacters(in: .whitespaces)
                switch field.tag {
                case "25":
                    account = value
                case "28", "28C":
                    number = value
                case "60F", "60M":
                    currency = balanceCurrency(field)
                case "61":
                    entryIndex += 1
                    var information: [String] = []
                    if position + 1 < fields.count, fields[position + 1].tag == "86" {
                        information = fields[position + 1].lines
                        position += 1
                    }
                    guard let currency else {
                        report(
                            field.line, field.column, ":61:",
                            "a statement line before the opening balance (:60F:), which gives its currency")
                        break
                    }
                    let line: MT940.StatementLine
                    do {
                        line = try MT940.statementLine(field.lines[0], currency: currency)
                    } catch {
                        report(field.line, field.column + error.offset, ":61:", error.message)
                        break
                    }
                    switch line.mark {
                    case .credit:
                        credits.append(
                            credit(
                                line, supplementary: field.lines.count > 1 ? field.lines[1] : nil,
                                information: information, entryIndex: entryIndex, lineNumber: field.line))
                    case .debit, .reversalOfCredit, .reversalOfDebit:
                        leftOut.append(
                            LeftOutEntry(
                                reason: line.mark == .debit ? .debit : .reversal, entryIndex: entryIndex,
                                amount: line.amount, status: line.mark.rawValue, line: field.line))
                    }
                default:
                    break  // :62F:, :64:, :65:, statement-level :86:: not needed to match payments
                }
                position += 1
            }
            guard let account, !account.isEmpty else {
                return report(fields[0].line, 1, ":25:", "statement \(reference) names no account (:25:)")
            }
            if currency == nil {
                report(fields[0].line, 1, ":60F:", "statement \(reference) has no opening balance (:60F: or :60M:)")
            }
            let id = number.map { "\(reference)/\($0)" } ?? reference
            let iban = account.filter { !$0.isWhitespace }
            let isIBAN =
                iban.count >= 15 && iban.count <= 34 && iban.prefix(2).allSatisfy(\.isLetter)
                && iban.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            statements.append(
                BankStatement(
                    id: id, account: isIBAN ? .iban(iban) : .other(account), currency: currency, entries: credits,
                    leftOut: leftOut))
        }

        // `:60F:` is mark, YYMMDD, currency, amount: the currency is what the statement lines are in.
        private mutating func balanceCurrency(_ field: Field) -> Currency? {
            let value = Array(field.lines[0])
            guard value.count >= 10 else {
                report(field.line, field.column, ":\(field.tag):", "the opening balance is too short")
                return nil
            }
            let code = String(value[7..<10])
            guard let currency = Currency(code: code), currency.code == code else {
                report(field.line, field.column + 7, ":\(field.tag):", "'\(code)' is not an ISO 4217 currency code")
                return nil
            }
            return currency
        }

        private func credit(
            _ line: MT940.StatementLine, supplementary: String?, information: [String], entryIndex: Int,
            lineNumber: Int
        ) -> BankCredit {
            let info = Information(information)
            let customerReference = line.customerReference == "NONREF" ? nil : line.customerReference
            return BankCredit(
                amount: line.amount, bookingDate: line.entryDate ?? line.valueDate, valueDate: line.valueDate,
                reference: info.creditorReference, referenceIssuer: nil,
                endToEndId: info.endToEndId ?? customerReference.flatMap { $0.isEmpty ? nil : $0 },
                debtorName: info.name, debtorIBAN: info.iban, remittance: info.remittance,
                additionalInfo: supplementary.flatMap { $0.isEmpty ? nil : $0 }, bankReference: line.bankReference,
                entryIndex: entryIndex, transactionIndex: 1, line: lineNumber)
        }
    }

    /// What a `:86:` field says about the payer and the payment.
    fileprivate struct Information {
        var remittance: [String] = []
        var name: String?
        var iban: String?
        var endToEndId: String?
        var creditorReference: String?

        init(_ lines: [String]) {
            let joined = lines.joined()
            if joined.count > 4, joined.prefix(3).allSatisfy(\.isNumber), joined.dropFirst(3).first == "?" {
                readGerman(joined)
            } else if joined.contains("/REMI/") || joined.contains("/EREF/") || joined.contains("/NAME/") {
                readSlashed(joined)
            } else {
                remittance = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }

        // `166?00GUTSCHRIFT?20EREF+E2E1?21SVWZ+INV 1001?32MUELLER GMBH?31DE89370400440532013000`
        private mutating func readGerman(_ text: String) {
            var subfields: [(code: Int, value: String)] = []
            let parts = text.split(separator: "?", omittingEmptySubsequences: false).dropFirst()
            for part in parts where part.count >= 2 {
                guard let code = Int(part.prefix(2)) else { continue }
                subfields.append((code, String(part.dropFirst(2))))
            }
            let purpose = subfields.filter { (20...29).contains($0.code) || (60...63).contains($0.code) }
                .map(\.value).joined()
            name = nonEmpty(subfields.filter { $0.code == 32 || $0.code == 33 }.map(\.value).joined())
            iban = nonEmpty(subfields.first { $0.code == 31 }?.value ?? "")
            // SEPA keywords inside the purpose: EREF+ end-to-end id, SVWZ+ remittance, others skipped.
            let keywords = ["EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+"]
            var found: [(keyword: String, range: Range<String.Index>)] = []
            for keyword in keywords {
                var start = purpose.startIndex
                while let range = purpose.range(of: keyword, range: start..<purpose.endIndex) {
                    found.append((keyword, range))
                    start = range.upperBound
                }
            }
            found.sort { $0.range.lowerBound < $1.range.lowerBound }
            guard !found.isEmpty else {
                remittance = nonEmpty(purpose).map { [$0] } ?? []
                return
            }
            for (position, item) in found.enumerated() {
                let end = position + 1 < found.count ? found[position + 1].range.lowerBound : purpose.endIndex
                let value = String(purpose[item.range.upperBound..<end]).trimmingCharacters(in: .whitespaces)
                switch item.keyword {
                case "EREF+": endToEndId = value == "NOTPROVIDED" ? nil : nonEmpty(value)
                case "SVWZ+": if let text = nonEmpty(value) { remittance.append(text) }
                case "ABWA+": if name == nil { name = nonEmpty(value) }
                default: break
                }
            }
        }

        // `/EREF/E2E1/REMI/USTD//INV 1001 INV 1002/NAME/ACME BV/IBAN/NL91ABNA0417164300/`
        private mutating func readSlashed(_ text: String) {
            let tags = [
                "EREF", "REMI", "NAME", "IBAN", "CNTP", "ORDP", "BENM", "CSID", "MARF", "PREF", "RTRN", "TRCD", "BIC",
                "ADDR", "ID", "SVCL", "ULTD", "ULTC", "PURP", "IREF", "BUSP",
            ]
            var found: [(tag: String, range: Range<String.Index>)] = []
            for tag in tags {
                var start = text.startIndex
                while let range = text.range(of: "/\(tag)/", range: start..<text.endIndex) {
                    found.append((tag, range))
                    start = range.upperBound
                }
            }
            found.sort { $0.range.lowerBound < $1.range.lowerBound }
            // A tag's text may itself contain "/NAME/"-like text only by accident; the first reading wins.
            var values: [String: String] = [:]
            var last = text.startIndex
            for (position, item) in found.enumerated() where item.range.lowerBound >= last {
                let end =
                    found[(position + 1)...].first { $0.range.lowerBound >= item.range.upperBound }?.range.lowerBound
                    ?? text.endIndex
                var value = String(text[item.range.upperBound..<end])
                while value.hasSuffix("/") { value.removeLast() }
                if values[item.tag] == nil { values[item.tag] = value }
                last = end
            }
            endToEndId = values["EREF"].flatMap { $0 == "NOTPROVIDED" ? nil : nonEmpty($0) }
            name = values["NAME"].flatMap(nonEmpty)
            iban = values["IBAN"].flatMap(nonEmpty)
            if let counterparty = values["CNTP"] {
                // CNTP/account/BIC/name/city
                let parts = counterparty.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if iban == nil, let first = parts.first { iban = nonEmpty(first) }
                if name == nil, parts.count > 2 { name = nonEmpty(parts[2]) }
            }
            if let remi = values["REMI"] {
                if remi.hasPrefix("STRD/CUR/") || remi.hasPrefix("STRD/ISO/") {
                    creditorReference = nonEmpty(String(remi.dropFirst(9)))
                } else if remi.hasPrefix("USTD//") {
                    remittance = nonEmpty(String(remi.dropFirst(6))).map { [$0] } ?? []
                } else {
                    remittance = nonEmpty(remi).map { [$0] } ?? []
                }
            }
        }

        private func nonEmpty(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}
