import DulyCore
import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// A file left at any earlier schema version, with a client and an invoice in it, is brought to this build's schema
/// by the store: the same schema a new file gets, and the invoice still there (docs/ARCHITECTURE.md, "One way in").
@Suite struct MigrationPathTests {
    /// Every migration this build knows, in the order they are applied.
    private static let versions = Migrations.migrator.migrations

    @Test func thereAreEarlierVersionsToComeFrom() {
        #expect(Self.versions.count > 30, "\(Self.versions)")
    }

    @Test(arguments: versions.dropLast())
    func aFileLeftAtAnEarlierVersionIsBroughtToTheSchemaOfANewFileAndKeepsItsInvoice(version: String) async throws {
        let (new, old) = (try TemporaryStore(), try TemporaryStore())
        defer { for file in [new, old] { try? FileManager.default.removeItem(at: file.directory) } }
        let fresh = try await Self.schema(of: new)
        #expect(fresh.count > 50, "SQLite lists the schema: \(fresh.count) lines")
        // The columns of the first schema, which every later one keeps.
        try await old.leave(
            at: version,
            holding: """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency, total_minor)
                VALUES ('acme', 'INV-1', 'C1', '2026-01-05', '2026-02-04', 'EUR', 12000);
                """)
        let upgraded = try await Self.schema(of: old)
        #expect(upgraded == fresh, "the schema after migrating from \(version) differs from a new file's")

        let store = try SQLiteStore(path: old.path)
        let invoices = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: true)
        #expect(invoices.map(\.invoice.number) == ["INV-1"], "from \(version)")
        #expect(invoices.first?.open == Money(minorUnits: 120_00, currency: Currency(code: "EUR")!))
    }

    // The file opened by the store and migrated to the end; its schema, every table, index and trigger as SQLite
    // prints them.
    private static func schema(of file: TemporaryStore) async throws -> [String] {
        let path = file.path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try await queue.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
                    WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
                    """)
        }
    }
}
