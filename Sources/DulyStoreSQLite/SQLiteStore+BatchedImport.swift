import DulyCore
import DulyStore
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteStore: BatchedImportStore {
    /// Inserts invoices batch by batch inside one write transaction (see `BatchedImportStore`).
    ///
    /// The write lock is held for the whole import; SQLite spills what does not fit its page cache to the WAL, so
    /// memory stays at one batch plus the cache however large the file.
    public func importInvoiceBatches(
        organisationID: String, context: RecordingContext, next: @escaping @Sendable () throws -> [Invoice]?
    ) async throws -> ImportSummary {
        try await write { db in
            try SQLiteStore.importInvoiceStream(
                next: next, refusing: nil, writes: { true }, expectedRows: Int.max, organisationID: organisationID,
                context: context, db)
        }
    }

    /// Checks and inserts invoices batch by batch inside one write transaction (see `BatchedImportStore`).
    public func importInvoices(
        from feed: some ImportFeed<Invoice>, organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        try await writeFed { db in
            try SQLiteStore.importInvoiceStream(
                next: { try FeedFailure.passing(feed.next) }, refusing: feed.refuse, writes: { feed.writes },
                expectedRows: Int.max, organisationID: organisationID, context: context, db)
        }
    }

    /// Checks and inserts payments batch by batch inside one write transaction, then allocates them (see
    /// `BatchedImportStore`).
    public func importPayments(
        from feed: some ImportFeed<Payment>, organisationID: String, context: RecordingContext,
        keepingOutcomes: Bool
    ) async throws -> PaymentImport {
        try await writeFed { db in
            try SQLiteStore.importPaymentStream(
                next: { try FeedFailure.passing(feed.next) }, refusing: feed.refuse, writes: { feed.writes },
                expectedRows: Int.max, keepingOutcomes: keepingOutcomes, organisationID: organisationID,
                context: context, db)
        }
    }

    // `write`, except that what a feed throws (the CLI's refusal of a file, a file that cannot be read) comes out as
    // it was thrown, after the rollback, instead of as a database failure.
    func writeFed<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await SQLiteStore.passingFeedFailures { try await pool.write(body) }
    }

    // `writeFed` for a first load (`duly import ledger`). The transaction runs with SQLite's foreign keys off (the
    // pragma has no effect inside a transaction, so it is set around it and set back after, whatever happens) and the
    // tables named are checked once before the commit: a violation rolls everything back. A first load checks what it
    // writes as it goes; this is its guard, a look-up per key in one pass rather than one statement's worth per row
    // written. It is written through the rollback journal when it can be (see `withRollbackJournal`).
    func writeFirstLoad<T: Sendable>(
        foreignKeysChecked tables: [ForeignKeysChecked], _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await SQLiteStore.passingFeedFailures {
            // The pool's idle readers close, so that the writer may be the file's only connection.
            pool.releaseMemory()
            return try await pool.writeWithoutTransaction { db in
                try SQLiteStore.withRollbackJournal(db) {
                    try db.execute(sql: "PRAGMA foreign_keys = OFF")
                    defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                    var result: T?
                    try db.inTransaction {
                        result = try body(db)
                        for table in tables { try SQLiteStore.refuseForeignKeyViolations(in: table, db) }
                        return .commit
                    }
                    return result!
                }
            }
        }
    }

    // What a feed threw, as it was thrown; anything else as a store error.
    private static func passingFeedFailures<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let failure as FeedFailure {
            throw failure.error
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    // Runs `body` with the file in rollback-journal mode when this connection is the only one that has it open, and
    // in WAL mode again after. Through the write-ahead log, every page a first load writes was written twice (to the
    // log, then by the checkpoint into the file, with a sync of each): a tenth of the load (BENCHMARKS.md, "A first
    // load written once"). With the rollback journal the pages go straight into the file, and only those that held
    // something before are journalled first; a load that fails or a machine that stops still leaves the file as it was
    // (`synchronous = FULL` meanwhile, as SQLite advises for that journal). With any other connection open (a running
    // server, another command) SQLite keeps WAL mode, and the load goes through the log as before.
    private static func withRollbackJournal<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete" else { return try body() }
        try db.execute(sql: "PRAGMA synchronous = FULL")
        defer {
            // Back as `SQLiteStore.init` leaves the connection. Should WAL mode not come back (another process opened
            // the file in the moment since the commit), the next connection the store opens sets it again.
            try? db.execute(sql: "PRAGMA synchronous = NORMAL")
            _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        return try body()
    }

    // A row of the table whose foreign key names nothing, as a store error naming the table and the one its row
    // should have named. The loads that skip the row-by-row checks look up every key they write: this is a guard.
    private static func refuseForeignKeyViolations(in checked: ForeignKeysChecked, _ db: Database) throws {
        let table = checked.table
        func refuseRowByRow() throws {
            guard let row = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check(\(table))") else { return }
            throw violation(of: row["table"], naming: row["parent"])
        }
        guard checked.byDistinctKey else { return try refuseRowByRow() }
        let columns = try Row.fetchAll(
            db, sql: #"SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq"#,
            arguments: [table])
        let keys = Dictionary(grouping: columns) { $0["id"] as Int }.sorted { $0.key < $1.key }.map(\.value)
        for key in keys {
            let parent: String = key[0]["table"]
            let pairs = key.map { (from: $0["from"] as String, to: $0["to"] as String?) }
            // A key naming its parent's primary key without its columns: SQLite's own check knows which they are.
            guard pairs.allSatisfy({ $0.to != nil }) else { return try refuseRowByRow() }
            // Table and column names are the schema's own, never input.
            let sql = """
                SELECT 1 FROM (
                    SELECT DISTINCT \(pairs.map(\.from).joined(separator: ", ")) FROM \(table)
                    WHERE \(pairs.map { "\($0.from) IS NOT NULL" }.joined(separator: " AND "))) AS k
                WHERE NOT EXISTS (
                    SELECT 1 FROM \(parent) AS p
                    WHERE \(pairs.map { "p.\($0.to!) = k.\($0.from)" }.joined(separator: " AND ")))
                LIMIT 1
                """
            if try Int.fetchOne(db, sql: sql) != nil { throw violation(of: table, naming: parent) }
        }
    }

    private static func violation(of child: String, naming parent: String) -> StoreError {
        StoreError.backend("a row of \(child) names a row of \(parent) that does not exist: nothing was written")
    }

    /// Invoices batch by batch inside the caller's transaction: each one new, identical (unchanged) or refused. With
    /// `refusing`, an unknown customer or a number stored with other values goes there and the rest of the batch is
    /// written while `writes` says so; without, the first one throws. Each batch's new rows are written in the table's
    /// key order (customer, due date, number); `importInvoices` gives its whole array as one batch.
    static func importInvoiceStream(
        next: () throws -> [Invoice]?, refusing: (([ImportRefusal]) -> Void)?, writes: () -> Bool, expectedRows: Int,
        organisationID: String, context: RecordingContext, _ db: Database
    ) throws -> ImportSummary {
        try requireOrganisation(db, organisationID)
        var customers = try KnownCustomers(organisationID: organisationID, db, expectedLookups: expectedRows)
        var summary = ImportSummary()
        // An organisation without invoices (a first import) needs no look-up per invoice to know it is new; a number
        // given twice meets the unique index, and is compared then.
        let hasInvoices = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE org_id = ?)", arguments: [organisationID])!
        var rows = try InvoiceRows(organisationID: organisationID, db)
        // One timeline entry per customer per import, listing its new invoices in the order given, kept compact in
        // one array: the invoices themselves would hold the whole file.
        var added = AddedInvoices()
        var decided = false
        while let batch = try next() {
            var refusals: [ImportRefusal] = []
            var fresh: [Int] = []
            for (index, invoice) in batch.enumerated() {
                try SQLiteStore.refuseProblems(of: invoice)
                if let refusal = try unknownCustomer(invoice.customerID, index, &customers, db) {
                    guard refusing != nil else { throw StoreError.customerNotFound(invoice.customerID) }
                    refusals.append(refusal)
                    continue
                }
                if hasInvoices, let stored = try storedFields(invoice.number, organisationID, db) {
                    do {
                        try compare(invoice, storedFields: stored)
                    } catch let error as StoreError {
                        guard refusing != nil, case .conflict(_, _, let field) = error else { throw error }
                        refusals.append(
                            ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
                        continue
                    }
                    summary.unchanged += 1
                    continue
                }
                fresh.append(index)
            }
            if !refusals.isEmpty { refusing?(refusals) }
            guard writes(), !fresh.isEmpty else { continue }
            // A first load into an empty table sets aside the indexes that would fill at random (see
            // `DeferredIndexes`): the RF references' (the check digits lead) and the open invoices' (a file's customers
            // come in any order).
            if !decided {
                decided = true
                if !hasInvoices, try DeferredIndexes.isEmpty("invoices", db) {
                    rows.deferred = try DeferredIndexes(
                        ["invoices_by_payment_reference", "invoices_by_customer"], db)
                }
            }
            // The fields are read in place: copying two invoices per comparison was most of the sort.
            fresh.sort { left, right in
                if batch[left].customerID != batch[right].customerID {
                    return batch[left].customerID < batch[right].customerID
                }
                if batch[left].dueDate != batch[right].dueDate { return batch[left].dueDate < batch[right].dueDate }
                return batch[left].number < batch[right].number
            }
            var inserted = [Bool](repeating: false, count: batch.count)
            for position in fresh {
                inserted[position] = try rows.insert(batch[position], db)
                if inserted[position] { summary.inserted += 1 } else { summary.unchanged += 1 }
            }
            for (position, invoice) in batch.enumerated() where inserted[position] { added.append(invoice) }
        }
        // What reading the file left behind (its batches, the parser's register of numbers) goes back first.
        releaseFreedMemory()
        var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
        if added.customerIDs.count > 256 { try timeline.preloadAllHeads(db) }
        // Customers in key order, so the timeline's inserts walk its B-tree once instead of hopping.
        for (customerID, new) in added.byCustomer() {
            try timeline.append(.invoicesAdded(customerID: customerID, new, on: context.date), db)
        }
        added = AddedInvoices()
        rows.forgetIssued()
        releaseFreedMemory()
        try rows.finish(db)
        return summary
    }
}

/// A table a first load writes, and how its foreign keys are checked before the commit (see `writeFirstLoad`).
struct ForeignKeysChecked {
    let table: String
    /// Each distinct key the rows name looked up once: for a table whose rows name few (a million invoices name a
    /// hundred thousand customers: 0.34 s where looking up every row's took 0.88 s). Otherwise every row's, as
    /// `PRAGMA foreign_key_check` does, the quicker when most rows name a parent of their own (allocations).
    let byDistinctKey: Bool

    static func rowByRow(_ table: String) -> Self { Self(table: table, byDistinctKey: false) }
    static func byDistinctKey(_ table: String) -> Self { Self(table: table, byDistinctKey: true) }
}

// An error thrown by a feed, carried through the transaction unchanged.
struct FeedFailure: Error {
    let error: any Error

    static func passing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw FeedFailure(error: error)
        }
    }
}

/// What the timeline entries of an import's new invoices name, in 40 bytes an invoice (an `Invoice` takes three
/// times that, and a dictionary of arrays per customer more again).
private struct AddedInvoices {
    private struct Added {
        let number: String
        let minorUnits: Int
        let customer: UInt32
        let dueDate: UInt32
        let currency: UInt16
    }

    private var added: [Added] = []
    private var values = CompactValues()
    var customerIDs: [String] { values.customerIDs }

    mutating func append(_ invoice: Invoice) {
        added.append(
            Added(
                number: invoice.number, minorUnits: invoice.total.minorUnits,
                customer: values.customer(invoice.customerID),
                dueDate: CompactValues.pack(invoice.dueDate), currency: values.code(invoice.currency)))
    }

    /// Each customer's new invoices in the order given, customers by id.
    func byCustomer() -> some Sequence<(String, [(number: String, total: Money, dueDate: LocalDate)])> {
        let order = values.positionsByCustomer(count: added.count, by: <) { added[$0].customer }.map { Int($0) }
        var start = 0
        return AnyIterator {
            guard start < order.count else { return nil }
            let customer = added[order[start]].customer
            var new: [(number: String, total: Money, dueDate: LocalDate)] = []
            while start < order.count, added[order[start]].customer == customer {
                let invoice = added[order[start]]
                new.append(
                    (
                        invoice.number,
                        Money(minorUnits: invoice.minorUnits, currency: values.currency(invoice.currency)),
                        CompactValues.unpack(invoice.dueDate)
                    ))
                start += 1
            }
            return (customerIDs[Int(customer)], new)
        }
    }
}

/// Hands memory the import has let go of back to the system before SQLite sorts an index it rebuilds: the allocator
/// keeps freed blocks for reuse, and a million rows' worth of them would count towards the import's peak.
func releaseFreedMemory() {
    #if canImport(Glibc)
        // glibc's `malloc_trim`, which Swift's Glibc module does not declare.
        if let symbol = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        }
    #endif
}

/// Dates and currencies in a few bytes, for what a large import keeps of every row until its end.
struct CompactValues {
    private var currencies: [Currency] = []
    /// The customers met so far, each by its number in this table, in the order first met.
    private(set) var customerIDs: [String] = []
    private var customerNumbers: [String: UInt32] = [:]

    /// The customer's number in this table.
    mutating func customer(_ id: String) -> UInt32 {
        if let known = customerNumbers[id] { return known }
        let number = UInt32(customerIDs.count)
        customerNumbers[id] = number
        customerIDs.append(id)
        return number
    }

    /// The currency's number in this table (a ledger has a handful).
    mutating func code(_ currency: Currency) -> UInt16 {
        if let index = currencies.firstIndex(of: currency) { return UInt16(index) }
        currencies.append(currency)
        return UInt16(currencies.count - 1)
    }

    func currency(_ code: UInt16) -> Currency { currencies[Int(code)] }

    /// Each id's place among them in the order `precedes` gives, by its index: sorting rows by their customer's rank
    /// compares integers where sorting by id compares strings.
    static func ranks(_ ids: [String], by precedes: (String, String) -> Bool) -> [Int] {
        var rank = [Int](repeating: 0, count: ids.count)
        for (place, index) in ids.indices.sorted(by: { precedes(ids[$0], ids[$1]) }).enumerated() {
            rank[index] = place
        }
        return rank
    }

    /// The positions `0..<count` grouped by customer, customers in the order `precedes` gives their ids, each one's
    /// positions ascending. A counting sort: two passes over the customers' numbers, where sorting the positions by
    /// their customer's rank compared a million pairs twenty times over and held twice as many positions meanwhile.
    func positionsByCustomer(
        count: Int, by precedes: (String, String) -> Bool, customer: (Int) -> UInt32
    ) -> [Int32] {
        let rank = CompactValues.ranks(customerIDs, by: precedes)
        // Where each customer's positions start, by rank.
        var start = [Int](repeating: 0, count: customerIDs.count + 1)
        for position in 0..<count { start[rank[Int(customer(position))] + 1] += 1 }
        for place in customerIDs.indices { start[place + 1] += start[place] }
        var positions = [Int32](repeating: 0, count: count)
        for position in 0..<count {
            let place = rank[Int(customer(position))]
            positions[start[place]] = Int32(position)
            start[place] += 1
        }
        return positions
    }

    /// The date as the number YYYYMMDD.
    static func pack(_ date: LocalDate) -> UInt32 { UInt32(date.year * 10_000 + date.month * 100 + date.day) }

    static func unpack(_ value: UInt32) -> LocalDate {
        // Only packed dates come back, and they were valid.
        LocalDate(year: Int(value / 10_000), month: Int(value / 100 % 100), day: Int(value % 100))!
    }
}

/// Writes new invoice rows with their RF references, one prepared statement for the whole import.
struct InvoiceRows {
    private let organisationID: String
    private let insert: Statement
    /// The indexes a first load set aside; while the RF references' is, `issued` keeps them unique (unless the caller
    /// gives each invoice's reference, as a ledger load does).
    var deferred: DeferredIndexes?
    private var issued = Set<String>()
    // A ledger uses a handful of terms: describe each once.
    private var termsText: [PaymentTerms: String] = [:]

    // The columns each row binds, in order: `bind(_:paidMinor:to:offset:)` follows it.
    private static let columns = """
        INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
            total_minor, terms, po_number, payment_reference, payment_url, paid_minor)
        VALUES
        """

    init(organisationID: String, _ db: Database) throws {
        self.organisationID = organisationID
        insert = try db.cachedStatement(sql: Self.columns + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        insert.startRawBinding()
    }

    /// Inserts invoices known to be new, each with what was paid on it and an RF reference known to be free (a
    /// ledger load's, which has checked both), several to a statement (see `RowsInStatements`).
    mutating func insertNew(
        _ rows: some RandomAccessCollection<(invoice: Invoice, paidMinor: Int, reference: String)>, _ db: Database
    ) throws {
        try RowsInStatements(Self.columns, parameters: 12, db).insert(rows, db) { values, statement, offset in
            bind(values.invoice, paidMinor: values.paidMinor, to: statement, offset: offset)
            statement.bind(values.reference, at: offset + 10)
        }
    }

    // Binds an invoice's values but its RF reference (parameter 10) as a statement's row whose first parameter is
    // `offset + 1`.
    private mutating func bind(_ invoice: Invoice, paidMinor: Int, to statement: Statement, offset: Int32) {
        statement.bind(organisationID, at: offset + 1)
        statement.bind(invoice.number, at: offset + 2)
        statement.bind(invoice.customerID, at: offset + 3)
        statement.bind(invoice.issueDate.description, at: offset + 4)
        statement.bind(invoice.dueDate.description, at: offset + 5)
        statement.bind(invoice.currency.code, at: offset + 6)
        statement.bind(invoice.total.minorUnits, at: offset + 7)
        var terms: String?
        if let invoiceTerms = invoice.terms {
            if let known = termsText[invoiceTerms] {
                terms = known
            } else {
                terms = invoiceTerms.description
                termsText[invoiceTerms] = terms
            }
        }
        statement.bind(terms, at: offset + 8)
        statement.bind(invoice.poNumber, at: offset + 9)
        statement.bind(invoice.paymentURL, at: offset + 11)
        statement.bind(paidMinor, at: offset + 12)
    }

    /// Inserts a new invoice, with `paidMinor` already paid on it (a ledger load allocates before it writes); false
    /// when its number was already written identically (the same number given twice), a conflict when with other
    /// values. `reference`, when given, is its RF reference, already known to be free (a ledger load issues them).
    mutating func insert(
        _ invoice: Invoice, paidMinor: Int = 0, reference: String? = nil, _ db: Database
    ) throws -> Bool {
        insert.nextRow()
        bind(invoice, paidMinor: paidMinor, to: insert, offset: 0)
        do {
            // The RF reference Duly prints on messages: derived from the number, or the next attempt when that one is
            // taken (the unique index says so, so the common case costs no look-up).
            if let reference {
                insert.bind(reference, at: 10)
                try insert.execute()
                return true
            }
            if deferred != nil {
                let reference = try SQLiteStore.freeReference(for: invoice.number, issued: &issued)
                insert.bind(reference, at: 10)
                do {
                    try insert.execute()
                } catch {
                    issued.remove(reference)
                    throw error
                }
                return true
            }
            var attempt = 0
            while true {
                // A failed step leaves the statement to be reset; the other values stay bound.
                if attempt > 0 { insert.nextRow() }
                insert.bind(CreditorReference.forInvoice(number: invoice.number, attempt: attempt), at: 10)
                do {
                    try insert.execute()
                    return true
                } catch let error as DatabaseError where SQLiteStore.isPaymentReferenceTaken(error) {
                    attempt += 1
                    guard attempt < 100 else { throw error }
                }
            }
        } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
        {
            // The number is taken: by this import's earlier row with that number, which it must match.
            guard let stored = try SQLiteStore.storedFields(invoice.number, organisationID, db) else { throw error }
            try SQLiteStore.compare(invoice, storedFields: stored)
            return false
        }
    }

    /// Lets go of the references issued, once every row is in.
    mutating func forgetIssued() { issued = [] }

    /// Builds the indexes set aside again, once every row is in.
    mutating func finish(_ db: Database) throws {
        issued = []
        try deferred?.rebuild(db)
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
    // The planner's statistics of the indexes dropped: dropping an index drops its row of `sqlite_stat1`, and the
    // collection day's plans are chosen with the figures the migrations give (`v2`'s comment says why).
    private var statistics: [(table: String, index: String, figures: String)] = []

    /// Drops the indexes named that exist, remembering their definitions as the schema holds them, and their
    /// statistics.
    init(_ names: [String], _ db: Database) throws {
        let measured = try db.tableExists("sqlite_stat1")
        for name in names {
            guard
                let definition = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
            else { continue }
            definitions.append(definition)
            if measured {
                statistics += try Row.fetchAll(
                    db, sql: "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx = ?", arguments: [name]
                ).map { ($0["tbl"], $0["idx"], $0["stat"]) }
            }
            try db.execute(sql: "DROP INDEX \(name)")
        }
    }

    /// Builds the dropped indexes again from the rows now in their tables, with their statistics as they were.
    func rebuild(_ db: Database) throws {
        for definition in definitions { try db.execute(sql: definition) }
        guard !statistics.isEmpty else { return }
        for row in statistics {
            try db.execute(
                sql: "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                arguments: [row.table, row.index, row.figures])
        }
        // The planner reads the statistics with the schema.
        try db.execute(sql: "ANALYZE sqlite_schema")
    }

    /// Whether a table holds no row at all, in any organisation: only then may a load set its indexes aside, since
    /// rebuilding them reads the whole table.
    static func isEmpty(_ table: String, _ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") ?? false)
    }
}
