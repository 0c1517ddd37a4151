import DulyCore
import DulyStore
import GRDB

/// Appends events to accounts' hash chains inside one write transaction.
///
/// Keeps each touched chain's head in memory, so that an import appending hundreds of thousands of entries reads
/// each head at most once (or all of an organisation's heads in one scan, for a large batch).
struct TimelineAppender {
    let organisationID: String
    let recordedAt: String
    // What chaining reads of the last entry of each chain touched so far; nil inside means a chain with no entry yet.
    private var heads: [String: ChainHead?] = [:]
    private var loadedAllHeads = false
    /// Customers whose review this appender marked due: one mark per customer and transaction.
    private var markedCustomers: Set<String> = []
    /// Customers whose review the transaction writes itself (a run's batch): their own entries mark nothing.
    var reviewedByTheWriter: Set<String> = []
    /// Webhook events for what is appended, in the same transaction (see `WebhookOutbox`).
    var webhooks: WebhookOutbox

    init(organisationID: String, recordedAt: String) {
        self.organisationID = organisationID
        self.recordedAt = recordedAt
        self.webhooks = WebhookOutbox(organisationID: organisationID, recordedAt: recordedAt)
    }

    /// Declares a customer just inserted in this transaction: its chain is empty, no need to look it up.
    mutating func startChain(customerID: String) {
        heads[customerID] = .some(nil)
    }

    /// Loads the head of every chain in the organisation in one scan; for batches touching many accounts.
    mutating func preloadAllHeads(_ db: Database) throws {
        guard !loadedAllHeads else { return }
        // SQLite returns the bare columns of the row holding MAX(sequence) in each group.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT customer_id, MAX(sequence) AS sequence, hash FROM timeline_entries
                WHERE org_id = ? GROUP BY customer_id
                """,
            arguments: [organisationID])
        while let row = try rows.next() {
            let customerID: String = row["customer_id"]
            if heads[customerID] == nil {
                heads[customerID] = .some(ChainHead(sequence: row["sequence"], hash: row["hash"]))
            }
        }
        loadedAllHeads = true
    }

    /// Loads the heads of these customers' chains in one query; for a batch touching a few hundred accounts.
    mutating func preloadHeads(of customerIDs: [String], _ db: Database) throws {
        let wanted = customerIDs.filter { heads[$0] == nil }
        guard !wanted.isEmpty, !loadedAllHeads else { return }
        for customerID in wanted { heads[customerID] = .some(nil) }
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                // One seek into the key's index per customer for its last entry's row id, then that row: the
                // entries themselves lie in the order they were written (`v41_timeline_appended`).
                sql: """
                    SELECT t.customer_id, t.sequence, t.hash
                    FROM json_each(?1) j
                    JOIN timeline_entries t ON t.rowid = (
                        SELECT m.rowid FROM timeline_entries m
                        WHERE m.org_id = ?2 AND m.customer_id = j.value
                        ORDER BY m.sequence DESC LIMIT 1)
                    """),
            arguments: [JSONText.encode(wanted), organisationID])
        while let row = try rows.next() {
            heads[row["customer_id"]] = .some(ChainHead(sequence: row["sequence"], hash: row["hash"]))
        }
    }

    /// Chains `event` after its account's head and writes it.
    mutating func append(_ event: TimelineEvent, _ db: Database) throws {
        let previous = try head(of: event.customerID, db)
        let (sequence, previousHash, hash) = TimelineEntry.link(
            event, after: previous.map { ($0.sequence, $0.hash) }, recordedAt: recordedAt)
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO timeline_entries
                    (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insert.startRawBinding()
        insert.nextRow()
        insert.bind(organisationID, at: 1)
        insert.bind(event.customerID, at: 2)
        insert.bind(sequence, at: 3)
        insert.bind(event.date.description, at: 4)
        insert.bind(recordedAt, at: 5)
        insert.bind(event.kind.rawValue, at: 6)
        insert.bind(event.summary, at: 7)
        insert.bind(JSONText.encode(event.sortedDetails), at: 8)
        insert.bind(previousHash, at: 9)
        insert.bind(hash, at: 10)
        try insert.execute()
        // Only what chaining reads: keeping whole entries held every summary of a large import in memory (a payments
        // import of 100,000 customers: about 400 MB).
        heads[event.customerID] = .some(ChainHead(sequence: sequence, hash: hash))
        try markForReview(event.customerID, db)
        try webhooks.announce(event, db)
    }

    // Whatever is worth a timeline entry changes what the collection day may decide: the customer is due at once.
    private mutating func markForReview(_ customerID: String, _ db: Database) throws {
        guard !reviewedByTheWriter.contains(customerID), markedCustomers.insert(customerID).inserted else { return }
        let mark = try db.cachedStatement(
            sql: """
                INSERT INTO customer_reviews (org_id, customer_id, next_review, changes) VALUES (?, ?, '0001-01-01', 1)
                ON CONFLICT (org_id, customer_id) DO UPDATE SET next_review = '0001-01-01', changes = changes + 1
                """)
        // Bound value by value: a first load marks a hundred thousand customers (see `RawBinding.swift`).
        mark.startRawBinding()
        mark.nextRow()
        mark.bind(organisationID, at: 1)
        mark.bind(customerID, at: 2)
        try mark.execute()
    }

    private mutating func head(of customerID: String, _ db: Database) throws -> ChainHead? {
        if let known = heads[customerID] { return known }
        if loadedAllHeads { return nil }
        let statement = try db.cachedStatement(
            sql: """
                SELECT sequence, hash FROM timeline_entries
                WHERE org_id = ? AND customer_id = ? ORDER BY sequence DESC LIMIT 1
                """)
        let head = try Row.fetchOne(statement, arguments: [organisationID, customerID]).map {
            ChainHead(sequence: $0["sequence"], hash: $0["hash"])
        }
        heads[customerID] = .some(head)
        return head
    }
}

/// What chaining reads of a chain's last entry: its sequence and its hash. An import holds one for every customer it
/// touches (a first load, a hundred thousand): the hash is kept as its 32 bytes, not as 64 characters of text on the
/// heap, which took about 100 bytes more a chain.
private struct ChainHead {
    let sequence: Int
    private let bytes: (UInt64, UInt64, UInt64, UInt64)
    // A stored hash that is not 64 lower-case hex digits (Duly writes no other) is kept as it is, for the next entry
    // to link to it exactly as stored; verifying the chain is what reports it.
    private let text: String?

    init(sequence: Int, hash: String) {
        self.sequence = sequence
        if let bytes = ChainHead.words(ofHex: hash) {
            (self.bytes, text) = (bytes, nil)
        } else {
            (bytes, text) = ((0, 0, 0, 0), hash)
        }
    }

    var hash: String {
        if let text { return text }
        // Each word's bytes most significant first, as they were read.
        let words = (bytes.0.bigEndian, bytes.1.bigEndian, bytes.2.bigEndian, bytes.3.bigEndian)
        return withUnsafeBytes(of: words) { Hex.encode($0) }
    }

    private static func words(ofHex hex: String) -> (UInt64, UInt64, UInt64, UInt64)? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var words = [UInt64](repeating: 0, count: 4)
        for (offset, digit) in digits.enumerated() {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            words[offset / 16] = words[offset / 16] << 4 | UInt64(value)
        }
        return (words[0], words[1], words[2], words[3])
    }
}
