import DulyCore
import DulyStore
import Logging
import PostgresNIO

// The collection day shared by several nodes (`CollectionRunStore`; tables of migration v39): beginning is
// serialised per organisation, batches are claimed with `FOR UPDATE SKIP LOCKED`, and finishing locks the run's row.
extension PostgresStore {
    public func beginCollectionRun(
        organisationID: String, on date: LocalDate, fingerprint: String, batchSize: Int
    ) async throws -> CollectionRunTicket {
        precondition(batchSize > 0, "a batch holds at least one customer")
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            // One node at a time begins or joins: nodes starting at once share the run the first one cuts.
            try await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(\(organisationID + "\u{1E}collection day"), 0))",
                logger: logger)
            if let open = try await connection.row(
                """
                SELECT run, as_of, fingerprint, customers, selected, batches FROM collection_runs
                WHERE org_id = \(organisationID) AND state = 'open'
                """, logger: logger)
            {
                let run = try open.value("run", as: Int64.self)
                if try open.value("as_of", as: LocalDate.self) == date
                    && open.value("fingerprint", as: String.self) == fingerprint
                {
                    return CollectionRunTicket(
                        run: run, customers: try open.value("customers"), selected: try open.value("selected"),
                        batches: try open.value("batches"), started: false)
                }
                // Another day's (or another playbook's) run left unfinished: what it wrote stays, the rest is
                // this run's to look at again.
                try await connection.execute(
                    "UPDATE collection_runs SET state = 'replaced' WHERE org_id = \(organisationID) AND run = \(run)",
                    logger: logger)
                try await connection.execute(
                    "DELETE FROM collection_run_batches WHERE org_id = \(organisationID) AND run = \(run)",
                    logger: logger)
            }
            let selection = try await Self.customersToReview(
                organisationID, on: date, fingerprint: fingerprint, connection, logger: logger)
            let run =
                try await connection.row(
                    "SELECT coalesce(max(run), 0) + 1 AS run FROM collection_runs WHERE org_id = \(organisationID)",
                    logger: logger)?.value("run", as: Int64.self) ?? 1
            let batches = selection.batches(of: batchSize)
            try await connection.execute(
                """
                INSERT INTO collection_runs (org_id, run, as_of, fingerprint, customers, selected, batches, state)
                VALUES (\(organisationID), \(run), \(date), \(fingerprint), \(selection.customers),
                    \(selection.customerIDs.count), \(batches.count), \(batches.isEmpty ? "finished" : "open"))
                """, logger: logger)
            for (index, customerIDs) in batches.enumerated() {
                try await connection.execute(
                    """
                    INSERT INTO collection_run_batches (org_id, run, batch, customer_ids)
                    VALUES (\(organisationID), \(run), \(index), \(customerIDs)::text[])
                    """, logger: logger)
            }
            if batches.isEmpty {
                try await Self.recordReviewSettings(organisationID, fingerprint, date, connection, logger: logger)
            }
            return CollectionRunTicket(startedAs: run, selection: selection, batches: batches.count)
        }
    }

    public func claimRunBatches(
        organisationID: String, run: Int64, holder: String, now: Int64, until: Int64, limit: Int
    ) async throws -> RunBatchClaim {
        let logger = self.logger
        return try await write { connection in
            // A batch another node is claiming this instant is skipped, not waited for. The batches are picked in a
            // CTE, which runs once: as `batch IN (SELECT … LIMIT n)` the subquery may run again per row and claim
            // more than `limit` (the contract caught it).
            let claimed = try await connection.rows(
                """
                WITH picked AS (
                    SELECT batch FROM collection_run_batches
                    WHERE org_id = \(organisationID) AND run = \(run) AND (holder IS NULL OR lease_expires <= \(now))
                    ORDER BY batch LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                UPDATE collection_run_batches b SET holder = \(holder), lease_expires = \(until)
                FROM picked
                WHERE b.org_id = \(organisationID) AND b.run = \(run) AND b.batch = picked.batch
                RETURNING b.batch, b.customer_ids
                """, logger: logger
            ).map { row in
                RunBatch(
                    run: run, index: try row.value("batch"),
                    customerIDs: try row.value("customer_ids", as: [String].self))
            }
            if !claimed.isEmpty { return .claimed(claimed.sorted { $0.index < $1.index }) }
            // A batch being claimed right now by another node counts as held, lapsing now: look again soon.
            let others = try await connection.row(
                """
                SELECT count(*) AS batches, min(coalesce(lease_expires, \(now))) AS until FROM collection_run_batches
                WHERE org_id = \(organisationID) AND run = \(run) AND holder IS DISTINCT FROM \(holder)
                """, logger: logger)
            guard let others, let count = try others.optional("batches", as: Int.self), count > 0 else {
                return .noneLeft
            }
            return .heldByOthers(batches: count, until: try others.optional("until") ?? now)
        }
    }

    public func completeRunBatches(organisationID: String, run: Int64, batches: [Int]) async throws -> Bool {
        let logger = self.logger
        return try await write { connection in
            // The run's row first: of two nodes writing their last batches at once, the second sees the first's.
            guard
                let open = try await connection.row(
                    """
                    SELECT as_of, fingerprint FROM collection_runs
                    WHERE org_id = \(organisationID) AND run = \(run) AND state = 'open'
                    FOR UPDATE
                    """, logger: logger)
            else { return false }
            try await connection.execute(
                """
                DELETE FROM collection_run_batches
                WHERE org_id = \(organisationID) AND run = \(run) AND batch = ANY(\(batches)::integer[])
                """, logger: logger)
            let left =
                try await connection.row(
                    """
                    SELECT count(*) AS left FROM collection_run_batches
                    WHERE org_id = \(organisationID) AND run = \(run)
                    """, logger: logger)?.value("left", as: Int.self) ?? 0
            guard left == 0 else { return false }
            try await connection.execute(
                "UPDATE collection_runs SET state = 'finished' WHERE org_id = \(organisationID) AND run = \(run)",
                logger: logger)
            try await Self.recordReviewSettings(
                organisationID, try open.value("fingerprint"), try open.value("as_of"), connection, logger: logger)
            return true
        }
    }

    public func releaseRunBatches(organisationID: String, run: Int64, holder: String) async throws {
        let logger = self.logger
        try await write { connection in
            try await connection.execute(
                """
                UPDATE collection_run_batches SET holder = NULL, lease_expires = NULL
                WHERE org_id = \(organisationID) AND run = \(run) AND holder = \(holder)
                """, logger: logger)
        }
    }

    // The organisation's reviews stand under `fingerprint` as of `date`: a run wrote every batch.
    static func recordReviewSettings(
        _ organisationID: String, _ fingerprint: String, _ date: LocalDate, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO review_settings (org_id, fingerprint, last_run) VALUES (\(organisationID), \(fingerprint), \(date))
            ON CONFLICT (org_id) DO UPDATE SET fingerprint = excluded.fingerprint, last_run = excluded.last_run
            """, logger: logger)
    }
}
