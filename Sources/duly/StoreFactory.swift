import ArgumentParser
import DulyStore
import DulyStoreSQLite

/// A database URL as `--database` and `DULY_DATABASE_URL` give it, read once: which backend, and where.
enum DatabaseURL: Equatable {
    /// `sqlite:PATH` (or `sqlite://PATH`): one file.
    case sqlite(path: String)
    /// `postgres://…` or `postgresql://…`: a server; this build only migrates its schema (docs/POSTGRES.md).
    case postgres(String)

    /// Reads a URL, or says in one line what is wrong with it.
    init(_ url: String) throws {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url)
            return
        }
        guard url.hasPrefix("sqlite:") else {
            throw ValidationError("unknown database URL '\(url)': use sqlite:PATH")
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
        case .postgres:
            throw ValidationError(
                "this build creates a PostgreSQL schema (duly migrate) but does not store in it yet; use sqlite:PATH")
        case .sqlite(let path):
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            return store
        }
    }
}
