import DulyChannels
import DulyCore
import Testing

/// A consolidated message presents each invoice by its own state, not by the step that leads the message.
@Suite("Each invoice by its own state")
struct InvoiceRowStateTests {
    private func dueDayNotice(dueDates: [String], language: TemplateLanguage) throws -> RenderedMessage {
        let asOf = TemplateFixtures.day("2026-03-09")
        let invoices = dueDates.enumerated().map { index, due in
            InvoiceBalance(
                invoice: Invoice(
                    number: "INV-\(index + 1)", customerID: "ACME", issueDate: TemplateFixtures.day("2026-02-01"),
                    dueDate: TemplateFixtures.day(due), total: TemplateFixtures.euros(500_00), terms: .net(days: 30)))
        }
        let context = MessageContext(
            organisationName: "Northwind Studio", sender: TemplateFixtures.sender, customerName: "Acme Trading GmbH",
            customerReference: "ACME", contactName: "Anna Berger", stage: .preDue, stepID: "due_day_notice",
            asOf: asOf, invoices: invoices.map { InvoiceFacts($0, asOf: asOf) })
        return try TemplateLibrary().render(template: "due_day_notice", language: language, context: context)
    }

    @Test func aDueDayNoticeThatAlsoRemindsOfALaterInvoiceSaysWhenEachIsDue() throws {
        // Given a due-day notice covering INV-1 due today and INV-2 (its pre-due reminder) due on Friday
        let message = try dueDayNotice(dueDates: ["2026-03-09", "2026-03-13"], language: .en)

        // Then neither the subject nor the text says both are due today, and each row gives its own state
        #expect(message.subject == "2 invoices from Northwind Studio fall due today and in the coming days")
        #expect(!message.text.contains("today is the due date"))
        #expect(message.text.contains("due on 9 March 2026 (due today)"))
        #expect(message.text.contains("due on 13 March 2026 (due in 4 days)"))
    }

    @Test func aDueDayNoticeForInvoicesAllDueTodaySaysSo() throws {
        let message = try dueDayNotice(dueDates: ["2026-03-09", "2026-03-09"], language: .en)
        #expect(message.subject == "2 invoices from Northwind Studio are due today")
        #expect(message.text.contains("Just a reminder that today is the due date for the following:"))
    }

    @Test(arguments: [TemplateLanguage.de, .fr, .nl])
    func everyLanguageSaysWhenEachInvoiceOfADueDayNoticeIsDue(language: TemplateLanguage) throws {
        let mixed = try dueDayNotice(dueDates: ["2026-03-09", "2026-03-13"], language: language)
        let today = try dueDayNotice(dueDates: ["2026-03-09", "2026-03-09"], language: language)
        #expect(mixed.subject != today.subject)
        #expect(mixed.text.components(separatedBy: "(").count == today.text.components(separatedBy: "(").count)
        let later = ["de": "fällig in 4 Tagen", "fr": "échéance dans 4 jours", "nl": "vervalt over 4 dagen"]
        #expect(mixed.text.contains(later[language.rawValue]!), "\(mixed.text)")
    }
}
