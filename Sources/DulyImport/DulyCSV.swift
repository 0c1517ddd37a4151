import DulyCore

/// Duly's own CSV format (docs/PRODUCT.md, "CSV files"): `customers.csv`, `invoices.csv`, `payments.csv`.
///
/// UTF-8, a header row, comma-separated, `.` as the decimal point, ISO dates. Columns may come in any order; optional
/// columns may be left out of the header; a missing required column or an unknown one is an issue naming it.
/// Leading and trailing spaces and tabs around a value are ignored, and an empty value is an absent one.
public enum DulyCSV {
    /// Reads a whole customers file. Throws only when the file cannot be opened or read.
    public static func readCustomers(at path: String) throws(CSVError) -> CSVParseResult<CustomerRecord> {
        try customers(at: path).readAll()
    }

    /// Reads a whole invoices file. Throws only when the file cannot be opened or read.
    public static func readInvoices(at path: String) throws(CSVError) -> CSVParseResult<Invoice> {
        try invoices(at: path).readAll()
    }

    /// Reads a whole payments file. Throws only when the file cannot be opened or read.
    public static func readPayments(at path: String) throws(CSVError) -> CSVParseResult<Payment> {
        try payments(at: path).readAll()
    }

    /// Opens a customers file for reading in batches.
    public static func customers(
        at path: String, separator: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) -> CSVRecordStream<CustomerRecord> {
        try stream(CustomerRowDecoder.self, file: path) { () throws(CSVError) in
            try CSVReader(path: path, separator: separator)
        }
    }

    /// Opens an invoices file for reading in batches.
    public static func invoices(
        at path: String, separator: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) -> CSVRecordStream<Invoice> {
        try stream(InvoiceRowDecoder.self, file: path) { () throws(CSVError) in
            try CSVReader(path: path, separator: separator)
        }
    }

    /// Opens a payments file for reading in batches.
    public static func payments(
        at path: String, separator: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) -> CSVRecordStream<Payment> {
        try stream(PaymentRowDecoder.self, file: path) { () throws(CSVError) in
            try CSVReader(path: path, separator: separator)
        }
    }

    /// Reads customers from bytes in memory (an upload); `fileName` is what issues name.
    public static func customers(bytes: [UInt8], fileName: String) -> CSVParseResult<CustomerRecord> {
        readAll(CustomerRowDecoder.self, bytes: bytes, fileName: fileName)
    }

    /// Reads invoices from bytes in memory (an upload); `fileName` is what issues name.
    public static func invoices(bytes: [UInt8], fileName: String) -> CSVParseResult<Invoice> {
        readAll(InvoiceRowDecoder.self, bytes: bytes, fileName: fileName)
    }

    /// Reads payments from bytes in memory (an upload); `fileName` is what issues name.
    public static func payments(bytes: [UInt8], fileName: String) -> CSVParseResult<Payment> {
        readAll(PaymentRowDecoder.self, bytes: bytes, fileName: fileName)
    }

    /// The columns of each file, required ones first, in the documented order.
    public static let customerColumns = CustomerRowDecoder.columns.map(\.name)
    /// The columns of `invoices.csv`.
    public static let invoiceColumns = InvoiceRowDecoder.columns.map(\.name)
    /// The columns of `payments.csv`.
    public static let paymentColumns = PaymentRowDecoder.columns.map(\.name)

    // MARK: - Plumbing

    private static func stream<Decoder: RowDecoder>(
        _ decoderType: Decoder.Type, file: String, open: () throws(CSVError) -> CSVReader
    ) throws(CSVError) -> CSVRecordStream<Decoder.Record> {
        let reader: CSVReader
        do throws(CSVError) {
            reader = try open()
        } catch {
            switch error.reason {
            case .cannotOpen, .readFailed: throw error
            default: return CSVRecordStream(file: file, reader: nil, issues: [ImportIssue(error)]) { _, _ in nil }
            }
        }
        var issues: [ImportIssue] = []
        let columns = resolveHeader(reader, specs: Decoder.columns, issues: &issues)
        guard issues.isEmpty else {
            // A spreadsheet's European export reads as one unknown column per name; one line saying what it is and
            // which mapping reads it helps more than a list of them.
            if let hint = spreadsheetHint(reader, kind: Decoder.kind) { issues = [hint] }
            return CSVRecordStream(file: file, reader: nil, issues: issues) { _, _ in nil }
        }
        let decoder = Decoder(file: file, columns: columns)
        let numbers = Dictionary(
            uniqueKeysWithValues: columns.compactMap { column in column.index.map { (column.name, $0 + 1) } })
        return CSVRecordStream(file: file, reader: reader, issues: [], columns: numbers) { row, issues in
            decoder.decode(row, issues: &issues)
        }
    }

    private static func readAll<Decoder: RowDecoder>(
        _ decoderType: Decoder.Type, bytes: [UInt8], fileName: String
    ) -> CSVParseResult<Decoder.Record> {
        do {
            return try stream(decoderType, file: fileName) { () throws(CSVError) in
                try CSVReader(bytes: bytes, fileName: fileName)
            }.readAll()
        } catch {
            // Bytes in memory can neither fail to open nor fail to read.
            preconditionFailure("reading CSV from memory failed: \(error)")
        }
    }

    // The header of a file separated by `;` or tabs, as spreadsheets with European settings save CSV: which mapping
    // would read it, with the command. Nil when the header does not look like one.
    private static func spreadsheetHint(_ reader: CSVReader, kind: CSVMapping.Kind) -> ImportIssue? {
        let text = reader.header.joined(separator: ",")
        let separator: Character
        if text.contains(";") {
            separator = ";"
        } else if text.contains("\t") {
            separator = "\t"
        } else {
            return nil
        }
        let names = Set(
            text.split(separator: separator, omittingEmptySubsequences: false).map {
                String($0.filter { $0 != "\"" }).trimmingSpaces.lowercased()
            })
        let command = "duly import \(kind.rawValue) \(reader.fileName) --mapping"
        let location = (file: reader.fileName, line: reader.headerLine, column: 1)
        guard separator == ";" else {
            return ImportIssue(
                file: location.file, line: location.line, column: location.column,
                message: "the columns are separated by tabs, not commas; Duly's CSV uses commas: save the file as "
                    + "CSV, or read it with a mapping file that says separator: tab (\(command) FILE.yaml)")
        }
        var suggestions: [String] = []
        if names.isSubset(of: Set(kind.fields)) { suggestions.append("excel-eu") }
        if let german = CSVMapping.builtIn(named: "german-excel", kind: kind),
            Set(german.columns.values.map { $0.lowercased() }).isSubset(of: names)
                || names.isSubset(of: Set(german.columns.values.map { $0.lowercased() }))
        {
            suggestions.append("german-excel")
        }
        let what = "the columns are separated by ';', as a spreadsheet with European settings saves CSV"
        switch suggestions.count {
        case 1:
            return ImportIssue(
                file: location.file, line: location.line, column: location.column,
                message: "\(what); the built-in mapping \(suggestions[0]) reads it: \(command) \(suggestions[0])")
        default:
            return ImportIssue(
                file: location.file, line: location.line, column: location.column,
                message: "\(what); read it through a mapping: \(command) excel-eu (Duly's column names), "
                    + "\(command) german-excel (German column names), or \(command) FILE.yaml")
        }
    }

    // Maps each spec to the index of its column in the header, with an issue for each unknown, repeated or missing
    // column. Header names are compared without surrounding spaces and without regard to case.
    private static func resolveHeader(
        _ reader: CSVReader, specs: [ColumnSpec], issues: inout [ImportIssue]
    ) -> [Column] {
        var indexes = [Int?](repeating: nil, count: specs.count)
        let expected = specs.map(\.name).joined(separator: ", ")
        for (position, rawName) in reader.header.enumerated() {
            let name = rawName.trimmingSpaces.lowercased()
            guard !name.isEmpty else {
                issues.append(
                    ImportIssue(
                        file: reader.fileName, line: reader.headerLine, column: position + 1,
                        message: "a column without a name; the columns are \(expected)"))
                continue
            }
            guard let specIndex = specs.firstIndex(where: { $0.name == name }) else {
                issues.append(
                    ImportIssue(
                        file: reader.fileName, line: reader.headerLine, column: position + 1, field: rawName,
                        message: "unknown column; the columns are \(expected)"))
                continue
            }
            if let earlier = indexes[specIndex] {
                issues.append(
                    ImportIssue(
                        file: reader.fileName, line: reader.headerLine, column: position + 1, field: name,
                        message: "this column appears twice; first as column \(earlier + 1)"))
                continue
            }
            indexes[specIndex] = position
        }
        for (spec, index) in zip(specs, indexes) where spec.required && index == nil {
            issues.append(
                ImportIssue(
                    file: reader.fileName, line: reader.headerLine, column: 1, field: spec.name,
                    message: "required column missing from the header"))
        }
        return zip(specs, indexes).map { Column(name: $0.name, index: $1) }
    }
}

// MARK: - Row decoding

// A column of one of Duly's files, and whether the header must have it. A required column's values must not be empty
// unless the decoder says otherwise (`due_date` may be empty when `terms` gives it).
struct ColumnSpec {
    let name: String
    let required: Bool
}

// A column as found in a header: nil index when the file left an optional column out.
struct Column {
    let name: String
    let index: Int?
}

protocol RowDecoder: AnyObject {
    associatedtype Record: Sendable
    static var kind: CSVMapping.Kind { get }
    static var columns: [ColumnSpec] { get }
    init(file: String, columns: [Column])
    func decode(_ row: CSVRow, issues: inout [ImportIssue]) -> Record?
}

// Reads one row's values, turning each bad one into an issue located at its field.
struct RowFields {
    let file: String
    let row: CSVRow
    private(set) var failed = false

    init(file: String, row: CSVRow) {
        self.file = file
        self.row = row
    }

    /// The value without surrounding spaces and tabs; nil when the column is absent or the value empty.
    func value(_ column: Column) -> String? {
        guard let index = column.index else { return nil }
        return row.withUTF8(field: index) { bytes in
            let trimmed = bytes.trimmingSpaces
            return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
        }
    }

    mutating func fail(_ column: Column, _ message: String, issues: inout [ImportIssue]) {
        failed = true
        let index = column.index ?? 0
        issues.append(
            ImportIssue(
                file: file, line: column.index.map { row.line(ofField: $0) } ?? row.line, column: index + 1,
                field: column.name, message: message))
    }

    /// A value that must be present: an identifier, a name. Control characters (a line break) are refused.
    mutating func required(_ column: Column, _ what: String, issues: inout [ImportIssue]) -> String? {
        switch checkedValue(column) {
        case .absent:
            fail(column, "empty; \(what) is required", issues: &issues)
            return nil
        case .control:
            fail(column, "contains a line break or another control character", issues: &issues)
            return nil
        case .text(let text):
            return text
        }
    }

    private enum Checked {
        case absent
        case control
        case text(String)
    }

    // The trimmed value, checked for control characters on the bytes in the same pass.
    private func checkedValue(_ column: Column) -> Checked {
        guard let index = column.index else { return .absent }
        return row.withUTF8(field: index) { bytes in
            let trimmed = bytes.trimmingSpaces
            guard !trimmed.isEmpty else { return .absent }
            for byte in trimmed where byte < 0x20 || byte == 0x7F { return .control }
            return .text(String(decoding: trimmed, as: UTF8.self))
        }
    }

    /// A date written `YYYY-MM-DD` that exists on the calendar; nil (without an issue) when empty.
    mutating func date(_ column: Column, issues: inout [ImportIssue]) -> LocalDate? {
        guard let index = column.index else { return nil }
        let parsed: DateParse = row.withUTF8(field: index) { parseDate($0.trimmingSpaces) }
        switch parsed {
        case .empty:
            return nil
        case .date(let date):
            return date
        case .malformed:
            fail(column, "'\(value(column) ?? "")' is not a date; write it as YYYY-MM-DD", issues: &issues)
        case .notOnCalendar(let year, let month):
            let reason: String
            if month < 1 || month > 12 {
                reason = "there is no month \(month)"
            } else if year < 1 {
                reason = "there is no year 0"
            } else {
                let days = LocalDate.daysIn(month: month, year: year)
                reason = "\(monthNames[month - 1]) \(year) has \(days) days"
            }
            fail(column, "'\(value(column) ?? "")' is not a real date: \(reason)", issues: &issues)
        }
        return nil
    }

    mutating func requiredDate(_ column: Column, issues: inout [ImportIssue]) -> LocalDate? {
        if value(column) == nil {
            fail(column, "empty; a date (YYYY-MM-DD) is required", issues: &issues)
            return nil
        }
        return date(column, issues: &issues)
    }

    /// Whether the column is absent or its value empty, without making a string.
    func isEmpty(_ column: Column) -> Bool {
        guard let index = column.index else { return true }
        return row.withUTF8(field: index) { $0.trimmingSpaces.isEmpty }
    }

    /// Whether the value is exactly `text`, compared on bytes without making a string.
    func valueEquals(_ column: Column, _ text: String) -> Bool {
        guard let index = column.index else { return false }
        return row.withUTF8(field: index) { $0.trimmingSpaces.elementsEqual(text.utf8) }
    }

    /// A currency code, remembering the last one in `last`: a file rarely switches currency from row to row.
    mutating func currency(
        _ column: Column, last: inout (code: String, currency: Currency)?, issues: inout [ImportIssue]
    ) -> Currency? {
        if let last, valueEquals(column, last.code) { return last.currency }
        let currency = self.currency(column, issues: &issues)
        if let currency, let code = value(column) { last = (code, currency) }
        return currency
    }

    mutating func currency(_ column: Column, issues: inout [ImportIssue]) -> Currency? {
        guard let code = value(column) else {
            fail(column, "empty; a currency code (EUR, USD, GBP) is required", issues: &issues)
            return nil
        }
        guard let currency = Currency(code: code) else {
            fail(column, "'\(code)' is not an ISO 4217 currency code", issues: &issues)
            return nil
        }
        return currency
    }

    /// An amount greater than zero, with no more decimals than the currency has.
    mutating func positiveAmount(_ column: Column, currency: Currency?, issues: inout [ImportIssue]) -> Money? {
        guard let text = value(column) else {
            fail(column, "empty; an amount is required", issues: &issues)
            return nil
        }
        // Without a currency the number of decimals cannot be checked; the currency's own issue says why.
        guard let currency else { return nil }
        let amount: Money
        do throws(MoneyError) {
            amount = try Money(parsing: text, currency: currency)
        } catch {
            var message = error.description
            if text.contains(","), !text.contains("."), text.utf8.allSatisfy({ $0 == 44 || (48...57).contains($0) }) {
                let point = String(text.map { $0 == "," ? "." : $0 })
                message =
                    "'\(text)' is written with a decimal comma; Duly's CSV writes a point (\(point)), or read the "
                    + "file through a mapping that says decimal: \",\" (README, Column mappings)"
            }
            fail(column, message, issues: &issues)
            return nil
        }
        guard amount.minorUnits > 0 else {
            fail(column, "'\(text)' must be more than zero", issues: &issues)
            return nil
        }
        return amount
    }

    /// Text kept as written (a PO number, a reference), refused only if it holds a line break or control character.
    mutating func optionalText(_ column: Column, issues: inout [ImportIssue]) -> String? {
        switch checkedValue(column) {
        case .absent:
            return nil
        case .control:
            fail(column, "contains a line break or another control character", issues: &issues)
            return nil
        case .text(let text):
            return text
        }
    }
}

// Remembers the line each key was first seen on, to name it when the key comes again.
//
// An open-addressing table rather than a `Dictionary`: growing a dictionary of a million strings rehashes every key
// with a fresh `Hasher` each time, which cost a quarter of an invoice import. Here each key is hashed once (with the
// standard library's per-process seeded hash, so a crafted file cannot make lookups collide) and growing moves
// integers. Keys compare by their UTF-8 bytes, as the database's unique index will.
struct KeyRegister {
    private var keys: [String] = []
    private var keyLines: [Int] = []
    // Per slot: the key's hash in the high 32 bits and its index in `keys` plus one in the low 32 (0: empty), so a
    // probe rarely has to look at the keys. The count is a power of two, at most half full.
    private var slots = [UInt64](repeating: 0, count: 1024)

    // Records the key; returns the earlier line when it was already there.
    mutating func register(_ key: String, line: Int) -> Int? {
        var key = key
        let hash = key.withUTF8 { bytes in
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            return UInt64(truncatingIfNeeded: hasher.finalize())
        }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(hash >> 32) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(entry & 0xFFFF_FFFF) - 1
                if keys[index].utf8.elementsEqual(key.utf8) { return keyLines[index] }
            }
            slot = (slot + 1) & mask
        }
        keys.append(key)
        keyLines.append(line)
        slots[slot] = tag | UInt64(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return nil
    }

    // Doubles the table. Slots are picked by the high half of the hash, which each slot keeps: nothing is rehashed.
    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = entry
        }
        slots = larger
    }
}

private let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
]

private enum DateParse {
    case empty
    case malformed
    case notOnCalendar(year: Int, month: Int)
    case date(LocalDate)
}

// Parses `YYYY-MM-DD` straight from bytes: no String, no allocation, on the hottest path of an invoice import.
private func parseDate(_ bytes: UnsafeBufferPointer<UInt8>) -> DateParse {
    guard !bytes.isEmpty else { return .empty }
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return .malformed }
    func number(_ range: Range<Int>) -> Int? {
        var value = 0
        for position in range {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return .malformed }
    guard let date = LocalDate(year: year, month: month, day: day) else {
        return .notOnCalendar(year: year, month: month)
    }
    return .date(date)
}

extension UnsafeBufferPointer<UInt8> {
    // The bytes without leading and trailing spaces and tabs.
    var trimmingSpaces: UnsafeBufferPointer<UInt8> {
        var start = startIndex
        var end = endIndex
        while start < end && (self[start] == 0x20 || self[start] == 0x09) { start += 1 }
        while end > start && (self[end - 1] == 0x20 || self[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }
}

extension String {
    // The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
