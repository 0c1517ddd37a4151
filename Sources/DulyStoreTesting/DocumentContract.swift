import DulyCore
import DulyStore

/// The invoice-document part of the storage contract (`DocumentStore`), as cases any test framework can run.
public enum DocumentContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any DocumentStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("anImportedInvoiceKeepsItsFileAndDetails", anImportedInvoiceKeepsItsFileAndDetails),
        ("importingTheSameDocumentsAgainChangesNothing", importingTheSameDocumentsAgainChangesNothing),
        ("aBuyerIsFoundByIdThenByNameBeforeOneIsMade", aBuyerIsFoundByIdThenByNameBeforeOneIsMade),
        ("aCreditNotesFileIsKeptWithTheInvoiceItCredits", aCreditNotesFileIsKeptWithTheInvoiceItCredits),
        ("aRefusedDocumentIsNamedAndNothingIsImported", aRefusedDocumentIsNamedAndNothingIsImported),
        ("documentsBelongToOneOrganisation", documentsBelongToOneOrganisation),
    ]

    /// The invoice is stored for a new buyer, its file kept byte for byte, its payment reference and terms text
    /// readable.
    public static func anImportedInvoiceKeepsItsFileAndDetails(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme")
        let item = invoice("INV-1", buyer: newBuyer)
        let summary = try await store.importDocuments([item], organisationID: "acme", context: Fixture.on("2026-03-02"))
        try check(summary.customersCreated == 1, "the buyer becomes a customer, got \(summary)")
        try check(summary.invoices == ImportSummary(inserted: 1), "one invoice inserted, got \(summary.invoices)")
        try check(summary.documents == ImportSummary(inserted: 1), "one file kept, got \(summary.documents)")
        let customers = try await store.customers(organisationID: "acme")
        try check(customers.map(\.id) == ["SE4598375937"], "the new customer's id, got \(customers.map(\.id))")
        try check(customers.first?.address == newBuyer.address, "the new customer's postal address")
        try check(
            try await store.documents(organisationID: "acme", customerID: "SE4598375937") == [item.document],
            "the file as received")
        let details = try await store.invoiceDocumentDetails(organisationID: "acme", invoiceNumber: "INV-1")
        try check(
            details?.paymentReference == "PAY INV-1" && details?.termsNote == "30 days net",
            "the payment reference and terms text, got \(String(describing: details))")
        try check(
            try await Fixture.balance(store, "acme", "INV-1").invoice.customerID == "SE4598375937",
            "the invoice belongs to the buyer")
    }

    /// A batch imported twice: the second time the invoice, the credit note and both files are unchanged.
    public static func importingTheSameDocumentsAgainChangesNothing(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme")
        let batch = [invoice("INV-1", buyer: newBuyer), creditNote("CN-1", of: "INV-1", buyer: newBuyer)]
        _ = try await store.importDocuments(batch, organisationID: "acme", context: Fixture.on("2026-03-02"))
        let customers = try await store.customers(organisationID: "acme")
        let entries = try await store.timeline(organisationID: "acme", customerID: "SE4598375937").count
        let again = try await store.importDocuments(batch, organisationID: "acme", context: Fixture.on("2026-03-03"))
        try check(again.customersCreated == 0, "no customer made twice")
        try check(again.invoices == ImportSummary(unchanged: 1), "the invoice unchanged, got \(again.invoices)")
        try check(
            again.creditNotes == ImportSummary(unchanged: 1), "the credit note unchanged, got \(again.creditNotes)")
        try check(again.documents == ImportSummary(unchanged: 2), "the files unchanged, got \(again.documents)")
        try check(try await store.customers(organisationID: "acme") == customers, "the customers as they were")
        try check(
            try await store.timeline(organisationID: "acme", customerID: "SE4598375937").count == entries,
            "no timeline entry for what was already there")
        try check(
            try await Fixture.balance(store, "acme", "INV-1").credited == Fixture.eur(10_00), "credited once")
    }

    /// An id the buyer names picks the customer first; with none known, a customer of the same name (any case);
    /// only then is a customer made.
    public static func aBuyerIsFoundByIdThenByNameBeforeOneIsMade(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2"])
        let byID = DocumentBuyer(candidateIDs: ["GLN-9", "C2"], name: "Customer C1", newCustomerID: "NEW-1")
        let byName = DocumentBuyer(candidateIDs: ["GLN-9"], name: "CUSTOMER c1", newCustomerID: "NEW-2")
        let unknown = DocumentBuyer(candidateIDs: ["GLN-9"], name: "Someone Else", newCustomerID: "NEW-3")
        let summary = try await store.importDocuments(
            [invoice("INV-1", buyer: byID), invoice("INV-2", buyer: byName), invoice("INV-3", buyer: unknown)],
            organisationID: "acme", context: Fixture.on("2026-03-02"))
        try check(summary.customersCreated == 1, "only the unknown buyer becomes a customer, got \(summary)")
        var owners: [String] = []
        for number in ["INV-1", "INV-2", "INV-3"] {
            owners.append(try await Fixture.balance(store, "acme", number).invoice.customerID)
        }
        try check(owners == ["C2", "C1", "NEW-3"], "the invoices go to C2 by id, C1 by name, a new one; got \(owners)")
    }

    /// A credit note reduces the invoice it credits, and its file is kept with that invoice, files by name.
    public static func aCreditNotesFileIsKeptWithTheInvoiceItCredits(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme")
        let batch = [invoice("INV-1", buyer: newBuyer), creditNote("CN-1", of: "INV-1", buyer: newBuyer)]
        let summary = try await store.importDocuments(batch, organisationID: "acme", context: Fixture.on("2026-03-02"))
        try check(summary.creditNotes == ImportSummary(inserted: 1), "one credit note, got \(summary.creditNotes)")
        try check(
            try await Fixture.balance(store, "acme", "INV-1").open == Fixture.eur(90_00), "INV-1 open less the credit")
        let files = try await store.documents(organisationID: "acme", customerID: "SE4598375937")
        try check(
            files.map { "\($0.invoiceNumber) \($0.fileName)" } == ["INV-1 CN-1.xml", "INV-1 INV-1.xml"],
            "both files with INV-1, by file name; got \(files.map(\.fileName))")
    }

    /// One bad document refuses the batch: the error gives its position, and not even the good ones are kept.
    public static func aRefusedDocumentIsNamedAndNothingIsImported(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme")
        let batch = [invoice("INV-1", buyer: newBuyer), creditNote("CN-1", of: "INV-404", buyer: newBuyer)]
        do {
            _ = try await store.importDocuments(batch, organisationID: "acme", context: Fixture.on("2026-03-02"))
            throw ContractViolation("a credit note for an unknown invoice was imported")
        } catch let error as DocumentImportError {
            try check(error.index == 1, "the refusal names the second document, got \(error.index)")
        }
        try check(try await store.customers(organisationID: "acme").isEmpty, "no customer made")
        try check(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).isEmpty,
            "no invoice kept")
        try check(
            try await store.documents(organisationID: "acme", customerID: "SE4598375937").isEmpty, "no file kept")
    }

    /// Another organisation sees neither the files nor the details of an invoice of the same number.
    public static func documentsBelongToOneOrganisation(_ store: any DocumentStore) async throws {
        try await Fixture.seed(store, "acme")
        try await Fixture.seed(store, "other")
        _ = try await store.importDocuments(
            [invoice("INV-1", buyer: newBuyer)], organisationID: "acme", context: Fixture.on("2026-03-02"))
        try check(
            try await store.documents(organisationID: "other", customerID: "SE4598375937").isEmpty,
            "no file seen from another")
        try check(
            try await store.invoiceDocumentDetails(organisationID: "other", invoiceNumber: "INV-1") == nil,
            "no details seen from another")
    }

    // MARK: - Documents

    /// A buyer no customer matches: it becomes SE4598375937, with an address.
    static let newBuyer = DocumentBuyer(
        candidateIDs: ["SE4598375937"], name: "Buyer Official Name", newCustomerID: "SE4598375937", country: "SE",
        address: PostalAddress(line1: "Hovedgatan 32", line2: "Po box 878", postalCode: "456 34", city: "Stockholm"))

    /// An EUR 100 invoice due 31 March, with its XML file.
    static func invoice(_ number: String, buyer: DocumentBuyer) -> DocumentImport {
        DocumentImport(
            entry: .invoice(
                Fixture.invoice(number, "", due: "2026-03-31", total: 100_00),
                paymentReference: "PAY \(number)", termsNote: "30 days net"),
            buyer: buyer, document: file(number, of: number))
    }

    /// An EUR 10 credit note on `invoiceNumber`, with its XML file.
    static func creditNote(_ id: String, of invoiceNumber: String, buyer: DocumentBuyer) -> DocumentImport {
        DocumentImport(
            entry: .creditNote(
                CreditNote(
                    id: id, invoiceNumber: invoiceNumber, date: Fixture.day("2026-03-10"), amount: Fixture.eur(10_00))),
            buyer: buyer, document: file(id, of: invoiceNumber))
    }

    private static func file(_ name: String, of invoiceNumber: String) -> InvoiceDocument {
        InvoiceDocument(
            invoiceNumber: invoiceNumber, fileName: "\(name).xml", mediaType: "application/xml",
            bytes: Array("<Invoice><ID>\(name)</ID></Invoice>".utf8), addedOn: Fixture.day("2026-03-02"))
    }
}
