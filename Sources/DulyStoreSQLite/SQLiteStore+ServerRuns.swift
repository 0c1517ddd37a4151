import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: ServerRunStore {
    public func organisationIDs() async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT org_id FROM organisations ORDER BY org_id") }
    }

    public func recordServerRun(
        organisationID: String, date: LocalDate, source: ServerRunSource, planned: Int, finishedAt: String
    ) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO server_runs (org_id, run_date, source, planned, finished_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (org_id, run_date, source)
                    DO UPDATE SET planned = excluded.planned, finished_at = excluded.finished_at
                    """,
                arguments: [organisationID, date.description, source.rawValue, planned, finishedAt])
        }
    }

    public func lastServerRun(organisationID: String, source: ServerRunSource?) async throws -> LocalDate? {
        let text = try await read { db in
            try String.fetchOne(
                db,
                sql: "SELECT max(run_date) FROM server_runs WHERE org_id = ? AND (? IS NULL OR source = ?)",
                arguments: [organisationID, source?.rawValue, source?.rawValue])
        }
        return text.flatMap { LocalDate(iso: $0) }
    }

    public func organisationGauges() async throws -> [OrganisationGauges] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.org_id,
                        (SELECT count(*) FROM actions a
                            WHERE a.org_id = o.org_id AND a.status IN ('planned', 'approved')
                            AND a.channel IN ('email', 'letter', 'sms')) AS outbox_depth,
                        (SELECT count(*) FROM webhook_deliveries w
                            WHERE w.org_id = o.org_id AND w.state IN ('pending', 'retrying')) AS webhook_backlog,
                        (SELECT max(run_date) FROM server_runs r WHERE r.org_id = o.org_id) AS last_run
                    FROM organisations o ORDER BY o.org_id
                    """)
            return rows.map { row in
                OrganisationGauges(
                    organisationID: row["org_id"], outboxDepth: row["outbox_depth"],
                    webhookBacklog: row["webhook_backlog"],
                    lastCollectionDay: (row["last_run"] as String?).flatMap { LocalDate(iso: $0) })
            }
        }
    }
}
