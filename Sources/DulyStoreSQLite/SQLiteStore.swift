import DulyCore
import DulyStore
import GRDB
import Synchronization

/// The embedded store: one SQLite file in WAL mode, through a GRDB `DatabasePool` (one writer, concurrent readers).
///
/// Every method is one unit of work and one transaction: it happens whole or not at all. Every query is scoped to
/// one organisation.
public final class SQLiteStore: DulyStore {
    /// The pool; exposed to the package's tests so they can inspect the file as SQLite sees it.
    let pool: DatabasePool
    /// The file's path, for the connection `changeVersion` opens when first asked.
    let path: String
    /// A connection of its own that only asks SQLite whether anything was committed (`changeVersion`): the pool's
    /// own connections cannot tell, as a connection does not count its own commits. Opened on first use, so that the
    /// command line, which never asks, opens no second connection.
    let versionProbe = Mutex<VersionProbe?>(nil)

    /// Opens (creating if needed) the database file at `path`. Call `migrate()` before anything else.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (the CLI beside the server) may hold the write lock for a moment.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL is durable across application crashes and only risks the last
            // transactions on power loss, which is SQLite's recommended trade for WAL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer's page cache (64 MiB) keeps big imports' and runs' index pages in memory. Readers get 8 MiB:
            // the collection day's readers touch most pages once, and every page a cache holds is memory the kernel
            // must first clear (a tenth of the next day's run, with three connections at 64 MiB each).
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536")
            // Temporary tables and sorts stay in SQLite's default temporary files, which live in its page cache and
            // spill to disk only when large: in memory, the sort that rebuilds an index after a first load of
            // 670,000 payments held all of them at once.
            try db.execute(sql: "PRAGMA temp_store = FILE")
            // Checkpoint the write-ahead log every 64 MiB rather than every 4 MiB: a collection day or an import writes
            // hundreds of batches, and each checkpoint copies (and syncs) pages that the next batches touch again.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    /// Creates or upgrades the schema; safe on every start.
    public func migrate() async throws {
        let pool = self.pool
        do {
            // The migrator takes the writer's barrier itself; this runs once, at start.
            try Migrations.migrator.migrate(pool)
            // Invoices stored before the statements migration get their RF reference. Once none is left this is one
            // read of an empty partial index, so a start takes no write lock for it.
            let missing = try await pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE payment_reference IS NULL)") ?? false
            }
            if missing { try await pool.write { db in try SQLiteStore.assignPaymentReferences(db) } }
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one write transaction, translating database failures into `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    /// Runs `body` on a read-only snapshot, translating database failures into `StoreError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    // The store's own refusals pass through; anything else is the database's, reported without internals.
    static func storeError(_ error: any Error) -> any Error {
        switch error {
        case let error as StoreError: return error
        case let error as ApprovalRefusal: return error
        case is CancellationError: return error
        case let error as DatabaseError:
            return StoreError.backend("\(error.resultCode): \(error.message ?? "no message")")
        default: return StoreError.backend(String(describing: error))
        }
    }

    /// Refuses a unit of work for an organisation that does not exist.
    static func requireOrganisation(_ db: Database, _ id: String) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM organisations WHERE org_id = ?")
        guard try Int.fetchOne(statement, arguments: [id]) != nil else { throw StoreError.organisationNotFound(id) }
    }
}

// MARK: - Organisations

extension SQLiteStore {
    /// The organisation's settings, or nil when there is none with this id.
    public func organisation(id: String) async throws -> Organisation? {
        try await read { db in
            let columns = OrganisationColumns.names.joined(separator: ", ")
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(columns) FROM organisations WHERE org_id = ?", arguments: [id])
            else { return nil }
            let holidays = try String.fetchAll(
                db, sql: "SELECT date FROM organisation_holidays WHERE org_id = ? ORDER BY date", arguments: [id])
            let stored = try OrganisationColumns(values: OrganisationColumns.names.map { row[$0] })
            return try stored.organisation(id: id, holidays: Set(try holidays.map(Decode.date)))
        }
    }

    /// Creates or replaces an organisation's settings.
    public func saveOrganisation(_ organisation: Organisation) async throws {
        guard !organisation.id.isEmpty else { throw StoreError.invalid("an organisation needs an id") }
        let names = OrganisationColumns.names
        // Column names are the schema's own constants, never input.
        let sql = """
            INSERT INTO organisations (org_id, \(names.joined(separator: ", ")))
            VALUES (?\(String(repeating: ", ?", count: names.count)))
            ON CONFLICT (org_id) DO UPDATE SET \(names.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """
        let values = OrganisationColumns(organisation).values
        try await write { db in
            try db.execute(
                sql: sql,
                arguments: StatementArguments([organisation.id] + values.map { $0 as (any DatabaseValueConvertible)? }))
            try db.execute(sql: "DELETE FROM organisation_holidays WHERE org_id = ?", arguments: [organisation.id])
            let insert = try db.cachedStatement(sql: "INSERT INTO organisation_holidays (org_id, date) VALUES (?, ?)")
            for holiday in organisation.holidays.sorted() {
                try insert.execute(arguments: [organisation.id, holiday.description])
            }
        }
    }

    /// Deletes an organisation and every record that belongs to it, timeline included.
    public func deleteOrganisation(id: String) async throws {
        try await write { db in
            // The timeline's delete trigger lets rows go only while their organisation is listed here; the row is
            // removed again before the transaction commits, so outside this method the timeline stays append-only.
            try db.execute(sql: "INSERT OR IGNORE INTO organisation_erasures (org_id) VALUES (?)", arguments: [id])
            for table in OrganisationErasure.tables {
                // Table names are the schema's own constants, never input.
                try db.execute(sql: "DELETE FROM \(table) WHERE org_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM organisation_erasures WHERE org_id = ?", arguments: [id])
        }
    }
}

/// The SQLite store is a whole backend: the store factory in the executable returns it for `sqlite:` URLs.
extension SQLiteStore: StoreBackend {}
