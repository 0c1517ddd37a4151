import DulyCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a CSV file of another layout through a ``CSVMapping``, in batches, as Duly records.
///
/// Each source row's mapped values are converted to Duly's format (dates to ISO, amounts to `.` decimals without
/// thousands separators, terms through the mapping's table) and then checked by the same rules as Duly's own CSV
/// files. Issues name the source file, line and column, and the field as `source header → duly_field`.
///
/// A Windows-1252 file is first converted to a temporary UTF-8 copy (removed when the stream ends), reading the file
/// once in fixed-size chunks; a UTF-8 sequence found in it (a file of mixed encodings) is an issue, not mojibake.
public enum MappedCSV {
    /// Opens an invoices file. With `boundedMemory`, invoice numbers are checked for repeats within each batch only
    /// (the store then refuses a repeat with different values), so that memory does not grow with the file.
    public static func invoices(
        at path: String, mapping: CSVMapping, boundedMemory: Bool = false
    ) throws(CSVError) -> MappedCSVStream<Invoice> {
        try MappedCSVStream(InvoiceRowDecoder.self, path: path, mapping: mapping, kind: .invoices, fresh: boundedMemory)
    }

    /// Opens a customers file.
    public static func customers(
        at path: String, mapping: CSVMapping
    ) throws(CSVError) -> MappedCSVStream<
        CustomerRecord
    > {
        try MappedCSVStream(CustomerRowDecoder.self, path: path, mapping: mapping, kind: .customers, fresh: false)
    }

    /// Opens a payments file.
    public static func payments(at path: String, mapping: CSVMapping) throws(CSVError) -> MappedCSVStream<Payment> {
        try MappedCSVStream(PaymentRowDecoder.self, path: path, mapping: mapping, kind: .payments, fresh: false)
    }
}

/// A mapped file being read; see ``MappedCSV``.
public final class MappedCSVStream<Record: Sendable> {
    /// The file, as the user named it.
    public let file: String
    /// The source column header each Duly field is read from (nil: a constant, or not mapped), for messages.
    public let sourceColumns: [String: (header: String, column: Int)]

    private enum Source {
        case column(Int, header: String)
        case constant([UInt8])
        case absent
    }

    private let mapping: CSVMapping
    private let kind: CSVMapping.Kind
    private let reader: CSVReader?
    private var pendingIssues: [ImportIssue]
    private var finished: Bool
    private let sources: [Source]
    private let fields: [String]
    private let dateTokens: [[DateFormat.Token]]
    private let makeDecoder: () -> (CSVRow, inout [ImportIssue]) -> Record?
    private var decode: (CSVRow, inout [ImportIssue]) -> Record?
    private let freshDecoderPerBatch: Bool
    private var previous: [[UInt8]]?
    private var temporaryPath: String?

    init<Decoder: RowDecoder>(
        _ decoderType: Decoder.Type, path: String, mapping: CSVMapping, kind: CSVMapping.Kind, fresh: Bool
    ) throws(CSVError) where Decoder.Record == Record {
        self.file = path
        self.mapping = mapping
        self.kind = kind
        self.fields = kind.fields
        self.dateTokens = ([mapping.dateFormat] + mapping.otherDateFormats).map(DateFormat.tokens)
        self.freshDecoderPerBatch = fresh
        let columns = Decoder.columns.enumerated().map { Column(name: $0.element.name, index: $0.offset) }
        let makeDecoder: () -> (CSVRow, inout [ImportIssue]) -> Record? = {
            let decoder = Decoder(file: path, columns: columns)
            return { row, issues in decoder.decode(row, issues: &issues) }
        }
        self.makeDecoder = makeDecoder
        self.decode = makeDecoder()
        var issues: [ImportIssue] = []
        var readPath = path
        if mapping.encoding == .windows1252 {
            switch Windows1252.convert(path, separator: mapping.separator) {
            case .success(let converted):
                readPath = converted
                temporaryPath = converted
            case .failure(let issue):
                if issue.line == 0 {
                    throw CSVError(file: path, line: 0, column: 0, reason: .cannotOpen(issue.message))
                }
                issues.append(issue)
            }
        }
        var reader: CSVReader?
        if issues.isEmpty {
            do throws(CSVError) {
                reader = try CSVReader(path: readPath, fileName: path, separator: mapping.separator)
            } catch {
                switch error.reason {
                case .cannotOpen, .readFailed: throw error
                default: issues.append(MappedCSVStream.issue(error, mapping: mapping))
                }
            }
        }
        // Each field's source: a header of the file, a constant, or nothing.
        var sources: [Source] = []
        var sourceColumns: [String: (header: String, column: Int)] = [:]
        let header = reader?.header.map { $0.trimmingSpaces.lowercased() } ?? []
        for field in kind.fields {
            if let name = mapping.columns[field] {
                if let index = header.firstIndex(of: name.trimmingSpaces.lowercased()) {
                    sources.append(.column(index, header: reader!.header[index].trimmingSpaces))
                    sourceColumns[field] = (reader!.header[index].trimmingSpaces, index + 1)
                } else {
                    sources.append(.absent)
                    if let reader, !mapping.optionalColumns.contains(field) {
                        issues.append(
                            ImportIssue(
                                file: path, line: reader.headerLine, column: 1, field: "\(name) → \(field)",
                                message: "the mapping '\(mapping.name)' reads \(field) from a column '\(name)', which "
                                    + "this file does not have; its columns are "
                                    + reader.header.map { $0.trimmingSpaces }.joined(separator: ", ")))
                    }
                }
            } else if let value = mapping.constants[field] {
                sources.append(.constant(Array(value.utf8)))
            } else {
                sources.append(.absent)
            }
        }
        self.sources = sources
        self.sourceColumns = sourceColumns
        self.pendingIssues = issues
        self.reader = issues.isEmpty ? reader : nil
        self.finished = !issues.isEmpty || reader == nil
        if finished { removeTemporaryFile() }
    }

    deinit { removeTemporaryFile() }

    private func removeTemporaryFile() {
        if let temporaryPath { unlink(temporaryPath) }
        temporaryPath = nil
    }

    /// The next batch of at most `maxRows` data rows, or nil when the file is done.
    public func nextBatch(maxRows: Int = 10_000) throws(CSVError) -> CSVParseResult<Record>? {
        precondition(maxRows > 0)
        var batch = CSVParseResult<Record>(file: file, issues: pendingIssues)
        pendingIssues = []
        if freshDecoderPerBatch { decode = makeDecoder() }
        while !finished && batch.rowCount < maxRows {
            let row: CSVRow
            do throws(CSVError) {
                guard let next = try reader?.next() else {
                    finished = true
                    removeTemporaryFile()
                    break
                }
                row = next
            } catch {
                switch error.reason {
                case .cannotOpen, .readFailed:
                    finished = true
                    throw error
                default:
                    batch.rowCount += 1
                    batch.issues.append(MappedCSVStream.issue(error, mapping: mapping))
                    if !error.isRowLevel { finished = true }
                    continue
                }
            }
            batch.rowCount += 1
            if let record = convert(row, issues: &batch.issues) {
                batch.records.append(CSVRecord(line: row.line, value: record))
            }
        }
        if batch.rowCount == 0 && batch.issues.isEmpty && finished { return nil }
        return batch
    }

    /// Every remaining row in one result.
    public func readAll() throws(CSVError) -> CSVParseResult<Record> {
        var all = CSVParseResult<Record>(file: file)
        while let batch = try nextBatch(maxRows: Int.max) {
            all.records += batch.records
            all.issues += batch.issues
            all.rowCount += batch.rowCount
        }
        return all
    }

    // MARK: - One row

    private func convert(_ row: CSVRow, issues: inout [ImportIssue]) -> Record? {
        var values: [[UInt8]] = []
        var lines: [Int] = []
        var failedFields: Set<String> = []
        for (position, source) in sources.enumerated() {
            let field = fields[position]
            switch source {
            case .absent:
                values.append([])
                lines.append(row.line)
            case .constant(let bytes):
                values.append(bytes)
                lines.append(row.line)
            case .column(let index, let header):
                let line = row.line(ofField: index)
                lines.append(line)
                let result: Result<[UInt8], MappedValueError> = row.withUTF8(field: index) { raw in
                    convertValue(raw.trimmingSpaces, field: field)
                }
                switch result {
                case .success(let bytes):
                    values.append(bytes)
                case .failure(let error):
                    values.append([])
                    failedFields.insert(field)
                    issues.append(
                        ImportIssue(
                            file: file, line: line, column: index + 1, field: "\(header) → \(field)",
                            message: error.message))
                }
            }
        }
        if failedFields.isEmpty, mapping.mergeRepeatedRows {
            if let previous, previous == values { return nil }
            previous = values
        }
        // The other fields are still checked, so that one pass reports every problem of the row; a field that could
        // not be converted has its issue already, and the decoder's word on it (empty) would only repeat it.
        var decoded: [ImportIssue] = []
        let record = decode(CSVRow(line: row.line, fields: values, lines: lines), &decoded)
        let start = issues.count
        issues += decoded.filter { !failedFields.contains($0.field ?? "") }
        // The decoder speaks of Duly's columns; say which source column each issue is about.
        for position in start..<issues.count {
            guard let name = issues[position].field, let fieldIndex = fields.firstIndex(of: name) else { continue }
            switch sources[fieldIndex] {
            case .column(let index, let header):
                issues[position].column = index + 1
                issues[position].field = "\(header) → \(name)"
            case .constant:
                issues[position].column = 0
                issues[position].field = "constant → \(name)"
            case .absent:
                issues[position].column = 0
                issues[position].field = "(not mapped) → \(name)"
            }
        }
        return failedFields.isEmpty ? record : nil
    }

    private struct MappedValueError: Error {
        var message: String
    }

    private func convertValue(
        _ bytes: UnsafeBufferPointer<UInt8>, field: String
    ) -> Result<[UInt8], MappedValueError> {
        let text = { String(decoding: bytes, as: UTF8.self) }
        if bytes.count > UBL.maximumValueLength {
            return .failure(
                MappedValueError(
                    message: "a value of \(bytes.count) bytes; the longest Duly reads is \(UBL.maximumValueLength)"))
        }
        if bytes.isEmpty { return .success([]) }
        if kind.dateFields.contains(field) {
            let parsed =
                dateTokens.lazy.map { DateFormat.parse(bytes, tokens: $0) }.first {
                    if case .date = $0 { return true } else { return false }
                } ?? .malformed
            switch parsed {
            case .malformed:
                let formats = ([mapping.dateFormat] + mapping.otherDateFormats).joined(separator: " or ")
                if DateFormat.hasTwoDigitYear(bytes) {
                    return .failure(
                        MappedValueError(
                            message: "'\(text())' has a two-digit year, whose century would be a guess; write the "
                                + "year in full (\(formats))"))
                }
                return .failure(MappedValueError(message: "'\(text())' is not a date written \(formats)"))
            case .date(let year, let month, let day):
                guard LocalDate(year: year, month: month, day: day) != nil else {
                    let reason =
                        (1...12).contains(month)
                        ? "\(MonthNames.english[month - 1]) \(year) has \(LocalDate.daysIn(month: month, year: year)) days"
                        : "there is no month \(month)"
                    return .failure(MappedValueError(message: "'\(text())' is not a real date: \(reason)"))
                }
                func padded(_ value: Int, _ width: Int) -> String {
                    let digits = String(value)
                    return String(repeating: "0", count: max(0, width - digits.count)) + digits
                }
                return .success(Array("\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))".utf8))
            }
        }
        if kind.amountFields.contains(field) {
            return amount(bytes).map { .success($0) }
                ?? .failure(
                    MappedValueError(
                        message:
                            "'\(text())' is not an amount written with '\(Character(Unicode.Scalar(mapping.decimal)))' "
                            + "as the decimal point"
                            + (mapping.thousands.map { " and '\(Character(Unicode.Scalar($0)))' between thousands" }
                                ?? "")
                    ))
        }
        if field == "terms", let notation = mapping.terms[text()] { return .success(Array(notation.utf8)) }
        // Line breaks and tabs inside a quoted value are layout in a spreadsheet cell, not part of a name.
        return .success(bytes.map { $0 == 10 || $0 == 13 || $0 == 9 ? UInt8(ascii: " ") : $0 })
    }

    // `-1.234,56` → `-1234.56`: digits grouped by threes where a thousands separator is used, one decimal point.
    private func amount(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var index = 0
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            output.append(first)
            index = 1
        }
        var groupDigits = 0
        var sawGroup = false
        var integerDigits = 0
        var inFraction = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                output.append(byte)
                if !inFraction {
                    integerDigits += 1
                    groupDigits += 1
                }
            } else if byte == mapping.decimal, !inFraction {
                if sawGroup && groupDigits != 3 { return nil }
                guard integerDigits > 0 else { return nil }
                output.append(UInt8(ascii: "."))
                inFraction = true
            } else if let thousands = mapping.thousands, byte == thousands, !inFraction {
                // The first group has one to three digits, every later one exactly three.
                if integerDigits == 0 || (sawGroup ? groupDigits != 3 : groupDigits > 3) { return nil }
                sawGroup = true
                groupDigits = 0
            } else {
                return nil
            }
        }
        if sawGroup && !inFraction && groupDigits != 3 { return nil }
        return output
    }

    // A reader's error, with its advice about encodings fitted to what the mapping says.
    private static func issue(_ error: CSVError, mapping: CSVMapping) -> ImportIssue {
        var issue = ImportIssue(error)
        if error.reason == .invalidUTF8 {
            issue.message =
                "not valid UTF-8, which the mapping '\(mapping.name)' says the file is: a file of mixed encodings, or "
                + "one saved as Windows-1252 (then say encoding: windows-1252)"
        }
        return issue
    }
}

enum MonthNames {
    static let english = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}

// MARK: - Windows-1252

/// Converts a Windows-1252 file to a temporary UTF-8 copy, refusing one that already holds UTF-8 (mixed encodings).
enum Windows1252 {
    // 0x80–0x9F; nil where the code page defines no character.
    private static let high: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil,
        0x017D, nil, nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, nil, 0x017E, 0x0178,
    ]

    static func convert(_ path: String, separator: UInt8) -> Result<String, ImportIssue> {
        let input = open(path, O_RDONLY)
        guard input >= 0 else {
            return .failure(
                ImportIssue(file: path, line: 0, column: 0, message: String(cString: strerror(errno))))
        }
        defer { close(input) }
        var template = Array("\(temporaryDirectoryPath())duly-mapped-XXXXXX".utf8CString)
        let output = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard output >= 0 else {
            return .failure(
                ImportIssue(file: path, line: 0, column: 0, message: "cannot make a temporary file"))
        }
        let outputPath = String(cString: template)
        defer { close(output) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var carry: [UInt8] = []
        var line = 1
        var column = 1
        var quoted = false
        var ended = false
        var out: [UInt8] = []
        out.reserveCapacity(chunk * 3)
        func fail(_ message: String) -> Result<String, ImportIssue> {
            unlink(outputPath)
            return .failure(ImportIssue(file: path, line: line, column: column, message: message))
        }
        while !ended {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, chunk) }
            if count < 0 { return fail("cannot read: \(String(cString: strerror(errno)))") }
            ended = count == 0
            let bytes = carry + buffer[0..<count]
            carry = []
            var index = 0
            // Keep up to three bytes back until the end: a UTF-8 sequence may straddle two chunks.
            let limit = ended ? bytes.count : max(0, bytes.count - 3)
            while index < limit {
                let byte = bytes[index]
                if byte < 0x80 {
                    out.append(byte)
                    if byte == UInt8(ascii: "\"") {
                        quoted.toggle()
                    } else if byte == separator && !quoted {
                        column += 1
                    } else if byte == 10 {
                        line += 1
                        if !quoted { column = 1 }
                    }
                    index += 1
                    continue
                }
                if let width = utf8SequenceWidth(bytes, at: index) {
                    let sample = String(decoding: bytes[index..<index + width], as: UTF8.self)
                    return fail(
                        "'\(sample)' is written in UTF-8, but the mapping says the file is Windows-1252: a file of "
                            + "mixed encodings (save it again in one encoding, and say which in the mapping)")
                }
                let scalar: UInt32
                if byte < 0xA0 {
                    guard let defined = high[Int(byte - 0x80)] else {
                        return fail(
                            "byte 0x\(String(byte, radix: 16, uppercase: true)) is not a Windows-1252 character")
                    }
                    scalar = defined
                } else {
                    scalar = UInt32(byte)
                }
                out += Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
                index += 1
            }
            carry = Array(bytes[index...])
            if out.count >= chunk || ended {
                let written = out.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if written != out.count { return fail("cannot write the converted copy") }
                out.removeAll(keepingCapacity: true)
            }
        }
        return .success(outputPath)
    }

    // The length of a well-formed multi-byte UTF-8 sequence starting at `index`, or nil.
    private static func utf8SequenceWidth(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        let width: Int
        switch lead {
        case 0xC2...0xDF: width = 2
        case 0xE0...0xEF: width = 3
        case 0xF0...0xF4: width = 4
        default: return nil
        }
        guard index + width <= bytes.count else { return nil }
        for offset in 1..<width where !(0x80...0xBF).contains(bytes[index + offset]) { return nil }
        return width
    }

    private static func temporaryDirectoryPath() -> String {
        var directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if !directory.hasSuffix("/") { directory += "/" }
        return directory
    }
}
