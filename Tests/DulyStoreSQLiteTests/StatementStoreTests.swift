import DulyCore
import DulyStore
import Foundation
import Testing

@testable import DulyStoreSQLite

@Suite("Bank statements in the SQLite store")
struct StatementStoreTests {
    static let euro = Currency(code: "EUR")!

    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static func eur(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }
    static let context = RecordingContext(date: day("2026-03-10"), recordedAt: "2026-03-10T09:00:00Z")

    /// An organisation with customers C1 and C2 and the invoices given (number, customer, total).
    func seed(_ store: SQLiteStore, _ invoices: [(String, String, Int)]) async throws {
        try await store.saveOrganisation(
            Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "Europe/Amsterdam")
        )
        _ = try await store.importCustomers(
            ["C1", "C2"].map { CustomerRecord(customer: Customer(id: $0, name: "Customer \($0)"), contacts: []) },
            organisationID: "acme", context: Self.context)
        _ = try await store.importInvoices(
            invoices.map {
                Invoice(
                    number: $0.0, customerID: $0.1, issueDate: Self.day("2026-01-01"), dueDate: Self.day("2026-02-01"),
                    total: Self.eur($0.2))
            }, organisationID: "acme", context: Self.context)
    }

    @Test func everyInvoiceGetsItsOwnValidReferenceEvenWhenNumbersSpellTheSame() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(
                store, [("INV-1", "C1", 10_00), ("INV1", "C1", 20_00), (String(repeating: "9", count: 30), "C2", 5_00)])
            let references = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
                .map { ($0.invoice.number, $0.invoice.paymentReference) }
            let byNumber = Dictionary(uniqueKeysWithValues: references)
            #expect(byNumber["INV-1"] == "RF47INV1")
            #expect(byNumber["INV1"] == CreditorReference.forInvoice(number: "INV1", attempt: 1))
            #expect(byNumber[String(repeating: "9", count: 30)]??.dropFirst(4).first == "D")
            #expect(Set(references.map(\.1)).count == 3)
            #expect(references.allSatisfy { CreditorReference.isValid($0.1 ?? "") })
        }
    }

    @Test func invoicesStoredBeforeTheMigrationGetTheirReferenceOnTheNextStart() async throws {
        try await TemporaryStore.with { store, temporary in
            try await seed(store, [("INV-1", "C1", 10_00), ("INV-2", "C1", 20_00)])
            try await store.rawWrite("UPDATE invoices SET payment_reference = NULL")
            let reopened = try SQLiteStore(path: temporary.path)
            try await reopened.migrate()
            let references = try await reopened.invoices(organisationID: "acme", customerID: nil, openOnly: false)
                .map(\.invoice.paymentReference)
            #expect(references == ["RF47INV1", "RF20INV2"])
        }
    }
}
