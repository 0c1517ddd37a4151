import DulyChannels
import DulyCore
import Foundation
import Testing

@Suite("Letters")
struct LetterTransportTests {
    private static let sender = SenderIdentity(
        name: "Northwind Studio", fromAddress: "accounts@northwind.example", signature: "Sam",
        paymentInstructions: "IBAN NL91 ABNA 0417 1643 00", postalAddress: ["Prinsengracht 263", "Amsterdam"])
    private static let keller = Customer(
        id: "C006", name: "Keller & Partner", country: "DE", language: "en",
        address: PostalAddress(line1: "Hafenstraße 12", postalCode: "20457", city: "Hamburg"))

    private func layout(
        _ customer: Customer = keller, language: TemplateLanguage = .en, organisationCountry: String = "NL"
    ) throws -> String {
        let rendered = RenderedMessage(
            subject: "Final notice: invoice NW-1012", text: "", html: "<html><body><p>Dear Markus,</p></body></html>",
            language: language, template: "final_notice")
        return try LetterLayout.html(
            rendered: rendered, sender: Self.sender, customer: customer,
            contact: Contact(role: .billing, name: "Markus Keller"), date: LocalDate(iso: "2026-03-09")!,
            organisationCountry: organisationCountry)
    }

    private func letter() throws -> OutgoingMessage {
        let html = try layout()
        return OutgoingMessage(
            actionID: 9, customerID: "C006", channel: .letter, messageID: "<k9@northwind.example>",
            sender: "accounts@northwind.example", recipients: ["Keller & Partner"], content: Array(html.utf8),
            suggestedFileName: "2026-03-09-C006-9.html")
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("duly-letters-\(UUID().uuidString)").path
    }

    @Test func aLetterIsPrintReadyHTMLWithTheAddressInTheWindowAndEscaped() throws {
        let html = String(decoding: try letter().content, as: UTF8.self)
        #expect(html.contains("size: A4"))
        #expect(html.contains("top: 45mm; left: 20mm"))
        #expect(html.contains("Markus Keller<br>Keller &amp; Partner<br>Hafenstraße 12<br>20457 Hamburg<br>GERMANY"))
        #expect(html.contains("<p>Dear Markus,</p>"))
        #expect(!html.contains("<body><p>Dear"), "the template's own document is unwrapped into the letter")
    }

    @Test func aPDFIsMadeWhenAConverterIsInstalled() async throws {
        // CI installs Chromium; without any converter this test fails rather than pass vacuously.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        try #require(LetterTransport.converter(searchPath: path) != nil, "install chromium or weasyprint")
        let out = folder()
        try await LetterTransport(folder: out).send(try letter()) {}
        let pdf = try #require(FileManager.default.contents(atPath: out + "/2026-03-09-C006-9.pdf"))
        #expect(pdf.prefix(5) == Data("%PDF-".utf8))
        #expect(FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.html"))
    }

    @Test func withoutAConverterTheHTMLLetterIsKept() async throws {
        let out = folder()
        try await LetterTransport(folder: out, searchPath: "/nonexistent").send(try letter()) {}
        #expect(FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.pdf"))
    }

    @Test func theDateIsTheLettersLanguageLongDatePrintedOnce() throws {
        let html = try layout(language: .fr)
        #expect(html.contains("<div class=\"date\">9 mars 2026</div>"))
        #expect(!html.contains("2026-03-09"))
        #expect(html.components(separatedBy: "Final notice: invoice NW-1012").count == 3, "the title and the <title>")
    }

    @Test func aLetterAtHomeLeavesTheCountryOutAndOneAbroadNamesItInTheLettersLanguage() throws {
        #expect(!(try layout(organisationCountry: "DE")).contains("GERMANY"))
        #expect(try layout(language: .fr).contains("20457 Hamburg<br>ALLEMAGNE"))
    }

    @Test func aBritishAddressPutsTheTownAboveThePostcode() throws {
        var customer = Self.keller
        customer.country = "GB"
        customer.address = PostalAddress(line1: "14 Mill Lane", postalCode: "LS1 4AB", city: "Leeds")
        #expect(try layout(customer).contains("14 Mill Lane<br>LEEDS<br>LS1 4AB<br>UNITED KINGDOM"))
    }

    @Test func aCustomerWithoutAnAddressIsRefusedWithTheFix() {
        var customer = Self.keller
        customer.address = nil
        #expect(throws: LetterError.noPostalAddress(customerID: "C006")) { try layout(customer) }
        #expect("\(LetterError.noPostalAddress(customerID: "C006"))".contains("import it again"))
    }
}
