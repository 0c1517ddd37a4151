import DulyCore
import DulyImport
import DulyStore
import Foundation

/// `duly import invoices|customers|payments FILE --mapping NAME|FILE.yaml`: another CSV layout through a mapping.
///
/// Invoices stream in two passes so that a file of any size imports in constant memory: the first reads the whole
/// file and checks every row, and asks the database about each batch (an unknown customer, an invoice number stored
/// with other values), so that every problem is reported at once; nothing is written, and any problem refuses the
/// file unless --skip-invalid. The second reads it again and writes it batch by batch inside one transaction, so that
/// a late refusal by the database still leaves nothing imported. Customers and payments files are small and are read
/// whole, as Duly's own CSV import does.
struct MappedImport {
    let kind: ImportCommand.Kind
    let path: String
    let mapping: String
    let json: Bool
    let skipInvalid: Bool
    static let batchRows = 10_000

    func run(store: any StoreBackend, organisation: Organisation, context: RecordingContext) async throws {
        guard let csvKind = CSVMapping.Kind(rawValue: kind.rawValue) else {
            throw CLIError("--mapping is for customers, invoices and payments files")
        }
        let mapping = try resolve(csvKind)
        do {
            switch csvKind {
            case .invoices:
                try await importInvoices(mapping, store: store, organisation: organisation, context: context)
            case .customers:
                let stream = try MappedCSV.customers(at: path, mapping: mapping)
                let parsed = try stream.readAll()
                let checked = check(parsed, problems: [], stream.sourceColumns)
                try ImportChecks.refuseOrSkip(checked, file: path, skipInvalid: skipInvalid)
                let summary = try await located(checked.records, key: { $0.customer.id }, field: "customer_id") {
                    try await store.importCustomers(checked.values, organisationID: organisation.id, context: context)
                }
                try report(summary, rows: parsed.rowCount, skipped: checked.invalidRows, mapping: mapping)
            case .payments:
                let stream = try MappedCSV.payments(at: path, mapping: mapping)
                let parsed = try stream.readAll()
                let refusals = try await store.importRefusals(
                    payments: parsed.values, organisationID: organisation.id)
                let problems =
                    RecordProblem.futureDated(parsed.records, today: context.date) + refusals.map(RecordProblem.init)
                let checked = check(parsed, problems: problems, stream.sourceColumns)
                try ImportChecks.refuseOrSkip(checked, file: path, skipInvalid: skipInvalid)
                let summary = try await located(checked.records, key: { $0.customerID }, field: "customer_id") {
                    try await store.importPayments(checked.values, organisationID: organisation.id, context: context)
                }
                try report(summary, rows: parsed.rowCount, skipped: checked.invalidRows, mapping: mapping)
            }
        } catch let error as CSVError {
            printError("\(error)")
            printError("Nothing was imported.")
            throw DulyExit.badData
        }
    }

    /// A built-in mapping by name, or a YAML file.
    private func resolve(_ kind: CSVMapping.Kind) throws -> CSVMapping {
        if let builtIn = CSVMapping.builtIn(named: mapping, kind: kind) { return builtIn }
        guard FileManager.default.fileExists(atPath: mapping), let data = FileManager.default.contents(atPath: mapping)
        else {
            if CSVMapping.builtIn(named: mapping, kind: .invoices) != nil {
                printError("the built-in mapping '\(mapping)' has no layout for \(kind.rawValue) files")
            } else {
                printError(
                    "\(mapping): neither a built-in mapping (\(CSVMapping.builtInNames)) nor a mapping file")
            }
            throw DulyExit.noInput
        }
        do {
            return try CSVMapping.parse(yaml: String(decoding: data, as: UTF8.self), fileName: mapping, kind: kind)
        } catch {
            for issue in error.issues { printError(issue.description) }
            printError("\(mapping): the mapping cannot be used; nothing was imported.")
            throw DulyExit.badData
        }
    }

    // MARK: - Invoices, streamed

    private func importInvoices(
        _ mapping: CSVMapping, store: any StoreBackend, organisation: Organisation, context: RecordingContext
    ) async throws {
        // Pass 1: check every row, and ask the database about each batch; keep no records.
        let checking = Progress(label: "Checking \(path)")
        let stream = try MappedCSV.invoices(at: path, mapping: mapping, boundedMemory: true)
        var checked = CheckedFile<Invoice>(records: [], issues: [], rows: 0, reasons: [])
        var invalidLines = Set<Int>()
        while let batch = try stream.nextBatch(maxRows: Self.batchRows) {
            let refusals = try await store.importRefusals(invoices: batch.values, organisationID: organisation.id)
            let found = check(batch, problems: refusals.map(RecordProblem.init), stream.sourceColumns)
            checked.absorb(found)
            invalidLines.formUnion(found.issues.map(\.line))
            checking.update(checked.rows, unit: "rows")
        }
        checking.finish()
        try ImportChecks.refuseOrSkip(checked, file: path, skipInvalid: skipInvalid)
        // Pass 2: the same rows again, less the invalid ones, written batch by batch in one transaction.
        let feed = BatchFeed(
            stream: try MappedCSV.invoices(at: path, mapping: mapping, boundedMemory: true),
            progress: Progress(label: "Importing \(path)"), total: checked.rows, skipping: invalidLines)
        let summary: ImportSummary
        do {
            summary = try await store.importInvoiceBatches(
                organisationID: organisation.id, context: context, next: { try feed.next() })
            feed.progress.finish()
        } catch let error as StoreError {
            feed.progress.finish()
            try locate(error, mapping: mapping)
            throw error
        }
        try report(summary, rows: checked.rows, skipped: checked.invalidRows, mapping: mapping)
    }

    /// Hands the store one batch at a time; lives on the store's writer while the import runs.
    private final class BatchFeed: @unchecked Sendable {
        let stream: MappedCSVStream<Invoice>
        let progress: Progress
        let total: Int
        /// The lines pass 1 found invalid, which --skip-invalid leaves out.
        let skipping: Set<Int>
        var done = 0

        init(stream: MappedCSVStream<Invoice>, progress: Progress, total: Int, skipping: Set<Int>) {
            self.stream = stream
            self.progress = progress
            self.total = total
            self.skipping = skipping
        }

        func next() throws -> [Invoice]? {
            guard let batch = try stream.nextBatch(maxRows: MappedImport.batchRows) else { return nil }
            // The file was checked a moment ago; a new problem now means it changed underneath.
            if let issue = batch.issues.first(where: { !skipping.contains($0.line) }) {
                throw CLIError("\(issue) (the file changed while it was being imported)")
            }
            done += batch.rowCount
            progress.update(done, of: total, unit: "rows")
            return batch.records.filter { !skipping.contains($0.line) }.map(\.value)
        }
    }

    /// Names the row a store refusal is about, reading the file a third time to find it.
    private func locate(_ error: StoreError, mapping: CSVMapping) throws {
        let key: String
        let field: String
        switch error {
        case .customerNotFound(let id): (key, field) = (id, "customer_id")
        case .conflict(_, let number, _): (key, field) = (number, "invoice_number")
        default: return
        }
        let stream = try MappedCSV.invoices(at: path, mapping: mapping, boundedMemory: true)
        let source = stream.sourceColumns[field]
        while let batch = try stream.nextBatch(maxRows: Self.batchRows) {
            let match = batch.records.first {
                field == "customer_id" ? $0.value.customerID == key : $0.value.number == key
            }
            if let match {
                var message = error.description
                if case .customerNotFound = error { message += " (import customers first)" }
                printError(
                    "\(path):\(match.line):\(source?.column ?? 0): \(source.map { "\($0.header) → " } ?? "")\(field): "
                        + message)
                printError("Nothing was imported.")
                throw DulyExit.badData
            }
        }
    }

    // MARK: - Shared

    // The file's problems and the database's, located in the source file's columns.
    private func check<Record>(
        _ parsed: CSVParseResult<Record>, problems: [RecordProblem],
        _ sourceColumns: [String: (header: String, column: Int)]
    ) -> CheckedFile<Record> {
        ImportChecks.check(parsed, problems: problems) { field in
            sourceColumns[field].map { ($0.column, "\($0.header) → \(field)") } ?? (0, "constant → \(field)")
        }
    }

    private func located<Record>(
        _ records: [CSVRecord<Record>], key: (Record) -> String, field: String,
        _ write: () async throws -> ImportSummary
    ) async throws -> ImportSummary {
        do {
            return try await write()
        } catch let error as StoreError {
            let wanted: String
            switch error {
            case .customerNotFound(let id), .conflict(_, let id, _): wanted = id
            default: throw error
            }
            if let record = records.first(where: { key($0.value) == wanted }) {
                printError("\(path):\(record.line): \(field): \(error.description)")
            } else {
                printError("\(path): \(error.description)")
            }
            printError("Nothing was imported.")
            throw DulyExit.badData
        }
    }

    private func report(_ summary: ImportSummary, rows: Int, skipped: Int, mapping: CSVMapping) throws {
        if json {
            try JSONOutput.printLine(
                ImportOutcome(
                    summary, payments: kind == .payments ? summary.payments : nil, file: path, kind: kind.rawValue,
                    mapping: mapping.name, rows: rows, skipped: skipped))
            return
        }
        var parts = ["\(summary.inserted) new"]
        if summary.updated > 0 { parts.append("\(summary.updated) updated") }
        parts.append("\(summary.unchanged) unchanged")
        if skipped > 0 { parts.append("\(skipped) invalid skipped") }
        print(
            "\(path): \(counted(rows, "row")) of \(kind.rawValue) (mapping \(mapping.name)), "
                + parts.joined(separator: ", ") + ".")
        for line in PaymentOutcomeReport.lines(PaymentTotals(summary.payments)) { print(line) }
    }
}
