import DulyStore
import GRDB

/// The next public numbers of one kind of row in one organisation (`act_N`, `evt_N`, `whk_N`, `bcr_N`), taken
/// inside a write's transaction: read once, handed out as rows are inserted, stored back before the transaction ends.
///
/// Safe because the counter is read and written in the transaction that inserts the rows: SQLite's single writer
/// runs that transaction alone; a backend with several writers reads the counter row `FOR UPDATE`, which holds its
/// lock to the commit, so a second writer of the same kind in the same organisation waits and reads the stored next.
/// The unique index `(org_id, number)` refuses a duplicate whatever happens. A number is used only when its row is
/// written (a row an idempotency key turns away takes none), so the numbers have no gaps.
struct OrganisationNumbers {
    typealias Kind = NumberedKind

    private let kind: Kind
    private let organisationID: String
    private let first: Int64
    private(set) var next: Int64

    /// Reads the organisation's counter of this kind (1 when it has none yet).
    init(_ kind: Kind, organisationID: String, _ db: Database) throws {
        self.kind = kind
        self.organisationID = organisationID
        let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT next FROM organisation_counters WHERE org_id = ? AND kind = ?"),
            arguments: [organisationID, kind.rawValue])
        first = stored ?? 1
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
    static func takeOne(_ kind: Kind, organisationID: String, _ db: Database) throws -> Int64 {
        let next = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO organisation_counters (org_id, kind, next) VALUES (?, ?, 2)
                    ON CONFLICT (org_id, kind) DO UPDATE SET next = next + 1
                    RETURNING next
                    """),
            arguments: [organisationID, kind.rawValue])
        guard let next else { throw StoreError.backend("no \(kind.rawValue) counter for '\(organisationID)'") }
        return next - 1
    }

    /// Stores the counter back; nothing to do when no number was used.
    func save(_ db: Database) throws {
        guard next != first else { return }
        try db.execute(
            sql: """
                INSERT INTO organisation_counters (org_id, kind, next) VALUES (?, ?, ?)
                ON CONFLICT (org_id, kind) DO UPDATE SET next = excluded.next
                """,
            arguments: [organisationID, kind.rawValue, next])
    }
}
