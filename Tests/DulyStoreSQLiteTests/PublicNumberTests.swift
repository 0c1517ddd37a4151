import DulyCore
import DulyStore
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// What only the SQLite file shows of the numbers each organisation gives its actions (`act_N`); what the protocol
/// shows is in the store contract (`actionsAreNumberedPerOrganisationFromOneAndFoundOnlyByTheirOwn`).
@Suite struct PublicNumberTests {
    static let day = LocalDate(iso: "2026-04-10")!
    static let euro = Currency(code: "EUR")!
    static let context = RecordingContext(date: day, recordedAt: "2026-04-10T08:00:00Z")

    @Test func anActionKeepsItsNumberWhenItsRowsAreCopiedToAnotherDatabase() async throws {
        try await TemporaryStore.with { source, _ in
            try await TemporaryStore.with { destination, _ in
                // Given acme's two actions in one file, and another organisation's three written first in another
                try await Self.ledger(source, "acme")
                try await Self.commit(source, "acme", keys: ["k-1", "k-2"])
                try await Self.ledger(destination, "other")
                try await Self.commit(destination, "other", keys: ["o-1", "o-2", "o-3"])
                // When acme's rows are copied over, their row ids made anew
                try await Self.copy("acme", from: source, to: destination)
                // Then each action answers to the number it had, though its row id is not the one it had
                for (number, key) in [(Int64(1), "k-1"), (2, "k-2")] {
                    let copied = try await destination.action(organisationID: "acme", id: number)
                    let original = try await source.action(organisationID: "acme", id: number)
                    #expect(copied?.action.idempotencyKey == key)
                    #expect(copied == original)
                }
                let row = try await destination.rawValue(
                    "SELECT id FROM actions WHERE org_id = 'acme' AND number = 1", as: Int64.self)
                #expect(row == 4)
                // And acme's next action is its third, whatever the file holds
                try await Self.commit(destination, "acme", keys: ["k-3"])
                #expect(try await destination.actions(organisationID: "acme", customerID: nil).map(\.id) == [1, 2, 3])
            }
        }
    }

    @Test func theMigrationKeepsTheNumbersRowsWereKnownByAndCountsOnPerOrganisation() async throws {
        let file = try TemporaryStore()
        defer { try? FileManager.default.removeItem(at: file.directory) }
        // Given a file from before the numbering, where acme's and beta's actions took turns at the row ids
        let old = try DatabaseQueue(path: file.path)
        try Migrations.migrator.migrate(old, upTo: "v32_worklist")
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO organisations (org_id, name, base_currency, country, time_zone) VALUES
                        ('acme', 'Acme', 'EUR', 'NL', 'UTC'), ('beta', 'Beta', 'EUR', 'NL', 'UTC');
                    INSERT INTO customers (org_id, customer_id, name, tags, opted_out) VALUES
                        ('acme', 'C1', 'Acme Client', '[]', '[]'), ('beta', 'C1', 'Beta Client', '[]', '[]');
                    INSERT INTO actions (id, org_id, customer_id, date, channel, stage, step_id, template,
                        requires_approval, status, idempotency_key)
                    VALUES
                        (1, 'acme', 'C1', '2026-04-01', 'email', 'delayed', 'reminder', 'reminder', 0, 'sent', 'a-1'),
                        (2, 'beta', 'C1', '2026-04-01', 'email', 'delayed', 'reminder', 'reminder', 0, 'sent', 'b-1'),
                        (3, 'acme', 'C1', '2026-04-02', 'email', 'delayed', 'reminder', 'reminder', 0, 'sent', 'a-2');
                    """)
        }
        try old.close()
        // When it is migrated
        let store = try SQLiteStore(path: file.path)
        try await store.migrate()
        // Then every action keeps the number it was shown under (its row id), in its own organisation only
        #expect(try await store.actions(organisationID: "acme", customerID: nil).map(\.id) == [1, 3])
        #expect(try await store.actions(organisationID: "beta", customerID: nil).map(\.id) == [2])
        #expect(try await store.action(organisationID: "beta", id: 1) == nil)
        // And each organisation counts on from its own highest
        for organisationID in ["acme", "beta"] {
            _ = try await store.importInvoices(
                [Self.invoice("INV-1")], organisationID: organisationID, context: Self.context)
        }
        try await Self.commit(store, "beta", keys: ["b-2"])
        try await Self.commit(store, "acme", keys: ["a-3"])
        #expect(try await store.actions(organisationID: "beta", customerID: nil).map(\.id) == [2, 3])
        #expect(try await store.actions(organisationID: "acme", customerID: nil).map(\.id) == [1, 3, 4])
    }

    // MARK: - Fixtures

    private static func invoice(_ number: String) -> Invoice {
        Invoice(
            number: number, customerID: "C1", issueDate: day.adding(days: -60), dueDate: day.adding(days: -30),
            total: Money(minorUnits: 100_00, currency: euro))
    }

    private static func ledger(_ store: SQLiteStore, _ organisationID: String) async throws {
        try await store.saveOrganisation(
            Organisation(id: organisationID, name: organisationID, baseCurrency: euro, country: "NL", timeZone: "UTC"))
        _ = try await store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C1", name: "Client of \(organisationID)"), contacts: [])],
            organisationID: organisationID, context: context)
        _ = try await store.importInvoices([invoice("INV-1")], organisationID: organisationID, context: context)
    }

    private static func commit(_ store: SQLiteStore, _ organisationID: String, keys: [String]) async throws {
        let actions = keys.map { key in
            PlannedAction(
                customerID: "C1", date: day, channel: .letter, stage: .delayed, stepID: "reminder",
                template: "reminder", requiresApproval: false, escalatesTo: nil,
                steps: [InvoiceStep(invoiceNumber: "INV-1", stepID: "reminder")], status: .planned,
                idempotencyKey: key)
        }
        _ = try await store.commitRun(
            actions: actions, cancellations: [], organisationID: organisationID, context: context)
    }

    // Copies an organisation's ledger, actions and counters into another file as an export and an import would:
    // every column but the row id, which the destination makes anew.
    private static func copy(
        _ organisationID: String, from source: SQLiteStore, to destination: SQLiteStore
    )
        async throws
    {
        let tables = ["organisations", "customers", "contacts", "invoices", "actions", "organisation_counters"]
        let path = source.pool.path
        try await destination.pool.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [path])
            for table in tables {
                let columns = try db.columns(in: table).map(\.name).filter { $0 != "id" }.joined(separator: ", ")
                try db.execute(
                    sql:
                        "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM source.\(table) WHERE org_id = ?",
                    arguments: [organisationID])
            }
            try db.execute(sql: "DETACH DATABASE source")
        }
    }
}
