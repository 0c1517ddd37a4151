import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// What only the SQLite file shows of webhooks; what the protocol shows is `WebhookContract`'s.
@Suite struct WebhookStoreTests {
    static let day = LocalDate(iso: "2026-03-02")!
    static let euro = Currency(code: "EUR")!

    // The stage markers are the store's own bookkeeping of what it announced, invisible through the protocol: read
    // with raw SQL, they show the collection day keeps none while nobody listens.
    @Test func noStageMarkerIsKeptWhileNobodySubscribes() async throws {
        try await TemporaryStore.with { store, _ in
            let context = RecordingContext(date: Self.day, recordedAt: "2026-03-02T08:00:00Z")
            let organisation = Organisation(
                id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "UTC")
            try await store.saveOrganisation(organisation)
            _ = try await store.importCustomers(
                [CustomerRecord(customer: Customer(id: "C1", name: "Customer C1"), contacts: [])],
                organisationID: "acme", context: context)
            _ = try await store.importInvoices(
                [
                    Invoice(
                        number: "INV-1", customerID: "C1", issueDate: Self.day.adding(days: -70),
                        dueDate: Self.day.adding(days: -40), total: Money(minorUnits: 100_00, currency: Self.euro))
                ], organisationID: "acme", context: context)
            _ = try await CollectionDay(store: store, organisation: organisation, playbook: .standard)
                .run(asOf: Self.day, recordedAt: "2026-03-02T06:00:00Z", dryRun: false)
            #expect(try await store.rawValue("SELECT count(*) FROM webhook_invoice_stages", as: Int.self) == 0)
        }
    }
}
