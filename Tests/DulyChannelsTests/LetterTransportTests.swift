import DulyChannels
import DulyCore
import Foundation
import Testing

@Suite("Letters")
struct LetterTransportTests {
    private func letter() -> OutgoingMessage {
        let rendered = RenderedMessage(
            subject: "Final notice: invoice NW-1012", text: "", html: "<html><body><p>Dear Markus,</p></body></html>",
            language: .en, template: "final_notice")
        let html = LetterLayout.html(
            rendered: rendered,
            sender: SenderIdentity(
                name: "Northwind Studio", fromAddress: "accounts@northwind.example", signature: "Sam",
                paymentInstructions: "IBAN NL91 ABNA 0417 1643 00", postalAddress: ["Prinsengracht 263", "Amsterdam"]),
            customer: Customer(id: "C006", name: "Keller & Partner", country: "DE", language: "en"),
            contact: Contact(role: .billing, name: "Markus Keller"), date: LocalDate(iso: "2026-03-09")!)
        return OutgoingMessage(
            actionID: 9, customerID: "C006", channel: .letter, messageID: "<k9@northwind.example>",
            sender: "accounts@northwind.example", recipients: ["Keller & Partner"], content: Array(html.utf8),
            suggestedFileName: "2026-03-09-C006-9.html")
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("duly-letters-\(UUID().uuidString)").path
    }

    @Test func aLetterIsPrintReadyHTMLWithTheAddressInTheWindowAndEscaped() {
        let html = String(decoding: letter().content, as: UTF8.self)
        #expect(html.contains("size: A4"))
        #expect(html.contains("top: 45mm; left: 20mm"))
        #expect(html.contains("Markus Keller<br>Keller &amp; Partner<br>DE"))
        #expect(html.contains("<p>Dear Markus,</p>"))
        #expect(!html.contains("<body><p>Dear"), "the template's own document is unwrapped into the letter")
    }

    @Test func aPDFIsMadeWhenAConverterIsInstalled() async throws {
        // CI installs Chromium; without any converter this test fails rather than pass vacuously.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        try #require(LetterTransport.converter(searchPath: path) != nil, "install chromium or weasyprint")
        let out = folder()
        try await LetterTransport(folder: out).send(letter()) {}
        let pdf = try #require(FileManager.default.contents(atPath: out + "/2026-03-09-C006-9.pdf"))
        #expect(pdf.prefix(5) == Data("%PDF-".utf8))
        #expect(FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.html"))
    }

    @Test func withoutAConverterTheHTMLLetterIsKept() async throws {
        let out = folder()
        try await LetterTransport(folder: out, searchPath: "/nonexistent").send(letter()) {}
        #expect(FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-03-09-C006-9.pdf"))
    }
}
