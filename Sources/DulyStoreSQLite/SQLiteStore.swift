import DulyCore
import DulyStore
import GRDB

/// The embedded store: one SQLite file in WAL mode, through a GRDB `DatabasePool` (one writer, concurrent readers).
///
/// Every method is one unit of work and one transaction: it happens whole or not at all. Every query is scoped to
/// one organisation.
public final class SQLiteStore: DulyStore {
    /// The pool; exposed to the package's tests so they can inspect the file as SQLite sees it.
    let pool: DatabasePool

    /// Opens (creating if needed) the database file at `path`. Call `migrate()` before anything else.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (the CLI beside the server) may hold the write lock for a moment.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL is durable across application crashes and only risks the last
            // transactions on power loss, which is SQLite's recommended trade for WAL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer's page cache (64 MiB) keeps big imports' and runs' index pages in memory. Readers get 8 MiB:
            // the collection day's readers touch most pages once, and every page a cache holds is memory the kernel
            // must first clear (a tenth of the next day's run, with three connections at 64 MiB each).
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536")
            // Temporary tables and sorts stay in SQLite's default temporary files, which live in its page cache and
            // spill to disk only when large: in memory, the sort that rebuilds an index after a first load of
            // 670,000 payments held all of them at once.
            try db.execute(sql: "PRAGMA temp_store = FILE")
            // Checkpoint the write-ahead log every 64 MiB rather than every 4 MiB: a collection day or an import writes
            // hundreds of batches, and each checkpoint copies (and syncs) pages that the next batches touch again.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    /// Creates or upgrades the schema; safe on every start.
    public func migrate() async throws {
        let pool = self.pool
        do {
            // The migrator takes the writer's barrier itself; this runs once, at start.
            try Migrations.migrator.migrate(pool)
            // Invoices stored before the statements migration get their RF reference. Once none is left this is one
            // read of an empty partial index, so a start takes no write lock for it.
            let missing = try await pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE payment_reference IS NULL)") ?? false
            }
            if missing { try await pool.write { db in try SQLiteStore.assignPaymentReferences(db) } }
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one write transaction, translating database failures into `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    /// Runs `body` on a read-only snapshot, translating database failures into `StoreError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    // The store's own refusals pass through; anything else is the database's, reported without internals.
    static func storeError(_ error: any Error) -> any Error {
        switch error {
        case let error as StoreError: return error
        case let error as ApprovalRefusal: return error
        case is CancellationError: return error
        case let error as DatabaseError:
            return StoreError.backend("\(error.resultCode): \(error.message ?? "no message")")
        default: return StoreError.backend(String(describing: error))
        }
    }

    /// Refuses a unit of work for an organisation that does not exist.
    static func requireOrganisation(_ db: Database, _ id: String) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM organisations WHERE org_id = ?")
        guard try Int.fetchOne(statement, arguments: [id]) != nil else { throw StoreError.organisationNotFound(id) }
    }
}

// MARK: - Organisations

extension SQLiteStore {
    /// The organisation's settings, or nil when there is none with this id.
    public func organisation(id: String) async throws -> Organisation? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT name, base_currency, country, time_zone, sender_name, sender_from_address,
                            sender_reply_to, sender_signature, sender_payment_instructions, sender_postal_address,
                            language, sender_phone, sender_translated_payment_instructions, agency_name, agency_contact,
                            message_attachments, sender_iban, sender_bic
                        FROM organisations WHERE org_id = ?
                        """,
                    arguments: [id])
            else { return nil }
            let holidays = try String.fetchAll(
                db, sql: "SELECT date FROM organisation_holidays WHERE org_id = ? ORDER BY date", arguments: [id])
            var sender: SenderIdentity?
            if let name: String = row["sender_name"] {
                let address: String? = row["sender_postal_address"]
                let translated: String? = row["sender_translated_payment_instructions"]
                sender = SenderIdentity(
                    name: name, fromAddress: row["sender_from_address"] ?? "", replyTo: row["sender_reply_to"],
                    signature: row["sender_signature"] ?? "",
                    paymentInstructions: row["sender_payment_instructions"] ?? "",
                    postalAddress: address.map {
                        $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    }
                        ?? [],
                    phone: row["sender_phone"],
                    translatedPaymentInstructions: try translated.map(JSONText.decodeObject) ?? [:],
                    iban: row["sender_iban"], bic: row["sender_bic"])
            }
            var organisation = Organisation(
                id: id, name: row["name"], baseCurrency: try Decode.currency(row["base_currency"]),
                country: row["country"],
                timeZone: row["time_zone"], holidays: Set(try holidays.map(Decode.date)), sender: sender,
                language: row["language"])
            if let agency: String = row["agency_name"] {
                let contact: String = row["agency_contact"] ?? ""
                organisation.agency = CollectionAgency(
                    name: agency, contact: contact.isEmpty ? [] : contact.split(separator: "\n").map(String.init))
            }
            let attachments: String = row["message_attachments"] ?? ""
            organisation.attachments = Set(
                attachments.split(separator: ",").compactMap { MessageAttachment(rawValue: String($0)) })
            return organisation
        }
    }

    /// Creates or replaces an organisation's settings.
    public func saveOrganisation(_ organisation: Organisation) async throws {
        guard !organisation.id.isEmpty else { throw StoreError.invalid("an organisation needs an id") }
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO organisations (org_id, name, base_currency, country, time_zone, sender_name,
                        sender_from_address, sender_reply_to, sender_signature, sender_payment_instructions,
                        sender_postal_address, language, sender_phone, sender_translated_payment_instructions,
                        agency_name, agency_contact, message_attachments, sender_iban, sender_bic)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (org_id) DO UPDATE SET
                        name = excluded.name, base_currency = excluded.base_currency,
                        country = excluded.country, time_zone = excluded.time_zone,
                        sender_name = excluded.sender_name, sender_from_address = excluded.sender_from_address,
                        sender_reply_to = excluded.sender_reply_to, sender_signature = excluded.sender_signature,
                        sender_payment_instructions = excluded.sender_payment_instructions,
                        sender_postal_address = excluded.sender_postal_address, language = excluded.language,
                        sender_phone = excluded.sender_phone,
                        sender_translated_payment_instructions = excluded.sender_translated_payment_instructions,
                        agency_name = excluded.agency_name, agency_contact = excluded.agency_contact,
                        message_attachments = excluded.message_attachments, sender_iban = excluded.sender_iban,
                        sender_bic = excluded.sender_bic
                    """,
                arguments: [
                    organisation.id, organisation.name, organisation.baseCurrency.code, organisation.country,
                    organisation.timeZone, organisation.sender?.name, organisation.sender?.fromAddress,
                    organisation.sender?.replyTo, organisation.sender?.signature,
                    organisation.sender?.paymentInstructions,
                    organisation.sender.map { $0.postalAddress.joined(separator: "\n") },
                    // A language equal to the country's default is stored as none, so that it follows the country.
                    organisation.language == Organisation.defaultLanguage(country: organisation.country)
                        ? nil : organisation.language,
                    organisation.sender?.phone,
                    organisation.sender.flatMap {
                        $0.translatedPaymentInstructions.isEmpty
                            ? nil : JSONText.encode($0.translatedPaymentInstructions)
                    },
                    organisation.agency?.name, organisation.agency?.contact.joined(separator: "\n"),
                    organisation.attachments.isEmpty
                        ? nil : organisation.attachments.sorted().map(\.rawValue).joined(separator: ","),
                    organisation.sender?.iban, organisation.sender?.bic,
                ])
            try db.execute(sql: "DELETE FROM organisation_holidays WHERE org_id = ?", arguments: [organisation.id])
            let insert = try db.cachedStatement(sql: "INSERT INTO organisation_holidays (org_id, date) VALUES (?, ?)")
            for holiday in organisation.holidays.sorted() {
                try insert.execute(arguments: [organisation.id, holiday.description])
            }
        }
    }

    /// Deletes an organisation and every record that belongs to it, timeline included.
    public func deleteOrganisation(id: String) async throws {
        try await write { db in
            // The timeline's delete trigger lets rows go only while their organisation is listed here; the row is
            // removed again before the transaction commits, so outside this method the timeline stays append-only.
            try db.execute(sql: "INSERT OR IGNORE INTO organisation_erasures (org_id) VALUES (?)", arguments: [id])
            for statement in SQLiteStore.erasureStatements {
                try db.execute(sql: statement, arguments: [id])
            }
            try db.execute(sql: "DELETE FROM organisation_erasures WHERE org_id = ?", arguments: [id])
        }
    }

    // Children before parents, so that every foreign key holds at each step. Written out whole rather than built
    // from table names: SQL is never assembled from strings.
    private static let erasureStatements = [
        "DELETE FROM organisation_counters WHERE org_id = ?",
        "DELETE FROM webhook_attempts WHERE org_id = ?",
        "DELETE FROM webhook_deliveries WHERE org_id = ?",
        "DELETE FROM webhook_events WHERE org_id = ?",
        "DELETE FROM webhook_subscribers WHERE org_id = ?",
        "DELETE FROM webhook_invoice_stages WHERE org_id = ?",
        "DELETE FROM webhook_promise_outcomes WHERE org_id = ?",
        "DELETE FROM timeline_entries WHERE org_id = ?",
        "DELETE FROM bank_credits WHERE org_id = ?",
        "DELETE FROM payer_accounts WHERE org_id = ?",
        "DELETE FROM delivery_holds WHERE org_id = ?",
        "DELETE FROM deliveries WHERE org_id = ?",
        "DELETE FROM refusals WHERE org_id = ?",
        "DELETE FROM chase_pauses WHERE org_id = ?",
        "DELETE FROM thanks_due WHERE org_id = ?",
        "DELETE FROM template_overrides WHERE org_id = ?",
        "DELETE FROM collectors WHERE org_id = ?",
        "DELETE FROM playbook_versions WHERE org_id = ?",
        "DELETE FROM actions WHERE org_id = ?",
        "DELETE FROM allocations WHERE org_id = ?",
        "DELETE FROM documents WHERE org_id = ?",
        "DELETE FROM credit_notes WHERE org_id = ?",
        "DELETE FROM disputes WHERE org_id = ?",
        "DELETE FROM promise_withdrawals WHERE org_id = ?",
        "DELETE FROM promise_invoices WHERE org_id = ?",
        "DELETE FROM promises WHERE org_id = ?",
        "DELETE FROM plan_instalments WHERE org_id = ?",
        "DELETE FROM plan_invoices WHERE org_id = ?",
        "DELETE FROM payment_plans WHERE org_id = ?",
        "DELETE FROM payments WHERE org_id = ?",
        "DELETE FROM invoices WHERE org_id = ?",
        "DELETE FROM customer_reviews WHERE org_id = ?",
        "DELETE FROM review_settings WHERE org_id = ?",
        "DELETE FROM contacts WHERE org_id = ?",
        "DELETE FROM customers WHERE org_id = ?",
        "DELETE FROM organisation_holidays WHERE org_id = ?",
        "DELETE FROM organisations WHERE org_id = ?",
    ]
}

/// The SQLite store is a whole backend: the store factory in the executable returns it for `sqlite:` URLs.
extension SQLiteStore: StoreBackend {}
