import DulyCore
import DulyImport
import DulyServer
import DulyStore
import Foundation

/// `duly import ubl FILE|DIR`: UBL 2.1 / Peppol BIS 3 invoices and credit notes, one batch, all or nothing.
///
/// A folder imports every `*.xml` file in it (not below it), invoices before credit notes and each in file-name
/// order, so that a credit note may credit an invoice of the same batch. Every file is parsed before anything is
/// written; any bad file refuses the whole batch, naming the file, line and column.
struct UBLImport {
    let path: String
    let json: Bool

    func run(store: any StoreBackend, organisation: Organisation, context: RecordingContext) async throws {
        let files = try xmlFiles()
        let progress = Progress(label: "Reading UBL documents")
        var parsed: [(file: String, document: UBLDocument, bytes: [UInt8])] = []
        var issues: [ImportIssue] = []
        for (position, file) in files.enumerated() {
            progress.update(position, of: files.count, unit: "files")
            guard let data = FileManager.default.contents(atPath: file) else {
                issues.append(ImportIssue(file: file, line: 0, column: 0, message: "cannot read the file"))
                continue
            }
            let bytes = [UInt8](data)
            do {
                parsed.append((file, try UBL.parse(bytes, fileName: file), bytes))
            } catch {
                issues += error.issues
            }
        }
        progress.finish()
        guard issues.isEmpty else {
            for issue in issues.prefix(100) { printError(issue.description) }
            if issues.count > 100 { printError("… and \(issues.count - 100) more problems") }
            let bad = Set(issues.map(\.file)).count
            printError(
                "\(path): \(bad) of \(counted(files.count, "file")) refused; nothing was imported.")
            throw DulyExit.badData
        }
        // Invoices first, so that a credit note can credit an invoice of the same batch; each kind in name order.
        parsed.sort { ($0.document.kind == .creditNote ? 1 : 0) < ($1.document.kind == .creditNote ? 1 : 0) }
        let batch = parsed.map {
            $0.document.documentImport(
                fileName: URL(fileURLWithPath: $0.file).lastPathComponent, bytes: $0.bytes, on: context.date)
        }
        let summary: DocumentImportSummary
        do {
            summary = try await store.importDocuments(batch, organisationID: organisation.id, context: context)
        } catch let error as DocumentImportError {
            let (file, document, _) = parsed[error.index]
            var line = document.line
            if case .invalid = error.error, document.kind == .creditNote { line = document.creditedInvoiceLine ?? line }
            printError("\(file):\(line):1: \(error.error.description)")
            printError("Nothing was imported.")
            throw DulyExit.badData
        }
        try report(summary, files: files.count)
    }

    /// The files to read: the one named, or every `*.xml` in the folder, in name order.
    private func xmlFiles() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("\(path): no such file or folder")
            throw DulyExit.noInput
        }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let files = names.filter { $0.lowercased().hasSuffix(".xml") }.sorted().map {
            URL(fileURLWithPath: path).appendingPathComponent($0).path
        }
        guard !files.isEmpty else {
            printError("\(path): no .xml files in this folder")
            throw DulyExit.noInput
        }
        return files
    }

    private func report(_ summary: DocumentImportSummary, files: Int) throws {
        if json {
            struct Outcome: Encodable {
                var path: String
                var kind = "ubl"
                var files: Int
                var customersCreated: Int
                var invoicesInserted: Int
                var invoicesUnchanged: Int
                var creditNotesInserted: Int
                var creditNotesUnchanged: Int
                var documentsInserted: Int
                enum CodingKeys: String, CodingKey {
                    case path, kind, files
                    case customersCreated = "customers_created"
                    case invoicesInserted = "invoices_inserted"
                    case invoicesUnchanged = "invoices_unchanged"
                    case creditNotesInserted = "credit_notes_inserted"
                    case creditNotesUnchanged = "credit_notes_unchanged"
                    case documentsInserted = "documents_inserted"
                }
            }
            try JSONOutput.printLine(
                Outcome(
                    path: path, files: files, customersCreated: summary.customersCreated,
                    invoicesInserted: summary.invoices.inserted, invoicesUnchanged: summary.invoices.unchanged,
                    creditNotesInserted: summary.creditNotes.inserted,
                    creditNotesUnchanged: summary.creditNotes.unchanged,
                    documentsInserted: summary.documents.inserted))
            return
        }
        print(
            "\(path): \(counted(files, "UBL file")): \(counted(summary.invoices.inserted, "new invoice")), "
                + "\(summary.invoices.unchanged) unchanged; \(counted(summary.creditNotes.inserted, "new credit note")), "
                + "\(summary.creditNotes.unchanged) unchanged; \(counted(summary.customersCreated, "customer")) created."
        )
    }
}
