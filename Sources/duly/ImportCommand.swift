import ArgumentParser
import DulyCore
import DulyImport
import DulyStore
import Foundation

/// `duly import`: customers, invoices or payments from Duly's CSV format, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customers, invoices or payments from Duly's CSV format, or a bank statement.",
        discussion: """
            One transaction: a file with any problem imports nothing (every problem is reported at once, in file \
            order, as file:line:column: message: bad values, unknown customers or invoices, payments dated after \
            today), unless --skip-invalid, which imports the rest and says how many rows it skipped and why. \
            Importing the same file again changes nothing. A payments import says where the money went.
            `duly import ledger FOLDER` is a first load on the embedded database: customers.csv, invoices.csv and \
            payments.csv in one transaction, each row written once (about a quarter faster than the three imports); \
            it is refused once the organisation has invoices or payments.
            `duly import statement FILE` reads a camt.053 or MT940 bank statement and matches its credits to open \
            invoices; what cannot be matched with confidence waits on the worklist (`duly match`).
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case customers, invoices, payments, ubl
        case statement, ledger
    }

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp(
            "What the file holds: customers, invoices or payments; ubl for UBL 2.1 / Peppol BIS 3 XML; statement "
                + "(camt.053 or MT940); or ledger, a folder of all three CSV files loaded at once."))
    var kind: Kind

    @Argument(
        help: ArgumentHelp(
            "The CSV file; for ubl, an XML file or a folder of them; for ledger, the folder holding customers.csv, "
                + "invoices.csv and payments.csv."))
    var file: String

    @Option(
        help: ArgumentHelp(
            "Read another CSV layout through a column mapping: a built-in one (\(CSVMapping.builtInNames)) or a YAML "
                + "file.", valueName: "name|file.yaml"))
    var mapping: String?

    @Flag(help: "Import the good rows and report the bad ones, instead of refusing the whole file.")
    var skipInvalid = false

    @Flag(help: "Print the outcome as one JSON object (a statement: one per credit, with its match).")
    var json = false

    @OptionGroup var asOf: AsOfOption

    func run() async throws {
        if kind == .statement {
            return try await StatementImport(file: file, json: json, asOf: asOf, global: global).run()
        }
        guard kind == .ledger || FileManager.default.isReadableFile(atPath: file) else {
            printError("\(file): cannot read this file")
            throw DulyExit.noInput
        }
        // The organisation's today, or the day the import is for: the day the changes are recorded on, and the
        // last day a payment can have arrived.
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, today, context) = (
            command.store, command.organisation, command.date, command.recording
        )
        if kind == .ubl {
            return try await UBLImport(path: file, json: json).run(
                store: store, organisation: organisation, context: context)
        }
        if kind == .ledger {
            guard mapping == nil else {
                printError("--mapping reads one file; a ledger load takes Duly's CSV format only")
                throw ExitCode.validationFailure
            }
            return try await loadLedger(store: store, organisationID: organisation.id, today: today, context: context)
        }
        if let mapping {
            return try await MappedImport(
                kind: kind, path: file, mapping: mapping, json: json, skipInvalid: skipInvalid
            ).run(store: store, organisation: organisation, context: context)
        }
        let progress = Progress(label: "Importing \(kind.rawValue)")
        progress.update(0, unit: "rows")
        let organisationID = organisation.id
        do {
            switch kind {
            case .customers:
                try await importFile(
                    { try DulyCSV.readCustomers(at: file) }, progress: progress, problems: { _ in [] },
                    write: { try await store.importCustomers($0, organisationID: organisationID, context: context) },
                    column: { record, key, _ in record.customer.id == key ? "customer_id" : nil })
            case .invoices:
                let stream = try DulyCSV.invoices(at: file)
                try await importStreamed(
                    FileFeed(stream, skipInvalid: skipInvalid, progress: progress), progress: progress,
                    columns: stream.columns,
                    write: { feed in
                        (
                            try await store.importInvoices(
                                from: feed, organisationID: organisationID, context: context), nil
                        )
                    },
                    column: Self.invoiceColumn)
            case .payments:
                let stream = try DulyCSV.payments(at: file)
                let feed = FileFeed(stream, skipInvalid: skipInvalid, progress: progress) { records in
                    RecordProblem.futureDated(records, today: today)
                }
                let keepingOutcomes = json
                try await importStreamed(
                    feed, progress: progress, columns: stream.columns,
                    write: { feed in
                        let result = try await store.importPayments(
                            from: feed, organisationID: organisationID, context: context,
                            keepingOutcomes: keepingOutcomes)
                        return (result.summary, result.totals)
                    },
                    column: Self.paymentColumn)
            case .ubl, .statement, .ledger:
                break  // handled above
            }
        } catch let error as CSVError {
            progress.finish()
            printError("\(error)")
            printError("Nothing was imported.")
            throw DulyExit.badData
        }
    }

    /// Parses a file, checks its records against the database, refuses it if anything is wrong (every problem
    /// reported, in file order; unless --skip-invalid), writes it in one transaction, and reports. A refusal by the
    /// store at write time is turned into `file:line:column` with `column`, which names the CSV column a record's key
    /// sits in.
    private func importFile<Record: Sendable>(
        _ parse: () throws -> CSVParseResult<Record>, progress: Progress,
        problems: ([CSVRecord<Record>]) async throws -> [RecordProblem],
        write: ([Record]) async throws -> ImportSummary,
        column: (Record, _ key: String, _ kind: String) -> String?
    ) async throws {
        var parsed = try parse()
        let columns = parsed.columns
        var checked = ImportChecks.check(parsed, problems: try await problems(parsed.records)) { field in
            (columns[field] ?? 1, field)
        }
        // One copy of a large file at a time (a million parsed invoices take about 180 MB): the records become the
        // values the store writes and the lines a refusal is located by, and are then let go.
        parsed.records = []
        if !checked.issues.isEmpty { progress.finish() }
        try ImportChecks.refuseOrSkip(checked, file: file, skipInvalid: skipInvalid)
        let lines = checked.records.map(\.line)
        var values = checked.values
        let skipped = checked.invalidRows
        checked.records = []
        do {
            let summary = try await write(values)
            values = []
            progress.finish()
            try report(summary, totals: nil, rows: parsed.rowCount, skipped: skipped)
        } catch let error as StoreError {
            progress.finish()
            throw located(error, values: values, lines: lines, columns: columns, column: column)
        }
    }

    /// Reads, checks and writes a file in one pass, batch by batch inside one transaction (see `FileFeed`): memory
    /// holds a batch, not the file. A refusal by the store at write time is located in the batch it came from.
    func importStreamed<Record: Sendable>(
        _ feed: FileFeed<Record>, progress: Progress, columns: [String: Int],
        write: (FileFeed<Record>) async throws -> (ImportSummary, PaymentTotals?),
        column: (Record, _ key: String, _ kind: String) -> String?
    ) async throws {
        do {
            let (summary, totals) = try await write(feed)
            progress.finish()
            try report(summary, totals: totals, rows: feed.checked.rows, skipped: feed.checked.invalidRows)
        } catch let error as StoreError {
            progress.finish()
            let records = feed.currentRecords
            throw located(
                error, values: records.map(\.value), lines: records.map(\.line), columns: columns, column: column)
        }
    }

    /// The CSV column an invoice's key sits in, for a refusal of `kind` ("customer" or "invoice") about `key`.
    static func invoiceColumn(_ record: Invoice, _ key: String, _ kind: String) -> String? {
        kind == "customer"
            ? (record.customerID == key ? "customer_id" : nil) : (record.number == key ? "invoice_number" : nil)
    }

    /// The CSV column a payment's key sits in, for a refusal of `kind` ("customer" or "payment") about `key`.
    static func paymentColumn(_ record: Payment, _ key: String, _ kind: String) -> String? {
        kind == "customer" ? (record.customerID == key ? "customer_id" : nil) : (record.id == key ? "payment_id" : nil)
    }

    private func report(_ summary: ImportSummary, totals: PaymentTotals?, rows: Int, skipped: Int) throws {
        if json {
            try JSONOutput.printLine(
                ImportOutcome(
                    summary, payments: totals.map { $0.outcomes ?? [] }, file: file, kind: kind.rawValue, rows: rows,
                    skipped: skipped))
            return
        }
        for line in lines(summary, totals: totals, file: file, kind: kind.rawValue, rows: rows, skipped: skipped) {
            print(line)
        }
    }

    /// What an import of one file did, in words: a line of counts, and for payments where the money went.
    func lines(
        _ summary: ImportSummary, totals: PaymentTotals?, file: String, kind: String, rows: Int, skipped: Int
    ) -> [String] {
        var parts = ["\(summary.inserted) new"]
        if summary.updated > 0 { parts.append("\(summary.updated) updated") }
        parts.append("\(summary.unchanged) unchanged")
        if skipped > 0 { parts.append("\(skipped) invalid skipped") }
        return ["\(file): \(counted(rows, "row")) of \(kind), " + parts.joined(separator: ", ") + "."]
            + (totals.map(PaymentOutcomeReport.lines) ?? [])
    }

    /// Turns a store refusal into `file:line:column: message` by finding the row it is about (in `file`, this
    /// command's unless said).
    func located<Record>(
        _ error: StoreError, values: [Record], lines: [Int], columns: [String: Int],
        column: (Record, String, String) -> String?, file: String? = nil
    ) -> Error {
        let file = file ?? self.file
        let key: String
        let kindName: String
        switch error {
        case .customerNotFound(let id):
            (key, kindName) = (id, "customer")
        case .conflict(let kind, let conflictKey, _):
            (key, kindName) = (conflictKey, kind)
        default:
            return error
        }
        for (value, line) in zip(values, lines) {
            if let name = column(value, key, kindName) {
                var message = error.description
                if case .customerNotFound = error { message += " (import customers first)" }
                printError("\(file):\(line):\(columns[name] ?? 1): \(message)")
                printError("Nothing was imported.")
                return DulyExit.badData
            }
        }
        return error
    }
}

/// What an import of one file did, as `--json` prints it.
struct ImportOutcome: Encodable {
    var file: String
    var kind: String
    /// The column mapping the file was read through, if any.
    var mapping: String?
    var rows: Int
    var inserted: Int
    var updated: Int
    var unchanged: Int
    var skippedInvalid: Int
    var payments: [PaymentOutcomeReport.JSON]?

    enum CodingKeys: String, CodingKey {
        case file, kind, mapping, rows, inserted, updated, unchanged, payments
        case skippedInvalid = "skipped_invalid"
    }

    /// `payments`: where each payment's money went, for a payments import that kept it.
    init(
        _ summary: ImportSummary, payments: [PaymentOutcome]?, file: String, kind: String, mapping: String? = nil,
        rows: Int, skipped: Int
    ) {
        (self.file, self.kind, self.mapping, self.rows) = (file, kind, mapping, rows)
        (inserted, updated, unchanged, skippedInvalid) = (
            summary.inserted, summary.updated, summary.unchanged, skipped
        )
        self.payments = payments.map { $0.map(PaymentOutcomeReport.JSON.init) }
    }
}
