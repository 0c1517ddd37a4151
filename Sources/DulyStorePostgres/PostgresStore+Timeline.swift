import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore {
    /// An account's whole timeline, in order, exactly as stored (verification recomputes the hashes).
    public func timeline(organisationID: String, customerID: String) async throws -> [TimelineEntry] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT sequence, date, recorded_at, kind, summary, details, previous_hash, hash
                FROM timeline_entries WHERE org_id = \(organisationID) AND customer_id = \(customerID)
                ORDER BY sequence
                """, logger: logger)
            return try rows.map { row in
                TimelineEntry(
                    sequence: try row.value("sequence"), customerID: customerID, date: try row.value("date"),
                    recordedAt: try row.value("recorded_at"), kind: try row.value("kind"),
                    summary: try row.value("summary"), details: try JSONText.decodeObject(row.value("details")),
                    previousHash: try row.value("previous_hash"), hash: try row.value("hash"))
            }
        }
    }
}
