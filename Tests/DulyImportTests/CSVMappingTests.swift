import DulyCore
import DulyImport
import Foundation
import Testing

@Suite struct CSVMappingTests {
    let eur = Currency(code: "EUR")!

    func euros(_ text: String) -> Money { try! Money(parsing: text, currency: eur) }

    func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static let badInput = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("BadInput").path

    // A German export: BOM, `;`, decimal comma, thousands points, day-first dates, a quoted field over two lines,
    // columns Duly does not read, and terms written the file's way.
    static let germanCSV =
        "\u{FEFF}Rechnungsnr.;Kundennr.;Bemerkung;Rechnungsdatum;Fälligkeit;Betrag;Zahlungsziel\r\n"
        + "R-1;K1;\"Lieferung\r\nMärz\";01.03.2026;31.03.2026;1.234,50;14 Tage netto\r\n"
        + "R-2;K2;;5.3.2026;;99,00;14 Tage netto\r\n"

    static let germanYAML = """
        kind: invoices
        separator: ";"
        decimal: ","
        thousands: "."
        date_format: DD.MM.YYYY
        columns:
          invoice_number: Rechnungsnr.
          customer_id: Kundennr.
          issue_date: Rechnungsdatum
          due_date: Fälligkeit
          total: Betrag
          terms: Zahlungsziel
        constants:
          currency: EUR
        terms:
          "14 Tage netto": net 14
        """

    func mapping(_ yaml: String = germanYAML) throws -> CSVMapping {
        try CSVMapping.parse(yaml: yaml, fileName: "mapping.yaml", kind: .invoices)
    }

    @Test func aYAMLMappingReadsASemicolonDecimalCommaDayFirstFileWithABOMAndALineBreakInAQuotedField() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export.csv", Self.germanCSV)
        let result = try MappedCSV.invoices(at: path, mapping: try mapping()).readAll()
        #expect(result.issues == [])
        #expect(result.rowCount == 2)
        #expect(
            result.values == [
                Invoice(
                    number: "R-1", customerID: "K1", issueDate: date("2026-03-01"), dueDate: date("2026-03-31"),
                    total: euros("1234.50"), terms: .net(days: 14)),
                Invoice(
                    number: "R-2", customerID: "K2", issueDate: date("2026-03-05"), dueDate: date("2026-03-19"),
                    total: euros("99.00"), terms: .net(days: 14)),
            ])
        #expect(result.records.map(\.line) == [2, 4])
    }

    @Test func errorsNameTheSourceColumnAndTheField() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "export.csv",
            "Rechnungsnr.;Kundennr.;Rechnungsdatum;Fälligkeit;Betrag;Zahlungsziel\n"
                + "R-1;K1;01.03.2026;31.03.2026;1.23,50;\n"
                + "R-2;;2026-03-01;31.03.2026;10,00;\n")
        let result = try MappedCSV.invoices(at: path, mapping: try mapping()).readAll()
        #expect(
            result.issues.map(\.description) == [
                "\(path):2:5: Betrag → total: '1.23,50' is not an amount written with ',' as the decimal point and "
                    + "'.' between thousands",
                "\(path):3:3: Rechnungsdatum → issue_date: '2026-03-01' is not a date written DD.MM.YYYY",
                "\(path):3:2: Kundennr. → customer_id: empty; a customer id is required",
            ])
        #expect(result.records.isEmpty)
    }

    @Test func aMappedColumnTheFileLacksIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export.csv", "Nummer;Kunde\nR-1;K1\n")
        let result = try MappedCSV.invoices(at: path, mapping: try mapping()).readAll()
        let first = try #require(result.issues.first)
        #expect(first.line == 1)
        #expect(first.field == "Rechnungsnr. → invoice_number")
        #expect(first.message.contains("which this file does not have"))
    }

    @Test func aMappingFileWithMistakesIsRefusedLineByLine() {
        let yaml = """
            separator: ";;"
            decimal: ","
            colums: {}
            columns:
              invoice_no: Nr
            """
        #expect {
            try CSVMapping.parse(yaml: yaml, fileName: "m.yaml", kind: .invoices)
        } throws: { error in
            let issues = (error as? CSVMappingError)?.issues ?? []
            return issues.map(\.line) == [1, 3, 5] && issues[2].message.contains("not a field of Duly's invoices")
        }
    }

    // MARK: - Built-in mappings

    @Test func xeroMappingMergesTheRowsOfOneInvoicesLines() throws {
        let directory = try TemporaryDirectory()
        let header =
            "ContactName,EmailAddress,POCountry,InvoiceNumber,Reference,InvoiceDate,DueDate,Total,Description,"
            + "LineAmount,Currency"
        let path = try directory.write(
            "xero.csv",
            header + "\n"
                + "Acme Ltd,ap@acme.example,GB,INV-0001,PO 7,05/03/2026,04/04/2026,150.00,Design,100.00,GBP\n"
                + "Acme Ltd,ap@acme.example,GB,INV-0001,PO 7,05/03/2026,04/04/2026,150.00,\"Copy,\nedits\",50.00,GBP\n"
                + "Globex,,US,INV-0002,,06/03/2026,05/04/2026,\"1,000.00\",Audit,1000.00,GBP\n")
        let mapping = try #require(CSVMapping.builtIn(named: "xero", kind: .invoices))
        let gbp = Currency(code: "GBP")!
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(
            result.values == [
                Invoice(
                    number: "INV-0001", customerID: "Acme Ltd", issueDate: date("2026-03-05"),
                    dueDate: date("2026-04-04"), total: Money(minorUnits: 15000, currency: gbp), poNumber: "PO 7"),
                Invoice(
                    number: "INV-0002", customerID: "Globex", issueDate: date("2026-03-06"),
                    dueDate: date("2026-04-05"), total: Money(minorUnits: 100_000, currency: gbp)),
            ])
        let customers = try MappedCSV.customers(
            at: path, mapping: try #require(CSVMapping.builtIn(named: "xero", kind: .customers))
        ).readAll()
        #expect(customers.issues.isEmpty)
        #expect(customers.values.map(\.customer.name) == ["Acme Ltd", "Globex"])
    }

    @Test func germanExcelMappingReadsWindows1252() throws {
        let directory = try TemporaryDirectory()
        let text =
            "Rechnungsnummer;Kundennummer;Rechnungsdatum;Fälligkeitsdatum;Währung;Betrag;Zahlungsbedingung;"
            + "Bestellnummer\r\n"
            + "R-7;Müller GmbH;01.03.2026;31.03.2026;EUR;12.345,67;net 30;\"B-1\r\nzweite Zeile\"\r\n"
        let path = try directory.write("datev.csv", bytes: Array(text.data(using: .windowsCP1252)!))
        let mapping = try #require(CSVMapping.builtIn(named: "german-excel", kind: .invoices))
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(
            result.values == [
                Invoice(
                    number: "R-7", customerID: "Müller GmbH", issueDate: date("2026-03-01"),
                    dueDate: date("2026-03-31"), total: euros("12345.67"), terms: .net(days: 30),
                    poNumber: "B-1  zweite Zeile")
            ])
    }

    @Test func excelEUMappingReadsDulysColumnsInEuropeanShape() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "eu.csv",
            "\u{FEFF}invoice_number;customer_id;issue_date;due_date;currency;total;terms;po_number\n"
                + "A-1;C1;28-02-2026;30-03-2026;EUR;2.500,00;;\n")
        let mapping = try #require(CSVMapping.builtIn(named: "excel-eu", kind: .invoices))
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(result.values.map(\.total) == [euros("2500.00")])
        #expect(CSVMapping.builtIn(named: "xero", kind: .payments) == nil)
    }

    @Test func excelEUMappingReadsTheDateFormatsOfTheCountriesItClaims() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "eu.csv",
            "invoice_number;customer_id;issue_date;due_date;currency;total\n"
                + "A-1;C1;01.10.2026;31.10.2026;EUR;10,00\n"
                + "A-2;C1;01/10/2026;31/10/2026;EUR;10,00\n"
                + "A-3;C1;01-10-2026;31-10-2026;EUR;10,00\n"
                + "A-4;C1;2026-10-01;2026-10-31;EUR;10,00\n")
        let mapping = try #require(CSVMapping.builtIn(named: "excel-eu", kind: .invoices))
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(result.values.map(\.issueDate) == Array(repeating: date("2026-10-01"), count: 4))
        #expect(result.values.map(\.dueDate) == Array(repeating: date("2026-10-31"), count: 4))
    }

    @Test func excelEUMappingRefusesATwoDigitYearSayingWhy() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "eu.csv",
            "invoice_number;customer_id;issue_date;due_date;currency;total\nA-1;C1;01.10.26;31.10.2026;EUR;10,00\n")
        let mapping = try #require(CSVMapping.builtIn(named: "excel-eu", kind: .invoices))
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(
            result.issues.map(\.description) == [
                "\(path):2:3: issue_date → issue_date: '01.10.26' has a two-digit year, whose century would be a "
                    + "guess; write the year in full (DD-MM-YYYY or DD.MM.YYYY or DD/MM/YYYY or YYYY-MM-DD)"
            ])
    }

    @Test func aYAMLMappingMayListSeveralDateFormats() throws {
        let mapping = try CSVMapping.parse(
            yaml: """
                separator: ";"
                date_format: [DD.MM.YYYY, YYYY-MM-DD]
                columns:
                  invoice_number: Nr
                  customer_id: Kunde
                  issue_date: Datum
                  total: Betrag
                  terms: Ziel
                constants:
                  currency: EUR
                """, fileName: "mapping.yaml", kind: .invoices)
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "de.csv", "Nr;Kunde;Datum;Betrag;Ziel\nR-1;K1;01.10.2026;10.00;net 30\nR-2;K1;2026-10-02;10.00;net 30\n")
        let result = try MappedCSV.invoices(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(result.values.map(\.issueDate) == [date("2026-10-01"), date("2026-10-02")])
    }

    @Test func mappedCustomersCarryThePostalAddress() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "contacts.csv",
            "ContactName,EmailAddress,POAddressLine1,POAddressLine2,POCity,PORegion,POPostalCode,POCountry\n"
                + "Brightwave Ltd,ap@brightwave.example,1 High Street,,London,,SW1A 1AA,GB\n")
        let mapping = try #require(CSVMapping.builtIn(named: "xero", kind: .customers))
        let result = try MappedCSV.customers(at: path, mapping: mapping).readAll()
        #expect(result.issues == [])
        #expect(
            result.values.map(\.customer.address) == [
                PostalAddress(line1: "1 High Street", postalCode: "SW1A 1AA", city: "London")
            ])
    }

    // MARK: - The bad-input corpus, through a mapping

    struct BadCase: CustomStringConvertible, Sendable {
        var file: String
        var line: Int
        var column: Int
        var reason: String
        var windows1252 = false
        var description: String { file }
    }

    static let badCases: [BadCase] = [
        BadCase(
            file: "february-30.csv", line: 2, column: 3,
            reason: "'30.02.2026' is not a real date: February 2026 has 28 days"),
        BadCase(file: "three-decimals.csv", line: 2, column: 5, reason: "decimal"),
        BadCase(file: "unknown-currency.csv", line: 2, column: 6, reason: "'EUX' is not an ISO 4217 currency code"),
        BadCase(file: "mixed-encoding.csv", line: 3, column: 2, reason: "mixed encodings"),
        BadCase(file: "mixed-encoding-1252.csv", line: 3, column: 2, reason: "mixed encodings", windows1252: true),
        BadCase(file: "truncated.csv", line: 3, column: 1, reason: "never closed"),
    ]

    @Test(arguments: badCases) func badCSVIsRefusedWithWhereAndWhy(_ bad: BadCase) throws {
        var yaml = Self.germanYAML.replacingOccurrences(of: "  terms: Zahlungsziel\n", with: "")
        if bad.file == "unknown-currency.csv" {
            yaml = yaml.replacingOccurrences(of: "constants:\n  currency: EUR", with: "constants: {}")
                .replacingOccurrences(of: "  total: Betrag\n", with: "  total: Betrag\n  currency: Währung\n")
        }
        if bad.windows1252 { yaml += "\nencoding: windows-1252\n" }
        let path = Self.badInput + "/" + bad.file
        let result = try MappedCSV.invoices(at: path, mapping: try mapping(yaml)).readAll()
        let issue = try #require(result.issues.first)
        #expect(issue.file == path)
        #expect(issue.line == bad.line, "\(issue)")
        #expect(issue.column == bad.column, "\(issue)")
        #expect(issue.message.contains(bad.reason), "\(issue)")
    }

    @Test func aTenMegabyteFieldIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "huge.csv",
            "Rechnungsnr.;Kundennr.;Rechnungsdatum;Fälligkeit;Betrag;Zahlungsziel\nR-1;\""
                + String(repeating: "k", count: 10 << 20) + "\";01.03.2026;31.03.2026;10,00;\n")
        let result = try MappedCSV.invoices(at: path, mapping: try mapping()).readAll()
        let issue = try #require(result.issues.first)
        #expect(issue.line == 2)
        #expect(issue.column == 2)
        #expect(issue.field == "Kundennr. → customer_id")
        #expect(issue.message.contains("a value of 10485760 bytes"))
    }
}
