import Foundation
import Testing

/// `duly import ubl` and `duly import … --mapping` end to end, against a real SQLite file.
@Suite("Importing UBL invoices and mapped CSV, end to end")
struct UBLImportTests {
    /// The shared samples, read where they are, never copied into the repository.
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/samples/ubl")

    /// The bad-input corpus of the import tests.
    static let badInput = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("DulyImportTests/BadInput")

    private func initialised() throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            ]).status == 0)
        return duly
    }

    /// `duly invoices --json`, one object per invoice.
    private func invoices(_ duly: DulyProcess) throws -> [[String: Any]] {
        let listed = try duly.run(["invoices", "--json", "--as-of", "2026-06-01"])
        return listed.lines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// A folder holding copies of the two samples (the folder import reads every *.xml in it).
    private func sampleFolder(_ duly: DulyProcess) throws -> URL {
        let folder = duly.folder.appendingPathComponent("ubl")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["peppol-bis3-base-example.xml", "en16931-ubl-tc434-example1.xml"] {
            try FileManager.default.copyItem(
                at: Self.samples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    @Test func bothSamplesImportWithTheirReadmeValuesAndAgainChangeNothing() throws {
        let duly = try initialised()
        let folder = try sampleFolder(duly)
        let first = try duly.run(["import", "ubl", folder.path, "--json"])
        try #require(first.status == 0, "\(first.errors)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        #expect(outcome["invoices_inserted"] as? Int == 2)
        #expect(outcome["customers_created"] as? Int == 2)

        let rows = try invoices(duly).sorted {
            ($0["invoice_number"] as? String ?? "") < ($1["invoice_number"] as? String ?? "")
        }
        #expect(rows.map { $0["invoice_number"] as? String } == ["12115118", "Snippet1"])
        #expect(rows.map { $0["customer_id"] as? String } == ["10202", "FR23342"])
        #expect(rows.map { $0["issue_date"] as? String } == ["2015-01-09", "2017-11-13"])
        #expect(rows.map { $0["due_date"] as? String } == ["2015-01-09", "2017-12-01"])
        #expect(rows.map { $0["currency"] as? String } == ["EUR", "EUR"])
        #expect(rows.map { $0["total"] as? String } == ["250.33", "1656.25"])

        // Again: nothing new.
        let again = try duly.run(["import", "ubl", folder.path, "--json"])
        try #require(again.status == 0, "\(again.errors)")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
        #expect(second["invoices_inserted"] as? Int == 0)
        #expect(second["invoices_unchanged"] as? Int == 2)
        #expect(second["customers_created"] as? Int == 0)
        #expect(second["documents_inserted"] as? Int == 0)
    }

    @Test func aBuyerIsMatchedByNameWhenItsIdentifierIsUnknown() throws {
        let duly = try initialised()
        let customers = try duly.write(
            "customers.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "ODIN,odin 59,,,NL,nl,,,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let imported = try duly.run([
            "import", "ubl", Self.samples.appendingPathComponent("en16931-ubl-tc434-example1.xml").path,
        ])
        try #require(imported.status == 0, "\(imported.errors)")
        #expect(try invoices(duly).map { $0["customer_id"] as? String } == ["ODIN"])
    }

    @Test func oneBadFileInAFolderRefusesTheWholeBatchNamingIt() throws {
        let duly = try initialised()
        let folder = try sampleFolder(duly)
        try FileManager.default.copyItem(
            at: Self.badInput.appendingPathComponent("february-30.xml"),
            to: folder.appendingPathComponent("zz-february-30.xml"))
        let refused = try duly.run(["import", "ubl", folder.path])
        #expect(refused.status == 65)
        #expect(
            refused.errors.contains(
                "zz-february-30.xml:6:"), "\(refused.errors)")
        #expect(refused.errors.contains("'2026-02-30' is not a real date: February 2026 has 28 days"))
        #expect(refused.errors.contains("nothing was imported"))
        #expect(try invoices(duly).isEmpty)
    }

    @Test(arguments: [
        "truncated.xml", "wrong-namespace.xml", "xxe.xml", "billion-laughs.xml", "three-decimals.xml",
        "unknown-currency.xml", "february-30.xml", "mixed-encoding.xml",
    ])
    func everyBadFileIsRefusedAndNothingIsImported(_ name: String) throws {
        let duly = try initialised()
        let path = Self.badInput.appendingPathComponent(name).path
        let refused = try duly.run(["import", "ubl", path])
        #expect(refused.status == 65, "\(refused.errors)")
        #expect(refused.errors.contains("\(path):"), "\(refused.errors)")
        #expect(try invoices(duly).isEmpty)
    }

    @Test func aCreditNoteForAnUnknownInvoiceIsRefused() throws {
        let duly = try initialised()
        let creditNote = try duly.write(
            "cn.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
                xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
            <cbc:ID>CN-1</cbc:ID>
            <cbc:IssueDate>2026-03-01</cbc:IssueDate>
            <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
            <cac:BillingReference><cac:InvoiceDocumentReference>
            <cbc:ID>NOPE-1</cbc:ID>
            </cac:InvoiceDocumentReference></cac:BillingReference>
            <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">1</cbc:EndpointID>
            <cac:PartyLegalEntity><cbc:RegistrationName>Someone</cbc:RegistrationName></cac:PartyLegalEntity>
            </cac:Party></cac:AccountingCustomerParty>
            <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">10.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
            </CreditNote>
            """)
        let refused = try duly.run(["import", "ubl", creditNote])
        #expect(refused.status == 65)
        #expect(refused.errors.contains("cn.xml:9:1: credit note 'CN-1' credits invoice 'NOPE-1'"), "\(refused.errors)")
        #expect(try duly.run(["timeline", "1"]).output.contains("Someone") == false)
    }

    @Test func theImportedXMLIsInTheEvidencePackByteForByte() throws {
        let duly = try initialised()
        let sample = Self.samples.appendingPathComponent("peppol-bis3-base-example.xml")
        try #require(try duly.run(["import", "ubl", sample.path]).status == 0)
        let zip = duly.folder.appendingPathComponent("pack.zip").path
        let exported = try duly.run(["evidence", "FR23342", "--out", zip, "--as-of", "2026-06-01"])
        try #require(exported.status == 0, "\(exported.errors)")

        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", zip, "-d", duly.folder.appendingPathComponent("pack").path]
        try unzip.run()
        unzip.waitUntilExit()
        let pack = duly.folder.appendingPathComponent("pack")
        let inPack = try Data(
            contentsOf: pack.appendingPathComponent("documents/Snippet1-peppol-bis3-base-example.xml"))
        #expect(inPack == (try Data(contentsOf: sample)))

        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: pack.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let documents = try #require(manifest["documents"] as? [[String: Any]])
        #expect(documents.map { $0["path"] as? String } == ["documents/Snippet1-peppol-bis3-base-example.xml"])
        let digest = try #require(documents.first?["sha256"] as? String)
        #expect(digest.count == 64)
        let index = String(decoding: try Data(contentsOf: pack.appendingPathComponent("index.html")), as: UTF8.self)
        #expect(index.contains("documents/Snippet1-peppol-bis3-base-example.xml"))
        #expect(index.contains(digest))
        let sums = String(decoding: try Data(contentsOf: pack.appendingPathComponent("SHA256SUMS")), as: UTF8.self)
        #expect(sums.contains("\(digest)  documents/Snippet1-peppol-bis3-base-example.xml"))
    }

    // MARK: - Mapped CSV

    @Test func mappedInvoicesImportThroughAYAMLFileAndABadOneImportsNothing() throws {
        let duly = try initialised()
        let customers = try duly.write(
            "customers.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "K1,Kunde Eins,,,DE,de,,,\nK2,Kunde Zwei,,,DE,de,,,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let mapping = try duly.write(
            "mapping.yaml",
            """
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
            constants:
              currency: EUR
            """)
        let good = try duly.write(
            "export.csv",
            "\u{FEFF}Rechnungsnr.;Kundennr.;Text;Rechnungsdatum;Fälligkeit;Betrag\n"
                + "R-1;K1;\"zwei\nZeilen\";01.03.2026;31.03.2026;1.234,50\nR-2;K2;;02.03.2026;01.04.2026;99,00\n")
        let imported = try duly.run(["import", "invoices", good, "--mapping", mapping])
        try #require(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("2 rows of invoices (mapping \(mapping)), 2 new, 0 unchanged"))
        let again = try duly.run(["import", "invoices", good, "--mapping", mapping])
        #expect(again.output.contains("0 new, 2 unchanged"))

        let bad = try duly.write(
            "bad.csv",
            "Rechnungsnr.;Kundennr.;Rechnungsdatum;Fälligkeit;Betrag\nR-3;K1;01.03.2026;31.03.2026;5,00\n"
                + "R-4;K1;30.02.2026;31.03.2026;5,00\n")
        let refused = try duly.run(["import", "invoices", bad, "--mapping", mapping])
        #expect(refused.status == 65)
        #expect(
            refused.errors.contains(
                "bad.csv:3:3: Rechnungsdatum → issue_date: '30.02.2026' is not a real date: February 2026 has 28 days"),
            "\(refused.errors)")
        #expect(try invoices(duly).count == 2)

        // A refusal only the database can make (an unknown customer) also leaves nothing behind.
        let unknown = try duly.write(
            "unknown.csv",
            "Rechnungsnr.;Kundennr.;Rechnungsdatum;Fälligkeit;Betrag\nR-5;K1;01.03.2026;31.03.2026;5,00\n"
                + "R-6;K9;01.03.2026;31.03.2026;5,00\n")
        let noCustomer = try duly.run(["import", "invoices", unknown, "--mapping", mapping])
        #expect(noCustomer.status == 65)
        #expect(
            noCustomer.errors.contains("unknown.csv:3:2: Kundennr. → customer_id: no customer 'K9'"),
            "\(noCustomer.errors)")
        #expect(try invoices(duly).count == 2)
    }

    @Test func aBuiltInMappingIsChosenByName() throws {
        let duly = try initialised()
        let export = try duly.write(
            "xero.csv",
            "ContactName,EmailAddress,POCountry,InvoiceNumber,Reference,InvoiceDate,DueDate,Total,Currency\n"
                + "Acme Ltd,ap@acme.example,GB,INV-0001,PO 7,05/03/2026,04/04/2026,150.00,EUR\n")
        try #require(try duly.run(["import", "customers", export, "--mapping", "xero"]).status == 0)
        let imported = try duly.run(["import", "invoices", export, "--mapping", "xero"])
        try #require(imported.status == 0, "\(imported.errors)")
        #expect(try invoices(duly).map { $0["total"] as? String } == ["150.00"])
        let none = try duly.run(["import", "payments", export, "--mapping", "xero"])
        #expect(none.status == 66)
        #expect(none.errors.contains("no layout for payments"))
    }
}
