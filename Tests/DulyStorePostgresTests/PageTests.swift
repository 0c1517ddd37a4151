import DulyCore
import DulyStore
import DulyStorePostgres
import Testing

/// Paging through an organisation's records in key order (`PagedStore`), on a real PostgreSQL server: what the API's
/// cursors read.
@Suite("PostgreSQL pages", .enabled(if: TestServer.configured))
struct PageTests {
    static let day = LocalDate(iso: "2026-03-02")!
    static let euro = Currency(code: "EUR")!
    static let context = RecordingContext(date: day, recordedAt: "2026-03-02T08:00:00Z")

    /// Runs `body` on a new, migrated database holding organisation "acme" with customers C1 to C5 (C2 and C4
    /// collected by "ann", each with two contacts) and two invoices each.
    static func withLedger(_ body: @Sendable (PostgresStore) async throws -> Void) async throws {
        try await AccountStoreTests.withStore { store in
            let organisation = Organisation(
                id: "acme", name: "Acme", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam")
            try await store.saveOrganisation(organisation)
            _ = try await store.importCustomers(
                (1...5).map { n in
                    CustomerRecord(
                        customer: Customer(id: "C\(n)", name: "Customer \(n)", collector: n % 2 == 0 ? "ann" : nil),
                        contacts: [
                            Contact(role: .billing, email: "billing\(n)@example.com"),
                            Contact(role: .senior, email: "boss\(n)@example.com"),
                        ])
                }, organisationID: "acme", context: context)
            _ = try await store.importInvoices(
                (1...5).flatMap { n in
                    [20, 10].map { days in
                        Invoice(
                            number: "INV-\(n)-\(days)", customerID: "C\(n)", issueDate: day.adding(days: -60),
                            dueDate: day.adding(days: -days), total: Money(minorUnits: 100_00, currency: euro))
                    }
                }, organisationID: "acme", context: context)
            try await body(store)
        }
    }

    @Test func customersComeInIdOrderWithTheirContactsAfterTheCursor() async throws {
        try await Self.withLedger { store in
            let first = try await store.customerPage(organisationID: "acme", after: nil, limit: 2)
            #expect(first.map(\.customer.id) == ["C1", "C2"])
            #expect(first[1].contacts.map(\.email) == ["billing2@example.com", "boss2@example.com"])
            let next = try await store.customerPage(organisationID: "acme", after: "C2", limit: 2)
            #expect(next.map(\.customer.id) == ["C3", "C4"])
            #expect(try await store.customerPage(organisationID: "acme", after: "C5", limit: 2).isEmpty)
            #expect(try await store.customerPage(organisationID: "other", after: nil, limit: 2).isEmpty)
        }
    }

    @Test func invoicesComeByCustomerDueDateAndNumberFilteredAndAfterTheKey() async throws {
        try await Self.withLedger { store in
            let first = try await store.invoicePage(
                organisationID: "acme", filter: InvoiceFilter(), after: nil, limit: 3)
            #expect(first.map(\.invoice.number) == ["INV-1-20", "INV-1-10", "INV-2-20"])
            let next = try await store.invoicePage(
                organisationID: "acme", filter: InvoiceFilter(), after: InvoicePageKey(first[2].invoice), limit: 3)
            #expect(next.map(\.invoice.number) == ["INV-2-10", "INV-3-20", "INV-3-10"])
            let ann = try await store.invoicePage(
                organisationID: "acme", filter: InvoiceFilter(collector: "ann"), after: nil, limit: 10)
            #expect(ann.map(\.invoice.number) == ["INV-2-20", "INV-2-10", "INV-4-20", "INV-4-10"])
            let one = try await store.invoicePage(
                organisationID: "acme", filter: InvoiceFilter(customerID: "C4", collector: "ann"),
                after: nil, limit: 10)
            #expect(one.map(\.invoice.number) == ["INV-4-20", "INV-4-10"])
            #expect(one.first?.open == Money(minorUnits: 100_00, currency: Self.euro))
        }
    }

    @Test func actionsComeInNumberOrderForOneCustomerOrAll() async throws {
        try await Self.withLedger { store in
            let organisation = try #require(try await store.organisation(id: "acme"))
            _ = try await CollectionDay(store: store, organisation: organisation, playbook: .standard)
                .run(asOf: Self.day, recordedAt: "2026-03-02T06:00:00Z", dryRun: false)
            let all = try await store.actions(organisationID: "acme", customerID: nil).sorted { $0.id < $1.id }
            try #require(all.count >= 2, "the run planned actions")
            let first = try await store.actionPage(organisationID: "acme", customerID: nil, after: nil, limit: 2)
            #expect(first == Array(all.prefix(2)))
            let rest = try await store.actionPage(
                organisationID: "acme", customerID: nil, after: first.last?.id, limit: 1000)
            #expect(first + rest == all)
            let c3 = try await store.actionPage(organisationID: "acme", customerID: "C3", after: nil, limit: 1000)
            #expect(c3 == all.filter { $0.customerID == "C3" })
        }
    }
}
