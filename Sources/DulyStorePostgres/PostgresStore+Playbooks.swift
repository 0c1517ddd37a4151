import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: PlaybookStore {
    /// Keeps `source` as the next version of the organisation's playbook.
    public func adoptPlaybook(
        name: String, source: String, adoptedBy: String?, organisationID: String, context: RecordingContext
    ) async throws -> AdoptedPlaybook {
        guard !name.isEmpty else { throw StoreError.invalid("a playbook needs a name") }
        let logger = self.logger
        return try await write { connection in
            // The organisation's row, locked to the commit, numbers its versions: two adoptions at once take the next
            // version one after the other. (NO KEY UPDATE leaves the rows that reference the organisation free.)
            guard
                try await connection.row(
                    "SELECT 1 AS known FROM organisations WHERE org_id = \(organisationID) FOR NO KEY UPDATE",
                    logger: logger) != nil
            else { throw StoreError.organisationNotFound(organisationID) }
            let last = try await connection.row(
                "SELECT max(version) AS last FROM playbook_versions WHERE org_id = \(organisationID)", logger: logger)
            let adopted = AdoptedPlaybook(
                version: (try last?.optional("last", as: Int.self) ?? 0) + 1, name: name, source: source,
                adoptedOn: context.date, adoptedBy: adoptedBy)
            try await connection.execute(
                """
                INSERT INTO playbook_versions (org_id, version, name, source, adopted_on, adopted_by, recorded_at)
                VALUES (\(organisationID), \(adopted.version), \(name), \(source), \(context.date), \(adoptedBy),
                    \(context.recordedAt))
                """, logger: logger)
            return adopted
        }
    }

    /// The last version adopted, or nil.
    public func adoptedPlaybook(organisationID: String) async throws -> AdoptedPlaybook? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row(
                """
                SELECT version, name, source, adopted_on, adopted_by FROM playbook_versions
                WHERE org_id = \(organisationID) ORDER BY version DESC LIMIT 1
                """, logger: logger
            ).map(Self.adoptedPlaybook)
        }
    }

    /// Every version, oldest first.
    public func playbookHistory(organisationID: String) async throws -> [AdoptedPlaybook] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT version, name, source, adopted_on, adopted_by FROM playbook_versions
                WHERE org_id = \(organisationID) ORDER BY version
                """, logger: logger
            ).map(Self.adoptedPlaybook)
        }
    }

    private static func adoptedPlaybook(_ row: PostgresRandomAccessRow) throws -> AdoptedPlaybook {
        AdoptedPlaybook(
            version: try row.value("version"), name: try row.value("name"), source: try row.value("source"),
            adoptedOn: try row.value("adopted_on"), adoptedBy: try row.optional("adopted_by"))
    }
}
