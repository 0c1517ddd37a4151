import DulyStore
import DulyStorePostgres
import DulyStoreSQLite
import Foundation
import GRDB
import PostgresNIO
import Testing

/// Creating and upgrading the PostgreSQL schema (docs/POSTGRES.md, "The schema", "Upgrading"), on a real server.
@Suite("PostgreSQL migrations", .enabled(if: TestServer.configured, "DULY_TEST_POSTGRES_URL names no server"))
struct MigrationTests {
    @Test func anEmptyDatabaseGetsEveryMigrationOnce() async throws {
        try await TestServer.withDatabase { settings in
            let first = try await PostgresStore.using(settings, logger: TestServer.logger) {
                try await $0.applyMigrations()
            }
            #expect(first.applied.count >= 1)
            #expect(first.current == first.applied.last)
            let again = try await PostgresStore.using(settings, logger: TestServer.logger) {
                try await $0.applyMigrations()
            }
            #expect(again.applied.isEmpty)
            #expect(again.current == first.current)
            #expect(try await Self.migrationsRecorded(settings) == first.applied)
        }
    }

    // Once seen to hang in a full run (every task suspended, no thread busy, no connection left on the server): the
    // pool shutting down never finished, and `PostgresStore.using` awaited it. It no longer does; the time limit stays,
    // to turn any other hang into a failure that names this test.
    @Test(.timeLimit(.minutes(3)))
    func nodesMigratingAtOnceApplyEachMigrationExactlyOnce() async throws {
        try await TestServer.withDatabase { settings in
            let reports = try await withThrowingTaskGroup(of: PostgresStore.MigrationReport.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await PostgresStore.using(settings, logger: TestServer.logger) {
                            try await $0.applyMigrations()
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let applied = reports.flatMap(\.applied)
            #expect(applied.count == Set(applied).count, "a migration applied twice: \(applied)")
            #expect(reports.filter { !$0.applied.isEmpty }.count == 1, "one node applies, the others wait: \(reports)")
            #expect(try await Self.migrationsRecorded(settings) == applied)
        }
    }

    @Test func aDatabaseThatSortsTextByALanguagesRulesIsRefusedWithHowToCreateIt() async throws {
        try await TestServer.withDatabase(
            creating: "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        ) { settings in
            await #expect(
                throws: StoreError.invalid(
                    "the database sorts text by ICU's 'en-US', but Duly orders ids byte by byte: create it with "
                        + "CREATE DATABASE … TEMPLATE template0 LOCALE 'C.UTF-8' (docs/POSTGRES.md)")
            ) {
                try await PostgresStore.using(settings, logger: TestServer.logger) { try await $0.applyMigrations() }
            }
            let created = try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                await store.readiness()
            }
            #expect(created != nil, "nothing was migrated")
        }
    }

    @Test func aDatabaseMigratedByANewerDulyIsRefusedAndLeftAsItWas() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await store.sql(
                    "INSERT INTO duly_migrations (name) VALUES ('v99_from_the_future')", logger: TestServer.logger)
            }
            await #expect(
                throws: StoreError.invalid(
                    "the database \(settings) was migrated by a newer Duly (migration v99_from_the_future): "
                        + "upgrade this node before running it")
            ) {
                try await PostgresStore.using(settings, logger: TestServer.logger) { try await $0.applyMigrations() }
            }
        }
    }

    @Test func aDatabaseIsReadyOnlyOnceMigrated() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                #expect(await store.readiness() != nil)
                try await store.migrate()
                #expect(await store.readiness() == nil)
            }
        }
    }

    @Test func theTimelineIsAppendOnly() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                let logger = TestServer.logger
                let hash = String(repeating: "0", count: 64)
                try await store.sql(
                    "INSERT INTO organisations (org_id, name, base_currency, country, time_zone) VALUES ('acme', 'Acme', 'EUR', 'NL', 'Europe/Amsterdam')",
                    logger: logger)
                try await store.sql(
                    "INSERT INTO customers (org_id, customer_id, name) VALUES ('acme', 'C1', 'Client')", logger: logger)
                try await store.sql(
                    """
                    INSERT INTO timeline_entries (org_id, customer_id, sequence, date, recorded_at, kind, summary,
                        details, previous_hash, hash)
                    VALUES ('acme', 'C1', 1, '2026-03-02', '2026-03-02T08:00:00Z', 'note', 'said', '{}', \(hash), \(hash))
                    """, logger: logger)
                await #expect(throws: PSQLError.self) {
                    try await store.sql("UPDATE timeline_entries SET summary = 'unsaid'", logger: logger)
                }
                await #expect(throws: PSQLError.self) {
                    try await store.sql("DELETE FROM timeline_entries", logger: logger)
                }
                try await store.sql(
                    "INSERT INTO organisation_erasures (org_id) VALUES ('acme')", logger: logger)
                try await store.sql("DELETE FROM timeline_entries", logger: logger)
            }
        }
    }

    /// SQLite's and PostgreSQL's schemas have the same tables with the same columns: a migration added to one and
    /// not the other fails here, naming what differs.
    @Test func theSchemaHasSQLitesTablesAndColumns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("duly.sqlite").path
        try await SQLiteStore(path: path).migrate()
        let sqlite = try await DatabaseQueue(path: path).read { db in
            var tables: [String: Set<String>] = [:]
            let names = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table'
                    AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                    """)
            for name in names { tables[name] = Set(try db.columns(in: name).map(\.name)) }
            return tables
        }
        try await TestServer.withDatabase { settings in
            let postgres = try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                let rows = try await store.client.query(
                    """
                    SELECT table_name::text, column_name::text FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name <> 'duly_migrations'
                    """, logger: TestServer.logger)
                var tables: [String: Set<String>] = [:]
                for try await (table, column) in rows.decode((String, String).self) {
                    tables[table, default: []].insert(column)
                }
                return tables
            }
            #expect(
                Set(postgres.keys) == Set(sqlite.keys),
                "tables only in SQLite: \(Set(sqlite.keys).subtracting(postgres.keys).sorted()); only in PostgreSQL: \(Set(postgres.keys).subtracting(sqlite.keys).sorted())"
            )
            for (table, columns) in sqlite {
                guard let other = postgres[table] else { continue }
                #expect(
                    other == columns,
                    "\(table): only in SQLite \(columns.subtracting(other).sorted()), only in PostgreSQL \(other.subtracting(columns).sorted())"
                )
            }
        }
    }

    static func migrationsRecorded(_ settings: PostgresSettings) async throws -> [String] {
        try await PostgresStore.using(settings, logger: TestServer.logger) { store in
            let rows = try await store.client.query(
                "SELECT name FROM duly_migrations ORDER BY applied_at, name", logger: TestServer.logger)
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }
}
