import DulyCore
import DulyImport
import Foundation
import Testing

@Suite struct DulyCSVTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    let eur = Currency(code: "EUR")!

    func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    // MARK: - Happy paths

    @Test func customersBecomeRecordsWithBillingAndSeniorContacts() throws {
        let path = try directory.write(
            "customers.csv",
            """
            customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
            C1,"Acme, Inc.",ap@acme.example,+31 20 123 4567,nl,EN,Europe/Amsterdam,Jo Bloggs,cfo@acme.example
            C2,Beta Studio,,,,,,,

            """)
        let result = try DulyCSV.readCustomers(at: path)
        #expect(result.issues == [])
        #expect(result.rowCount == 2)
        #expect(result.records.map(\.line) == [2, 3])
        #expect(
            result.values == [
                CustomerRecord(
                    customer: Customer(
                        id: "C1", name: "Acme, Inc.", country: "NL", language: "en", timeZone: "Europe/Amsterdam"),
                    contacts: [
                        Contact(role: .billing, name: "Jo Bloggs", email: "ap@acme.example", phone: "+31 20 123 4567"),
                        Contact(role: .senior, email: "cfo@acme.example"),
                    ]),
                CustomerRecord(customer: Customer(id: "C2", name: "Beta Studio"), contacts: []),
            ])
    }

    @Test func customersCarryTheirPostalAddressAndTitleFromColumnsInAnyOrder() throws {
        let path = try directory.write(
            "customers.csv",
            """
            customer_id,name,title,city,address_line1,country,postal_code,address_line2,region
            C1,Brightwave Ltd,Mr,London,1 High Street,GB,SW1A 1AA,Floor 2,Greater London
            C2,Café Müller,,Köln,Domstraße 1,DE,50668,,
            C3,No Address Co,,,,,,,

            """)
        let result = try DulyCSV.readCustomers(at: path)
        #expect(result.issues == [])
        #expect(
            result.values.map(\.customer.address) == [
                PostalAddress(
                    line1: "1 High Street", line2: "Floor 2", postalCode: "SW1A 1AA", city: "London",
                    region: "Greater London"),
                PostalAddress(line1: "Domstraße 1", postalCode: "50668", city: "Köln"),
                nil,
            ])
        #expect(result.values.map(\.customer.title) == ["Mr", nil, nil])
    }

    @Test func invoicesTakeTheirDueDateFromTermsWhenNoneIsWritten() throws {
        let path = try directory.write(
            "invoices.csv",
            """
            invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
            INV-1,C1,2026-03-01,,EUR,1200.50,2/10 net 30,PO-7
            INV-2,C1,2026-03-15,2026-04-30,JPY,120000,,
            INV-3,C2,2026-01-31,,eur, 99.9 ,net 30 EOM,

            """)
        let result = try DulyCSV.readInvoices(at: path)
        #expect(result.issues == [])
        #expect(
            result.values == [
                Invoice(
                    number: "INV-1", customerID: "C1", issueDate: date("2026-03-01"), dueDate: date("2026-03-31"),
                    total: Money(minorUnits: 120_050, currency: eur),
                    terms: .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30),
                    poNumber: "PO-7"),
                Invoice(
                    number: "INV-2", customerID: "C1", issueDate: date("2026-03-15"), dueDate: date("2026-04-30"),
                    total: Money(minorUnits: 120_000, currency: Currency(code: "JPY")!)),
                Invoice(
                    number: "INV-3", customerID: "C2", issueDate: date("2026-01-31"), dueDate: date("2026-03-02"),
                    total: Money(minorUnits: 9990, currency: eur), terms: .netEndOfMonth(days: 30)),
            ])
    }

    @Test func anInvoiceCarriesItsPaymentLinkFromTheOptionalColumn() throws {
        let path = try directory.write(
            "invoices.csv",
            """
            invoice_number,customer_id,issue_date,due_date,currency,total,payment_url
            INV-1,C1,2026-03-01,2026-03-31,EUR,100.00,https://pay.example/inv-1?ref=RF47INV1
            INV-2,C1,2026-03-01,2026-03-31,EUR,100.00,

            """)
        let result = try DulyCSV.readInvoices(at: path)
        #expect(result.issues == [])
        #expect(result.values.map(\.paymentURL) == ["https://pay.example/inv-1?ref=RF47INV1", nil])
    }

    @Test func paymentsWithAndWithoutAnInvoiceNumber() throws {
        let path = try directory.write(
            "payments.csv",
            """
            payment_id,customer_id,date,currency,amount,reference,invoice_number
            P1,C1,2026-04-02,EUR,500.00,RF18 5390 0754 7034,INV-1
            P2,C2,2026-04-03,EUR,0.01,,

            """)
        let result = try DulyCSV.readPayments(at: path)
        #expect(result.issues == [])
        #expect(
            result.values == [
                Payment(
                    id: "P1", customerID: "C1", date: date("2026-04-02"),
                    amount: Money(minorUnits: 50_000, currency: eur),
                    reference: "RF18 5390 0754 7034", invoiceNumber: "INV-1"),
                Payment(
                    id: "P2", customerID: "C2", date: date("2026-04-03"), amount: Money(minorUnits: 1, currency: eur)),
            ])
    }

    @Test func columnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws {
        let path = try directory.write(
            "payments.csv",
            """
            Amount, currency ,date,customer_id,payment_id
            12.00,GBP,2026-05-01,C9,P9

            """)
        let result = try DulyCSV.readPayments(at: path)
        #expect(result.issues == [])
        #expect(
            result.values == [
                Payment(
                    id: "P9", customerID: "C9", date: date("2026-05-01"),
                    amount: Money(minorUnits: 1200, currency: Currency(code: "GBP")!))
            ])
    }

    // MARK: - Bad input

    struct BadFile: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        /// `line:column: field` of each issue expected, in order.
        var expected: [String]

        var testDescription: String { name }
    }

    static let invoiceHeader = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
    static let goodInvoice = "INV-1,C1,2026-03-01,2026-03-31,EUR,100.00,net 30,\n"

    static let badFiles: [BadFile] = [
        BadFile(
            name: "a date that is not on the calendar", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-02-30,2026-03-31,EUR,100.00,,\n",
            expected: ["3:3: issue_date: '2026-02-30' is not a real date: February 2026 has 28 days"]),
        BadFile(
            name: "a date in another format", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,01/03/2026,2026-03-31,EUR,100.00,,\n",
            expected: ["3:3: issue_date: '01/03/2026' is not a date; write it as YYYY-MM-DD"]),
        BadFile(
            name: "an unknown currency", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,2026-03-31,XYZ,100.00,,\n",
            expected: ["3:5: currency: 'XYZ' is not an ISO 4217 currency code"]),
        BadFile(
            name: "three decimals in EUR", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,2026-03-31,EUR,100.005,,\n",
            expected: ["3:6: total: '100.005' has more than 2 decimals, the most EUR allows"]),
        BadFile(
            name: "a total of zero", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,2026-03-31,EUR,0.00,,\n",
            expected: ["3:6: total: '0.00' must be more than zero"]),
        BadFile(
            name: "a missing customer id", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2, ,2026-03-01,2026-03-31,EUR,100.00,,\n",
            expected: ["3:2: customer_id: empty; a customer id is required"]),
        BadFile(
            name: "a duplicate invoice number", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,2026-03-31,EUR,1.00,,\n" + goodInvoice,
            expected: ["4:1: invoice_number: 'INV-1' appears twice; first on line 2"]),
        BadFile(
            name: "terms nobody writes", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,,EUR,100.00,net thirty,\n",
            expected: [
                "3:7: terms: unknown payment terms 'net thirty'; accepted: \(PaymentTerms.acceptedForms)"
            ]),
        BadFile(
            name: "a due date before the issue date", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,2026-02-28,EUR,100.00,,\n",
            expected: ["3:4: due_date: 2026-02-28 is before the issue date 2026-03-01"]),
        BadFile(
            name: "a payment link that is not an absolute URL", file: "invoices.csv",
            text: "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number,payment_url\n"
                + "INV-1,C1,2026-03-01,2026-03-31,EUR,100.00,,,https://pay.example/1\n"
                + "INV-2,C1,2026-03-01,2026-03-31,EUR,100.00,,,pay.example/2\n",
            expected: [
                "3:9: payment_url: 'pay.example/2' is not a payment link; give an absolute https:// or http:// URL "
                    + "with a host"
            ]),
        BadFile(
            name: "neither a due date nor terms", file: "invoices.csv",
            text: invoiceHeader + goodInvoice + "INV-2,C1,2026-03-01,,EUR,100.00,,\n",
            expected: ["3:4: due_date: empty, and so are the terms; give a due date or payment terms"]),
        BadFile(
            name: "a line break inside a quoted field moves later lines", file: "invoices.csv",
            text: invoiceHeader + "INV-1,C1,2026-03-01,2026-03-31,EUR,100.00,,\"PO\n7\"\n"
                + "INV-2,C1,2026-03-01,2026-13-01,EUR,100.00,,\n",
            expected: [
                "2:8: po_number: contains a line break or another control character",
                "4:4: due_date: '2026-13-01' is not a real date: there is no month 13",
            ]),
        BadFile(
            name: "an unknown column", file: "invoices.csv",
            text: "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_nmuber\n" + goodInvoice,
            expected: [
                "1:8: po_nmuber: unknown column; the columns are invoice_number, customer_id, issue_date, due_date, "
                    + "currency, total, terms, po_number, payment_url"
            ]),
        BadFile(
            name: "a missing column", file: "invoices.csv",
            text: "invoice_number,customer_id,issue_date,due_date,total\nINV-1,C1,2026-03-01,2026-03-31,100.00\n",
            expected: ["1:1: currency: required column missing from the header"]),
        BadFile(
            name: "a row with a field too many", file: "invoices.csv",
            text: invoiceHeader + "INV-2,C1,2026-03-01,2026-03-31,EUR,100.00,,,extra\n" + goodInvoice,
            expected: ["2:9: the row has 9 fields, the header 8"]),
        BadFile(
            name: "a payment of a negative amount", file: "payments.csv",
            text: "payment_id,customer_id,date,currency,amount\nP1,C1,2026-04-01,EUR,-5.00\n",
            expected: ["2:5: amount: '-5.00' must be more than zero"]),
        BadFile(
            name: "a duplicate payment id", file: "payments.csv",
            text: "payment_id,customer_id,date,currency,amount\nP1,C1,2026-04-01,EUR,5\nP1,C1,2026-04-02,EUR,6\n",
            expected: ["3:1: payment_id: 'P1' appears twice; first on line 2"]),
        BadFile(
            name: "an email with a space", file: "customers.csv",
            text: "customer_id,name,email\nC1,Acme,ap @acme.example\n",
            expected: [
                "2:3: email: 'ap @acme.example' is not an email address any server could deliver: spaces and control "
                    + "characters are not allowed in an address"
            ]),
        BadFile(
            name: "an email with two dots in a row", file: "customers.csv",
            text: "customer_id,name,email\nC1,Acme,ap..billing@acme.example\n",
            expected: [
                "2:3: email: 'ap..billing@acme.example' is not an email address any server could deliver: the local "
                    + "part starts or ends with a dot, or has two dots in a row"
            ]),
        BadFile(
            name: "an email whose domain label cannot become punycode", file: "customers.csv",
            text: "customer_id,name,email\nC1,Acme,rechnung@café☕.example\n",
            expected: [
                "2:3: email: 'rechnung@café☕.example' is not an email address any server could deliver: the domain "
                    + "label 'café☕' is not valid: '☕' is not allowed in a domain"
            ]),
        BadFile(
            name: "an escalation email without a domain", file: "customers.csv",
            text: "customer_id,name,escalation_email\nC1,Acme,cfo@localhost\n",
            expected: [
                "2:3: escalation_email: 'cfo@localhost' is not an email address any server could deliver: the domain "
                    + "'localhost' has no dot (name@example.com)"
            ]),
        BadFile(
            name: "a three-letter country", file: "customers.csv",
            text: "customer_id,name,country\nC1,Acme,NLD\n",
            expected: ["2:3: country: 'NLD' is not a two-letter country code (ISO 3166-1: NL, GB)"]),
        BadFile(
            name: "a time zone that does not exist", file: "customers.csv",
            text: "customer_id,name,timezone\nC1,Acme,Europe/Atlantis\n",
            expected: [
                "2:3: timezone: 'Europe/Atlantis' is not an IANA time zone (Europe/Amsterdam, America/New_York)"
            ]),
        BadFile(
            name: "a customer without a name", file: "customers.csv",
            text: "customer_id,name\nC1,\n",
            expected: ["2:2: name: empty; a name is required"]),
        BadFile(
            name: "a postal address without its city", file: "customers.csv",
            text: "customer_id,name,address_line1,postal_code,city\nC1,Acme,1 High Street,SW1A 1AA,\n",
            expected: [
                "2:5: city: the row gives part of a postal address but no city; a letter needs at least "
                    + "address_line1 and city (or leave every address column empty)"
            ]),
        BadFile(
            name: "a postal code alone, in a file without address lines or cities", file: "customers.csv",
            text: "customer_id,name,postal_code\nC1,Acme,1015 AA\n",
            expected: [
                "2:3: postal_code: the row gives part of a postal address but no address_line1; a letter needs at "
                    + "least address_line1 and city (or leave every address column empty)",
                "2:3: postal_code: the row gives part of a postal address but no city; a letter needs at least "
                    + "address_line1 and city (or leave every address column empty)",
            ]),
        BadFile(
            name: "an amount with a decimal comma", file: "invoices.csv",
            text: invoiceHeader + "INV-2,C1,2026-03-01,2026-03-31,EUR,\"1250,50\",,\n",
            expected: [
                "2:6: total: '1250,50' is written with a decimal comma; Duly's CSV writes a point (1250.50), or read "
                    + "the file through a mapping that says decimal: \",\" (README, Column mappings)"
            ]),
        BadFile(
            name: "a file separated by semicolons, with Duly's column names", file: "invoices.csv",
            text: "invoice_number;customer_id;issue_date;due_date;currency;total;terms;po_number\n"
                + "INV-1;C1;01.10.2026;31.10.2026;EUR;1.250,50;;\n",
            expected: [
                "1:1: the columns are separated by ';', as a spreadsheet with European settings saves CSV; the "
                    + "built-in mapping excel-eu reads it: duly import invoices PATH --mapping excel-eu"
            ]),
        BadFile(
            name: "a German export separated by semicolons", file: "payments.csv",
            text: "Zahlungsnummer;Kundennummer;Zahlungsdatum;Währung;Betrag;Verwendungszweck;Rechnungsnummer\n",
            expected: [
                "1:1: the columns are separated by ';', as a spreadsheet with European settings saves CSV; the "
                    + "built-in mapping german-excel reads it: duly import payments PATH --mapping german-excel"
            ]),
    ]

    @Test(arguments: badFiles)
    func badInputIsReportedAtItsFileLineAndColumn(_ bad: BadFile) throws {
        let path = try directory.write(bad.file, bad.text)
        let issues: [ImportIssue]
        switch bad.file {
        case "customers.csv": issues = try DulyCSV.readCustomers(at: path).issues
        case "payments.csv": issues = try DulyCSV.readPayments(at: path).issues
        default: issues = try DulyCSV.readInvoices(at: path).issues
        }
        #expect(
            issues.map(\.description)
                == bad.expected.map { "\(path):" + $0.replacingOccurrences(of: " PATH ", with: " \(path) ") })
        #expect(issues.allSatisfy { $0.file == path })
    }

    @Test func internationalisedAddressesAreImported() throws {
        let path = try directory.write(
            "customers.csv",
            "customer_id,name,email,escalation_email\n"
                + "C1,Café Müller,rechnung@café-müller.example,jörg@café-müller.example\n"
                + "C2,Maison Lefèvre,accounts@maisonlefèvre.example,\n")
        let read = try DulyCSV.readCustomers(at: path)
        #expect(read.issues.isEmpty)
        #expect(
            read.values.flatMap { $0.contacts.compactMap(\.email) } == [
                "rechnung@café-müller.example", "jörg@café-müller.example", "accounts@maisonlefèvre.example",
            ])
    }

    @Test func goodRowsSurviveNextToBadOnes() throws {
        let path = try directory.write(
            "invoices.csv",
            Self.invoiceHeader + Self.goodInvoice + "INV-2,C1,2026-02-30,,XYZ,1.234,net 30,\n"
                + "INV-3,C1,2026-03-02,2026-04-01,EUR,5,,\n")
        let result = try DulyCSV.readInvoices(at: path)
        // Given one bad row between two good ones, every bad field of it is reported and the good rows are kept.
        #expect(result.records.map(\.value.number) == ["INV-1", "INV-3"])
        #expect(result.records.map(\.line) == [2, 4])
        #expect(result.issues.map { "\($0.line):\($0.column)" } == ["3:3", "3:5"])
        #expect(result.rowCount == 3)
        #expect(!result.isValid)
    }

    @Test func batchesCoverTheFileAndStillCatchDuplicates() throws {
        let rows = (1...5).map { "INV-\($0),C1,2026-03-01,2026-03-31,EUR,1.00,,\n" }.joined()
        let path = try directory.write("invoices.csv", Self.invoiceHeader + rows + Self.goodInvoice)
        let stream = try DulyCSV.invoices(at: path)
        var sizes: [Int] = []
        var issues: [ImportIssue] = []
        while let batch = try stream.nextBatch(maxRows: 2) {
            sizes.append(batch.rowCount)
            issues += batch.issues
        }
        #expect(sizes == [2, 2, 2])
        #expect(issues.map(\.description) == ["\(path):7:1: invoice_number: 'INV-1' appears twice; first on line 2"])
    }

    @Test func aFileThatCannotBeOpenedThrowsAnErrorNamingIt() throws {
        let path = directory.path + "/nowhere/invoices.csv"
        let error = try #require(throws: CSVError.self) { try DulyCSV.readInvoices(at: path) }
        #expect(error.description.hasPrefix("\(path): cannot open"))
    }

    @Test func anUnterminatedQuoteIsAnIssueNotAThrow() throws {
        let path = try directory.write(
            "payments.csv", "payment_id,customer_id,date,currency,amount\nP1,C1,2026-04-01,EUR,5\nP2,\"C1,2026\n")
        let result = try DulyCSV.readPayments(at: path)
        #expect(result.records.map(\.value.id) == ["P1"])
        #expect(result.issues.map { "\($0.line):\($0.column)" } == ["3:2"])
    }
}
