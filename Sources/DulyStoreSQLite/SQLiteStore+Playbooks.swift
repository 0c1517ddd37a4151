import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: PlaybookStore {
    /// Keeps `source` as the next version of the organisation's playbook.
    public func adoptPlaybook(
        name: String, source: String, adoptedBy: String?, organisationID: String, context: RecordingContext
    ) async throws -> AdoptedPlaybook {
        guard !name.isEmpty else { throw StoreError.invalid("a playbook needs a name") }
        return try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let last = try Int.fetchOne(
                db, sql: "SELECT max(version) FROM playbook_versions WHERE org_id = ?", arguments: [organisationID])
            let adopted = AdoptedPlaybook(
                version: (last ?? 0) + 1, name: name, source: source, adoptedOn: context.date, adoptedBy: adoptedBy)
            try db.execute(
                sql: """
                    INSERT INTO playbook_versions (org_id, version, name, source, adopted_on, adopted_by, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, adopted.version, name, source, context.date.description, adoptedBy,
                    context.recordedAt,
                ])
            return adopted
        }
    }

    /// The last version adopted, or nil.
    public func adoptedPlaybook(organisationID: String) async throws -> AdoptedPlaybook? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT version, name, source, adopted_on, adopted_by FROM playbook_versions
                    WHERE org_id = ? ORDER BY version DESC LIMIT 1
                    """,
                arguments: [organisationID]
            ).map(SQLiteStore.adoptedPlaybook)
        }
    }

    /// Every version, oldest first.
    public func playbookHistory(organisationID: String) async throws -> [AdoptedPlaybook] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT version, name, source, adopted_on, adopted_by FROM playbook_versions
                    WHERE org_id = ? ORDER BY version
                    """,
                arguments: [organisationID]
            ).map(SQLiteStore.adoptedPlaybook)
        }
    }

    private static func adoptedPlaybook(_ row: Row) throws -> AdoptedPlaybook {
        AdoptedPlaybook(
            version: row["version"], name: row["name"], source: row["source"],
            adoptedOn: try Decode.date(row["adopted_on"]), adoptedBy: row["adopted_by"])
    }
}
