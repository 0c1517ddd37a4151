import DulyCore

#if canImport(FoundationXML)
    import FoundationXML
    import Foundation
#else
    import Foundation
#endif

/// UBL 2.1 invoices and credit notes, as Peppol BIS Billing 3.0 and EN 16931 use them (docs/DOMAIN.md, "UBL").
///
/// What Duly reads, by local name whatever the namespace prefix:
///
/// | value | from |
/// |---|---|
/// | number | `cbc:ID` |
/// | issue date | `cbc:IssueDate` |
/// | due date | `cbc:DueDate`, else `cac:PaymentMeans/cbc:PaymentDueDate` (the credit note's place for it), else the due date of the terms note when it is Duly notation (`net 30`) |
/// | currency | `cbc:DocumentCurrencyCode`: every `currencyID` must be it (or `cbc:TaxCurrencyCode`) |
/// | open amount | `cac:LegalMonetaryTotal/cbc:PayableAmount` (BT-115): what is owed after any prepayment, not the gross `TaxInclusiveAmount` |
/// | buyer | `cac:AccountingCustomerParty/cac:Party`, with its `cac:PostalAddress`: see ``UBLParty`` |
/// | terms | `cac:PaymentTerms/cbc:Note`, kept as text; also parsed when it is Duly notation |
/// | payment reference | the first `cac:PaymentMeans/cbc:PaymentID` (BT-83) |
/// | credited invoice | `cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID` (credit notes) |
///
/// Amounts in `LegalMonetaryTotal` must have no more decimals than the currency (three in EUR is refused); line
/// prices may have more, as EN 16931 allows. A document is read whole or not at all: any issue means no document.
/// Issues are placed where the parser reports the element's start tag ending. Documents with a DOCTYPE (so any
/// entity declaration: XXE, "billion laughs") are refused before parsing; external entities are never resolved.
/// Only UTF-8 is read. No value may be longer than 65,536 characters, except an embedded attachment
/// (`EmbeddedDocumentBinaryObject`), whose text is not kept.
public enum UBL {
    /// The root namespaces of the two documents.
    public static let invoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    /// The CreditNote root namespace.
    public static let creditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    /// The longest value kept, in characters.
    public static let maximumValueLength = 65_536

    /// Reads a UBL file; `fileName` (default: the path) is what issues name.
    public static func read(at path: String, fileName: String? = nil) throws(UBLError) -> UBLDocument {
        let name = fileName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UBLError(issues: [ImportIssue(file: name, line: 0, column: 0, message: "cannot read the file")])
        }
        return try parse(Array(data), fileName: name)
    }

    /// Parses a UBL document held in memory; `fileName` is what issues name. The document keeps `bytes` as they are.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(UBLError) -> UBLDocument {
        if let issue = XMLGuard.checkProlog(bytes, fileName: fileName, standard: "UBL documents") {
            throw UBLError(issues: [issue])
        }
        let reader = UBLReader(fileName: fileName)
        let finished = XMLGuard.run(reader, on: bytes, fileName: fileName)
        guard reader.issues.isEmpty, let root = reader.root else {
            if reader.issues.isEmpty {
                reader.issues.append(ImportIssue(file: fileName, line: 1, column: 1, message: "no root element"))
            }
            throw UBLError(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        var interpreter = UBLInterpreter(fileName: fileName, root: root, amounts: reader.amounts)
        guard let document = interpreter.document(bytes: bytes), interpreter.issues.isEmpty else {
            throw UBLError(issues: interpreter.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return document
    }
}

/// A UBL file that could not be imported, with every problem found in it.
public struct UBLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in document order; never empty.
    public var issues: [ImportIssue]

    /// Creates the error from its issues.
    public init(issues: [ImportIssue]) { self.issues = issues }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// One UBL invoice or credit note, as Duly keeps it.
public struct UBLDocument: Hashable, Sendable {
    /// Which root the document has.
    public enum Kind: String, Hashable, Sendable {
        case invoice
        case creditNote = "credit_note"
    }

    public var kind: Kind
    /// `cbc:ID`: the invoice (or credit note) number.
    public var number: String
    /// `cbc:InvoiceTypeCode` or `cbc:CreditNoteTypeCode` (380, 381…), when given.
    public var typeCode: String?
    public var issueDate: LocalDate
    /// The due date (see ``UBL``); nil only for a credit note that states none.
    public var dueDate: LocalDate?
    public var currency: Currency
    public var buyer: UBLParty
    /// `cac:PaymentTerms/cbc:Note`, as written.
    public var termsNote: String?
    /// The terms note read as Duly's notation, when it is one.
    public var terms: PaymentTerms?
    /// `cac:PaymentMeans/cbc:PaymentID` (BT-83): the reference the buyer quotes when paying.
    public var paymentID: String?
    /// `PayableAmount` (BT-115): the open amount Duly chases (or credits, for a credit note).
    public var payable: Money
    /// `TaxInclusiveAmount` (BT-112), kept for the record.
    public var taxInclusive: Money?
    /// `PrepaidAmount` (BT-113), when given.
    public var prepaid: Money?
    /// The invoice a credit note credits (`BillingReference/InvoiceDocumentReference/ID`).
    public var creditedInvoice: String?
    /// Where `cbc:ID` is, for messages about the document as a whole.
    public var line: Int
    /// Where the credited invoice's reference is (credit notes), for messages.
    public var creditedInvoiceLine: Int?

    public init(
        kind: Kind, number: String, typeCode: String? = nil, issueDate: LocalDate, dueDate: LocalDate?,
        currency: Currency, buyer: UBLParty, termsNote: String? = nil, terms: PaymentTerms? = nil,
        paymentID: String? = nil, payable: Money, taxInclusive: Money? = nil, prepaid: Money? = nil,
        creditedInvoice: String? = nil, line: Int = 1, creditedInvoiceLine: Int? = nil
    ) {
        self.kind = kind
        self.number = number
        self.typeCode = typeCode
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.buyer = buyer
        self.termsNote = termsNote
        self.terms = terms
        self.paymentID = paymentID
        self.payable = payable
        self.taxInclusive = taxInclusive
        self.prepaid = prepaid
        self.creditedInvoice = creditedInvoice
        self.line = line
        self.creditedInvoiceLine = creditedInvoiceLine
    }
}

/// The buyer (`cac:AccountingCustomerParty/cac:Party`, BG-7).
///
/// Becomes a Duly customer: an existing customer whose id is ``identifier`` or ``endpointID`` is the buyer; else
/// one whose name is ``legalName`` (ignoring case); else a new customer whose id is ``customerID``.
public struct UBLParty: Hashable, Sendable {
    /// `cac:PartyLegalEntity/cbc:RegistrationName` (BT-44), else `cac:PartyName/cbc:Name`.
    public var legalName: String
    /// `cac:PartyIdentification/cbc:ID` (BT-46), without its scheme.
    public var identifier: String?
    /// `cbc:EndpointID` (BT-49), without its scheme.
    public var endpointID: String?
    /// `cac:PostalAddress/cac:Country/cbc:IdentificationCode`.
    public var country: String?
    /// `cac:Contact/cbc:ElectronicMail`.
    public var email: String?
    /// `cac:Contact/cbc:Name`.
    public var contactName: String?
    /// `cac:PostalAddress` (BG-8): `cbc:StreetName`, `cbc:AdditionalStreetName`, `cbc:PostalZone`, `cbc:CityName`,
    /// `cbc:CountrySubentity`; nil unless it gives at least the street and the city, which a letter needs.
    public var address: PostalAddress?

    public init(
        legalName: String, identifier: String? = nil, endpointID: String? = nil, country: String? = nil,
        email: String? = nil, contactName: String? = nil, address: PostalAddress? = nil
    ) {
        self.legalName = legalName
        self.identifier = identifier
        self.endpointID = endpointID
        self.country = country
        self.email = email
        self.contactName = contactName
        self.address = address
    }

    /// The id of a customer created for this buyer: the identifier, else the endpoint, else the legal name.
    public var customerID: String { identifier ?? endpointID ?? legalName }

    /// The ids an existing customer may have, in the order they are tried.
    public var candidateIDs: [String] { [identifier, endpointID].compactMap { $0 } }
}

// MARK: - Reader

/// The XMLParser delegate: builds the element tree, except invoice lines (only their amounts are kept, to check
/// their currency) and attachments (their text is dropped), so memory stays bounded by the header.
private final class UBLReader: NSObject, GuardedXMLReader {
    let fileName: String
    var issues: [ImportIssue] = []
    var parseError: (any Error)?
    var errorPosition: (line: Int, column: Int)?
    var aborted = false
    var root: XMLNode?
    /// Every element with a `currencyID`, in document order.
    var amounts: [XMLNode] = []

    private var stack: [XMLNode] = []
    var openElements: [(name: String, line: Int)] { stack.map { ($0.name, $0.line) } }
    private static let droppedText: Set<String> = ["EmbeddedDocumentBinaryObject"]
    private static let droppedSubtrees: Set<String> = ["InvoiceLine", "CreditNoteLine"]

    init(fileName: String) { self.fileName = fileName }

    private func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func abort(_ parser: XMLParser, _ message: String, at position: (Int, Int)? = nil) {
        let (line, column) = position ?? (parser.lineNumber, parser.columnNumber)
        issues.append(ImportIssue(file: fileName, line: line, column: column, message: message))
        aborted = true
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let name = localName(elementName)
        if stack.isEmpty {
            guard name == "Invoice" || name == "CreditNote" else {
                return abort(parser, "the root element is <\(elementName)>, not a UBL <Invoice> or <CreditNote>")
            }
            let prefix = elementName.firstIndex(of: ":").map { String(elementName[..<$0]) }
            let namespace = attributeDict[prefix.map { "xmlns:\($0)" } ?? "xmlns"]
            let expected = name == "Invoice" ? UBL.invoiceNamespace : UBL.creditNoteNamespace
            guard namespace == expected else {
                return abort(
                    parser,
                    "the <\(name)> root is in namespace '\(namespace ?? "(none)")', not UBL 2.1's \(expected)")
            }
        }
        if let parent = stack.last, !parent.text.isEmpty, parent.text.allSatisfy(\.isWhitespace) { parent.text = "" }
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict { attributes[localName(key)] = value }
        let node = XMLNode(name: name, attributes: attributes, line: parser.lineNumber, column: parser.columnNumber)
        if attributes["currencyID"] != nil { amounts.append(node) }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        append(string, parser)
    }

    func parser(_ parser: XMLParser, foundCDATA cdataBlock: Data) {
        append(String(decoding: cdataBlock, as: UTF8.self), parser)
    }

    private func append(_ text: String, _ parser: XMLParser) {
        guard let node = stack.last, !UBLReader.droppedText.contains(node.name), !aborted else { return }
        node.text += text
        if node.text.utf8.count > UBL.maximumValueLength, node.text.count > UBL.maximumValueLength {
            abort(
                parser,
                "<\(node.name)> holds more than \(UBL.maximumValueLength) characters; no value Duly reads is that long",
                at: (node.line, node.column))
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard let node = stack.popLast() else { return }
        node.text = node.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let parent = stack.last else {
            root = node
            return
        }
        // Lines are not needed once read: their amounts are already listed for the currency check.
        if stack.count == 1, UBLReader.droppedSubtrees.contains(node.name) { return }
        parent.children.append(node)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard self.parseError == nil else { return }
        self.parseError = parseError
        errorPosition = (parser.lineNumber, parser.columnNumber)
    }

    // A DOCTYPE is refused before parsing; these are a second line of defence in case one slips through.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        abort(parser, "entity declarations are refused (<!ENTITY \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        abort(parser, "external entities are refused (<!ENTITY \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?,
        systemID: String?, notationName: String?
    ) {
        abort(parser, "entity declarations are refused (<!ENTITY \(name)>)")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        abort(parser, "&\(name); is refused: only the predefined entities (&lt; &amp; …) and character references are")
        return nil
    }
}

// MARK: - Interpretation

/// Turns the element tree into a ``UBLDocument``, collecting every issue rather than stopping at the first.
private struct UBLInterpreter {
    let fileName: String
    let root: XMLNode
    let amounts: [XMLNode]
    var issues: [ImportIssue] = []

    init(fileName: String, root: XMLNode, amounts: [XMLNode]) {
        self.fileName = fileName
        self.root = root
        self.amounts = amounts
    }

    mutating func report(_ node: XMLNode, field: String, _ message: String) {
        issues.append(ImportIssue(file: fileName, line: node.line, column: node.column, field: field, message: message))
    }

    mutating func document(bytes: [UInt8]) -> UBLDocument? {
        let kind: UBLDocument.Kind = root.name == "Invoice" ? .invoice : .creditNote
        let rootName = root.name
        let number = required("ID", what: "the \(kind == .invoice ? "invoice" : "credit note") number")
        let issueDate = date(root.child("IssueDate"), field: "IssueDate", required: true)
        let currency = documentCurrency()
        let taxCurrency = root.value("TaxCurrencyCode")
        if let currency { checkAmountCurrencies(currency, taxCurrency: taxCurrency) }

        let total = root.child("LegalMonetaryTotal")
        if total == nil {
            report(
                root, field: "LegalMonetaryTotal", "<\(rootName)> has no LegalMonetaryTotal: nothing says what is owed")
        }
        var payable: Money?
        var taxInclusive: Money?
        var prepaid: Money?
        if let total, let currency {
            for child in total.children where child.attributes["currencyID"] == currency.code {
                let amount = money(child, currency: currency, field: "LegalMonetaryTotal/\(child.name)")
                switch child.name {
                case "PayableAmount": payable = amount
                case "TaxInclusiveAmount": taxInclusive = amount
                case "PrepaidAmount": prepaid = amount
                default: break
                }
            }
            if total.child("PayableAmount") == nil {
                report(total, field: "LegalMonetaryTotal/PayableAmount", "no PayableAmount: nothing says what is owed")
            } else if let amount = payable, amount.minorUnits < 0 {
                report(
                    total.child("PayableAmount")!, field: "LegalMonetaryTotal/PayableAmount",
                    "\(amount) is negative; a negative amount due is a credit, send it as a CreditNote")
            }
        }

        let termsNode = root.children("PaymentTerms").compactMap { $0.child("Note") }.first { !$0.text.isEmpty }
        let termsNote = termsNode?.text
        let terms = termsNote.flatMap { try? PaymentTerms(parsing: $0) }
        let means = root.children("PaymentMeans")
        let paymentID = means.compactMap { $0.value("PaymentID") }.first
        let dueNode = root.child("DueDate") ?? means.compactMap { $0.child("PaymentDueDate") }.first
        var dueDate = date(dueNode, field: dueNode?.name ?? "DueDate", required: false)
        if dueNode == nil, let terms, let issueDate { dueDate = terms.dueDate(issuedOn: issueDate) }
        if kind == .invoice, dueNode == nil, dueDate == nil, let payable, let issueDate {
            if payable.isZero {
                dueDate = issueDate
            } else {
                report(
                    root.child("ID") ?? root, field: "DueDate",
                    "no due date: neither cbc:DueDate nor PaymentMeans/cbc:PaymentDueDate is given, and "
                        + (termsNote.map { "the terms note '\($0)' is not terms Duly can read" }
                            ?? "there is no terms note")
                        + " (\(PaymentTerms.acceptedForms))")
            }
        }
        if let issueDate, let dueDate, let problem = Invoice.problem(due: dueDate, issued: issueDate), let dueNode {
            report(dueNode, field: dueNode.name, problem.description)
        }

        var creditedInvoice: XMLNode?
        if kind == .creditNote {
            creditedInvoice = root.children("BillingReference").compactMap { $0.at("InvoiceDocumentReference", "ID") }
                .first { !$0.text.isEmpty }
            if creditedInvoice == nil {
                report(
                    root.child("ID") ?? root, field: "BillingReference/InvoiceDocumentReference/ID",
                    "the credit note names no invoice it credits; Duly records a credit note against an invoice")
            }
        }

        let buyer = party()
        guard issues.isEmpty, let number, let issueDate, let currency, let payable, let buyer else { return nil }
        return UBLDocument(
            kind: kind, number: number.text,
            typeCode: root.value(kind == .invoice ? "InvoiceTypeCode" : "CreditNoteTypeCode"), issueDate: issueDate,
            dueDate: dueDate, currency: currency, buyer: buyer, termsNote: termsNote, terms: terms,
            paymentID: paymentID, payable: payable, taxInclusive: taxInclusive, prepaid: prepaid,
            creditedInvoice: creditedInvoice?.text, line: number.line, creditedInvoiceLine: creditedInvoice?.line)
    }

    private mutating func required(_ name: String, what: String) -> XMLNode? {
        guard let node = root.child(name), !node.text.isEmpty else {
            report(root.child(name) ?? root, field: name, "no \(name): \(what) is required")
            return nil
        }
        if node.text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            report(node, field: name, "contains a line break or another control character")
            return nil
        }
        return node
    }

    private mutating func documentCurrency() -> Currency? {
        guard let node = root.child("DocumentCurrencyCode"), !node.text.isEmpty else {
            report(root, field: "DocumentCurrencyCode", "no DocumentCurrencyCode: the currency is required")
            return nil
        }
        guard node.text.count == 3, let currency = Currency(code: node.text), currency.code == node.text else {
            report(node, field: "DocumentCurrencyCode", "'\(node.text)' is not an ISO 4217 currency code")
            return nil
        }
        return currency
    }

    // Every amount must be in the document's currency, or in the tax currency (a second TaxTotal, BT-111).
    private mutating func checkAmountCurrencies(_ currency: Currency, taxCurrency: String?) {
        var reported = 0
        for node in amounts {
            let code = node.attributes["currencyID"] ?? ""
            guard code != currency.code, code != taxCurrency else { continue }
            guard reported < 20 else { return }
            reported += 1
            report(
                node, field: "\(node.name)/@currencyID",
                "the amount is in '\(code)' but the document's currency (DocumentCurrencyCode) is \(currency.code)")
        }
    }

    private mutating func money(_ node: XMLNode, currency: Currency, field: String) -> Money? {
        do throws(MoneyError) {
            return try Money(parsing: node.text, currency: currency)
        } catch {
            report(node, field: field, error.description)
            return nil
        }
    }

    private mutating func date(_ node: XMLNode?, field: String, required: Bool) -> LocalDate? {
        guard let node, !node.text.isEmpty else {
            if required { report(node ?? root, field: field, "no \(field): a date (YYYY-MM-DD) is required") }
            return nil
        }
        let text = node.text
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) })
        else {
            report(node, field: field, "'\(text)' is not a date (YYYY-MM-DD)")
            return nil
        }
        guard let date = LocalDate(year: year, month: month, day: day) else {
            let reason =
                (1...12).contains(month)
                ? "\(UBLInterpreter.monthNames[month - 1]) \(year) has \(LocalDate.daysIn(month: month, year: year)) days"
                : "there is no month \(month)"
            report(node, field: field, "'\(text)' is not a real date: \(reason)")
            return nil
        }
        return date
    }

    private mutating func party() -> UBLParty? {
        guard let party = root.at("AccountingCustomerParty", "Party") else {
            report(root, field: "AccountingCustomerParty", "no AccountingCustomerParty/Party: the buyer is required")
            return nil
        }
        let name =
            party.value("PartyLegalEntity", "RegistrationName")
            ?? party.children("PartyName").compactMap {
                $0.value("Name")
            }.first
        guard let name else {
            report(
                party, field: "AccountingCustomerParty/Party/PartyLegalEntity/RegistrationName",
                "the buyer has no name (RegistrationName or PartyName/Name)")
            return nil
        }
        let identifier = party.children("PartyIdentification").compactMap { $0.value("ID") }.first
        var address: PostalAddress?
        if let line1 = party.value("PostalAddress", "StreetName"), let city = party.value("PostalAddress", "CityName") {
            address = PostalAddress(
                line1: line1, line2: party.value("PostalAddress", "AdditionalStreetName"),
                postalCode: party.value("PostalAddress", "PostalZone"), city: city,
                region: party.value("PostalAddress", "CountrySubentity"))
        }
        return UBLParty(
            legalName: name, identifier: identifier, endpointID: party.value("EndpointID"),
            country: party.value("PostalAddress", "Country", "IdentificationCode"),
            email: party.value("Contact", "ElectronicMail"), contactName: party.value("Contact", "Name"),
            address: address)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}
