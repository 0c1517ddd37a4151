import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: ServerRunStore {
    public func organisationIDs() async throws -> [String] {
        let logger = self.logger
        return try await read { connection in
            // Byte order, as SQLite sorts, whatever the database's collation.
            try await connection.rows("SELECT org_id FROM organisations ORDER BY org_id COLLATE \"C\"", logger: logger)
                .map { try $0.value("org_id", as: String.self) }
        }
    }

    public func recordServerRun(
        organisationID: String, date: LocalDate, source: ServerRunSource, planned: Int, finishedAt: String
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await connection.execute(
                """
                INSERT INTO server_runs (org_id, run_date, source, planned, finished_at)
                VALUES (\(organisationID), \(date), \(source.rawValue), \(planned), \(finishedAt))
                ON CONFLICT (org_id, run_date, source)
                DO UPDATE SET planned = excluded.planned, finished_at = excluded.finished_at
                """, logger: logger)
        }
    }

    public func lastServerRun(organisationID: String, source: ServerRunSource?) async throws -> LocalDate? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row(
                """
                SELECT max(run_date) AS last FROM server_runs
                WHERE org_id = \(organisationID) AND (\(source?.rawValue)::text IS NULL OR source = \(source?.rawValue))
                """, logger: logger
            )?.optional("last", as: LocalDate.self)
        }
    }

    public func organisationGauges() async throws -> [OrganisationGauges] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT o.org_id,
                    (SELECT count(*) FROM actions a
                        WHERE a.org_id = o.org_id AND a.status IN ('planned', 'approved')
                        AND a.channel IN ('email', 'letter', 'sms')) AS outbox_depth,
                    (SELECT count(*) FROM webhook_deliveries w
                        WHERE w.org_id = o.org_id AND w.state IN ('pending', 'retrying')) AS webhook_backlog,
                    (SELECT max(run_date) FROM server_runs r WHERE r.org_id = o.org_id) AS last_run
                FROM organisations o ORDER BY o.org_id COLLATE "C"
                """, logger: logger
            ).map { row in
                OrganisationGauges(
                    organisationID: try row.value("org_id"), outboxDepth: try row.value("outbox_depth"),
                    webhookBacklog: try row.value("webhook_backlog"),
                    lastCollectionDay: try row.optional("last_run"))
            }
        }
    }
}
