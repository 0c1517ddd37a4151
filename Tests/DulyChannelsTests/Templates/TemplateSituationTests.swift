import DulyChannels
import DulyCore
import Testing

/// Every built-in message, in every language, presents its invoices in a state its step speaks to (issue 11, part
/// 1): no invoice not yet due under "we have not yet received payment", none overdue under "due soon".
@Suite("Each message for its moment")
struct TemplateSituationTests {
    typealias State = GoldenSituations.InvoiceState

    @Test(arguments: TemplateFixtures.builtInTemplates)
    func theGoldenSituationFitsTheStep(template: String) {
        let context = GoldenSituations.context(template: template)
        let spokenTo = GoldenSituations.statesSpokenTo(by: template)
        #expect(!context.invoices.isEmpty)
        for invoice in context.invoices {
            #expect(spokenTo.contains(State(invoice)), "\(template) presents \(invoice.number) \(State(invoice))")
        }
    }

    @Test(arguments: TemplateGoldenTests.cases)
    func noMessageCallsAnInvoiceByAStateItsStepDoesNotSpeakTo(template: String, language: TemplateLanguage) throws {
        // Given the template's situation
        let context = GoldenSituations.context(template: template)
        let spokenTo = GoldenSituations.statesSpokenTo(by: template)

        // When it is rendered in the language
        let message = try TemplateLibrary().render(template: template, language: language, context: context)

        // Then every invoice is named, and no state the step does not speak to
        // appears (the product's own words for an invoice's state: "due in 5 days", "12 days overdue")
        // (A missed instalment speaks of the plan's date and amount, not of the invoice.)
        for invoice in context.invoices where template != "instalment_missed" {
            #expect(message.text.contains(invoice.number))
        }
        let unspoken: [Int] =
            (spokenTo.contains(.notYetDue) ? [] : Array(-90 ... -1)) + (spokenTo.contains(.dueToday) ? [] : [0])
            + (spokenTo.contains(.overdue) ? [] : Array(1...120))
        for daysPastDue in unspoken {
            let status = language.dueStatus(daysPastDue: daysPastDue)
            #expect(!message.text.contains(status), "\(template) (\(language)) says '\(status)'")
            #expect(!message.html.contains(status), "\(template) (\(language)) says '\(status)' in HTML")
        }
    }

    @Test func theCheckCatchesAReminderBeforeTheDueDateListingAnOverdueInvoice() throws {
        // Given the pre-due reminder rendered for an overdue invoice, as every golden was before issue 11
        let context = TemplateFixtures.context(template: "pre_due_reminder", invoices: [TemplateFixtures.overdue])

        // Then the invoice's state is one the step does not speak to, and the message says it
        let invoice = try #require(context.invoices.first)
        #expect(!GoldenSituations.statesSpokenTo(by: "pre_due_reminder").contains(State(invoice)))
        let message = try TemplateLibrary().render(template: "pre_due_reminder", language: .en, context: context)
        #expect(message.text.contains(TemplateLanguage.en.dueStatus(daysPastDue: invoice.daysPastDue)))
    }
}
