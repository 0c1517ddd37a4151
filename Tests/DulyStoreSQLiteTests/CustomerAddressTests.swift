import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// Customers' postal addresses where only the SQLite store's other interfaces read them: the deliverer's account (UBL
/// buyers' addresses are `DocumentContract`'s).
@Suite struct CustomerAddressTests {
    static let euro = Currency(code: "EUR")!
    static let day = LocalDate(iso: "2026-03-02")!
    static let context = RecordingContext(date: day, recordedAt: "2026-03-02T08:00:00Z")
    static let address = PostalAddress(
        line1: "Hovedgatan 32", line2: "Po box 878", postalCode: "456 34", city: "Stockholm")

    static func organisation(_ store: SQLiteStore) async throws {
        try await store.saveOrganisation(
            Organisation(id: "acme", name: "Acme", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam"))
    }

    @Test func theDeliverersAccountCarriesTheAddressAndTitle() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.organisation(store)
            let customer = Customer(id: "C1", name: "Brightwave Ltd", country: "GB", address: Self.address, title: "Mr")
            _ = try await store.importCustomers(
                [CustomerRecord(customer: customer, contacts: [])], organisationID: "acme", context: Self.context)
            let account = try await store.account(organisationID: "acme", customerID: "C1")
            #expect(account?.customer == customer)
        }
    }
}
