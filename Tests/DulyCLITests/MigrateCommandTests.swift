import Foundation
import Testing

/// `duly migrate` (docs/POSTGRES.md, "Upgrading"): the schema created or upgraded on its own, and said in one line.
@Suite("duly migrate")
struct MigrateCommandTests {
    @Test func aSQLiteFileIsMigratedAndSaidCurrent() throws {
        let duly = try DulyProcess()
        let migrated = try duly.run(["migrate"])
        #expect(migrated.status == 0, "\(migrated.errors)")
        #expect(migrated.output == "The schema of \(duly.databaseURL) is current.\n")
        #expect(FileManager.default.fileExists(atPath: duly.folder.appendingPathComponent("duly.sqlite").path))
    }

    @Test func aPostgreSQLServerThatCannotBeReachedIsSaidAtOnceWithoutThePassword() throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let url = "postgres://duly:s3cret@127.0.0.1:1/duly?sslmode=disable"
        let refused = try DulyProcess().run(["migrate", "--database", url], database: false)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("cannot connect to postgres://duly:***@127.0.0.1:1/duly: "))
        #expect(refused.errors.contains("Connection refused"))
        #expect(!refused.errors.contains("s3cret"))
    }

    @Test func aBadSettingInThePostgreSQLURLIsRefusedNamingIt() throws {
        let refused = try DulyProcess().run(
            ["migrate", "--database", "postgres://duly@127.0.0.1/duly?sslmode=maybe"], database: false)
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains(
                "sslmode=maybe in the database URL: use one of disable, prefer, require, verify-full"))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DULY_TEST_POSTGRES_URL"] != nil))
    func aPostgreSQLDatabaseIsMigratedOnceThenSaidCurrent() throws {
        let admin = try #require(ProcessInfo.processInfo.environment["DULY_TEST_POSTGRES_URL"])
        let name = "duly_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let duly = try DulyProcess()
        try #require(try Self.psql(admin, "CREATE DATABASE \(name)") == 0)
        defer { _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let url = admin.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let first = try duly.run(["migrate", "--database", url], database: false)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.hasPrefix("Applied v32_worklist"))
        #expect(first.output.hasSuffix("; the schema is current.\n"))
        let again = try duly.run(["migrate", "--database", url], database: false)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.hasSuffix("; nothing to apply.\n"))
    }

    /// Runs one statement with psql (Debian's postgresql-client) against the administrator's URL.
    static func psql(_ url: String, _ statement: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url.replacingOccurrences(of: "?sslmode=disable", with: ""), "-q", "-c", statement]
        process.environment = ["PGSSLMODE": "disable"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
