import DulyStore
import GRDB

extension SQLiteStore: ChangeVersionStore {
    /// SQLite's `PRAGMA data_version` on a connection that never writes: it changes whenever another connection (the
    /// pool's writer, the command line, another server) commits to the file.
    public func changeVersion() async throws -> Int64? {
        do {
            // No transaction around it: the pragma opens its own read of the file's header, and every request of
            // `duly serve` asks this once.
            return try await versionProbe.unsafeRead { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
            }
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }
}
