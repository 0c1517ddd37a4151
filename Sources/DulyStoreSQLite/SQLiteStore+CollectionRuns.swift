import DulyCore
import DulyStore
import GRDB

// The collection day shared by several processes on one file (`CollectionRunStore`; tables of migration v39). SQLite
// has one writer at a time, so each of these writes is serialised whole: no row locks are needed.
extension SQLiteStore {
    public func beginCollectionRun(
        organisationID: String, on date: LocalDate, fingerprint: String, batchSize: Int
    ) async throws -> CollectionRunTicket {
        precondition(batchSize > 0, "a batch holds at least one customer")
        return try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            if let open = try Row.fetchOne(
                db,
                sql: """
                    SELECT run, as_of, fingerprint, customers, selected, batches FROM collection_runs
                    WHERE org_id = ? AND state = 'open'
                    """, arguments: [organisationID])
            {
                if open["as_of"] == date.description && open["fingerprint"] == fingerprint {
                    return CollectionRunTicket(
                        run: open["run"], customers: open["customers"], selected: open["selected"],
                        batches: open["batches"], started: false)
                }
                // Another day's (or another playbook's) run left unfinished: what it wrote stays, the rest is
                // this run's to look at again.
                try db.execute(
                    sql: "UPDATE collection_runs SET state = 'replaced' WHERE org_id = ? AND run = ?",
                    arguments: [organisationID, open["run"] as Int64])
                try db.execute(
                    sql: "DELETE FROM collection_run_batches WHERE org_id = ? AND run = ?",
                    arguments: [organisationID, open["run"] as Int64])
            }
            let selection = try SQLiteStore.customersToReview(organisationID, on: date, fingerprint: fingerprint, db)
            let run =
                (try Int64.fetchOne(
                    db, sql: "SELECT max(run) FROM collection_runs WHERE org_id = ?", arguments: [organisationID])
                    ?? 0) + 1
            let batches = selection.batches(of: batchSize)
            try db.execute(
                sql: """
                    INSERT INTO collection_runs (org_id, run, as_of, fingerprint, customers, selected, batches, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, run, date.description, fingerprint, selection.customers,
                    selection.customerIDs.count, batches.count, batches.isEmpty ? "finished" : "open",
                ])
            let insert = try db.cachedStatement(
                sql: "INSERT INTO collection_run_batches (org_id, run, batch, customer_ids) VALUES (?, ?, ?, ?)")
            for (index, customerIDs) in batches.enumerated() {
                try insert.execute(arguments: [organisationID, run, index, JSONText.encode(customerIDs)])
            }
            if batches.isEmpty { try SQLiteStore.recordReviewSettings(organisationID, fingerprint, date, db) }
            return CollectionRunTicket(startedAs: run, selection: selection, batches: batches.count)
        }
    }

    public func claimRunBatches(
        organisationID: String, run: Int64, holder: String, now: Int64, until: Int64, limit: Int
    ) async throws -> RunBatchClaim {
        try await write { db in
            let free = try Row.fetchAll(
                db,
                sql: """
                    SELECT batch, customer_ids FROM collection_run_batches
                    WHERE org_id = ? AND run = ? AND (holder IS NULL OR lease_expires <= ?)
                    ORDER BY batch LIMIT ?
                    """, arguments: [organisationID, run, now, limit])
            if !free.isEmpty {
                let claim = try db.cachedStatement(
                    sql: """
                        UPDATE collection_run_batches SET holder = ?, lease_expires = ?
                        WHERE org_id = ? AND run = ? AND batch = ?
                        """)
                for row in free {
                    try claim.execute(arguments: [holder, until, organisationID, run, row["batch"] as Int])
                }
                return .claimed(
                    try free.map { row in
                        RunBatch(
                            run: run, index: row["batch"], customerIDs: try JSONText.decodeArray(row["customer_ids"]))
                    })
            }
            let others = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS batches, min(lease_expires) AS until FROM collection_run_batches
                    WHERE org_id = ? AND run = ? AND holder <> ?
                    """, arguments: [organisationID, run, holder])
            guard let others, let count = others["batches"] as Int?, count > 0 else { return .noneLeft }
            return .heldByOthers(batches: count, until: others["until"] ?? now)
        }
    }

    public func completeRunBatches(organisationID: String, run: Int64, batches: [Int]) async throws -> Bool {
        try await write { db in
            guard
                let open = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT as_of, fingerprint FROM collection_runs
                        WHERE org_id = ? AND run = ? AND state = 'open'
                        """, arguments: [organisationID, run])
            else { return false }
            let delete = try db.cachedStatement(
                sql: "DELETE FROM collection_run_batches WHERE org_id = ? AND run = ? AND batch = ?")
            for batch in batches { try delete.execute(arguments: [organisationID, run, batch]) }
            let left =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM collection_run_batches WHERE org_id = ? AND run = ?",
                    arguments: [organisationID, run]) ?? 0
            guard left == 0 else { return false }
            try db.execute(
                sql: "UPDATE collection_runs SET state = 'finished' WHERE org_id = ? AND run = ?",
                arguments: [organisationID, run])
            let date = try Decode.date(open["as_of"] as String)
            try SQLiteStore.recordReviewSettings(organisationID, open["fingerprint"], date, db)
            return true
        }
    }

    public func releaseRunBatches(organisationID: String, run: Int64, holder: String) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE collection_run_batches SET holder = NULL, lease_expires = NULL
                    WHERE org_id = ? AND run = ? AND holder = ?
                    """, arguments: [organisationID, run, holder])
        }
    }

    // The organisation's reviews stand under `fingerprint` as of `date`: a run wrote every batch.
    static func recordReviewSettings(
        _ organisationID: String, _ fingerprint: String, _ date: LocalDate, _ db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO review_settings (org_id, fingerprint, last_run) VALUES (?, ?, ?)
                ON CONFLICT (org_id) DO UPDATE SET fingerprint = excluded.fingerprint, last_run = excluded.last_run
                """,
            arguments: [organisationID, fingerprint, date.description])
    }
}
