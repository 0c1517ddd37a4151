import DulyStore
import GRDB

extension SQLiteStore: ChangeVersionStore {
    /// SQLite's `PRAGMA data_version` on a connection that never writes: it changes whenever another connection (the
    /// pool's writer, the command line, another server) commits to the file.
    public func changeVersion() async throws -> Int64? {
        do {
            // No transaction around it: the pragma opens its own read of the file's header, and every request of
            // `duly serve` asks this once.
            return try await probe().unsafeRead { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
            }
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    private func probe() throws -> DatabaseQueue {
        try versionProbe.withLock { probe in
            if let probe { return probe }
            // Not read-only, though it never writes: the last connection to close checkpoints the write-ahead log
            // into the file, and a read-only one cannot, which would leave the day's writes in `-wal` alone.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            probe = opened
            return opened
        }
    }
}
