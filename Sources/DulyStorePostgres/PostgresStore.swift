import DulyStore
import Logging
import PostgresNIO

/// Duly's store on a PostgreSQL server, through a pool of connections (PostgresNIO's `PostgresClient`).
///
/// This build creates and upgrades the schema (`migrate`) and checks that a database is ready; the store protocols
/// are being written on top of it (docs/POSTGRES.md, "What works today"), so the command line still refuses
/// `postgres://` everywhere but `duly migrate`.
public final class PostgresStore: Sendable {
    /// The connection pool. It only connects while `run()` is running: `using(_:logger:_:)` runs it for a command's
    /// lifetime, `duly serve` as one of its services.
    public let client: PostgresClient
    public let settings: PostgresSettings
    let logger: Logger

    public init(settings: PostgresSettings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        self.client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
    }

    /// Runs the pool until the task is cancelled.
    public func run() async {
        await client.run()
    }

    /// Connects once and lets go: a server that cannot be reached, or refuses the user, is said at once in one line
    /// (`StoreError.backend`), rather than after the pool's retries.
    public func probe() async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            let reason = (error as? PSQLError).map(Self.describe) ?? "\(error)"
            throw StoreError.backend("cannot connect to \(settings): \(reason)")
        }
    }

    /// Opens a store for the duration of `body` (after a `probe`), its pool running beside it, and closes it
    /// afterwards.
    public static func using<Result: Sendable>(
        _ settings: PostgresSettings, logger: Logger, _ body: @Sendable (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let store = try PostgresStore(settings: settings, logger: logger)
        try await store.probe()
        // The pool runs in a task of its own, cancelled (and not awaited) once the body is done: a pool that never
        // finishes shutting down (seen twice in full test runs, with every connection already closed on the server)
        // must not hold up the caller for ever. The body waits for the task to start, so that its first query finds
        // the pool running.
        let (started, signal) = AsyncStream<Void>.makeStream()
        let pool = Task {
            signal.finish()
            await store.run()
        }
        defer { pool.cancel() }
        for await _ in started {}
        return try await body(store)
    }

    /// Creates or upgrades the schema (the store protocol's way in; `applyMigrations` says what it did).
    public func migrate() async throws {
        try await applyMigrations()
    }

    /// Opens a store whose pool runs until the process ends: the command line's and `duly serve`'s way in. The server
    /// is probed first, so that one that cannot be reached, or refuses the user, is said at once in one line.
    public static func open(_ settings: PostgresSettings, logger: Logger) async throws -> PostgresStore {
        let store = try PostgresStore(settings: settings, logger: logger)
        try await store.probe()
        // The first query waits for the pool's task to start, so that it finds the pool running.
        let (started, signal) = AsyncStream<Void>.makeStream()
        Task {
            signal.finish()
            await store.run()
        }
        for await _ in started {}
        return store
    }

    /// What `applyMigrations` did.
    public struct MigrationReport: Sendable, Equatable {
        /// The migrations this call applied, in order (none when the schema was current).
        public var applied: [String]
        /// The newest migration the database now has.
        public var current: String
    }

    /// Creates or upgrades the schema, in one transaction, holding an advisory lock so that several nodes starting at
    /// once apply each migration exactly once. Refuses a database migrated by a newer Duly.
    @discardableResult
    public func applyMigrations() async throws -> MigrationReport {
        try await applyMigrations(through: nil)
    }

    /// Applies the migrations due up to the one named `last` (every one when nil): tests leave a database at an
    /// earlier version this way, as an older Duly would have.
    func applyMigrations(through last: String?) async throws -> MigrationReport {
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                // Every statement's answer is read to its end (`execute`): an answer left unread is cancelled on the
                // server, which can strike the transaction's next statement.
                // A node that starts while another migrates waits for it, however long the migration takes on a
                // busy server: the statement timeout of the URL is for the store's queries, not for this wait or the
                // schema's statements (seen in CI: three nodes cut off after 30 s while the fourth migrated).
                try await connection.execute("SET LOCAL statement_timeout = 0", logger: logger)
                try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))", logger: logger)
                try await Self.requireByteOrder(connection, logger: logger)
                try await connection.execute(
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE TABLE IF NOT EXISTS \(PostgresSchema.ledgerTable) (
                                name text NOT NULL PRIMARY KEY,
                                applied_at timestamptz NOT NULL DEFAULT now()
                            )
                            """), logger: logger)
                var done = Set<String>()
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT name FROM \(PostgresSchema.ledgerTable)"), logger: logger)
                for try await name in rows.decode(String.self) { done.insert(name) }
                let known = Set(PostgresSchema.migrations.map(\.name))
                if let unknown = done.subtracting(known).sorted().first {
                    throw StoreError.invalid(
                        "the database \(self.settings) was migrated by a newer Duly (migration \(unknown)): "
                            + "upgrade this node before running it")
                }
                var applied: [String] = []
                var wanted = PostgresSchema.migrations[...]
                if let last, let end = wanted.firstIndex(where: { $0.name == last }) { wanted = wanted[...end] }
                for migration in wanted where !done.contains(migration.name) {
                    for statement in migration.statements {
                        try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.execute(
                        "INSERT INTO duly_migrations (name) VALUES (\(migration.name))", logger: logger)
                    applied.append(migration.name)
                }
                return MigrationReport(applied: applied, current: wanted.last?.name ?? "")
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Refuses a database that sorts text by a language's rules: Duly pages and orders ids byte by byte, as SQLite
    /// does, so that both backends answer in one order and the key indexes serve every page (docs/POSTGRES.md,
    /// "Creating the database").
    static func requireByteOrder(_ connection: PostgresConnection, logger: Logger) async throws {
        // Read through `to_jsonb`, so that one query reads every version's catalogue: the provider came in 15 (libc
        // before), its locale was `daticulocale` in 15 and 16 and is `datlocale` from 17.
        let rows = try await connection.query(
            """
            SELECT datcollate::text, coalesce(to_jsonb(d) ->> 'datlocprovider', 'c'),
                coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale', '')
            FROM pg_database d WHERE datname = current_database()
            """, logger: logger)
        // Read to the end before deciding: a row sequence left half read is cancelled on the server, which can strike
        // the transaction's next statement.
        var found: [(collation: String, provider: String, locale: String)] = []
        for try await row in rows.decode((String, String, String).self) { found.append(row) }
        for (collation, provider, locale) in found {
            // libc's C and POSIX, and from 17 the builtin provider's C and C.UTF-8, compare bytes (code points).
            let byteOrder =
                (provider == "c" && (collation == "C" || collation == "POSIX" || collation.hasPrefix("C.")))
                || (provider == "b" && (locale == "C" || locale == "C.UTF-8"))
            guard !byteOrder else { continue }
            let named = provider == "c" ? "'\(collation)'" : "\(provider == "i" ? "ICU's" : "the builtin") '\(locale)'"
            throw StoreError.invalid(
                "the database sorts text by \(named), but Duly orders ids byte by byte: create it with "
                    + "CREATE DATABASE … TEMPLATE template0 LOCALE 'C.UTF-8' (docs/POSTGRES.md)")
        }
    }

    /// Whether the server answers and the schema is this build's (what `/ready` asks); why not, in one line.
    public func readiness() async -> String? {
        do {
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT name FROM \(PostgresSchema.ledgerTable)"), logger: logger)
            var done = Set<String>()
            for try await name in rows.decode(String.self) { done.insert(name) }
            let known = PostgresSchema.migrations.map(\.name)
            // A schema a newer Duly migrated is not this build's either: `duly migrate` (which every command runs
            // when the schema is not ready) then refuses it, naming the migration, rather than write to it.
            if let unknown = done.subtracting(known).sorted().first {
                return "the database was migrated by a newer Duly (migration \(unknown)): upgrade this node"
            }
            let missing = known.filter { !done.contains($0) }
            return missing.isEmpty
                ? nil : "migrations not applied: \(missing.joined(separator: ", ")) (run duly migrate)"
        } catch let error as PSQLError {
            return Self.describe(error)
        } catch {
            return "\(error)"
        }
    }

    /// What a failed query or transaction means to Duly: a `StoreError` thrown inside a transaction as itself, a
    /// server's refusal as `StoreError.backend` in one line.
    static func storeError(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError
            return cause.map(storeError) ?? StoreError.backend("the transaction failed")
        }
        if let error = error as? PSQLError { return StoreError.backend(describe(error)) }
        return error
    }

    /// A server error in one line: its message as the server gave it (never the connection's password), or what
    /// failed on the way there.
    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            let code = error.serverInfo?[.sqlState].map { " (\($0))" } ?? ""
            return message + code
        }
        if error.code == .sslUnsupported {
            return "the server does not offer TLS, which the URL's sslmode asks for (use sslmode=disable only on a "
                + "trusted network)"
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}

extension PostgresStore {
    /// PostgreSQL has no cheap, exact "anything committed since" for a whole database, so nothing is answered from
    /// memory on this backend: every read goes to the server.
    public func changeVersion() async throws -> Int64? { nil }
}
