import DulyCore

/// A file kept with an invoice as it was received: the UBL XML it was imported from, later a PDF.
public struct InvoiceDocument: Hashable, Sendable {
    /// The invoice the document belongs to (a credit note's XML belongs to the invoice it credits).
    public var invoiceNumber: String
    /// The file's name as received, without folders (`12115118.xml`).
    public var fileName: String
    /// `application/xml`, `application/pdf`.
    public var mediaType: String
    /// The bytes, exactly as received.
    public var bytes: [UInt8]
    /// Lower-case hex SHA-256 of ``bytes``.
    public var sha256: String
    /// The business day it was stored.
    public var addedOn: LocalDate

    /// Creates a document; the digest is computed from the bytes.
    public init(invoiceNumber: String, fileName: String, mediaType: String, bytes: [UInt8], addedOn: LocalDate) {
        self.invoiceNumber = invoiceNumber
        self.fileName = fileName
        self.mediaType = mediaType
        self.bytes = bytes
        self.sha256 = DocumentDigest.sha256(bytes)
        self.addedOn = addedOn
    }
}

/// Who an electronic invoice is addressed to, as the document names them: matched to a customer or made one.
public struct DocumentBuyer: Hashable, Sendable {
    /// The ids an existing customer may have, tried in order (the buyer's identifier, its electronic address).
    public var candidateIDs: [String]
    /// The legal name: an existing customer with this name (ignoring case) is the buyer when no id matches.
    public var name: String
    /// The id of the customer created when none matches.
    public var newCustomerID: String
    /// ISO 3166-1 alpha-2, for a new customer.
    public var country: String?
    /// A billing contact for a new customer.
    public var contact: Contact?
    /// The postal address of a new customer, where letters go.
    public var address: PostalAddress?

    public init(
        candidateIDs: [String], name: String, newCustomerID: String, country: String? = nil, contact: Contact? = nil,
        address: PostalAddress? = nil
    ) {
        self.candidateIDs = candidateIDs
        self.name = name
        self.newCustomerID = newCustomerID
        self.country = country
        self.contact = contact
        self.address = address
    }
}

/// One electronic invoice or credit note to import, with the file it came from.
public struct DocumentImport: Hashable, Sendable {
    /// What the document records.
    public enum Entry: Hashable, Sendable {
        /// An invoice: its customer id is replaced by the matched buyer's.
        case invoice(Invoice, paymentReference: String?, termsNote: String?)
        /// A credit note against an invoice already stored or earlier in the same batch.
        case creditNote(CreditNote)
    }

    public var entry: Entry
    public var buyer: DocumentBuyer
    /// The file, kept with the invoice (for a credit note: with the invoice it credits).
    public var document: InvoiceDocument

    public init(entry: Entry, buyer: DocumentBuyer, document: InvoiceDocument) {
        self.entry = entry
        self.buyer = buyer
        self.document = document
    }
}

/// What a document import did.
public struct DocumentImportSummary: Hashable, Sendable {
    public var customersCreated = 0
    public var invoices = ImportSummary()
    public var creditNotes = ImportSummary()
    public var documents = ImportSummary()

    public init() {}
}

/// Why one document of a batch was refused: its position in the batch and the store's reason.
public struct DocumentImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based position in the batch.
    public var index: Int
    public var error: StoreError

    public init(index: Int, error: StoreError) {
        self.index = index
        self.error = error
    }

    public var description: String { error.description }
}

/// Invoice documents: imported electronic invoices and the files kept with invoices.
public protocol DocumentStore: DulyStore {
    /// Imports a batch of electronic invoices and credit notes in one transaction, in the order given: buyers are
    /// matched or created, invoices inserted (identical ones unchanged, different ones a conflict), credit notes
    /// recorded, and each file kept with its invoice. Importing the same batch again changes nothing. Any refusal
    /// throws `DocumentImportError` naming the document, and nothing is imported.
    func importDocuments(
        _ batch: [DocumentImport], organisationID: String, context: RecordingContext
    ) async throws -> DocumentImportSummary

    /// The documents kept with a customer's invoices, by invoice number then file name.
    func documents(organisationID: String, customerID: String) async throws -> [InvoiceDocument]

    /// The payment reference (`PaymentID`) and terms text an imported invoice carries, when it has them.
    func invoiceDocumentDetails(
        organisationID: String, invoiceNumber: String
    ) async throws -> (paymentReference: String?, termsNote: String?)?
}
