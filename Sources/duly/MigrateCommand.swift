import ArgumentParser
import DulyStorePostgres
import Logging

/// `duly migrate`: creates or upgrades the database's schema and says what it did, on its own, before any node
/// serves the database (docs/POSTGRES.md, "Upgrading"). Other commands migrate a database that lacks a migration as
/// they open it.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database's schema (SQLite or PostgreSQL) and say which migrations ran.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        print(try await StoreFactory.migrate(global.resolvedDatabaseURL))
    }
}

extension StoreFactory {
    /// Migrates the database the URL names, and says in one line what was done (the password never shown).
    static func migrate(_ url: String) async throws -> String {
        switch try DatabaseURL(url) {
        case .sqlite:
            _ = try await open(url)
            return "The schema of \(url) is current."
        case .postgres(let text):
            let settings = try postgresSettings(text)
            let report = try await PostgresStore.using(settings, logger: postgresLogger) {
                try await $0.applyMigrations()
            }
            if report.applied.isEmpty {
                return "The schema of \(settings) is current (\(report.current)); nothing to apply."
            }
            return "Applied \(report.applied.joined(separator: ", ")) to \(settings); the schema is current."
        }
    }
}
