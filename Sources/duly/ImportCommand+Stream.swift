import Dispatch
import DulyCore
import DulyImport
import DulyStore

/// Hands a streamed import its batches from a CSV file and gathers every problem found on the way: the rows that do
/// not read, the records `problems` finds (a payment dated after today), and the records the store refuses. Once the
/// file is done it refuses the import (every problem reported, in file order) by throwing, which rolls back
/// everything written, unless --skip-invalid. Lives on the store's writer while the import runs.
final class FileFeed<Record: Sendable>: ImportFeed, @unchecked Sendable {
    private let stream: CSVRecordStream<Record>
    private let batches: ReadAhead<CSVParseResult<Record>>
    private let skipInvalid: Bool
    private let progress: Progress
    private let batchRows: Int
    private let problems: ([CSVRecord<Record>]) -> [RecordProblem]
    /// What the file held so far: rows read, the first hundred problems, and why rows were invalid.
    private(set) var checked = CheckedFile<Record>(records: [], issues: [], rows: 0, reasons: [])
    // The batch handed out last, the positions in it of the records given to the store, and its problems.
    private var batch: CSVParseResult<Record>?
    private var handed: [Int] = []
    private var batchProblems: [RecordProblem] = []

    init(
        _ stream: CSVRecordStream<Record>, skipInvalid: Bool, progress: Progress,
        // Rows per batch: large enough that writing a batch in key order pays, small beside a million rows.
        batchRows: Int = 20_000,
        problems: @escaping ([CSVRecord<Record>]) -> [RecordProblem] = { _ in [] }
    ) {
        self.stream = stream
        batches = ReadAhead { () throws(CSVError) in try stream.nextBatch(maxRows: batchRows) }
        self.skipInvalid = skipInvalid
        self.progress = progress
        self.batchRows = batchRows
        self.problems = problems
    }

    /// The records of the batch handed out last, where a refusal at write time is looked for.
    var currentRecords: [CSVRecord<Record>] { handed.compactMap { batch?.records[$0] } }

    func next() throws -> [Record]? {
        settle()
        guard let batch = try batches.next() else {
            if !checked.issues.isEmpty { progress.finish() }
            try ImportChecks.refuseOrSkip(checked, file: stream.file, skipInvalid: skipInvalid)
            return nil
        }
        batchProblems = problems(batch.records)
        let excluded = Set(batchProblems.map(\.index))
        handed = batch.records.indices.filter { !excluded.contains($0) }
        self.batch = batch
        progress.update(checked.rows + batch.rowCount, unit: "rows")
        return handed.map { batch.records[$0].value }
    }

    func refuse(_ refusals: [ImportRefusal]) {
        batchProblems += refusals.map { refusal in
            var problem = RecordProblem(refusal)
            problem.index = handed[refusal.index]
            return problem
        }
    }

    var writes: Bool {
        skipInvalid || (checked.issues.isEmpty && (batch?.issues.isEmpty ?? true) && batchProblems.isEmpty)
    }

    // Folds the last batch's problems into the file's.
    private func settle() {
        guard let batch else { return }
        let columns = batch.columns
        checked.absorb(ImportChecks.check(batch, problems: batchProblems) { field in (columns[field] ?? 1, field) })
        self.batch = nil
        handed = []
        batchProblems = []
    }
}

/// Reads the next batch on a thread of its own while the caller writes the one before: parsing a file and writing
/// it share two cores rather than taking turns on one (BENCHMARKS.md, "A first load on two cores").
/// One batch is read ahead, no more, so memory holds at most two.
final class ReadAhead<Batch>: @unchecked Sendable {
    // Unchecked: `read` and `result` are used by one thread at a time. The reading thread runs only between
    // `start` and the caller's `wait` on its work item, which orders what it wrote before what the caller reads.
    private let read: () throws(CSVError) -> Batch?
    private let queue = DispatchQueue(label: "duly.import.read-ahead", qos: .userInitiated)
    private var reading: DispatchWorkItem?
    private var result: Result<Batch?, CSVError> = .success(nil)

    init(_ read: @escaping () throws(CSVError) -> Batch?) {
        self.read = read
    }

    /// The next batch, read while the last one was being written (the first is read when asked for); nil at the end.
    func next() throws(CSVError) -> Batch? {
        if reading == nil { start() }
        reading?.wait()
        reading = nil
        let batch = try result.get()
        if batch != nil { start() }
        return batch
    }

    private func start() {
        let item = DispatchWorkItem { [self] in
            result = Result { () throws(CSVError) -> Batch? in try read() }
        }
        reading = item
        queue.async(execute: item)
    }
}
