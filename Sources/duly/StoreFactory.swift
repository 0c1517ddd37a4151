import ArgumentParser
import DulyStore
import DulyStorePostgres
import DulyStoreSQLite
import Logging

/// A database URL as `--database` and `DULY_DATABASE_URL` give it, read once: which backend, and where.
enum DatabaseURL: Equatable {
    /// `sqlite:PATH` (or `sqlite://PATH`): one file.
    case sqlite(path: String)
    /// `postgres://…` or `postgresql://…`: a server (docs/POSTGRES.md).
    case postgres(String)

    /// `url` with the password of a `scheme://user:password@host` URL shown as `***`.
    static func hidingPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: colon)]) + "***" + String(url[at...])
    }

    /// Reads a URL, or says in one line what is wrong with it.
    init(_ url: String) throws {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url)
            return
        }
        guard url.hasPrefix("sqlite:") else {
            throw ValidationError("unknown database URL '\(url)': use sqlite:PATH or postgres://USER@HOST/DATABASE")
        }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
        guard !path.isEmpty else { throw ValidationError("the database URL '\(url)' names no file") }
        self = .sqlite(path: path)
    }
}

/// The one place that turns a database URL into a store: every command and `duly serve` get theirs here, as
/// `any StoreBackend`, so that no command knows which backend it talks to (docs/ARCHITECTURE.md, "One way in").
enum StoreFactory {
    /// Opens (and migrates) the store the URL names.
    static func open(_ url: String) async throws -> any StoreBackend {
        switch try DatabaseURL(url) {
        case .postgres(let text):
            let store = try await PostgresStore.open(try postgresSettings(text), logger: postgresLogger)
            // Migrations run only when the schema lacks one, so that a command pointed at a read replica (reports)
            // never writes; `duly migrate` does it on its own before the nodes start.
            if await store.readiness() != nil { try await store.migrate() }
            return store
        case .sqlite(let path):
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            return store
        }
    }

    /// The settings a `postgres://` URL gives, or what is wrong with it in one line.
    static func postgresSettings(_ url: String) throws -> PostgresSettings {
        do {
            return try PostgresSettings(url: url)
        } catch let problem as PostgresSettings.Problem {
            throw ValidationError(problem.description)
        }
    }

    /// PostgreSQL's own messages at warning and above: connection trouble, never a query or its values.
    static var postgresLogger: Logger {
        var logger = Logger(label: "duly.postgres")
        logger.logLevel = .warning
        return logger
    }
}
