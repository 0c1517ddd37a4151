import DulyCore
import DulyStore
import DulyStoreTesting
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// A first load into empty tables sets the indexes that would fill at random aside and builds them after the rows
/// (`DeferredIndexes`); what it stores must be what the row-by-row path stores, and a refusal must leave nothing.
@Suite struct FirstLoadTests {
    static let day = LocalDate(iso: "2026-03-02")!
    static let context = RecordingContext(date: day, recordedAt: "2026-03-02T08:00:00Z")
    static let euro = Currency(code: "EUR")!

    // Every row a ledger import writes, per table, in key order, as text.
    static let tables = [
        "SELECT * FROM invoices WHERE org_id = 'acme' ORDER BY invoice_number",
        "SELECT * FROM payments WHERE org_id = 'acme' ORDER BY payment_id",
        "SELECT * FROM allocations WHERE org_id = 'acme' ORDER BY payment_id, invoice_number",
        "SELECT * FROM credit_notes WHERE org_id = 'acme' ORDER BY credit_note_id",
        "SELECT * FROM timeline_entries WHERE org_id = 'acme' ORDER BY customer_id, sequence",
    ]

    @Test func aFirstLoadStoresExactlyWhatTheRowByRowPathStores() async throws {
        try await TemporaryStore.with { firstLoad, _ in
            try await TemporaryStore.with { rowByRow, _ in
                // Given the same ledger imported into empty tables, and into tables another organisation already uses
                try await Self.importLedger(into: firstLoad)
                try await Self.importLedger(into: rowByRow, organisationID: "other")
                #expect(try await rowByRow.rawValue("SELECT COUNT(*) FROM invoices", as: Int.self) == 40)

                try await Self.importLedger(into: rowByRow)

                // Then the organisation's rows are the same, row for row, and so are the indexes
                for sql in Self.tables {
                    let expected = try await Self.dump(rowByRow, sql)
                    #expect(!expected.isEmpty, "\(sql)")
                    #expect(try await Self.dump(firstLoad, sql) == expected, "\(sql)")
                }
                #expect(try await Self.indexes(firstLoad) == Self.indexes(rowByRow))
            }
        }
    }

    @Test func aFirstLoadGivesNumbersThatSpellTheSameReferenceDifferentOnes() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a first load with INV-1 and INV1, which spell the same reference
            try await Self.importLedger(into: store)

            // Then each has its own, and the unique index on them is back
            let references = try await store.pool.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT payment_reference FROM invoices
                        WHERE org_id = 'acme' AND invoice_number IN ('INV-1', 'INV1')
                        """)
            }
            #expect(references.count == 2 && Set(references).count == 2)
            #expect(try await Self.indexes(store).contains { $0.hasPrefix("invoices_by_payment_reference ") })
        }
    }

    @Test func aRefusedInvoiceInTheMiddleOfAFirstLoadLeavesNothingWrittenAndEveryIndex() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.seedCustomers(store, organisationID: "acme")
            let before = try await Self.indexes(store)
            // Given a first load whose 20th invoice repeats the 10th with another total
            var invoices = Self.invoices()
            invoices[20] = Invoice(
                number: invoices[10].number, customerID: invoices[10].customerID, issueDate: invoices[10].issueDate,
                dueDate: invoices[10].dueDate, total: Money(minorUnits: 1, currency: Self.euro))

            // When it is imported, it is refused
            await #expect(throws: StoreError.self) {
                try await store.importInvoices(invoices, organisationID: "acme", context: Self.context)
            }

            // Then nothing was written, and the indexes set aside are back
            #expect(try await store.rawValue("SELECT COUNT(*) FROM invoices", as: Int.self) == 0)
            #expect(try await Self.indexes(store) == before)
        }
    }

    @Test func aRefusedPaymentInTheMiddleOfAFirstLoadLeavesNothingWrittenAndEveryIndex() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.seedCustomers(store, organisationID: "acme")
            _ = try await store.importInvoices(Self.invoices(), organisationID: "acme", context: Self.context)
            let before = try await Self.indexes(store)
            let paid = try await Self.dump(store, Self.tables[0])
            // Given a first load of payments whose 5th repeats the 3rd with another amount
            var payments = Self.payments()
            payments[5] = Payment(
                id: payments[3].id, customerID: payments[3].customerID, date: payments[3].date,
                amount: Money(minorUnits: 7, currency: Self.euro))

            // When it is imported, it is refused
            await #expect(throws: StoreError.self) {
                try await store.importPayments(payments, organisationID: "acme", context: Self.context)
            }

            // Then no payment, allocation or cached sum was written, and the indexes are back
            #expect(try await store.rawValue("SELECT COUNT(*) FROM payments", as: Int.self) == 0)
            #expect(try await store.rawValue("SELECT COUNT(*) FROM allocations", as: Int.self) == 0)
            #expect(try await Self.dump(store, Self.tables[0]) == paid)
            #expect(try await Self.indexes(store) == before)
        }
    }

    // MARK: - A small ledger

    // Four customers, forty invoices (two of them with numbers that spell the same RF reference, some with an
    // early-payment discount), and payments that name an invoice, name none, pay too much, or earn the discount.
    static func importLedger(into store: SQLiteStore, organisationID: String = "acme") async throws {
        try await seedCustomers(store, organisationID: organisationID)
        _ = try await store.importInvoices(invoices(), organisationID: organisationID, context: context)
        _ = try await store.importPayments(payments(), organisationID: organisationID, context: context)
    }

    static func seedCustomers(_ store: SQLiteStore, organisationID: String) async throws {
        try await store.saveOrganisation(
            Organisation(id: organisationID, name: "Acme", baseCurrency: euro, country: "NL", timeZone: "UTC"))
        _ = try await store.importCustomers(
            (1...4).map { CustomerRecord(customer: Customer(id: "C\($0)", name: "Customer C\($0)"), contacts: []) },
            organisationID: organisationID, context: context)
    }

    static func invoices() -> [Invoice] {
        let discount = PaymentTerms.earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30)
        return (0..<40).map { index in
            let issued = day.adding(days: -60 + index)
            return Invoice(
                number: index == 0 ? "INV-1" : index == 1 ? "INV1" : "INV-\(1000 - index)",
                customerID: "C\(index % 4 + 1)", issueDate: issued, dueDate: issued.adding(days: 30),
                total: Money(minorUnits: 100_00 + index * 10_00, currency: euro),
                terms: index % 5 == 0 ? discount : .net(days: 30))
        }
    }

    static func payments() -> [Payment] { BatchedImportContract.payments(paying: invoices()) }

    static func dump(_ store: SQLiteStore, _ sql: String) async throws -> [String] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { $0.isNull ? "NULL" : "\($0)" }.joined(separator: "|")
            }
        }
    }

    static func indexes(_ store: SQLiteStore) async throws -> [String] {
        try await store.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
            )
        }
    }
}

/// A payments import of many customers reads their open invoices in one pass over the table, one customer at a time;
/// it must allocate as imports of a few customers each, which ask for each customer's invoices.
@Suite struct OpenInvoicePassTests {
    static let context = FirstLoadTests.context
    static let euro = FirstLoadTests.euro

    @Test func aPaymentsImportOfManyCustomersAllocatesAsImportsOfFewCustomersEach() async throws {
        try await TemporaryStore.with { onePass, _ in
            try await TemporaryStore.with { perCustomer, _ in
                // Given the same 300 customers (some ids not ASCII), their invoices, and a payment each
                for store in [onePass, perCustomer] { try await Self.seed(store) }
                let payments = Self.payments()

                // When one store imports the payments at once, the other in files of 100 customers
                _ = try await onePass.importPayments(payments, organisationID: "acme", context: Self.context)
                for start in stride(from: 0, to: payments.count, by: 100) {
                    _ = try await perCustomer.importPayments(
                        Array(payments[start..<min(start + 100, payments.count)]), organisationID: "acme",
                        context: Self.context)
                }

                // Then both hold the same allocations, cached sums and timeline
                for sql in FirstLoadTests.tables {
                    #expect(try await FirstLoadTests.dump(onePass, sql) == FirstLoadTests.dump(perCustomer, sql))
                }
            }
        }
    }

    static let customerIDs = (0..<300).map { index in index % 50 == 7 ? "Él-\(index)" : "C\(index)" }

    static func seed(_ store: SQLiteStore) async throws {
        try await store.saveOrganisation(
            Organisation(id: "acme", name: "Acme", baseCurrency: euro, country: "NL", timeZone: "UTC"))
        _ = try await store.importCustomers(
            customerIDs.map { CustomerRecord(customer: Customer(id: $0, name: "Customer \($0)"), contacts: []) },
            organisationID: "acme", context: context)
        let day = FirstLoadTests.day
        let invoices = customerIDs.enumerated().flatMap { index, customerID in
            (0..<3).map { part in
                Invoice(
                    number: "INV-\(index)-\(part)", customerID: customerID, issueDate: day.adding(days: -40 + part),
                    dueDate: day.adding(days: -10 + part), total: Money(minorUnits: 50_00 + part * 7_00, currency: euro)
                )
            }
        }
        _ = try await store.importInvoices(invoices, organisationID: "acme", context: context)
    }

    // A payment per customer: some name their last invoice, some pay more than is open, some a part.
    static func payments() -> [Payment] {
        customerIDs.enumerated().map { index, customerID in
            let amount = [30_00, 64_00 + 57_00, 200_00][index % 3]
            return Payment(
                id: "P\(index)", customerID: customerID, date: FirstLoadTests.day,
                amount: Money(minorUnits: amount, currency: euro),
                invoiceNumber: index % 2 == 0 ? "INV-\(index)-2" : nil)
        }
    }
}
