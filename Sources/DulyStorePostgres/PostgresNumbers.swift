import DulyStore
import Logging
import PostgresNIO

/// The next public numbers of one kind of row in one organisation (`act_N`, `evt_N`, `whk_N`, `bcr_N`), taken inside a
/// write's transaction (the store contract's "Public numbers"; the SQLite store's `OrganisationNumbers` is the same
/// rule on one writer).
///
/// The counter row is created if missing and then read `FOR UPDATE`: its lock is held to the commit, so a second
/// writer of the same kind in the same organisation waits and then reads the number this one stored back.
struct PostgresNumbers {
    typealias Kind = NumberedKind

    private let kind: Kind
    private let organisationID: String
    private let first: Int64
    private(set) var next: Int64

    /// Locks and reads the organisation's counter of this kind (1 when it has none yet).
    init(_ kind: Kind, organisationID: String, _ connection: PostgresConnection, logger: Logger) async throws {
        self.kind = kind
        self.organisationID = organisationID
        try await connection.execute(
            """
            INSERT INTO organisation_counters (org_id, kind, next) VALUES (\(organisationID), \(kind.rawValue), 1)
            ON CONFLICT (org_id, kind) DO NOTHING
            """, logger: logger)
        let row = try await connection.row(
            """
            SELECT next FROM organisation_counters WHERE org_id = \(organisationID) AND kind = \(kind.rawValue)
            FOR UPDATE
            """, logger: logger)
        first = try row?.value("next", as: Int64.self) ?? 1
        next = first
    }

    /// The number the next inserted row takes; call `used()` once it is written.
    var peek: Int64 { next }

    /// The number `peek` gave was written.
    mutating func used() { next += 1 }

    /// Takes the next number, for a row that is certainly written.
    mutating func take() -> Int64 {
        defer { next += 1 }
        return next
    }

    /// Takes one number and stores the counter at once, for a write that inserts a row now and then.
    static func takeOne(
        _ kind: Kind, organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        let row = try await connection.row(
            """
            INSERT INTO organisation_counters (org_id, kind, next) VALUES (\(organisationID), \(kind.rawValue), 2)
            ON CONFLICT (org_id, kind) DO UPDATE SET next = organisation_counters.next + 1
            RETURNING next
            """, logger: logger)
        guard let next = try row?.value("next", as: Int64.self) else {
            throw StoreError.backend("no \(kind.rawValue) counter for '\(organisationID)'")
        }
        return next - 1
    }

    /// Stores the counter back; nothing to do when no number was used.
    func save(_ connection: PostgresConnection, logger: Logger) async throws {
        guard next != first else { return }
        try await connection.execute(
            """
            UPDATE organisation_counters SET next = \(next)
            WHERE org_id = \(organisationID) AND kind = \(kind.rawValue)
            """, logger: logger)
    }
}
