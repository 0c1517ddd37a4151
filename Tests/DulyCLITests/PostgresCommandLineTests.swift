import Foundation
import Testing

/// The PostgreSQL server the tests may use (a superuser's URL; `.ci/run` starts one), nil when none is configured.
let postgresTestServer = ProcessInfo.processInfo.environment["DULY_TEST_POSTGRES_URL"].flatMap {
    $0.isEmpty ? nil : $0
}

/// The command line on PostgreSQL (docs/POSTGRES.md): every command takes a `postgres://` URL, and the collection day
/// tells the same story on either backend.
@Suite(.enabled(if: postgresTestServer != nil))
struct PostgresCommandLineTests {
    static let server = postgresTestServer

    /// Runs `body` with the URL of a new, empty database, dropped afterwards.
    static func withDatabase(_ body: (String) throws -> Void) throws {
        let admin = try #require(server)
        let name = "duly_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try #require(try MigrateCommandTests.psql(admin, "CREATE DATABASE \(name)") == 0)
        defer { _ = try? MigrateCommandTests.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        try body(admin.replacingOccurrences(of: "/postgres?", with: "/\(name)?"))
    }

    @Test func theDemoOnPostgreSQLTellsTheStoryItTellsOnSQLite() throws {
        try Self.withDatabase { url in
            let sqlite = try DulyProcess().run(["demo"], database: false)
            let postgres = try DulyProcess().run(["demo", "--database", url], database: false)
            #expect(sqlite.status == 0, "\(sqlite.errors)")
            #expect(postgres.status == 0, "\(postgres.errors)")
            // Ninety days of runs, deliveries, calls, promises, disputes and approvals, then today's run: the same
            // words and figures, but for where the demo lives.
            let told = postgres.output.replacingOccurrences(of: " --database \(url)", with: "")
                .replacingOccurrences(of: url, with: "sqlite:duly.sqlite")
            #expect(told == sqlite.output)
        }
    }

    @Test func anOlderDulyRefusesADatabaseANewerOneMigratedInsteadOfWritingToIt() throws {
        try Self.withDatabase { url in
            let duly = try DulyProcess()
            #expect(try duly.run(["migrate", "--database", url], database: false).status == 0)
            try #require(
                try MigrateCommandTests.psql(
                    url, "INSERT INTO duly_migrations (name) VALUES ('v99_from_the_future')") == 0)
            let refused = try duly.run(
                [
                    "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone",
                    "Europe/Amsterdam", "--database", url,
                ], database: false)
            #expect(refused.status != 0)
            #expect(
                refused.errors.contains("migrated by a newer Duly (migration v99_from_the_future)"), "\(refused.errors)"
            )
            let status = try duly.run(["status", "--database", url], database: false)
            #expect(status.status != 0, "an ordinary command is refused too: \(status.output)")
        }
    }

    @Test func aLedgerLoadOnPostgreSQLIsRefusedInOneLineNamingTheImportsThatWork() throws {
        try Self.withDatabase { url in
            let duly = try DulyProcess()
            let created = try duly.run(
                [
                    "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone",
                    "Europe/Amsterdam", "--database", url,
                ], database: false)
            try #require(created.status == 0, "\(created.errors)")
            let file = try duly.write("customers.csv", "customer_id,name\nC1,Brightwave Ltd\n")
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path

            let refused = try duly.run(["import", "ledger", folder, "--database", url], database: false)

            #expect(refused.status == 78)
            #expect(
                refused.errors.contains("on PostgreSQL import customers, invoices and payments in turn"),
                "\(refused.errors)")
        }
    }

    @Test func aPasswordInTheURLIsNeverPrinted() throws {
        try Self.withDatabase { url in
            // The test server trusts loopback, so the password is carried and never asked for.
            let withPassword = url.replacingOccurrences(of: "://postgres@", with: "://postgres:s3cret@")
            let duly = try DulyProcess()
            let initialised = try duly.run(
                [
                    "init", "--database", withPassword, "--name", "Studio", "--currency", "EUR", "--country", "NL",
                    "--timezone", "Europe/Amsterdam",
                ], database: false)
            #expect(initialised.status == 0, "\(initialised.errors)")
            #expect(initialised.output.contains("postgres:***@"))
            let missing = try duly.run(["status", "--database", withPassword, "--org", "nobody"], database: false)
            #expect(missing.status != 0)
            for text in [initialised.output, initialised.errors, missing.output, missing.errors] {
                #expect(!text.contains("s3cret"))
            }
        }
    }
}
