import DulyCore
import DulyImport
import Foundation
import Testing

@Suite struct UBLTests {
    let eur = Currency(code: "EUR")!

    func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    func euros(_ text: String) -> Money { try! Money(parsing: text, currency: eur) }

    /// The shared samples, read where they are (`../shared/samples` beside the package), never copied in.
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/samples/ubl").path

    /// The hand-made bad files beside this test.
    static let badInput = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("BadInput").path

    /// The issues a file is refused with; fails the test when it is accepted.
    func issues(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ImportIssue] {
        do {
            let document = try UBL.read(at: path, fileName: URL(fileURLWithPath: path).lastPathComponent)
            Issue.record("accepted: \(document)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.issues
        }
    }

    // MARK: - The samples, with the values their README states

    @Test func peppolBaseExampleReadsAsItsReadmeSays() throws {
        let document = try UBL.read(at: Self.samples + "/peppol-bis3-base-example.xml")
        #expect(document.kind == .invoice)
        #expect(document.number == "Snippet1")
        #expect(document.issueDate == date("2017-11-13"))
        #expect(document.dueDate == date("2017-12-01"))
        #expect(document.currency == eur)
        #expect(document.termsNote == "Payment within 10 days, 2% discount")
        #expect(document.terms == nil)  // free text: kept, not parsed
        #expect(document.buyer.legalName == "Buyer Official Name")
        #expect(document.buyer.endpointID == "FR23342")
        #expect(document.buyer.identifier == "FR23342")
        #expect(document.buyer.customerID == "FR23342")
        #expect(document.buyer.country == "SE")
        #expect(document.paymentID == "Snippet1")
        #expect(document.payable == euros("1656.25"))
        #expect(document.taxInclusive == euros("1656.25"))
        #expect(document.prepaid == nil)
    }

    @Test func theBuyersPostalAddressIsRead() throws {
        let document = try UBL.read(at: Self.samples + "/peppol-bis3-base-example.xml")
        #expect(
            document.buyer.address
                == PostalAddress(line1: "Hovedgatan 32", line2: "Po box 878", postalCode: "456 34", city: "Stockholm"))
    }

    @Test func en16931ExampleTakesTheStructuredDueDateOverTheNote() throws {
        let document = try UBL.read(at: Self.samples + "/en16931-ubl-tc434-example1.xml")
        #expect(document.kind == .invoice)
        #expect(document.number == "12115118")
        #expect(document.issueDate == date("2015-01-09"))
        #expect(document.dueDate == date("2015-01-09"))  // cbc:DueDate wins over "14 dagen netto" in a Note
        #expect(document.currency == eur)
        #expect(document.termsNote == nil)  // no PaymentTerms element
        #expect(document.buyer.legalName == "ODIN 59")
        #expect(document.buyer.identifier == "10202")
        #expect(document.buyer.customerID == "10202")
        #expect(document.paymentID == "Deb. 10202 / Fact. 12115118")
        #expect(document.payable == euros("250.33"))
        #expect(document.prepaid == nil)
    }

    // MARK: - Documents written here

    static func invoice(
        root: String = "Invoice", number: String = "INV-9", extra: String = "",
        due: String = "<cbc:DueDate>2026-04-30</cbc:DueDate>",
        totals: String = """
        <cbc:TaxInclusiveAmount currencyID="EUR">1210.00</cbc:TaxInclusiveAmount>
        <cbc:PrepaidAmount currencyID="EUR">210.00</cbc:PrepaidAmount>
        <cbc:PayableAmount currencyID="EUR">1000.00</cbc:PayableAmount>
        """
    ) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ubl:\(root) xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:\(root)-2"
            xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
            xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
        <b:ID>\(number)</b:ID>
        <b:IssueDate>2026-03-31</b:IssueDate>
        \(due)
        <b:DocumentCurrencyCode>EUR</b:DocumentCurrencyCode>
        \(extra)
        <a:AccountingCustomerParty><a:Party>
        <b:EndpointID schemeID="0088">5790000000001</b:EndpointID>
        <a:PartyName><b:Name>Trading Name</b:Name></a:PartyName>
        <a:Contact><b:Name>Jo</b:Name><b:ElectronicMail>ap@buyer.example</b:ElectronicMail></a:Contact>
        </a:Party></a:AccountingCustomerParty>
        <a:PaymentMeans><b:PaymentMeansCode>58</b:PaymentMeansCode><b:PaymentDueDate>2026-05-15</b:PaymentDueDate>
        <b:PaymentID>RF18539007547034</b:PaymentID></a:PaymentMeans>
        <a:PaymentTerms><b:Note>net 30</b:Note></a:PaymentTerms>
        <a:LegalMonetaryTotal>
        \(totals)
        </a:LegalMonetaryTotal>
        <a:InvoiceLine><b:ID>1</b:ID><b:LineExtensionAmount currencyID="EUR">1000.00</b:LineExtensionAmount>
        <a:Price><b:PriceAmount currencyID="EUR">3.3333</b:PriceAmount></a:Price></a:InvoiceLine>
        </ubl:\(root)>
        """
    }

    @Test func prefixedRootAndPrepaymentGiveThePayableAmountAsWhatIsOwed() throws {
        let document = try UBL.parse(Array(Self.invoice().utf8), fileName: "inv.xml")
        #expect(document.payable == euros("1000.00"))
        #expect(document.taxInclusive == euros("1210.00"))
        #expect(document.prepaid == euros("210.00"))
        #expect(document.buyer.legalName == "Trading Name")
        #expect(document.buyer.customerID == "5790000000001")
        #expect(document.buyer.email == "ap@buyer.example")
        #expect(document.terms == .net(days: 30))
        #expect(document.dueDate == date("2026-04-30"))  // cbc:DueDate before PaymentDueDate
        #expect(document.paymentID == "RF18539007547034")
    }

    @Test func withoutDueDateTheTermsGiveIt() throws {
        let text = Self.invoice(due: "").replacingOccurrences(
            of: "<b:PaymentDueDate>2026-05-15</b:PaymentDueDate>", with: "")
        let document = try UBL.parse(Array(text.utf8), fileName: "inv.xml")
        #expect(document.dueDate == date("2026-04-30"))  // 2026-03-31 + net 30
    }

    @Test func anInvoiceWithoutADueDateOrReadableTermsIsRefused() {
        let text = Self.invoice(due: "").replacingOccurrences(
            of: "<b:PaymentDueDate>2026-05-15</b:PaymentDueDate>", with: ""
        ).replacingOccurrences(of: "net 30", with: "within two weeks")
        #expect(throws: UBLError.self) { try UBL.parse(Array(text.utf8), fileName: "inv.xml") }
    }

    @Test func aCreditNoteTakesPaymentDueDateAndNamesTheInvoiceItCredits() throws {
        let text = Self.invoice(
            root: "CreditNote", number: "CN-1",
            extra: """
                <a:BillingReference><a:InvoiceDocumentReference><b:ID>INV-9</b:ID></a:InvoiceDocumentReference>
                </a:BillingReference>
                """, due: "",
            totals: "<b:PayableAmount currencyID=\"EUR\">100.00</b:PayableAmount>")
        let document = try UBL.parse(Array(text.utf8), fileName: "cn.xml")
        #expect(document.kind == .creditNote)
        #expect(document.dueDate == date("2026-05-15"))
        #expect(document.creditedInvoice == "INV-9")
        #expect(document.payable == euros("100.00"))
    }

    @Test func aCreditNoteWithoutBillingReferenceIsRefused() {
        let text = Self.invoice(root: "CreditNote", number: "CN-2", due: "")
        #expect(throws: UBLError.self) { try UBL.parse(Array(text.utf8), fileName: "cn.xml") }
    }

    @Test func anAmountInAnotherCurrencyIsRefusedWhereItIs() throws {
        let text = Self.invoice().replacingOccurrences(
            of: "<b:PriceAmount currencyID=\"EUR\">", with: "<b:PriceAmount currencyID=\"USD\">")
        do {
            _ = try UBL.parse(Array(text.utf8), fileName: "inv.xml")
            Issue.record("accepted")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.line == 24)
            #expect(issue.field == "PriceAmount/@currencyID")
            #expect(issue.message.contains("'USD'"))
        }
    }

    // MARK: - The bad-input corpus: each refused with file, line, column and reason

    struct BadCase: CustomStringConvertible, Sendable {
        var file: String
        var line: Int
        var column: Int?
        var reason: String
        var description: String { file }
    }

    static let badCases: [BadCase] = [
        BadCase(file: "truncated.xml", line: 13, column: 1, reason: "truncated"),
        BadCase(file: "wrong-namespace.xml", line: 4, column: nil, reason: "not UBL 2.1's"),
        BadCase(file: "xxe.xml", line: 2, column: 1, reason: "DOCTYPE"),
        BadCase(file: "billion-laughs.xml", line: 2, column: 1, reason: "DOCTYPE"),
        BadCase(file: "three-decimals.xml", line: 18, column: nil, reason: "decimal"),
        BadCase(file: "unknown-currency.xml", line: 8, column: nil, reason: "'EUX' is not an ISO 4217 currency code"),
        BadCase(file: "february-30.xml", line: 6, column: nil, reason: "February 2026 has 28 days"),
        BadCase(file: "mixed-encoding.xml", line: 13, column: 48, reason: "not UTF-8"),
    ]

    @Test(arguments: badCases) func badFileIsRefusedWithWhereAndWhy(_ bad: BadCase) throws {
        let found = issues(Self.badInput + "/" + bad.file)
        let issue = try #require(found.first)
        #expect(issue.file == bad.file)
        #expect(issue.line == bad.line, "\(issue)")
        if let column = bad.column { #expect(issue.column == column, "\(issue)") } else { #expect(issue.column > 0) }
        #expect(issue.message.contains(bad.reason), "\(issue)")
    }

    @Test func aTenMegabyteFieldIsRefusedAtItsElement() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "x", count: 10 << 20)
        let path = try directory.write(
            "huge.xml", Self.invoice(extra: "<b:Note>\(big)</b:Note>"))
        let issue = try #require(issues(path).first)
        #expect(issue.line == 9)
        #expect(issue.column > 0)
        #expect(issue.message.contains("<Note> holds more than 65536 characters"))
    }
}
