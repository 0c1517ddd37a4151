import DulyStore
import DulyStorePostgres
import DulyStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// The PostgreSQL server the tests use: the one `DULY_TEST_POSTGRES_URL` names (a superuser's URL: `.ci/run` starts
/// a throw-away cluster on loopback and sets it). Each test gets a database of its own, dropped afterwards.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["DULY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether a server is configured; `.ci/run` always configures one (a test below insists).
    static var configured: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "duly.tests.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with the settings of a new, empty database, dropped afterwards whatever happens.
    static func withDatabase(
        creating options: String = "", _ body: (PostgresSettings) async throws -> Void
    ) async throws {
        let admin = try PostgresSettings(url: try #require(url, "DULY_TEST_POSTGRES_URL is not set"))
        let name = "duly_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await PostgresStore.using(admin, logger: logger) { store in
            try await store.sql(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) \(options)"), logger: logger)
        }
        var settings = admin
        settings.database = name
        do {
            try await body(settings)
        } catch {
            try await drop(name, admin)
            throw error
        }
        try await drop(name, admin)
    }

    /// Runs the case of a contract called `name` on a new, migrated database, opened as the store the contract takes;
    /// a violation is recorded as the test's issue, naming the case.
    static func contractCase<Store>(
        _ name: String, of cases: [(name: String, run: @Sendable (Store) async throws -> Void)],
        as open: @escaping @Sendable (PostgresStore) -> Store
    ) async throws {
        let contractCase = try #require(cases.first { $0.name == name }, "no contract case \(name)")
        try await withDatabase { settings in
            try await PostgresStore.using(settings, logger: logger) { store in
                try await store.migrate()
                do {
                    try await contractCase.run(open(store))
                } catch let violation as ContractViolation {
                    Issue.record("\(name): \(violation.message)")
                }
            }
        }
    }

    private static func drop(_ name: String, _ admin: PostgresSettings) async throws {
        _ = try await PostgresStore.using(admin, logger: logger) { store in
            try await store.sql(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}

extension PostgresStore {
    /// Runs a statement on the pool and reads its answer to the end: an answer left unread keeps its connection
    /// leased, and a pool shutting down waits for it.
    func sql(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await client.query(query, logger: logger) {}
    }
}

@Suite("The PostgreSQL test server")
struct TestServerTests {
    /// Without this, a CI run missing its server would skip every PostgreSQL case and still pass: `.ci/run` sets
    /// DULY_TEST_POSTGRES_REQUIRED beside the server's URL.
    @Test func aRunThatRequiresTheServerHasOne() {
        guard ProcessInfo.processInfo.environment["DULY_TEST_POSTGRES_REQUIRED"] == "1" else { return }
        #expect(TestServer.configured, "PostgreSQL is required but DULY_TEST_POSTGRES_URL is not set (.ci/run)")
    }
}
