import DulyStore
import Foundation
import GRDB

@testable import DulyStoreSQLite

/// A real SQLite file in a fresh temporary directory, removed when the test is done.
struct TemporaryStore {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "duly-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("duly.sqlite").path
    }

    /// Opens and migrates a store on the file, runs `body`, and removes the directory whatever happens.
    static func with<T>(_ body: (SQLiteStore, TemporaryStore) async throws -> T) async throws -> T {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        let store = try SQLiteStore(path: temporary.path)
        try await store.migrate()
        return try await body(store, temporary)
    }
}

extension SQLiteStore {
    /// Runs raw SQL outside the store's methods, as someone with the file and a shell could.
    func rawWrite(_ sql: String) async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// Reads one value with raw SQL.
    func rawValue<T: DatabaseValueConvertible & Sendable>(_ sql: String, as type: T.Type = T.self) async throws -> T? {
        try await pool.read { db in try T.fetchOne(db, sql: sql) }
    }
}
