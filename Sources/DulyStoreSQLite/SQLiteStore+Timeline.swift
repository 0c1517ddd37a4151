import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// An account's whole timeline, in order, exactly as stored (verification recomputes the hashes).
    public func timeline(organisationID: String, customerID: String) async throws -> [TimelineEntry] {
        try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT sequence, date, recorded_at, kind, summary, details, previous_hash, hash
                    FROM timeline_entries WHERE org_id = ? AND customer_id = ? ORDER BY sequence
                    """,
                arguments: [organisationID, customerID])
            var entries: [TimelineEntry] = []
            while let row = try rows.next() {
                entries.append(
                    TimelineEntry(
                        sequence: row["sequence"], customerID: customerID, date: try Decode.date(row["date"]),
                        recordedAt: row["recorded_at"], kind: row["kind"], summary: row["summary"],
                        details: try JSONText.decodeObject(row["details"]), previousHash: row["previous_hash"],
                        hash: row["hash"]))
            }
            return entries
        }
    }
}
