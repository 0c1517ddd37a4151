import DulyStore
import DulyStoreTesting
import Foundation
import GRDB
import Testing

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

    /// Leaves the file at schema version `migration`, as an older Duly would have, holding organisation `acme`, its
    /// customer `C1` and then what `sql` writes (foreign keys off, as an older version may have left rows).
    func leave(at migration: String, holding sql: String = "") async throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let old = try DatabaseQueue(path: path, configuration: configuration)
        try Migrations.migrator.migrate(old, upTo: migration)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO organisations (org_id, name, base_currency, country, time_zone)
                    VALUES ('acme', 'Acme', 'EUR', 'NL', 'UTC');
                    INSERT INTO customers (org_id, customer_id, name, tags, opted_out)
                    VALUES ('acme', 'C1', 'Old Customer', '[]', '[]');
                    """ + sql)
        }
        try old.close()
    }

    /// Opens and migrates a store on the file, runs `body`, and removes the directory whatever happens.
    static func with<T>(_ body: (SQLiteStore, TemporaryStore) async throws -> T) async throws -> T {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        let store = try SQLiteStore(path: temporary.path)
        try await store.migrate()
        return try await body(store, temporary)
    }

    /// Runs the case of a contract called `name` on a fresh SQLite file, opened as the store the contract takes; a
    /// violation is recorded as the test's issue, naming the case.
    static func contractCase<Store>(
        _ name: String, of cases: [(name: String, run: @Sendable (Store) async throws -> Void)],
        as open: (SQLiteStore) -> Store
    ) async throws {
        let contractCase = try #require(cases.first { $0.name == name }, "no contract case \(name)")
        try await with { store, _ in
            do {
                try await contractCase.run(open(store))
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
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
