import DulyStore
import GRDBSQLite
import Synchronization

extension SQLiteStore: ChangeVersionStore {
    /// SQLite's `PRAGMA data_version` on a connection that never writes: it changes whenever another connection (the
    /// pool's writer, the command line, another server) commits to the file.
    public func changeVersion() async throws -> Int64? {
        try versionProbe.withLock { probe in
            if probe == nil { probe = try VersionProbe(path: path) }
            return try probe!.read()
        }
    }
}

/// A plain SQLite connection that asks one thing, `PRAGMA data_version`, with its statement prepared once.
///
/// Not a GRDB queue: every request of `duly serve` asks this once, and the pragma takes a few microseconds, less than
/// handing the work to a queue's thread and back; so it runs on the caller's thread under `SQLiteStore`'s lock. (With
/// a GRDB queue read synchronously, callers waited on the queue's thread instead: slower than either.)
final class VersionProbe {
    private let connection: OpaquePointer
    private let statement: OpaquePointer

    init(path: String) throws {
        var connection: OpaquePointer?
        // Not read-only, though it never writes: the last connection to close checkpoints the write-ahead log into
        // the file, and a read-only one cannot, which would leave the day's writes in `-wal` alone.
        let opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw StoreError.backend("cannot open \(path) to watch for changes: \(message)")
        }
        // Another process may hold a lock for a moment (a checkpoint); as long as the pool waits.
        sqlite3_busy_timeout(connection, 10_000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK, let statement
        else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_close_v2(connection)
            throw StoreError.backend("cannot watch \(path) for changes: \(message)")
        }
        self.connection = connection
        self.statement = statement
    }

    /// The file's data version now. No transaction around it: the pragma opens its own read of the file's header.
    func read() throws -> Int64 {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            throw StoreError.backend("cannot read the database's change version: \(errorMessage)")
        }
        return sqlite3_column_int64(statement, 0)
    }

    private var errorMessage: String { String(cString: sqlite3_errmsg(connection)) }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
    }
}
