import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: BatchedImportStore {
    /// Inserts invoices batch by batch inside one write transaction (see `BatchedImportStore`).
    ///
    /// The write lock is held for the whole import; SQLite spills what does not fit its page cache to the WAL, so
    /// memory stays at one batch plus the cache however large the file.
    public func importInvoiceBatches(
        organisationID: String, context: RecordingContext, next: @escaping @Sendable () throws -> [Invoice]?
    ) async throws -> ImportSummary {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var summary = ImportSummary()
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            var customers: Set<String> = []
            while let batch = try next() {
                try SQLiteStore.insertInvoiceBatch(
                    batch, organisationID: organisationID, context: context, knownCustomers: &customers,
                    timeline: &timeline, summary: &summary, db)
            }
            return summary
        }
    }

    // One batch: each invoice new, identical (unchanged) or a conflict. Written apart from `importInvoices` (whose
    // body sorts a whole file's rows in memory) so that each batch is forgotten once written.
    private static func insertInvoiceBatch(
        _ invoices: [Invoice], organisationID: String, context: RecordingContext, knownCustomers: inout Set<String>,
        timeline: inout TimelineAppender, summary: inout ImportSummary, _ db: Database
    ) throws {
        let select = try db.cachedStatement(
            sql: """
                SELECT customer_id, issue_date, due_date, currency, total_minor, terms, po_number
                FROM invoices WHERE org_id = ? AND invoice_number = ?
                """)
        let customerExists = try db.cachedStatement(
            sql: "SELECT 1 FROM customers WHERE org_id = ? AND customer_id = ?")
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                    total_minor, terms, po_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var added: [String: [Invoice]] = [:]
        for invoice in invoices {
            guard !invoice.number.isEmpty else { throw StoreError.invalid("an invoice needs a number") }
            guard invoice.total.minorUnits >= 0 else {
                throw StoreError.invalid("invoice '\(invoice.number)': the total cannot be negative")
            }
            // The ids of a ledger's customers are few beside its invoices: remembering them is bounded in practice.
            if !knownCustomers.contains(invoice.customerID) {
                guard try Int.fetchOne(customerExists, arguments: [organisationID, invoice.customerID]) != nil else {
                    throw StoreError.customerNotFound(invoice.customerID)
                }
                knownCustomers.insert(invoice.customerID)
            }
            let given: [(String, DatabaseValue)] = [
                ("customer_id", invoice.customerID.databaseValue),
                ("issue_date", invoice.issueDate.description.databaseValue),
                ("due_date", invoice.dueDate.description.databaseValue),
                ("currency", invoice.currency.code.databaseValue),
                ("total", invoice.total.minorUnits.databaseValue),
                ("terms", invoice.terms?.description.databaseValue ?? .null),
                ("po_number", invoice.poNumber?.databaseValue ?? .null),
            ]
            if let row = try Row.fetchOne(select, arguments: [organisationID, invoice.number]) {
                for (offset, field) in given.enumerated() where (row[offset] as DatabaseValue) != field.1 {
                    throw StoreError.conflict(kind: "invoice", key: invoice.number, field: field.0)
                }
                summary.unchanged += 1
                continue
            }
            try insert.execute(
                arguments: StatementArguments(
                    [organisationID.databaseValue, invoice.number.databaseValue] + given.map(\.1)))
            summary.inserted += 1
            added[invoice.customerID, default: []].append(invoice)
        }
        for customerID in added.keys.sorted() {
            try timeline.append(.invoicesAdded(customerID: customerID, added[customerID]!, on: context.date), db)
        }
    }
}

/// Secondary indexes set aside while a first load writes its rows, and built again, each in one sorted pass, before
/// the transaction commits (BENCHMARKS.md, "Import at a million invoices"). Inserted row by row, an index whose key is
/// not the order the rows arrive in (an RF reference, a customer id in a payments file) fills at random, one B-tree
/// descent and often one page read per row; `CREATE INDEX` sorts its keys first. Everything happens inside the
/// caller's transaction: a refusal rolls the drop back with the rows, and a unique index that no longer holds fails
/// its rebuild, so the rows it would have refused are refused all the same.
struct DeferredIndexes {
    private var definitions: [String] = []

    /// Drops the indexes named that exist, remembering their definitions as the schema holds them.
    init(_ names: [String], _ db: Database) throws {
        for name in names {
            guard
                let definition = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
            else { continue }
            definitions.append(definition)
            try db.execute(sql: "DROP INDEX \(name)")
        }
    }

    /// Builds the dropped indexes again from the rows now in their tables.
    func rebuild(_ db: Database) throws {
        for definition in definitions { try db.execute(sql: definition) }
    }

    /// Whether a table holds no row at all, in any organisation: only then may a load set its indexes aside, since
    /// rebuilding them reads the whole table.
    static func isEmpty(_ table: String, _ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") ?? false)
    }
}
