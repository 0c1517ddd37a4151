import DulyChannels
import DulyCore
import Testing

/// The Pay button: every message to the client about an invoice with a payment link shows it, in every language,
/// and nothing shows without one. One rule per test.
@Suite struct PaymentLinkMessageTests {
    static let link = "https://pay.example/inv-2026-014?ref=RF47&amount=1250.00"

    static var linked: InvoiceBalance {
        var balance = TemplateFixtures.discounted
        balance.invoice.paymentURL = link
        return balance
    }

    @Test(arguments: [
        (TemplateLanguage.en, "Pay now: "), (.de, "Jetzt bezahlen: "), (.fr, "Payer maintenant\u{202F}: "),
        (.nl, "Nu betalen: "),
    ])
    func aMessageAboutAnInvoiceWithAPaymentLinkShowsThePayButton(language: TemplateLanguage, line: String) throws {
        let context = TemplateFixtures.context(template: "first_follow_up", invoices: [Self.linked])
        let message = try TemplateLibrary().render(template: "first_follow_up", language: language, context: context)
        #expect(message.text.contains(line + Self.link), "\(message.text)")
        #expect(message.html.contains("<a href=\"https://pay.example/inv-2026-014?ref=RF47&amp;amount=1250.00\""))
    }

    @Test(arguments: TemplateLanguage.allCases)
    func aMessageAboutAnInvoiceWithoutAPaymentLinkShowsNoPayButton(language: TemplateLanguage) throws {
        let context = TemplateFixtures.context(template: "first_follow_up", invoices: [TemplateFixtures.discounted])
        let message = try TemplateLibrary().render(template: "first_follow_up", language: language, context: context)
        #expect(!message.text.contains("pay.example") && !message.html.contains("pay.example"))
        for words in ["Pay now", "Jetzt bezahlen", "Payer maintenant", "Nu betalen"] {
            #expect(!message.text.contains(words) && !message.html.contains(words))
        }
    }

    @Test func aMessageAboutSeveralInvoicesLinksEachInvoiceThatHasALink() throws {
        let context = TemplateFixtures.context(
            template: "first_follow_up", invoices: [TemplateFixtures.overdue, Self.linked])
        let message = try TemplateLibrary().render(template: "first_follow_up", language: .en, context: context)
        #expect(message.text.contains("Pay now:\n- INV-2026-014: \(Self.link)\n"), "\(message.text)")
        #expect(!message.text.contains("- INV-2026-009: https"))
        #expect(message.html.contains(">Pay invoice INV-2026-014 now</a>"))
        #expect(!message.html.contains("Pay invoice INV-2026-009"))
    }

    @Test func theManagersNoteShowsNoPayButton() throws {
        let context = TemplateFixtures.context(template: "manager_escalation", invoices: [Self.linked])
        let message = try TemplateLibrary().render(template: "manager_escalation", language: .en, context: context)
        #expect(!message.text.contains(Self.link) && !message.html.contains("pay.example"))
    }
}
