import DulyChannels
import DulyCore
import Testing

@Suite("Message context and formats")
struct MessageContextTests {
    @Test(arguments: [
        (TemplateLanguage.en, "EUR\u{A0}1,234,567.89", "JPY\u{A0}1,250", "KWD\u{A0}1.250", "EUR\u{A0}-0.05"),
        (.de, "1.234.567,89\u{A0}EUR", "1.250\u{A0}JPY", "1,250\u{A0}KWD", "-0,05\u{A0}EUR"),
        (.fr, "1\u{202F}234\u{202F}567,89\u{A0}EUR", "1\u{202F}250\u{A0}JPY", "1,250\u{A0}KWD", "-0,05\u{A0}EUR"),
        (.nl, "1.234.567,89\u{A0}EUR", "1.250\u{A0}JPY", "1,250\u{A0}KWD", "-0,05\u{A0}EUR"),
    ])
    func amountsAreWrittenExactlyFromMinorUnits(
        language: TemplateLanguage, euros: String, yen: String, dinar: String, negative: String
    ) {
        #expect(language.format(Money(minorUnits: 123_456_789, currency: Currency(code: "EUR")!)) == euros)
        #expect(language.format(Money(minorUnits: 1_250, currency: Currency(code: "JPY")!)) == yen)
        #expect(language.format(Money(minorUnits: 1_250, currency: Currency(code: "KWD")!)) == dinar)
        #expect(language.format(Money(minorUnits: -5, currency: Currency(code: "EUR")!)) == negative)
    }

    @Test(arguments: [
        (TemplateLanguage.en, "1 March 2026", "1.5%"), (.de, "1. März 2026", "1,5\u{A0}%"),
        (.fr, "1er mars 2026", "1,5\u{202F}%"), (.nl, "1 maart 2026", "1,5%"),
    ])
    func datesAndPercentagesReadNaturally(language: TemplateLanguage, date: String, percent: String) {
        #expect(language.format(LocalDate(year: 2026, month: 3, day: 1)!) == date)
        #expect(language.formatPercent(basisPoints: 150) == percent)
    }

    @Test(arguments: [
        (TemplateLanguage.en, "payable within 30 days of the invoice date"),
        (.de, "zahlbar innerhalb von 30 Tagen ab Rechnungsdatum"),
        (.fr, "payable sous 30 jours à compter de la date de facture"),
        (.nl, "te betalen binnen 30 dagen na factuurdatum"),
    ])
    func termsAreWrittenInWords(language: TemplateLanguage, words: String) {
        #expect(language.words(for: .net(days: 30)) == words)
    }

    @Test func termsInWordsCoverEveryForm() {
        let english = TemplateLanguage.en
        #expect(english.words(for: .dueOnReceipt) == "payable on receipt of the invoice")
        #expect(english.words(for: .net(days: 1)) == "payable within 1 day of the invoice date")
        #expect(
            english.words(for: .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30))
                == "2% discount when paid within 10 days of the invoice date, otherwise payable in full within 30 days")
        #expect(english.words(for: .endOfMonth) == "payable by the last day of the invoice month")
        #expect(
            english.words(for: .netEndOfMonth(days: 15)) == "payable within 15 days after the end of the invoice month")
    }

    @Test func theContextTakesTheActionsInvoicesInItsOrder() {
        let context = TemplateFixtures.context(template: "first_follow_up")
        #expect(context.invoices.map(\.number) == ["INV-2026-009", "INV-2026-014"])
        #expect(context.customerName == "Acme Trading GmbH")
        #expect(context.contactName == "Anna Berger")
        #expect(context.stage == .delayed)
        #expect(context.totals == [TemplateFixtures.euros(4_250_00)])
        #expect(context.invoices[0].daysOverdue == 14)
        #expect(context.invoices[1].daysUntilDue == 22)
    }

    @Test func theEarlyPaymentSavingLastsUntilItsDeadline() {
        let onTheDeadline = InvoiceFacts(TemplateFixtures.discounted, asOf: TemplateFixtures.day("2026-03-12"))
        #expect(onTheDeadline.earlyPaymentSaving == TemplateFixtures.euros(25_00))
        #expect(onTheDeadline.earlyPaymentDeadline == TemplateFixtures.day("2026-03-12"))
        let dayAfter = InvoiceFacts(TemplateFixtures.discounted, asOf: TemplateFixtures.day("2026-03-13"))
        #expect(dayAfter.earlyPaymentSaving == nil)
        #expect(dayAfter.earlyPaymentDeadline == nil)
        let noDiscount = InvoiceFacts(TemplateFixtures.overdue, asOf: TemplateFixtures.day("2026-02-11"))
        #expect(noDiscount.earlyPaymentSaving == nil)
    }

    @Test func totalsAreKeptPerCurrency() throws {
        let dollars = InvoiceBalance(
            invoice: Invoice(
                number: "US-1", customerID: "ACME", issueDate: TemplateFixtures.day("2026-02-01"),
                dueDate: TemplateFixtures.day("2026-03-01"),
                total: Money(minorUnits: 99_50, currency: Currency(code: "USD")!)))
        let context = TemplateFixtures.context(
            template: "second_follow_up", invoices: [TemplateFixtures.overdue, dollars, TemplateFixtures.discounted])
        #expect(context.totals.map(\.description) == ["EUR 4250.00", "USD 99.50"])
        let message = try TemplateLibrary().render(template: "second_follow_up", language: .en, context: context)
        #expect(message.text.contains("Total open: EUR\u{A0}4,250.00 + USD\u{A0}99.50"))
        #expect(message.html.contains("<th align=\"right\">USD\u{A0}99.50</th>"))
    }

    @Test(arguments: [
        (TemplateLanguage.en, "Please quote the reference RF47 INV2 0260 14 with your payment"),
        (.de, "Bitte geben Sie bei der Zahlung die Referenz RF47 INV2 0260 14 an"),
        (.fr, "Merci d’indiquer la référence RF47 INV2 0260 14 avec votre paiement"),
        (.nl, "Vermeld bij uw betaling het betalingskenmerk RF47 INV2 0260 14"),
    ])
    func aMessageAboutOneInvoiceAsksForItsRFReference(language: TemplateLanguage, sentence: String) throws {
        let context = TemplateFixtures.context(template: "first_follow_up", invoices: [TemplateFixtures.discounted])
        let message = try TemplateLibrary().render(template: "first_follow_up", language: language, context: context)
        #expect(message.text.contains(sentence), "\(message.text)")
        #expect(message.html.contains("<strong>RF47 INV2 0260 14</strong>"))
    }

    @Test func anInvoiceWithoutAReferenceAsksForNone() throws {
        var invoice = TemplateFixtures.discounted
        invoice.invoice.paymentReference = nil
        let context = TemplateFixtures.context(template: "first_follow_up", invoices: [invoice])
        let message = try TemplateLibrary().render(template: "first_follow_up", language: .en, context: context)
        #expect(!message.text.contains("quote the reference") && !message.text.contains("RF47"))
    }

    @Test func everyFieldTheContextFillsIsOneATemplateMayUse() throws {
        // A template naming every documented field loads; one it misses would be caught by the checker.
        var library = TemplateLibrary()
        let lists: Set = ["invoices", "totals", "plan_instalments", "disputes", "contact_history"]
        func fields(_ names: [String]) -> String { names.map { "{{\($0)}}" }.joined(separator: " ") }
        func section(_ name: String, _ names: [String]) -> String { "{{#\(name)}}\(fields(names)){{/\(name)}}" }
        let sections: [String] = [
            fields(MessageContext.fieldNames.filter { !lists.contains($0) }),
            section("invoices", MessageContext.invoiceFieldNames),
            section("plan_instalments", MessageContext.instalmentFieldNames),
            section("disputes", MessageContext.disputeFieldNames),
            section("contact_history", MessageContext.contactAttemptFieldNames),
        ]
        let text = sections.joined()
        try library.override(template: "thank_you", language: .en, text: text)
        _ = try library.render(
            template: "thank_you", language: .en, context: TemplateFixtures.context(template: "thank_you"))
    }
}
