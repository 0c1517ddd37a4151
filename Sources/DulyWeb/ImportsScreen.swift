import Crypto
import DulyCore
import DulyImport
import DulyServer
import DulyStore
import Foundation
import Hummingbird
import NIOPosix

/// Imports from the browser (README, "Web app"): a manager uploads a customers, invoices or payments file in Duly's
/// CSV format or another layout read through a column mapping (a built-in one or an uploaded YAML file), sees what it
/// would import and every problem at its `file:line:column`, read and checked as `duly import` reads and checks it
/// (`DulyCSV`, `MappedCSV`, the store's `importRefusals`), with nothing written; then commits exactly what was
/// previewed. A file with any problem cannot be committed: all or nothing, as on the command line.
///
/// The previewed file (and its mapping) travel back with the commit in the page itself, base64, with a SHA-256 over
/// all of it, so any node can commit it and nothing is kept on the server between the two steps; the commit checks
/// the hash and checks the file again, as the database may have changed in between.
struct ImportsScreen<Store: WebStore> {
    let web: WebScreens<Store>
    /// The largest file taken: a CSV of some ten thousand invoices. Larger files go through `duly import`, which
    /// streams them.
    static var maxBytes: Int { 4 * 1024 * 1024 }

    enum Kind: String, CaseIterable {
        case customers, invoices, payments, ubl, statement

        var label: String {
            switch self {
            case .ubl: "a UBL invoice or credit note (XML)"
            case .statement: "a bank statement (camt.053 XML or MT940)"
            default: "\(rawValue) (CSV)"
            }
        }

        /// The kind a column mapping is written for; nil for UBL, which is XML.
        var mappingKind: CSVMapping.Kind? { CSVMapping.Kind(rawValue: rawValue) }
    }

    /// How the file's columns are read: Duly's own format, a built-in mapping, or a mapping file.
    enum Layout: Equatable {
        case duly
        case builtIn(String)
        case file(name: String, yaml: [UInt8])

        /// The value of the layout's option in the form, and of the hidden field that carries it to the commit.
        var choice: String {
            switch self {
            case .duly: ""
            case .builtIn(let name): name
            case .file: "file"
            }
        }
    }

    /// An uploaded file, as previewed and as committed.
    struct Upload {
        var kind: Kind
        var fileName: String
        var bytes: [UInt8]
        var layout: Layout

        /// What the commit must carry unchanged: the kind, the layout and both files.
        var digest: String {
            var all = Array("\(kind.rawValue)\u{0}\(layout.choice)\u{0}".utf8)
            if case .file(let name, let yaml) = layout { all += Array(name.utf8) + [0] + yaml + [0] }
            all += bytes
            return Hex.encode(SHA256.hash(data: all))
        }
    }

    func add(to group: RouterGroup<WebContext>) {
        group.get("imports", use: page)
        group.post("imports/preview", use: preview)
        group.post("imports/commit", use: commit)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.manager)
        var values = try await web.frame(user, title: "Imports", section: "imports")
        Self.choices(into: &values, kind: nil, layout: .duly)
        return web.pages.render("imports", values)
    }

    @Sendable func preview(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.manager)
        let body = try await request.body.collect(upTo: 2 * Self.maxBytes + 64 * 1024)
        guard let boundary = request.headers[.contentType].flatMap(Multipart.boundary(contentType:)),
            let form = Multipart(Array(body.readableBytesView), boundary: boundary)
        else { throw WebError(.badRequest, "Send the file with the upload form on the Imports page.") }
        try checkCSRF(form["csrf"]?.text, context: context)
        guard let kind = form["kind"].flatMap({ Kind(rawValue: $0.text) }) else {
            throw WebError(.unprocessableContent, "kind: choose customers, invoices or payments.")
        }
        var layout = Layout.duly
        switch form["mapping"]?.text ?? "" {
        case "": break
        case "file":
            guard let file = form["mapping_file"], !file.bytes.isEmpty else {
                return try await refuse(
                    user, kind: kind, layout: layout, "mapping_file: choose the mapping's YAML file.")
            }
            guard kind.mappingKind != nil else {
                return try await refuse(
                    user, kind: kind, layout: .duly, "mapping: a mapping reads CSV files, not UBL or bank statements.")
            }
            layout = .file(name: Self.fileName(file.fileName, otherwise: "mapping.yaml"), yaml: file.bytes)
        case let name:
            guard let mappingKind = kind.mappingKind, CSVMapping.builtIn(named: name, kind: mappingKind) != nil else {
                return try await refuse(
                    user, kind: kind, layout: layout, "mapping: '\(name)' has no layout for \(kind.rawValue) files.")
            }
            layout = .builtIn(name)
        }
        guard let file = form["file"], !file.bytes.isEmpty else {
            return try await refuse(user, kind: kind, layout: layout, "file: choose a file to upload.")
        }
        guard file.bytes.count <= Self.maxBytes else {
            return try await refuse(
                user, kind: kind, layout: layout,
                "file: larger than \(Self.maxBytes / 1024 / 1024) MB; import it with `duly import`, which streams "
                    + "any size.")
        }
        let upload = Upload(
            kind: kind, fileName: Self.fileName(file.fileName, otherwise: "upload.csv"), bytes: file.bytes,
            layout: layout)
        return try await render(user, upload, checked: try await check(upload, user: user))
    }

    @Sendable func commit(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.manager)
        let body = try await request.body.collect(upTo: 3 * Self.maxBytes)
        let form = Form(String(buffer: body))
        try checkCSRF(form["csrf"], context: context)
        func decoded(_ name: String) -> [UInt8]? { form[name].flatMap { Data(base64Encoded: $0) }.map { Array($0) } }
        var layout = Layout.duly
        switch form["mapping"] ?? "" {
        case "": break
        case "file": layout = .file(name: form["mapping_name"] ?? "mapping.yaml", yaml: decoded("mapping_yaml") ?? [])
        case let name: layout = .builtIn(name)
        }
        guard let kind = form["kind"].flatMap(Kind.init(rawValue:)), let bytes = decoded("content") else {
            throw WebError(.badRequest, "This is not the file that was previewed: upload it again.")
        }
        let upload = Upload(kind: kind, fileName: form["file_name"] ?? "upload.csv", bytes: bytes, layout: layout)
        guard form["sha256"] == upload.digest else {
            throw WebError(.badRequest, "This is not the file that was previewed: upload it again.")
        }
        let checked = try await check(upload, user: user)
        guard checked.issues.isEmpty, let records = checked.records else {
            return try await render(user, upload, checked: checked, status: .unprocessableContent)
        }
        let store = web.store
        let organisation = try await web.organisation(user)
        let recording = RecordingContext(
            date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp())
        let summary: ImportSummary
        var created = 0
        do {
            switch records {
            case .customers(let records):
                summary = try await store.importCustomers(
                    records, organisationID: organisation.id, context: recording)
            case .invoices(let invoices):
                summary = try await store.importInvoices(
                    invoices, organisationID: organisation.id, context: recording)
            case .payments(let payments):
                summary = try await store.importPayments(
                    payments, organisationID: organisation.id, context: recording)
            case .documents(let documents):
                let done = try await store.importDocuments(
                    documents, organisationID: organisation.id, context: recording)
                summary = ImportSummary(
                    inserted: done.invoices.inserted + done.creditNotes.inserted,
                    updated: done.invoices.updated + done.creditNotes.updated,
                    unchanged: done.invoices.unchanged + done.creditNotes.unchanged)
                created = done.customersCreated
            case .credits(let credits):
                return try await commitStatement(
                    credits, upload: upload, user: user, organisationID: organisation.id, context: recording)
            }
        } catch let error as DocumentImportError {
            // What only the database knows about a UBL document (a number stored with other values, a credit note
            // for an unknown invoice): at its line, and nothing imported.
            var refused = checked
            refused.issues = [
                ImportIssue(
                    file: upload.fileName,
                    line: checked.documentLines.indices.contains(error.index)
                        ? checked.documentLines[error.index] : 1, column: 1, message: error.error.description)
            ]
            return try await render(user, upload, checked: refused, status: .unprocessableContent)
        } catch let error as StoreError {
            // Checked a moment ago; the database changed in between (another import): nothing was written.
            throw WebError(.conflict, "\(upload.fileName): \(error); nothing was imported. Preview the file again.")
        }
        var values = try await web.frame(user, title: "Imported", section: "imports")
        values["file_name"] = upload.fileName
        values["kind"] = kind.rawValue
        values["rows"] = checked.rows
        values["inserted"] = summary.inserted
        values["updated"] = summary.updated
        values["unchanged"] = summary.unchanged
        values["created"] = created > 0 ? counted(created, "customer") + " created from the buyer named." : nil
        values["payments"] = summary.payments.map { outcome in
            let parts =
                outcome.allocations.map { "\($0.amount) to \($0.invoiceNumber)" }
                + (outcome.credit.isZero ? [] : ["\(outcome.credit) left as credit"])
            return "\(outcome.payment.id) (\(outcome.payment.customerID), \(outcome.payment.amount)): "
                + (parts.isEmpty ? "nothing allocated" : parts.joined(separator: ", "))
        }
        return web.pages.render("imported", values)
    }

    /// Records a statement's credits as `duly import statement` does: matched ones become payments, the others wait
    /// on the worklist, and credits recorded before are left as they were.
    private func commitStatement(
        _ credits: [StatementCredit], upload: Upload, user: WebUser, organisationID: String,
        context: RecordingContext
    ) async throws -> Response {
        let (_, summary) = try await web.store.matchAndRecord(credits, organisationID: organisationID, context: context)
        var values = try await web.frame(user, title: "Imported", section: "imports")
        values["file_name"] = upload.fileName
        values["statement"] = [
            "credits": counted(credits.count, "credit"), "matched": summary.matched,
            "payments": counted(summary.payments, "payment"), "unmatched": summary.unmatched,
            "already": summary.alreadyImported,
        ]
        return web.pages.render("imported", values)
    }

    // MARK: - Checking

    /// What a file would import.
    enum Records {
        case customers([CustomerRecord])
        case invoices([Invoice])
        case payments([Payment])
        case documents([DocumentImport])
        case credits([StatementCredit])

        var count: Int {
            switch self {
            case .customers(let records): records.count
            case .invoices(let invoices): invoices.count
            case .payments(let payments): payments.count
            case .documents(let documents): documents.count
            case .credits(let credits): credits.count
            }
        }
    }

    struct Checked {
        /// Nil when the file or its mapping cannot be read at all.
        var records: Records?
        /// Every problem, in file order.
        var issues: [ImportIssue]
        var rows: Int
        /// A line per record, for the preview: what would be imported.
        var lines: [[String: String]]
        /// Where each UBL document starts, to locate what the store refuses at commit.
        var documentLines: [Int] = []
    }

    /// Reads the file as `duly import` does and asks the store what it would refuse, without writing.
    private func check(_ upload: Upload, user: WebUser) async throws -> Checked {
        let store = web.store
        let (organisation, today, _) = try await web.workday(user)
        guard let csvKind = upload.kind.mappingKind else {
            return upload.kind == .statement
                ? checkStatement(upload, on: today) : try await checkUBL(upload, on: today)
        }
        let mapping: CSVMapping?
        switch upload.layout {
        case .duly:
            mapping = nil
        case .builtIn(let name):
            mapping = CSVMapping.builtIn(named: name, kind: csvKind)
            if mapping == nil {
                throw WebError(.unprocessableContent, "mapping: '\(name)' has no layout for \(csvKind.rawValue) files.")
            }
        case .file(let name, let yaml):
            do {
                mapping = try CSVMapping.parse(
                    yaml: String(decoding: yaml, as: UTF8.self), fileName: name, kind: csvKind)
            } catch {
                return Checked(records: nil, issues: error.issues, rows: 0, lines: [])
            }
        }
        do {
            switch upload.kind {
            case .ubl:
                return try await checkUBL(upload, on: today)
            case .statement:
                return checkStatement(upload, on: today)
            case .customers:
                let file = try await read(upload, mapping: mapping) { bytes, name, path in
                    guard let mapping else { return (DulyCSV.customers(bytes: bytes, fileName: name), nil) }
                    let stream = try MappedCSV.customers(at: path, mapping: mapping)
                    return (try stream.readAll(), stream.sourceColumns)
                }
                return Checked(
                    records: .customers(file.parsed.records.map(\.value)), issues: file.issues([]),
                    rows: file.parsed.rowCount,
                    lines: file.parsed.records.map {
                        [
                            "line": String($0.line),
                            "what": "\($0.value.customer.id): \($0.value.customer.name), "
                                + counted($0.value.contacts.count, "contact"),
                        ]
                    })
            case .invoices:
                let file = try await read(upload, mapping: mapping) { bytes, name, path in
                    guard let mapping else { return (DulyCSV.invoices(bytes: bytes, fileName: name), nil) }
                    let stream = try MappedCSV.invoices(at: path, mapping: mapping)
                    return (try stream.readAll(), stream.sourceColumns)
                }
                let refusals = try await store.importRefusals(
                    invoices: file.parsed.records.map(\.value), organisationID: organisation.id)
                return Checked(
                    records: .invoices(file.parsed.records.map(\.value)),
                    issues: file.issues(refusals.map { ($0.index, $0.field, $0.message) }), rows: file.parsed.rowCount,
                    lines: file.parsed.records.map {
                        let invoice = $0.value
                        return [
                            "line": String($0.line),
                            "what": "\(invoice.number) for \(invoice.customerID): \(invoice.total), due "
                                + "\(invoice.dueDate)",
                        ]
                    })
            case .payments:
                let file = try await read(upload, mapping: mapping) { bytes, name, path in
                    guard let mapping else { return (DulyCSV.payments(bytes: bytes, fileName: name), nil) }
                    let stream = try MappedCSV.payments(at: path, mapping: mapping)
                    return (try stream.readAll(), stream.sourceColumns)
                }
                let payments = file.parsed.records.map(\.value)
                var problems = try await store.importRefusals(payments: payments, organisationID: organisation.id)
                    .map { ($0.index, $0.field, $0.message) }
                // As `duly import payments` refuses them: money cannot have arrived on a day that has not come.
                for (index, payment) in payments.enumerated() where payment.date > today {
                    problems.append(
                        (
                            index, "date",
                            "\(payment.date) is after today (\(today)); a payment is recorded once it has arrived: "
                                + "correct the date, or import the file on or after that day"
                        ))
                }
                return Checked(
                    records: .payments(payments), issues: file.issues(problems), rows: file.parsed.rowCount,
                    lines: file.parsed.records.map {
                        let payment = $0.value
                        return [
                            "line": String($0.line),
                            "what": "\(payment.id) from \(payment.customerID): \(payment.amount) on \(payment.date)",
                        ]
                    })
            }
        } catch let error as CSVError {
            // The file cannot be read at all (no header, a quote never closed).
            return Checked(
                records: nil,
                issues: [
                    ImportIssue(
                        file: upload.fileName, line: max(error.line, 1), column: max(error.column, 1),
                        message: error.message)
                ], rows: 0, lines: [])
        }
    }

    /// Reads a camt.053 or MT940 statement as `duly import statement` does: every credit listed, and refused whole
    /// when it cannot be read or books money after today. Which credits match an invoice is decided at commit, in
    /// the transaction that records them.
    private func checkStatement(_ upload: Upload, on today: LocalDate) -> Checked {
        let statements: [BankStatement]
        do {
            statements = try StatementFile.read(upload.bytes, fileName: upload.fileName)
        } catch {
            return Checked(records: nil, issues: error.issues, rows: 0, lines: [])
        }
        let credits = StatementFile.credits(of: statements)
        return Checked(
            records: .credits(credits),
            issues: StatementFile.bookedAfter(today, in: statements, fileName: upload.fileName),
            rows: credits.count,
            lines: credits.map { item in
                let credit = item.credit
                let from = credit.debtorName.map { " from \($0)" } ?? ""
                let reference = credit.reference ?? credit.remittance.joined(separator: " ")
                return [
                    "line": String(credit.line),
                    "what": "\(credit.amount) booked \(credit.bookingDate)\(from)"
                        + (reference.isEmpty ? "" : ", \(reference)"),
                ]
            })
    }

    /// Reads a UBL invoice or credit note as `duly import ubl` does. What only the database can refuse is found at
    /// commit, in the one transaction that imports it.
    private func checkUBL(_ upload: Upload, on today: LocalDate) async throws -> Checked {
        let (bytes, name) = (upload.bytes, upload.fileName)
        do {
            let document = try await NIOThreadPool.singleton.runIfActive { try UBL.parse(bytes, fileName: name) }
            let what = document.kind == .invoice ? "Invoice" : "Credit note"
            let credited = document.creditedInvoice.map { " crediting \($0)" } ?? ""
            return Checked(
                records: .documents([document.documentImport(fileName: name, bytes: bytes, on: today)]), issues: [],
                rows: 1,
                lines: [
                    [
                        "line": String(document.line),
                        "what": "\(what) \(document.number)\(credited) for \(document.buyer.legalName) "
                            + "(\(document.buyer.customerID)): \(document.payable)",
                    ]
                ], documentLines: [document.line])
        } catch let error as UBLError {
            return Checked(records: nil, issues: error.issues, rows: 1, lines: [])
        }
    }

    /// A file as read, and how its problems are located: a field's column in the file, and how messages name it
    /// (`customer_id`, or through a mapping `Kunde → customer_id`, as `duly import --mapping` says).
    struct ReadFile<Record: Sendable> {
        var parsed: CSVParseResult<Record>
        var fileName: String
        var location: (String) -> (column: Int, label: String)

        /// The file's own issues and the problems found in its records, at their line and column, in file order.
        func issues(_ problems: [(index: Int, field: String, message: String)]) -> [ImportIssue] {
            let own = parsed.issues.map { issue in
                var issue = issue
                issue.file = fileName
                return issue
            }
            let refused = problems.map { problem in
                let (column, label) = location(problem.field)
                return ImportIssue(
                    file: fileName, line: parsed.records[problem.index].line, column: column, field: label,
                    message: problem.message)
            }
            return (own + refused).enumerated().sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }.map(\.element)
        }
    }

    /// Where a mapped file's fields come from: the source column's header and number, by Duly field.
    typealias Sources = [String: (header: String, column: Int)]

    /// Reads an upload off the event loop. A mapped file is read from a file named as the upload was, in a folder of
    /// its own that is removed after, as `MappedCSV` reads paths; `parse` is given the bytes, the file's name and
    /// that path (empty when there is no mapping).
    private func read<Record: Sendable>(
        _ upload: Upload, mapping: CSVMapping?,
        _ parse: @escaping @Sendable ([UInt8], String, String) throws -> (CSVParseResult<Record>, Sources?)
    ) async throws -> ReadFile<Record> {
        let (bytes, name, mapped) = (upload.bytes, upload.fileName, mapping != nil)
        let (parsed, sources) = try await NIOThreadPool.singleton.runIfActive {
            () throws -> (CSVParseResult<Record>, Sources?) in
            guard mapped else { return try parse(bytes, name, "") }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "duly-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return try parse(bytes, name, path)
        }
        if let sources {
            // Located in the source file's columns, named as `duly import --mapping` names them.
            return ReadFile(parsed: parsed, fileName: name) { field in
                sources[field].map { ($0.column, "\($0.header) → \(field)") } ?? (1, "constant → \(field)")
            }
        }
        let columns = parsed.columns
        return ReadFile(parsed: parsed, fileName: name) { field in (columns[field] ?? 1, field) }
    }

    // MARK: - Pages

    private func refuse(_ user: WebUser, kind: Kind, layout: Layout, _ message: String) async throws -> Response {
        var values = try await web.frame(user, title: "Imports", section: "imports")
        Self.choices(into: &values, kind: kind, layout: layout)
        values["message"] = message
        return web.pages.render("imports", values, status: .unprocessableContent)
    }

    private func render(
        _ user: WebUser, _ upload: Upload, checked: Checked, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var values = try await web.frame(user, title: "Import preview", section: "imports")
        Self.choices(into: &values, kind: upload.kind, layout: upload.layout)
        values["kind"] = upload.kind.rawValue
        values["file_name"] = upload.fileName
        switch upload.layout {
        case .duly: break
        case .builtIn(let name): values["mapping_label"] = "the built-in mapping \(name)"
        case .file(let name, let yaml):
            values["mapping_label"] = "the mapping \(name)"
            values["mapping_name"] = name
            values["mapping_yaml"] = Data(yaml).base64EncodedString()
        }
        values["mapping"] = upload.layout.choice
        values["rows"] = counted(
            checked.rows, upload.kind == .ubl ? "document" : upload.kind == .statement ? "credit" : "row")
        values["records"] = counted(checked.records?.count ?? 0, "record")
        values["refused"] = !checked.issues.isEmpty
        values["problem_count"] = counted(checked.issues.count, "problem")
        values["issues"] = checked.issues.map {
            [
                "location": "\($0.file):\($0.line):\($0.column)",
                "message": ($0.field.map { "\($0): " } ?? "") + $0.message,
            ]
        }
        values["lines"] = checked.lines
        values["can_commit"] = checked.issues.isEmpty && checked.rows > 0
        values["content"] = Data(upload.bytes).base64EncodedString()
        values["sha256"] = upload.digest
        return web.pages.render("import-preview", values, status: status)
    }

    /// The form's choices: what the file holds, and how its columns are read.
    private static func choices(into values: inout [String: Any], kind: Kind?, layout: Layout) {
        values["kinds"] = Kind.allCases.map { ["kind": $0.rawValue, "label": $0.label, "selected": $0 == kind] }
        values["layouts"] =
            [["value": "", "label": "Duly's CSV format", "selected": layout == .duly]]
            + CSVMapping.builtInNames.split(separator: ",").map { name in
                let name = name.trimmingCharacters(in: .whitespaces)
                return ["value": name, "label": "the built-in mapping \(name)", "selected": layout == .builtIn(name)]
            }
            + [["value": "file", "label": "a mapping file (below)", "selected": layout.choice == "file"]]
    }

    // MARK: - Helpers

    private func checkCSRF(_ token: String?, context: WebContext) throws {
        guard let nonce = context.user?.nonce, let token, web.keys.isValidCSRF(token, nonce: nonce) else {
            throw WebError(
                .forbidden,
                "This form has expired or did not come from Duly. Go back, reload the page and send it again.")
        }
    }

    /// The name problems are located in: the uploaded file's own, without any folder a browser may add.
    private static func fileName(_ given: String?, otherwise: String) -> String {
        let base = given?.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return base.isEmpty || base.hasPrefix(".") ? otherwise : base
    }
}
