import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// Customers' postal addresses where only the SQLite store's other interfaces read or write them: the deliverer's
/// account and UBL buyers.
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

    static func ublInvoice(_ number: String) -> DocumentImport {
        DocumentImport(
            entry: .invoice(
                Invoice(
                    number: number, customerID: "", issueDate: day, dueDate: day.adding(days: 30),
                    total: Money(minorUnits: 100_00, currency: euro)),
                paymentReference: nil, termsNote: nil),
            buyer: DocumentBuyer(
                candidateIDs: ["SE4598375937"], name: "Buyer Official Name", newCustomerID: "SE4598375937",
                country: "SE", address: address),
            document: InvoiceDocument(
                invoiceNumber: number, fileName: "\(number).xml", mediaType: "application/xml",
                bytes: Array("<Invoice/>".utf8), addedOn: day))
    }

    @Test func aBuyerFromUBLBecomesACustomerWithItsPostalAddress() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.organisation(store)
            let first = try await store.importDocuments(
                [Self.ublInvoice("INV-1")], organisationID: "acme", context: Self.context)
            #expect(first.customersCreated == 1)
            let customers = try await store.customers(organisationID: "acme")
            #expect(customers.map(\.address) == [Self.address])
            let again = try await store.importDocuments(
                [Self.ublInvoice("INV-1")], organisationID: "acme", context: Self.context)
            #expect(again.customersCreated == 0)
            #expect(again.invoices == ImportSummary(unchanged: 1))
            #expect(try await store.customers(organisationID: "acme") == customers)
        }
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
