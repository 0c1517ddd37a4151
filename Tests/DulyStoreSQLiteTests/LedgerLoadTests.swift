import DulyCore
import DulyStore
import DulyStoreTesting
import Foundation
import GRDB
import Testing

@testable import DulyStoreSQLite

/// `duly import ledger`'s store side (`LedgerLoadStore`): customers, invoices and payments in one transaction, the
/// payments allocated in memory and each invoice written once. What it leaves must be what the three imports in turn
/// leave, and a refusal anywhere must leave nothing.
@Suite struct LedgerLoadTests {
    static let context = FirstLoadTests.context

    static let customers = (1...4).map {
        CustomerRecord(customer: Customer(id: "C\($0)", name: "Customer C\($0)"), contacts: [])
    }

    // The organisation alone, then the ledger of `FirstLoadTests` (discounts earned, a number spelling another's RF
    // reference, payments naming an invoice, naming none, paying too much) loaded at once, in batches of seven.
    static func load(
        into store: SQLiteStore, invoices: [Invoice] = FirstLoadTests.invoices(),
        payments: [Payment] = FirstLoadTests.payments(), refusing: Bool = false
    ) async throws -> (LedgerLoad, Feed<Invoice>, Feed<Payment>) {
        try await saveOrganisation(store)
        let invoiceFeed = Feed(invoices, batch: 7, refusesAtTheEnd: refusing)
        let paymentFeed = Feed(payments, batch: 7, refusesAtTheEnd: refusing)
        let load = try await store.loadLedger(
            customers: Feed(customers, batch: 3), invoices: invoiceFeed, payments: paymentFeed, organisationID: "acme",
            context: context)
        return (load, invoiceFeed, paymentFeed)
    }

    static func saveOrganisation(_ store: SQLiteStore) async throws {
        try await store.saveOrganisation(
            Organisation(
                id: "acme", name: "Acme", baseCurrency: FirstLoadTests.euro, country: "NL", timeZone: "UTC"))
    }

    static func count(_ store: SQLiteStore, _ table: String) async throws -> Int {
        try await store.rawValue("SELECT COUNT(*) FROM \(table) WHERE org_id = 'acme'", as: Int.self) ?? -1
    }

    @Test func theIndexesAFirstLoadSetsAsideComeBackWithThePlannersStatistics() async throws {
        try await TemporaryStore.with { fresh, _ in
            try await TemporaryStore.with { loaded, _ in
                try await TemporaryStore.with { imported, _ in
                    // Given the same ledger loaded at once into one store and imported file by file into another
                    _ = try await Self.load(into: loaded)
                    try await FirstLoadTests.importLedger(into: imported)

                    // Then both keep the statistics a fresh store has, those of the indexes set aside included
                    let statistics = "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx"
                    let expected = try await FirstLoadTests.dump(fresh, statistics)
                    #expect(expected.contains { $0.contains("invoices_by_customer") })
                    #expect(expected.contains { $0.contains("invoices_by_number") })
                    #expect(try await FirstLoadTests.dump(loaded, statistics) == expected)
                    #expect(try await FirstLoadTests.dump(imported, statistics) == expected)
                }
            }
        }
    }

    @Test func aLedgerLoadStoresExactlyWhatTheThreeImportsStore() async throws {
        try await TemporaryStore.with { loaded, _ in
            try await TemporaryStore.with { imported, _ in
                // Given the same ledger loaded at once into one store and imported file by file into the other
                let (load, invoices, payments) = try await Self.load(into: loaded)
                try await FirstLoadTests.importLedger(into: imported)

                // Then every row is the same, timeline entries and their hashes included, and so are the indexes
                for sql in FirstLoadTests.tables + ["SELECT * FROM customers WHERE org_id = 'acme' ORDER BY 2"] {
                    let expected = try await FirstLoadTests.dump(imported, sql)
                    #expect(!expected.isEmpty, "\(sql)")
                    #expect(try await FirstLoadTests.dump(loaded, sql) == expected, "\(sql)")
                }
                #expect(try await FirstLoadTests.indexes(loaded) == FirstLoadTests.indexes(imported))
                #expect(try await Self.count(loaded, "credit_notes") > 0)
                // And each file's counts are the imports'
                #expect(load.customers.inserted == 4)
                #expect(load.invoices.inserted == 40)
                #expect(load.payments.summary.inserted == 12)
                #expect(invoices.refused.isEmpty && payments.refused.isEmpty)
            }
        }
    }

    @Test func aLedgerLoadLeavesEveryCustomerDueForTheNextRun() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a loaded ledger
            _ = try await Self.load(into: store)

            // Then every customer is marked for review at once, as after the three imports
            let due = try await store.rawValue(
                "SELECT COUNT(*) FROM customer_reviews WHERE org_id = 'acme' AND next_review = '0001-01-01'",
                as: Int.self)
            #expect(due == 4)
        }
    }

    @Test func aPaymentNamingAnotherCustomersInvoiceIsRefusedAndTheWholeLoadWithIt() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a ledger whose last payment names an invoice of another customer
            var payments = FirstLoadTests.payments()
            let invoices = FirstLoadTests.invoices()
            let other = try #require(invoices.first { $0.customerID != payments[11].customerID })
            payments[11].invoiceNumber = other.number

            // When it is loaded, the payment is refused by its index in the batch, and the load with it
            await #expect(throws: Feed<Payment>.Refused.self) {
                _ = try await Self.load(into: store, payments: payments, refusing: true)
            }

            // Then not a customer, an invoice or a timeline entry is left, and every index is in place
            for table in ["customers", "invoices", "payments", "allocations", "timeline_entries"] {
                #expect(try await Self.count(store, table) == 0, "\(table)")
            }
            let indexes = try await FirstLoadTests.indexes(store)
            try await TemporaryStore.with { fresh, _ in
                let expected = try await FirstLoadTests.indexes(fresh)
                #expect(indexes == expected)
            }
        }
    }

    @Test func aPaymentsRefusalNamesTheBatchIndexAndTheInvoicesOwner() async throws {
        try await TemporaryStore.with { store, _ in
            // Given the 10th payment (the 3rd of the second batch of seven) naming an invoice of another customer
            var payments = FirstLoadTests.payments()
            let other = try #require(FirstLoadTests.invoices().first { $0.customerID != payments[9].customerID })
            payments[9].invoiceNumber = other.number
            let paymentFeed = Feed(payments, batch: 7)
            try await Self.saveOrganisation(store)

            // When it is loaded with a feed that skips refused records
            _ = try await store.loadLedger(
                customers: Feed(Self.customers, batch: 3), invoices: Feed(FirstLoadTests.invoices(), batch: 7),
                payments: paymentFeed, organisationID: "acme", context: Self.context)

            // Then the feed was told which record and why
            #expect(paymentFeed.refused.map(\.index) == [2])
            #expect(paymentFeed.refused.first?.message.contains("belongs to customer '\(other.customerID)'") == true)
        }
    }

    @Test func anInvoiceOfAnUnknownCustomerIsRefusedBeforeAnyPaymentIsRead() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a ledger whose 5th invoice names a customer not in its customers
            var invoices = FirstLoadTests.invoices()
            invoices[4].customerID = "C9"

            // When it is loaded, the invoices feed refuses it at the end of its file
            await #expect(throws: Feed<Invoice>.Refused.self) {
                _ = try await Self.load(into: store, invoices: invoices, refusing: true)
            }

            // Then nothing is left
            let left = try await (Self.count(store, "customers"), Self.count(store, "invoices"))
            #expect(left.0 == 0 && left.1 == 0)
        }
    }

    @Test func aLedgerLoadIsRefusedOnceTheOrganisationHasInvoices() async throws {
        try await TemporaryStore.with { store, _ in
            // Given an organisation whose ledger was loaded
            _ = try await Self.load(into: store)
            let before = try await FirstLoadTests.dump(store, FirstLoadTests.tables[0])

            // When a ledger is loaded again, it is refused, saying why
            let feed = Feed(FirstLoadTests.invoices(), batch: 7)
            do {
                _ = try await store.loadLedger(
                    customers: Feed(Self.customers, batch: 3), invoices: feed, payments: Feed([Payment](), batch: 7),
                    organisationID: "acme", context: Self.context)
                Issue.record("a second ledger load was not refused")
            } catch let error as StoreError {
                #expect(error.description.contains("already has invoices or payments"))
            }

            // Then the invoices are as they were
            #expect(try await FirstLoadTests.dump(store, FirstLoadTests.tables[0]) == before)
        }
    }

    @Test func aPaymentGivenTwiceIdenticallyIsAllocatedOnce() async throws {
        try await TemporaryStore.with { twice, _ in
            try await TemporaryStore.with { once, _ in
                // Given the same ledger, one with its first payment given again at the end
                let payments = FirstLoadTests.payments()
                let (load, _, _) = try await Self.load(into: twice, payments: payments + [payments[0]])
                _ = try await Self.load(into: once)

                // Then the repeat is counted unchanged, and changes no payment, allocation or sum
                #expect(load.payments.summary.inserted == 12 && load.payments.summary.unchanged == 1)
                for sql in FirstLoadTests.tables {
                    #expect(try await FirstLoadTests.dump(twice, sql) == FirstLoadTests.dump(once, sql), "\(sql)")
                }
            }
        }
    }

    @Test func aPaymentIDGivenTwiceWithAnotherAmountIsAConflictNamingTheField() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a ledger whose last payment repeats the first one's id with another amount
            var payments = FirstLoadTests.payments()
            var repeated = payments[0]
            repeated.amount = Money(minorUnits: 1, currency: repeated.amount.currency)
            payments.append(repeated)

            // When it is loaded, it is refused as a conflict on the amount, and nothing is left
            await #expect(throws: StoreError.conflict(kind: "payment", key: repeated.id, field: "amount")) {
                _ = try await Self.load(into: store, payments: payments)
            }
            let customersLeft = try await Self.count(store, "customers")
            #expect(customersLeft == 0)
        }
    }
}
