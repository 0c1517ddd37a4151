import DulyCore
import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// What only the SQLite backend promises: its schema, its file mode, and the triggers that guard the timeline.
@Suite struct SQLiteStoreTests {
    /// Counts invoices whose cached `paid_minor` / `credited_minor` differ from their allocations and credit notes.
    static let driftedBalancesSQL = """
        SELECT COUNT(*) FROM invoices i
        WHERE i.paid_minor <> (
                SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a
                WHERE a.org_id = i.org_id AND a.invoice_number = i.invoice_number)
            OR i.credited_minor <> (
                SELECT COALESCE(SUM(c.amount_minor), 0) FROM credit_notes c
                WHERE c.org_id = i.org_id AND c.invoice_number = i.invoice_number)
        """

    static let day = LocalDate(iso: "2026-03-02")!
    static let context = RecordingContext(date: day, recordedAt: "2026-03-02T08:00:00Z")
    static let euro = Currency(code: "EUR")!

    @Test func migrationFromAnEmptyFileCreatesTheSchemaAndIsIdempotentOnReopen() async throws {
        try await TemporaryStore.with { store, temporary in
            // Given a migrated file
            let tables = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            for table in [
                "organisations", "customers", "contacts", "invoices", "payments", "allocations", "credit_notes",
                "disputes", "promises", "payment_plans", "actions", "timeline_entries",
                "organisation_erasures",
            ] {
                #expect(tables.contains(table), "table \(table)")
            }
            try await store.saveOrganisation(
                Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC"))

            // When it is opened and migrated again
            let reopened = try SQLiteStore(path: temporary.path)
            try await reopened.migrate()
            try await reopened.migrate()

            // Then nothing is re-applied and the data is still there
            let applied = try await reopened.pool.read { db in try Migrations.migrator.appliedMigrations(db) }
            let organisation = try await reopened.organisation(id: "acme")
            #expect(applied == Migrations.migrator.migrations)
            #expect(organisation?.name == "Acme")
        }
    }

    @Test func customersStoredBeforeAddressesExistedComeBackWithoutOne() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file migrated up to the statements, with a customer in it; when the store opens it and migrates
        let store = try await Self.migrated(temporary, from: "v13_statements", holding: "")
        // Then the customer is there, without an address or title
        let customers = try await store.customers(organisationID: "acme")
        #expect(customers.map(\.id) == ["C1"])
        #expect(customers.first?.address == nil)
        #expect(customers.first?.title == nil)
    }

    @Test func actionsPlannedBeforeStepsMovedIntoTheirRowKeepTheirInvoicesInOrder() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file migrated up to the reviews, with an action covering three invoices in the old table (the
        // invoices themselves left out: the steps are all this reads); when the store opens it and migrates
        let store = try await Self.migrated(
            temporary, from: "v20_customer_reviews",
            holding: """
                INSERT INTO actions (id, org_id, customer_id, date, channel, stage, step_id, template,
                    requires_approval, status, idempotency_key)
                VALUES (7, 'acme', 'C1', '2026-06-30', 'email', 'delayed', 'first_follow_up', 'first_follow_up',
                    0, 'planned', 'key-7');
                INSERT INTO action_invoices (org_id, action_id, position, invoice_number, step_id) VALUES
                    ('acme', 7, 2, 'INV-1', 'due_day'),
                    ('acme', 7, 0, 'INV-9', 'first_follow_up'),
                    ('acme', 7, 1, 'INV-10', 'first_follow_up');
                """)
        // Then the action names its invoices and their steps in the order it had them
        let action = try await store.action(organisationID: "acme", id: 7)
        #expect(
            action?.action.steps == [
                InvoiceStep(invoiceNumber: "INV-9", stepID: "first_follow_up"),
                InvoiceStep(invoiceNumber: "INV-10", stepID: "first_follow_up"),
                InvoiceStep(invoiceNumber: "INV-1", stepID: "due_day"),
            ])
        let tables = try await store.rawValue(
            "SELECT count(*) FROM sqlite_master WHERE name = 'action_invoices'", as: Int.self)
        #expect(tables == 0)
    }

    @Test func actionsRebuiltWithTheirChecksSpelledOutKeepTheirRowsAndNeverReuseARowID() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file at the appended timeline holding a call (row 7) with its delivery, and an action (row 9) since
        // erased; when the store opens it and migrates
        let store = try await Self.migrated(
            temporary, from: "v41_timeline_appended",
            holding: """
                INSERT INTO actions (id, org_id, customer_id, date, channel, stage, step_id, template,
                    requires_approval, status, idempotency_key, invoice_steps, number)
                VALUES
                    (7, 'acme', 'C1', '2026-06-30', 'call', 'delayed', 'first_follow_up', 'first_follow_up', 0,
                        'planned', 'key-7', '{"INV-1":"first_follow_up"}', 7),
                    (9, 'acme', 'C1', '2026-07-01', 'email', 'delayed', 'second_follow_up', 'second_follow_up', 0,
                        'planned', 'key-9', '{"INV-1":"second_follow_up"}', 9);
                DELETE FROM actions WHERE id = 9;
                INSERT INTO deliveries (org_id, action_id, state, attempts, message_id, content)
                VALUES ('acme', 7, 'sent', 1, '<m7@duly>', x'00');
                """)
        // Then the call is as it was, still the worklist's, and its delivery still points at it
        let action = try await store.action(organisationID: "acme", id: 7)
        #expect(action?.action.channel == .call)
        #expect(action?.action.steps == [InvoiceStep(invoiceNumber: "INV-1", stepID: "first_follow_up")])
        let worklist = try await store.worklistActions(
            organisationID: "acme", on: LocalDate(iso: "2026-06-30")!, after: nil, limit: 10)
        #expect(worklist.map(\.stored.id) == [7])
        let delivered = try await store.rawValue("SELECT action_id FROM deliveries", as: Int64.self)
        #expect(delivered == 7)
        // And the next row takes an id after the erased one, never its id again
        try await store.rawWrite(
            """
            INSERT INTO actions (org_id, customer_id, date, channel, stage, step_id, template, requires_approval,
                status, idempotency_key, number)
            VALUES ('acme', 'C1', '2026-07-02', 'email', 'delayed', 'x', 'x', 0, 'planned', 'key-10', 10)
            """)
        let newest = try await store.rawValue("SELECT max(id) FROM actions", as: Int64.self)
        #expect(newest == 10)
        // And what the checks refused before, they still refuse
        let refused = [("channel", "fax"), ("stage", "final"), ("status", "lost"), ("escalates_to", "bailiff")]
        for (column, value) in refused {
            await #expect(throws: DatabaseError.self, "\(column) = \(value)") {
                try await store.rawWrite("UPDATE actions SET \(column) = '\(value)' WHERE id = 7")
            }
        }
    }

    // A file left at `migration` holding organisation `acme`, its customer `C1` and `sql`, opened by the store and
    // migrated to the end.
    private static func migrated(
        _ file: TemporaryStore, from migration: String, holding sql: String
    ) async throws
        -> SQLiteStore
    {
        try await file.leave(at: migration, holding: sql)
        let store = try SQLiteStore(path: file.path)
        try await store.migrate()
        return store
    }

    @Test func theFileIsInWALModeWithForeignKeysOn() async throws {
        try await TemporaryStore.with { store, _ in
            let journalMode = try await store.rawValue("PRAGMA journal_mode", as: String.self)
            let foreignKeys = try await store.rawValue("PRAGMA foreign_keys", as: Int.self)
            let synchronous = try await store.rawValue("PRAGMA synchronous", as: Int.self)
            #expect(journalMode == "wal")
            #expect(foreignKeys == 1)
            // NORMAL is 1.
            #expect(synchronous == 1)
        }
    }

    @Test func theTriggerRefusesUpdateAndDeleteOfTimelineRows() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store)
            for sql in [
                "UPDATE timeline_entries SET summary = 'nothing happened'",
                "DELETE FROM timeline_entries WHERE sequence = 1",
                "DELETE FROM customers",
            ] {
                let error = await #expect(throws: DatabaseError.self, "\(sql)") { try await store.rawWrite(sql) }
                #expect(error?.message?.contains("append-only") == true || error?.resultCode == .SQLITE_CONSTRAINT)
            }
            let entries = try await store.timeline(organisationID: "acme", customerID: "C1")
            #expect(entries.count == 3)
            #expect(entries[0].summary == "Customer Customer C1 added")
        }
    }

    @Test func tamperingBehindTheTriggersBackIsNamedByTheVerifier() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a chain of three entries
            try await seed(store)
            let before = try await store.timeline(organisationID: "acme", customerID: "C1")
            #expect(TimelineVerifier.verify(before) == .valid(entries: 3))

            // When someone drops the trigger and edits the second entry's summary
            try await store.rawWrite("DROP TRIGGER timeline_entries_refuse_update")
            try await store.rawWrite(
                "UPDATE timeline_entries SET summary = 'Payment P1 of EUR 999.00' WHERE sequence = 2")

            // Then verification names that entry
            let after = try await store.timeline(organisationID: "acme", customerID: "C1")
            guard case .broken(let sequence, _) = TimelineVerifier.verify(after) else {
                Issue.record("the altered chain still verifies")
                return
            }
            #expect(sequence == 2)
        }
    }

    @Test func deletingAnOrganisationLeavesTheTimelineGuarded() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store)
            try await seed(store, organisationID: "globex")
            try await store.deleteOrganisation(id: "acme")
            let erasures = try await store.rawValue("SELECT COUNT(*) FROM organisation_erasures", as: Int.self)
            let entries = try await store.rawValue("SELECT COUNT(*) FROM timeline_entries", as: Int.self)
            #expect(erasures == 0)
            #expect(entries == 3)
            await #expect(throws: DatabaseError.self) {
                try await store.rawWrite("DELETE FROM timeline_entries WHERE org_id = 'globex'")
            }
        }
    }

    @Test func aCustomersOpenInvoicesAreReadFromTheirIndexAlone() async throws {
        try await TemporaryStore.with { store, _ in
            let plan = try await Self.openInvoicesPlan(store)
            #expect(plan.contains("COVERING INDEX invoices_by_customer"), "\(plan)")
        }
    }

    @Test func theOpenInvoicesIndexGainsItsAmountsAndKeepsItsStatistics() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file at the rebuilt actions with an open invoice and a paid one, and measured statistics; when the
        // store opens it and migrates
        let store = try await Self.migrated(
            temporary, from: "v42_actions_rebuilt",
            holding: """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                    total_minor, paid_minor)
                VALUES ('acme', 'INV-1', 'C1', '2026-06-01', '2026-06-30', 'EUR', 10000, 2500),
                    ('acme', 'INV-2', 'C1', '2026-06-01', '2026-06-15', 'EUR', 10000, 10000);
                UPDATE sqlite_stat1 SET stat = '5000 5000 4 2 1' WHERE idx = 'invoices_by_customer';
                """)
        // Then the open invoice alone is read, from the index alone, and the statistics gained the new columns
        let open = try await store.rawValue(
            """
            SELECT group_concat(invoice_number) FROM invoices
            WHERE org_id = 'acme' AND customer_id = 'C1' AND paid_minor + credited_minor < total_minor
            """, as: String.self)
        #expect(open == "INV-1")
        let plan = try await Self.openInvoicesPlan(store)
        #expect(plan.contains("COVERING INDEX invoices_by_customer"), "\(plan)")
        let statistics = try await store.rawValue(
            "SELECT stat FROM sqlite_stat1 WHERE idx = 'invoices_by_customer'", as: String.self)
        #expect(statistics == "5000 5000 4 2 1 1 1 1")
    }

    @Test func reviewsLoseTheirIndexByDateAndTheRunStillLooksAtWhoIsDue() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file at the covered open invoices with three customers: one due on the 1st, one on the 9th, and
        // one never reviewed, under the settings of the last run; when the store opens it and migrates
        let fingerprint = String(repeating: "5e", count: 32)
        let store = try await Self.migrated(
            temporary, from: "v43_open_invoices_covered",
            holding: """
                INSERT INTO customers (org_id, customer_id, name, tags, opted_out)
                VALUES ('acme', 'C2', 'Later', '[]', '[]'), ('acme', 'C3', 'New', '[]', '[]');
                INSERT INTO customer_reviews (org_id, customer_id, next_review, changes)
                VALUES ('acme', 'C1', '2026-07-01', 0), ('acme', 'C2', '2026-07-09', 0);
                INSERT INTO review_settings (org_id, fingerprint, last_run) VALUES ('acme', '\(fingerprint)', '2026-06-30');
                """)
        // Then the index is gone, and a run on the 1st looks at the customer due and the one never reviewed
        let indexes = try await store.rawValue(
            "SELECT count(*) FROM sqlite_master WHERE name = 'customer_reviews_due'", as: Int.self)
        #expect(indexes == 0)
        let selection = try await store.customersToReview(
            organisationID: "acme", on: LocalDate(iso: "2026-07-01")!, fingerprint: fingerprint)
        #expect(selection.customerIDs == ["C1", "C3"])
        #expect(selection.customers == 3)
    }

    @Test func invoiceNumbersStayUniqueThroughANamedIndexThatKeepsTheirRowsAndStatistics() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file at the reviews without their index, with a paid invoice, its allocation and measured
        // statistics; when the store opens it and migrates
        let store = try await Self.migrated(
            temporary, from: "v44_reviews_unindexed",
            holding: """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                    total_minor, paid_minor, payment_reference, terms_note)
                VALUES ('acme', 'INV-1', 'C1', '2026-06-01', '2026-06-30', 'EUR', 10000, 2500, 'RF18INV1', 'net 30');
                INSERT INTO payments (org_id, payment_id, customer_id, date, currency, amount_minor)
                VALUES ('acme', 'P1', 'C1', '2026-06-10', 'EUR', 2500);
                INSERT INTO allocations (org_id, payment_id, invoice_number, amount_minor, date)
                VALUES ('acme', 'P1', 'INV-1', 2500, '2026-06-10');
                UPDATE sqlite_stat1 SET stat = '5000 5000 1' WHERE idx = 'sqlite_autoindex_invoices_2';
                """)
        // Then the invoice keeps every value, the number is found through the named index with its statistics,
        let kept = try await store.rawValue(
            """
            SELECT invoice_number || ' ' || paid_minor || ' ' || payment_reference || ' ' || terms_note
            FROM invoices WHERE org_id = 'acme' AND invoice_number = 'INV-1'
            """, as: String.self)
        #expect(kept == "INV-1 2500 RF18INV1 net 30")
        let statistics = try await store.rawValue(
            "SELECT stat FROM sqlite_stat1 WHERE idx = 'invoices_by_number'", as: String.self)
        #expect(statistics == "5000 5000 1")
        let plan = try await store.pool.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT * FROM invoices WHERE org_id = 'acme' AND invoice_number = 'INV-1'"
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("invoices_by_number"), "\(plan)")
        // a second invoice with that number is refused even for another due date, and an allocation must still
        // name an invoice that exists
        await #expect(throws: DatabaseError.self) {
            try await store.rawWrite(
                """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency, total_minor)
                VALUES ('acme', 'INV-1', 'C1', '2026-06-01', '2026-07-31', 'EUR', 500)
                """)
        }
        await #expect(throws: DatabaseError.self) {
            try await store.rawWrite(
                """
                INSERT INTO allocations (org_id, payment_id, invoice_number, amount_minor, date)
                VALUES ('acme', 'P1', 'INV-404', 100, '2026-06-10')
                """)
        }
    }

    @Test func contactsKeepTheirRowsAndRefuseWhatTheyRefusedWithTheirChecksSpelledOut() async throws {
        let temporary = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: temporary.directory) }
        // Given a file at the invoices' named number index with a customer's two contacts; when the store opens it
        // and migrates
        let store = try await Self.migrated(
            temporary, from: "v45_invoice_numbers_indexed",
            holding: """
                INSERT INTO contacts (org_id, customer_id, position, role, name, email, preferred_channel)
                VALUES ('acme', 'C1', 0, 'billing', 'Ana', 'ana@c1.example', 'email'),
                    ('acme', 'C1', 1, 'senior', 'Ben', 'ben@c1.example', 'call');
                """)
        // Then both contacts are the customer's as before
        let record = try await store.customer(organisationID: "acme", customerID: "C1")
        #expect(record?.contacts.map(\.name) == ["Ana", "Ben"])
        #expect(record?.contacts.map(\.role) == [.billing, .senior])
        #expect(record?.contacts.map(\.preferredChannel) == [.email, .call])
        // and a role or a channel Duly does not know is still refused, while each one it knows is taken
        for (role, channel) in [("boss", "email"), ("primary", "fax")] {
            await #expect(throws: DatabaseError.self, "\(role), \(channel)") {
                try await store.rawWrite(
                    """
                    INSERT INTO contacts (org_id, customer_id, position, role, preferred_channel)
                    VALUES ('acme', 'C1', 9, '\(role)', '\(channel)')
                    """)
            }
        }
        for (position, channel) in ["email", "letter", "call", "meeting", "sms"].enumerated() {
            let role = ["billing", "primary", "senior"][position % 3]
            try await store.rawWrite(
                """
                INSERT INTO contacts (org_id, customer_id, position, role, preferred_channel)
                VALUES ('acme', 'C1', \(position + 2), '\(role)', '\(channel)')
                """)
        }
        #expect(try await store.customer(organisationID: "acme", customerID: "C1")?.contacts.count == 7)
    }

    @Test(arguments: [ForeignKeysChecked.rowByRow("invoices"), .byDistinctKey("invoices")])
    func aWriteWithForeignKeysCheckedAtTheEndRefusesARowNamingNothingAndLeavesTheKeysOn(
        checked: ForeignKeysChecked
    ) async throws {
        try await TemporaryStore.with { store, _ in
            try await store.saveOrganisation(
                Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC"))
            // Given a write that puts in an invoice of a customer that does not exist, checked at its end
            await #expect(throws: StoreError.self) {
                try await store.writeFirstLoad(foreignKeysChecked: [checked]) { db in
                    try db.execute(
                        sql: """
                            INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                                total_minor)
                            VALUES ('acme', 'INV-1', 'C404', '2026-06-01', '2026-06-30', 'EUR', 500)
                            """)
                }
            }
            // Then nothing was written, and the next write is checked row by row again
            #expect(try await store.rawValue("SELECT count(*) FROM invoices", as: Int.self) == 0)
            let writersKeys = try await store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            }
            #expect(writersKeys == 1)
            await #expect(throws: DatabaseError.self) {
                try await store.rawWrite(
                    """
                    INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                        total_minor)
                    VALUES ('acme', 'INV-1', 'C404', '2026-06-01', '2026-06-30', 'EUR', 500)
                    """)
            }
        }
    }

    @Test func aFirstLoadWritesStraightIntoTheFileAndLeavesItInWALModeForTheNextReader() async throws {
        try await TemporaryStore.with { store, _ in
            try await store.saveOrganisation(
                Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC"))
            #expect(try await store.rawValue("SELECT count(*) FROM organisations", as: Int.self) == 1)
            // Given a first load's write, with only this store's connections open (an idle reader among them)
            let journalDuring = try await store.writeFirstLoad(foreignKeysChecked: [.rowByRow("customers")]) { db in
                try db.execute(sql: "INSERT INTO customers (org_id, customer_id, name) VALUES ('acme', 'C1', 'One')")
                return try String.fetchOne(db, sql: "PRAGMA journal_mode")
            }
            // Then it went through the rollback journal
            #expect(journalDuring == "delete")
            // And after it the file is in WAL mode again, as the writer's settings are, and a new reader reads it
            #expect(try await store.rawValue("PRAGMA journal_mode", as: String.self) == "wal")
            let writersSync = try await store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
            #expect(writersSync == 1)
            #expect(try await store.customer(organisationID: "acme", customerID: "C1")?.customer.name == "One")
        }
    }

    @Test func aFirstLoadWhileAnotherConnectionHasTheFileOpenGoesThroughTheLog() async throws {
        try await TemporaryStore.with { store, temporary in
            try await store.saveOrganisation(
                Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC"))
            // Given another process's connection that has read the file and keeps it open
            let other = try DatabaseQueue(path: temporary.path)
            #expect(try await other.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM organisations") } == 1)
            // When a first load writes
            let journalDuring = try await store.writeFirstLoad(foreignKeysChecked: [.rowByRow("customers")]) { db in
                try db.execute(sql: "INSERT INTO customers (org_id, customer_id, name) VALUES ('acme', 'C1', 'One')")
                return try String.fetchOne(db, sql: "PRAGMA journal_mode")
            }
            // Then it kept the write-ahead log, and the other connection reads what it wrote
            #expect(journalDuring == "wal")
            #expect(try await other.read { try String.fetchOne($0, sql: "SELECT name FROM customers") } == "One")
        }
    }

    // How SQLite reads a customer's open invoices with their owner, as the collection day's writer asks.
    private static func openInvoicesPlan(_ store: SQLiteStore) async throws -> String {
        try await store.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT invoice_number, customer_id FROM invoices
                    WHERE org_id = 'acme' AND customer_id = 'C1' AND paid_minor + credited_minor < total_minor
                    """
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    // Three entries on C1: customer added, invoices added, payment recorded.
    private func seed(_ store: SQLiteStore, organisationID: String = "acme") async throws {
        try await store.saveOrganisation(
            Organisation(id: organisationID, name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC"))
        _ = try await store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C1", name: "Customer C1"), contacts: [])],
            organisationID: organisationID, context: Self.context)
        _ = try await store.importInvoices(
            [
                Invoice(
                    number: "INV-1", customerID: "C1", issueDate: Self.day, dueDate: Self.day.adding(days: 30),
                    total: Money(minorUnits: 100_00, currency: Self.euro))
            ], organisationID: organisationID, context: Self.context)
        _ = try await store.importPayments(
            [
                Payment(
                    id: "P1", customerID: "C1", date: Self.day.adding(days: 3),
                    amount: Money(minorUnits: 40_00, currency: Self.euro))
            ], organisationID: organisationID, context: Self.context)
    }
}
