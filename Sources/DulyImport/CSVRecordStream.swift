/// A record read from a CSV file, with the line its row starts on.
public struct CSVRecord<Value: Sendable>: Sendable {
    /// The line the row starts on (1-based).
    public var line: Int
    /// The decoded record.
    public var value: Value

    /// Pairs a record with its line.
    public init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }
}

extension CSVRecord: Equatable where Value: Equatable {}
extension CSVRecord: Hashable where Value: Hashable {}

/// What a CSV file (or a batch of its rows) held: the rows that decoded and an issue for each that did not.
///
/// A row with any issue yields no record. Refusing the whole batch when `issues` is not empty is the safe default;
/// importing `records` and reporting `issues` is what `--skip-invalid` does. A bad header (unknown or missing
/// column) stops the reading: the result then has header issues and no records.
public struct CSVParseResult<Record: Sendable>: Sendable {
    /// The file, as the user named it.
    public var file: String
    /// The rows that decoded, in file order.
    public var records: [CSVRecord<Record>]
    /// Everything wrong, in file order.
    public var issues: [ImportIssue]
    /// Data rows read, good and bad (the header not counted).
    public var rowCount: Int
    /// The 1-based column of each of Duly's fields in the file, for problems found after reading (an unknown
    /// customer); a field the file leaves out has none.
    public var columns: [String: Int]

    /// Creates a result.
    public init(
        file: String, records: [CSVRecord<Record>] = [], issues: [ImportIssue] = [], rowCount: Int = 0,
        columns: [String: Int] = [:]
    ) {
        self.file = file
        self.records = records
        self.issues = issues
        self.rowCount = rowCount
        self.columns = columns
    }

    /// Whether nothing was wrong.
    public var isValid: Bool { issues.isEmpty }

    /// The records without their line numbers.
    public var values: [Record] { records.map(\.value) }
}

/// Reads one of Duly's CSV files in batches, so a file of any size can be imported in bounded memory.
///
/// Checks that span rows (duplicate keys) hold across batches. Only a failure to read the file throws; everything
/// wrong with its content becomes an `ImportIssue`.
public final class CSVRecordStream<Record: Sendable> {
    /// The file, as the user named it.
    public let file: String
    /// The 1-based column of each of Duly's fields in the file.
    public let columns: [String: Int]
    private let reader: CSVReader?
    private var pendingIssues: [ImportIssue]
    // Let go once the file is done: the decoder remembers every key of the file (a million invoice numbers).
    private var decode: ((CSVRow, inout [ImportIssue]) -> Record?)?
    private var finished = false

    init(
        file: String, reader: CSVReader?, issues: [ImportIssue], columns: [String: Int] = [:],
        decode: @escaping (CSVRow, inout [ImportIssue]) -> Record?
    ) {
        self.file = file
        self.columns = columns
        self.reader = reader
        self.pendingIssues = issues
        self.decode = decode
        self.finished = reader == nil
    }

    /// The next batch of at most `maxRows` data rows, or nil when the file is done.
    public func nextBatch(maxRows: Int = 10_000) throws(CSVError) -> CSVParseResult<Record>? {
        precondition(maxRows > 0)
        var batch = CSVParseResult<Record>(file: file, issues: pendingIssues, columns: columns)
        pendingIssues = []
        while !finished && batch.rowCount < maxRows {
            let row: CSVRow
            do throws(CSVError) {
                guard let next = try reader?.next() else {
                    finished = true
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
                    batch.issues.append(ImportIssue(error))
                    if !error.isRowLevel { finished = true }
                    continue
                }
            }
            batch.rowCount += 1
            if let record = decode?(row, &batch.issues) {
                batch.records.append(CSVRecord(line: row.line, value: record))
            }
        }
        if finished { decode = nil }
        if batch.rowCount == 0 && batch.issues.isEmpty && finished { return nil }
        return batch
    }

    /// Every remaining row in one result.
    public func readAll() throws(CSVError) -> CSVParseResult<Record> {
        var all = CSVParseResult<Record>(file: file, columns: columns)
        while let batch = try nextBatch(maxRows: Int.max) {
            // One batch is the usual case: take its arrays rather than copy a million records.
            if all.records.isEmpty { all.records = batch.records } else { all.records += batch.records }
            all.issues += batch.issues
            all.rowCount += batch.rowCount
        }
        return all
    }
}

extension ImportIssue {
    /// The issue a malformed row (or file) amounts to.
    public init(_ error: CSVError) {
        self.init(file: error.file, line: error.line, column: error.column, message: error.message)
    }
}
