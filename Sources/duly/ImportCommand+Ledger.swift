import ArgumentParser
import DulyCore
import DulyImport
import DulyStore
import Foundation

extension ImportCommand {
    /// `duly import ledger FOLDER`: customers.csv, invoices.csv and payments.csv in one transaction, into an
    /// organisation with no invoices or payments yet (README, "A first load"). Each file is checked as its own import
    /// checks it, and a problem in any of them imports nothing.
    func loadLedger(
        store: any DulyStore, organisationID: String, today: LocalDate, context: RecordingContext
    ) async throws {
        guard let loader = store as? any LedgerLoadStore else {
            printError(
                "duly import ledger loads into the embedded SQLite database; on PostgreSQL import customers, "
                    + "invoices and payments in turn")
            throw DulyExit.configuration
        }
        // The folder as given, so that messages name the files as the user would.
        let folder = file.hasSuffix("/") ? file : file + "/"
        let (customersPath, invoicesPath, paymentsPath) = (
            folder + "customers.csv", folder + "invoices.csv", folder + "payments.csv"
        )
        for path in [customersPath, invoicesPath, paymentsPath] where !FileManager.default.isReadableFile(atPath: path)
        {
            printError(
                "\(path): cannot read this file (a ledger folder holds customers.csv, invoices.csv and payments.csv)")
            throw DulyExit.noInput
        }
        do {
            // The customers are few beside the invoices: read whole, as `import customers` reads them.
            let progress = Progress(label: "Loading customers")
            var parsed = try DulyCSV.readCustomers(at: customersPath)
            let columns = parsed.columns
            var customers = ImportChecks.check(parsed, problems: []) { field in (columns[field] ?? 1, field) }
            // One copy of the customers at a time, and none once they are written (see `RecordsFeed`).
            parsed.records = []
            if !customers.issues.isEmpty { progress.finish() }
            try ImportChecks.refuseOrSkip(customers, file: customersPath, skipInvalid: skipInvalid)
            progress.finish()
            let customerFeed = RecordsFeed(customers.values)
            customers.records = []

            let invoiceProgress = Progress(label: "Loading invoices")
            let invoiceStream = try DulyCSV.invoices(at: invoicesPath)
            let invoices = FileFeed(invoiceStream, skipInvalid: skipInvalid, progress: invoiceProgress)
            let paymentProgress = Progress(label: "Loading payments")
            let paymentStream = try DulyCSV.payments(at: paymentsPath)
            let payments = FileFeed(paymentStream, skipInvalid: skipInvalid, progress: paymentProgress) { records in
                RecordProblem.futureDated(records, today: today)
            }
            let load: LedgerLoad
            do {
                load = try await loader.loadLedger(
                    customers: customerFeed, invoices: invoices, payments: payments,
                    organisationID: organisationID, context: context)
            } catch let error as StoreError {
                invoiceProgress.finish()
                paymentProgress.finish()
                // The refusal is about a row of the file being read when it came: payments once they have begun.
                let records = payments.currentRecords
                if !records.isEmpty {
                    throw located(
                        error, values: records.map(\.value), lines: records.map(\.line),
                        columns: paymentStream.columns, column: Self.paymentColumn, file: paymentsPath)
                }
                let invoiceRecords = invoices.currentRecords
                throw located(
                    error, values: invoiceRecords.map(\.value), lines: invoiceRecords.map(\.line),
                    columns: invoiceStream.columns, column: Self.invoiceColumn, file: invoicesPath)
            }
            invoiceProgress.finish()
            paymentProgress.finish()
            let outcomes = [
                (customersPath, "customers", load.customers, nil, parsed.rowCount, customers.invalidRows),
                (invoicesPath, "invoices", load.invoices, nil, invoices.checked.rows, invoices.checked.invalidRows),
                (
                    paymentsPath, "payments", load.payments.summary, load.payments.totals, payments.checked.rows,
                    payments.checked.invalidRows
                ),
            ]
            if json {
                struct Load: Encodable {
                    var customers, invoices, payments: ImportOutcome
                }
                // Counts only: a first load's every payment outcome would be most of a gigabyte.
                let each = outcomes.map { file, kind, summary, _, rows, skipped in
                    ImportOutcome(summary, payments: nil, file: file, kind: kind, rows: rows, skipped: skipped)
                }
                try JSONOutput.printLine(Load(customers: each[0], invoices: each[1], payments: each[2]))
                return
            }
            for (file, kind, summary, totals, rows, skipped) in outcomes {
                for line in lines(summary, totals: totals, file: file, kind: kind, rows: rows, skipped: skipped) {
                    print(line)
                }
            }
        } catch let error as StoreError {
            printError("\(file): \(error)")
            printError("Nothing was imported.")
            throw DulyExit.badData
        } catch let error as CSVError {
            printError("\(error)")
            printError("Nothing was imported.")
            throw DulyExit.badData
        }
    }
}

/// Records read whole, handed to the store as one batch and then let go: a hundred thousand customers take about as
/// much memory as a million invoices held for a first load.
private final class RecordsFeed<Record: Sendable>: ImportFeed, @unchecked Sendable {
    private var records: [Record]?

    init(_ records: [Record]) { self.records = records }

    func next() throws -> [Record]? {
        defer { records = nil }
        return records
    }

    // The records were checked before they were handed over; the store refuses none of them.
    func refuse(_ refusals: [ImportRefusal]) {}

    var writes: Bool { true }
}
