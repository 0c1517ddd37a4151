import DulyChannels
import DulyCore
import Foundation
import Testing

/// Issue 11, part 4: letters and PDFs print the EPC payment code of what they ask to be paid, for euro invoices.
@Suite("The payment code on letters")
struct LetterPaymentCodeTests {
    private typealias Fixtures = TemplateFixtures

    private static var senderWithIBAN: SenderIdentity {
        var sender = Fixtures.sender
        sender.iban = "DE89370400440532013000"
        sender.bic = "COBADEFFXXX"
        return sender
    }

    private func context(
        _ invoices: [InvoiceBalance], sender: SenderIdentity = senderWithIBAN, template: String = "final_notice"
    ) -> MessageContext {
        Fixtures.context(template: template, invoices: invoices, sender: sender)
    }

    @Test func aLetterForOneEuroInvoicePaysItsOpenAmountWithItsReference() throws {
        let printed = try #require(PrintedPaymentCode(for: context([Fixtures.overdue])))
        #expect(printed.amount == Fixtures.overdue.open)
        let expected = try EPCPayment(
            beneficiaryName: "Northwind Studio GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX",
            amount: Fixtures.overdue.open, remittance: .reference(Fixtures.overdue.invoice.paymentReference!))
        #expect(printed.code == QRCode(payment: expected))
    }

    @Test func severalInvoicesArePaidTogetherNamingEachInTheText() throws {
        let printed = try #require(PrintedPaymentCode(for: context([Fixtures.overdue, Fixtures.discounted])))
        #expect(printed.amount == Fixtures.overdue.open + Fixtures.discounted.open)
        let expected = try EPCPayment(
            beneficiaryName: "Northwind Studio GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX",
            amount: printed.amount, remittance: .text("INV-2026-009, INV-2026-014"))
        #expect(printed.code == QRCode(payment: expected))
    }

    @Test func noCodeWithoutAnIBANForAnotherCurrencyOrForTheTeam() {
        #expect(PrintedPaymentCode(for: context([Fixtures.overdue], sender: Fixtures.sender)) == nil)
        let pounds = InvoiceBalance(
            invoice: Invoice(
                number: "UK-1", customerID: "ACME", issueDate: Fixtures.day("2026-02-01"),
                dueDate: Fixtures.day("2026-03-01"), total: Money(minorUnits: 500_00, currency: Currency(code: "GBP")!))
        )
        #expect(PrintedPaymentCode(for: context([Fixtures.overdue, pounds])) == nil)
        var note = context([Fixtures.overdue], template: "manager_escalation")
        note.isInternal = true
        #expect(PrintedPaymentCode(for: note) == nil)
    }

    @Test(arguments: TemplateLanguage.allCases)
    func thePrintedLetterCarriesACodeABankingAppReads(language: TemplateLanguage) throws {
        // Given a final notice for one euro invoice, laid out as the letter printer lays it out
        let context = context([Fixtures.overdue])
        let rendered = try TemplateLibrary().render(template: "final_notice", language: language, context: context)
        let printed = try #require(PrintedPaymentCode(for: context))
        let letter = try LetterLayout.html(
            rendered: rendered, sender: context.sender, customer: Fixtures.customer, contact: Fixtures.contact,
            date: context.asOf, paymentCode: printed)

        // Then it says what scanning pays, in the letter's language
        let captions: [TemplateLanguage: String] = [
            .en: "Scan with your banking app to pay EUR\u{A0}3,000.00",
            .de: "Mit Ihrer Banking-App scannen, um 3.000,00\u{A0}EUR zu überweisen",
            .fr: "Scannez avec votre application bancaire pour régler 3\u{202F}000,00\u{A0}EUR",
            .nl: "Scan met uw bank-app om 3.000,00\u{A0}EUR te betalen",
        ]
        #expect(letter.contains("<p>\(captions[language]!)</p>"), "\(letter)")

        // And the page as Chromium draws it holds a code that reads back as the transfer
        let screenshot = try QRImageReader.screenshot(ofHTML: letter, width: 794, height: 1400)
        defer { try? FileManager.default.removeItem(at: screenshot) }
        let expected = try EPCPayment(
            beneficiaryName: "Northwind Studio GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX",
            amount: Fixtures.overdue.open, remittance: .reference(Fixtures.overdue.invoice.paymentReference!))
        #expect(try QRImageReader.read(imageAt: screenshot) == Array(expected.payload.utf8))
    }
}
