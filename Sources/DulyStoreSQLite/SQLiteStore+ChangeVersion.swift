import DulyStore
import GRDB

extension SQLiteStore: ChangeVersionStore {
    /// SQLite's `PRAGMA data_version` on a connection that never writes: it changes whenever another connection (the
    /// pool's writer, the command line, another server) commits to the file.
    public func changeVersion() async throws -> Int64? {
        do {
            return try await versionProbe.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") }
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }
}
