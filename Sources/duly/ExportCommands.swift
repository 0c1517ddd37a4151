import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly export`: the organisation's records as CSV or JSON, for spreadsheets and other systems.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export invoices, actions or timelines as CSV or JSON.",
        discussion: """
            CSV (the default) has a header row and quotes fields as RFC 4180 does (a field with a comma, a quote or \
            a line break is put in double quotes, quotes doubled); lines end with LF, like Duly's import files. JSON \
            is one array of objects. Amounts are decimal strings ("1234.50") with the currency code beside. Rows are \
            written as they are read, so a million invoices never sit in memory at once.
            """,
        subcommands: [Invoices.self, Actions.self, Timeline.self])

    /// Options every export shares.
    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this customer's records.") var customer: String?
        @Flag(help: "Write JSON: one array of objects.") var json = false
        @Flag(help: "Write CSV with a header row (the default).") var csv = false
        @Option(help: "Write to this file instead of standard output.") var out: String?

        func validate() throws {
            if json && csv { throw ValidationError("choose one of --json and --csv") }
        }
    }

    struct Invoices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every invoice with what was paid, credited and is open, in customer and due-date order.")

        @OptionGroup var options: Options

        static let columns = [
            "invoice_number", "customer_id", "customer_name", "issue_date", "due_date", "currency", "total", "paid",
            "credited", "open", "terms", "po_number",
        ]

        func run() async throws {
            let command = try await CommandContext(options.global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            try await options.global.requireCustomer(options.customer, of: organisation, in: store)
            let names = Dictionary(
                uniqueKeysWithValues: try await store.customers(organisationID: organisation.id).map {
                    ($0.id, $0.name)
                })
            var writer = try RecordWriter(options: options, columns: Invoices.columns)
            var after: InvoicePageKey?
            let pageSize = 5000
            while true {
                let page = try await store.invoiceHistories(
                    organisationID: organisation.id, customerID: options.customer, through: nil, after: after,
                    limit: pageSize)
                for history in page {
                    let invoice = history.invoice
                    let balance = history.balance()
                    writer.write([
                        .string(invoice.number), .string(invoice.customerID),
                        names[invoice.customerID].map(ExportValue.string) ?? .null,
                        .string(invoice.issueDate.description), .string(invoice.dueDate.description),
                        .string(invoice.currency.code), .string(invoice.total.decimalString),
                        .string(balance.paid.decimalString), .string(balance.credited.decimalString),
                        .string(balance.open.decimalString), invoice.terms.map { .string($0.description) } ?? .null,
                        invoice.poNumber.map(ExportValue.string) ?? .null,
                    ])
                }
                guard page.count == pageSize, let last = page.last else { break }
                after = InvoicePageKey(last.invoice)
            }
            try writer.finish()
        }
    }

    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every action planned, sent, done or withdrawn, oldest first; CSV lists invoices with ';' "
                + "and each invoice's own step as a JSON object.")

        @OptionGroup var options: Options

        func run() async throws {
            let command = try await CommandContext(options.global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            try await options.global.requireCustomer(options.customer, of: organisation, in: store)
            var writer = try RecordWriter(
                options: options,
                columns: [
                    "action_id", "customer_id", "date", "channel", "stage", "step", "template", "status",
                    "requires_approval", "escalates_to", "invoice_numbers", "invoice_steps", "note",
                ])
            for stored in try await store.actions(organisationID: organisation.id, customerID: options.customer) {
                let action = stored.action
                writer.write([
                    .int(Int(stored.id)), .string(stored.customerID), .string(action.date.description),
                    .string(action.channel.rawValue), .string(action.stage.rawValue), .string(action.stepID),
                    .string(action.template), .string(action.status.rawValue), .bool(action.requiresApproval),
                    action.escalatesTo.map { .string($0.rawValue) } ?? .null, .list(action.invoiceNumbers),
                    .object(action.invoiceSteps), action.note.map(ExportValue.string) ?? .null,
                ])
            }
            try writer.finish()
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every timeline entry, by customer and sequence, with its hashes; CSV holds details as JSON.")

        @OptionGroup var options: Options

        func run() async throws {
            let command = try await CommandContext(options.global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            try await options.global.requireCustomer(options.customer, of: organisation, in: store)
            var writer = try RecordWriter(
                options: options,
                columns: [
                    "customer_id", "sequence", "date", "recorded_at", "kind", "summary", "details", "previous_hash",
                    "hash",
                ])
            var after: TimelinePageKey?
            let pageSize = 5000
            while true {
                let page = try await store.timelineEntries(
                    organisationID: organisation.id, customerID: options.customer, after: after, limit: pageSize)
                for entry in page {
                    writer.write([
                        .string(entry.customerID), .int(entry.sequence), .string(entry.date.description),
                        .string(entry.recordedAt), .string(entry.kind), .string(entry.summary),
                        .object(entry.details), .string(entry.previousHash), .string(entry.hash),
                    ])
                }
                guard page.count == pageSize, let last = page.last else { break }
                after = TimelinePageKey(customerID: last.customerID, sequence: last.sequence)
            }
            try writer.finish()
        }
    }
}

// MARK: - Writing

/// One field of an exported record.
enum ExportValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    /// Invoice numbers: a JSON array, or joined with ';' in CSV.
    case list([String])
    /// Timeline details: a JSON object, or its JSON text in CSV.
    case object([String: String])

    var csv: String {
        switch self {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .list(let items): return items.joined(separator: ";")
        case .object(let object):
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    var json: Any {
        switch self {
        case .string(let text): return text
        case .int(let number): return number
        case .bool(let flag): return flag
        case .null: return NSNull()
        case .list(let items): return items
        case .object(let object): return object
        }
    }
}

/// RFC 4180 fields and lines.
enum CSVText {
    /// The field as is, or in double quotes with its quotes doubled when it holds a comma, a quote or a line break.
    static func field(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and would compare equal to neither.
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Fields joined with commas (no line end).
    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}

/// Writes records as CSV or as one JSON array, to standard output or a file, in 64 KiB chunks.
struct RecordWriter {
    private let columns: [String]
    private let json: Bool
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var written = 0

    init(options: ExportCommand.Options, columns: [String]) throws {
        self.columns = columns
        self.json = options.json
        if let path = options.out {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw CLIError("cannot write the file '\(path)'") }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = .standardOutput
            ownsHandle = false
        }
        buffer.reserveCapacity(1 << 16)
        append(json ? "[" : CSVText.line(columns) + "\n")
    }

    /// Writes one record; `values` are in the order of the columns.
    mutating func write(_ values: [ExportValue]) {
        precondition(values.count == columns.count, "a record with \(values.count) of \(columns.count) fields")
        if json {
            var object: [String: Any] = [:]
            for (column, value) in zip(columns, values) { object[column] = value.json }
            // Plain dictionaries of strings, numbers and arrays always serialise.
            let data = try! JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            append(written == 0 ? "\n" : ",\n")
            buffer.append(contentsOf: data)
        } else {
            append(CSVText.line(values.map(\.csv)) + "\n")
        }
        written += 1
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Closes the JSON array, writes what is left and closes the file.
    mutating func finish() throws {
        if json { append(written == 0 ? "]\n" : "\n]\n") }
        flush()
        if ownsHandle { try handle.close() }
    }

    private mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
