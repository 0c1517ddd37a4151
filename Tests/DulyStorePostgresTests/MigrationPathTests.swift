import DulyCore
import DulyStore
import Foundation
import PostgresNIO
import Testing

@testable import DulyStorePostgres

/// A database left at any earlier schema version, with a client and an invoice in it, is brought to this build's
/// schema: the same schema a new database gets, and the invoice still there (docs/POSTGRES.md, "Upgrading").
@Suite(
    "PostgreSQL migrations from each earlier version",
    .enabled(if: TestServer.configured, "DULY_TEST_POSTGRES_URL names no server"))
struct MigrationPathTests {
    @Test(arguments: PostgresSchema.migrations.dropLast().map(\.name))
    func aDatabaseLeftAtAnEarlierVersionIsBroughtToTheSchemaOfANewOneAndKeepsItsInvoice(version: String) async throws {
        var fresh: [String] = []
        try await TestServer.withDatabase { settings in
            fresh = try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                return try await Self.schema(store)
            }
        }
        let newSchema = fresh
        #expect(newSchema.count > 200, "the catalogue lists the schema: \(newSchema.count) lines")
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                let logger = TestServer.logger
                let left = try await store.applyMigrations(through: version)
                #expect(left.current == version)
                // The columns of the first schema, which every later one keeps.
                try await store.sql(
                    """
                    INSERT INTO organisations (org_id, name, base_currency, country, time_zone)
                    VALUES ('acme', 'Acme', 'EUR', 'NL', 'Europe/Amsterdam')
                    """, logger: logger)
                try await store.sql(
                    "INSERT INTO customers (org_id, customer_id, name) VALUES ('acme', 'C1', 'Old Client')",
                    logger: logger)
                try await store.sql(
                    """
                    INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                        total_minor)
                    VALUES ('acme', 'INV-1', 'C1', '2026-01-05', '2026-02-04', 'EUR', 12000)
                    """, logger: logger)
                let rest = try await store.applyMigrations()
                let schema = try await Self.schema(store)
                #expect(
                    rest.applied == PostgresSchema.migrations.map(\.name).drop { $0 != version }.dropFirst().map { $0 })
                #expect(schema == newSchema, "the schema after migrating from \(version) differs")
                let invoices = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: true)
                #expect(invoices.map(\.invoice.number) == ["INV-1"])
                #expect(invoices.first?.open == Money(minorUnits: 120_00, currency: Currency(code: "EUR")!))
            }
        }
    }

    // Every column, index, constraint and trigger of the database's own tables, as the catalogue prints them.
    private static func schema(_ store: PostgresStore) async throws -> [String] {
        let rows = try await store.client.query(
            """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
                || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
            ORDER BY 1
            """, logger: TestServer.logger)
        var lines: [String] = []
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines
    }
}
