import DulyCore
import DulyStore
import Logging
import PostgresNIO

/// Appends events to accounts' hash chains inside one write transaction (the SQLite store's `TimelineAppender`, for
/// PostgreSQL).
///
/// Entries are chained in memory and written in multi-row inserts (every `flushEvery` entries, and at `flush`), so that
/// an import appending hundreds of thousands of entries costs a few hundred round trips, not one per entry. Each
/// touched chain's head is read at most once. A write must call `flush` before its transaction commits.
///
/// Isolation: the caller holds the lock the store contract asks for before the first `append` to a customer
/// (`PostgresConnection.lockCustomer`, or the organisation's lock for a bulk write), so no other transaction appends
/// to that chain between the head read here and the commit.
struct PostgresTimeline {
    let organisationID: String
    let recordedAt: String
    let logger: Logger
    // The last entry's sequence and hash of each chain touched so far; nil inside means a chain with no entry yet.
    private var heads: [String: (sequence: Int, hash: String)?] = [:]
    private var loadedAllHeads = false
    private var pending = PendingEntries()
    /// Customers whose review this transaction marks due, once each.
    private var markedCustomers: Set<String> = []
    private var unwrittenMarks: [String] = []
    /// Customers whose review the transaction writes itself (a run's batch): their own entries mark nothing.
    var reviewedByTheWriter: Set<String> = []
    /// Webhook events for what is appended, in the same transaction.
    var webhooks: PostgresWebhookOutbox

    private static let flushEvery = 5_000

    init(organisationID: String, recordedAt: String, logger: Logger) {
        self.organisationID = organisationID
        self.recordedAt = recordedAt
        self.logger = logger
        self.webhooks = PostgresWebhookOutbox(organisationID: organisationID, recordedAt: recordedAt, logger: logger)
    }

    /// Declares a customer just inserted in this transaction: its chain is empty, no need to look it up.
    mutating func startChain(customerID: String) {
        heads[customerID] = .some(nil)
    }

    /// Loads the head of every chain in the organisation in one scan; for batches touching many accounts.
    mutating func preloadAllHeads(_ connection: PostgresConnection) async throws {
        guard !loadedAllHeads else { return }
        let rows = try await connection.rows(
            """
            SELECT DISTINCT ON (customer_id) customer_id, sequence, hash FROM timeline_entries
            WHERE org_id = \(organisationID) ORDER BY customer_id, sequence DESC
            """, logger: logger)
        for row in rows {
            let customerID = try row.value("customer_id", as: String.self)
            if heads[customerID] == nil {
                heads[customerID] = .some((try row.value("sequence", as: Int.self), try row.value("hash")))
            }
        }
        loadedAllHeads = true
    }

    /// Loads the heads of these customers' chains in one query; for a batch touching a few hundred accounts.
    mutating func preloadHeads(of customerIDs: [String], _ connection: PostgresConnection) async throws {
        let wanted = customerIDs.filter { heads[$0] == nil }
        guard !wanted.isEmpty, !loadedAllHeads else { return }
        for customerID in wanted { heads[customerID] = .some(nil) }
        let rows = try await connection.rows(
            """
            SELECT DISTINCT ON (customer_id) customer_id, sequence, hash FROM timeline_entries
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(wanted)::text[])
            ORDER BY customer_id, sequence DESC
            """, logger: logger)
        for row in rows {
            heads[try row.value("customer_id", as: String.self)] = .some(
                (try row.value("sequence", as: Int.self), try row.value("hash")))
        }
    }

    /// Chains `event` after its account's head; written at the next flush. Its webhook events (if anyone listens)
    /// are written now, reading the records the event names.
    mutating func append(_ event: TimelineEvent, _ connection: PostgresConnection) async throws {
        let (sequence, previousHash, hash) = TimelineEntry.link(
            event, after: try await head(of: event.customerID, connection), recordedAt: recordedAt)
        pending.add(event, sequence: sequence, previousHash: previousHash, hash: hash)
        heads[event.customerID] = .some((sequence, hash))
        if !reviewedByTheWriter.contains(event.customerID), markedCustomers.insert(event.customerID).inserted {
            unwrittenMarks.append(event.customerID)
        }
        try await webhooks.announce(event, connection)
        if pending.count >= Self.flushEvery { try await flush(connection) }
    }

    /// Writes the entries appended since the last flush, and marks their customers' reviews due at once: whatever is
    /// worth a timeline entry changes what the collection day may decide.
    mutating func flush(_ connection: PostgresConnection) async throws {
        if pending.count > 0 {
            try await connection.execute(
                """
                INSERT INTO timeline_entries
                    (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
                SELECT \(organisationID), e.customer_id, e.sequence, e.date, \(recordedAt), e.kind, e.summary,
                    e.details, e.previous_hash, e.hash
                FROM unnest(\(pending.customerIDs)::text[], \(pending.sequences)::bigint[], \(pending.dates)::date[],
                    \(pending.kinds)::text[], \(pending.summaries)::text[], \(pending.details)::text[],
                    \(pending.previousHashes)::text[], \(pending.hashes)::text[])
                    AS e (customer_id, sequence, date, kind, summary, details, previous_hash, hash)
                """, logger: logger)
            pending = PendingEntries()
        }
        if !unwrittenMarks.isEmpty {
            try await connection.execute(
                """
                INSERT INTO customer_reviews (org_id, customer_id, next_review, changes)
                SELECT \(organisationID), c, DATE '0001-01-01', 1 FROM unnest(\(unwrittenMarks)::text[]) c
                ON CONFLICT (org_id, customer_id)
                    DO UPDATE SET next_review = DATE '0001-01-01', changes = customer_reviews.changes + 1
                """, logger: logger)
            unwrittenMarks = []
        }
    }

    private mutating func head(
        of customerID: String, _ connection: PostgresConnection
    ) async throws -> (sequence: Int, hash: String)? {
        if let known = heads[customerID] { return known }
        if loadedAllHeads { return nil }
        let row = try await connection.row(
            """
            SELECT sequence, hash FROM timeline_entries
            WHERE org_id = \(organisationID) AND customer_id = \(customerID) ORDER BY sequence DESC LIMIT 1
            """, logger: logger)
        let head = try row.map { (try $0.value("sequence", as: Int.self), try $0.value("hash", as: String.self)) }
        heads[customerID] = .some(head)
        return head
    }

    /// Entries waiting for the next multi-row insert, column by column.
    private struct PendingEntries {
        var customerIDs: [String] = []
        var sequences: [Int] = []
        var dates: [LocalDate] = []
        var kinds: [String] = []
        var summaries: [String] = []
        var details: [String] = []
        var previousHashes: [String] = []
        var hashes: [String] = []

        var count: Int { customerIDs.count }

        mutating func add(_ event: TimelineEvent, sequence: Int, previousHash: String, hash: String) {
            customerIDs.append(event.customerID)
            sequences.append(sequence)
            dates.append(event.date)
            kinds.append(event.kind.rawValue)
            summaries.append(event.summary)
            details.append(JSONText.encode(event.sortedDetails))
            previousHashes.append(previousHash)
            hashes.append(hash)
        }
    }
}
