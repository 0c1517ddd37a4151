import DulyChannels
import DulyCore
import DulyStore
import Foundation
import Testing

/// Issue 9, items 8, 13 and 15: how to pay, "call us", the portal, French elision, letters' closings, and notes to
/// the team in the team's language.
@Suite("How to pay, whom to call, and the words around names")
struct SenderWordingTests {
    private typealias Fixtures = TemplateFixtures

    private func render(
        _ template: String, _ language: TemplateLanguage, sender: SenderIdentity = Fixtures.sender,
        organisation: Organisation = Fixtures.organisation, contact: Contact? = Fixtures.contact,
        invoices: [InvoiceBalance]? = nil
    ) throws -> RenderedMessage {
        var customer = Fixtures.customer
        customer.language = language.rawValue
        let context = Fixtures.context(
            template: template, customer: customer, contact: contact, invoices: invoices, sender: sender,
            organisation: organisation)
        return try TemplateLibrary(playbook: Fixtures.playbook).render(
            template: template, language: language, context: context)
    }

    private static let reminders = ["pre_due_reminder", "due_day_notice", "first_follow_up", "second_follow_up"]

    // MARK: - How to pay

    @Test(arguments: TemplateLanguage.allCases)
    func withoutPaymentInstructionsNoEmptyHowToPayHeadingIsPrinted(language: TemplateLanguage) throws {
        var sender = Fixtures.sender
        sender.paymentInstructions = ""
        let headings: [TemplateLanguage: String] = [
            .en: "How to pay", .de: "So können Sie zahlen", .fr: "Comment régler", .nl: "Zo kunt u betalen",
        ]
        let heading = try #require(headings[language])
        for template in Self.reminders {
            let message = try render(template, language, sender: sender)
            #expect(!message.text.contains(heading), "\(template) in \(language)")
            #expect(!message.html.contains(heading), "\(template) in \(language)")
            #expect(!message.text.contains("\n\n\n"), "no hole where the block was")
            let withInstructions = try render(template, language)
            #expect(withInstructions.text.contains(heading), "\(template) in \(language) with instructions")
        }
    }

    @Test func aMessageUsesTheClientsLanguagesInstructionsAndNeverAMix() throws {
        var sender = Fixtures.sender
        sender.paymentInstructions = "Bitte überweisen Sie auf IBAN DE89 3704 0044 0532 0130 00."
        sender.translatedPaymentInstructions = ["en": "Please transfer to IBAN DE89 3704 0044 0532 0130 00."]
        let english = try render("first_follow_up", .en, sender: sender)
        #expect(english.text.contains("Please transfer to IBAN"))
        #expect(!english.text.contains("Bitte überweisen"))
        // No French text: the organisation's own, whole.
        let french = try render("first_follow_up", .fr, sender: sender)
        #expect(french.text.contains("Bitte überweisen Sie auf IBAN"))
        #expect(!french.text.contains("Please transfer"))
    }

    @Test(arguments: TemplateLanguage.allCases)
    func callUsIsPrintedOnlyWithThePhoneNumber(language: TemplateLanguage) throws {
        let words: [TemplateLanguage: String] = [
            .en: "call us", .de: "rufen Sie uns", .fr: "appelez-nous", .nl: "bel ons",
        ]
        let call = try #require(words[language])
        for template in ["solution_offer", "settlement_offer"] {
            var withoutPhone = Fixtures.sender
            withoutPhone.phone = nil
            let silent = try render(template, language, sender: withoutPhone, invoices: [Fixtures.overdue])
            #expect(!silent.text.contains(call), "\(template) in \(language) without a phone")
            var sender = Fixtures.sender
            sender.phone = "+49 30 1234567"
            let spoken = try render(template, language, sender: sender, invoices: [Fixtures.overdue])
            if template == "solution_offer" {
                #expect(spoken.text.contains(call), "\(template) in \(language)")
                #expect(spoken.text.contains("+49 30 1234567"))
            }
        }
    }

    @Test func everyReminderLeadsToTheClientsPortalWithALinkAndNoMessageMentionsOneWithout() throws {
        let library = TemplateLibrary(playbook: Fixtures.playbook)
        for language in TemplateLanguage.allCases {
            for template in Fixtures.builtInTemplates where template != "manager_escalation" {
                var customer = Fixtures.customer
                customer.language = language.rawValue
                var context = Fixtures.context(template: template, customer: customer)
                let linked = try library.render(template: template, language: language, context: context)
                if Self.reminders.contains(template) {
                    #expect(linked.text.contains(Fixtures.portalLink), "\(template) in \(language)")
                    #expect(linked.html.contains(HTML.escape(Fixtures.portalLink)), "\(template) in \(language)")
                }
                context.portalLink = nil
                let bare = try library.render(template: template, language: language, context: context)
                for word in ["/p/", "portal", "Portal", "portail", "portaal", MessageContext.portalLinkPlaceholder] {
                    #expect(!bare.text.contains(word), "\(template) in \(language)")
                    #expect(!bare.html.contains(word), "\(template) in \(language)")
                }
            }
        }
    }

    // MARK: - Words around names

    @Test func frenchElidesDeBeforeAVowel() throws {
        var organisation = Fixtures.organisation
        organisation.name = "Odd Co"
        let reminder = try render("pre_due_reminder", .fr, organisation: organisation)
        #expect(reminder.text.contains("Un petit message amical d’Odd Co,"))
        #expect(!reminder.text.contains("de Odd Co"))
        #expect(try render("pre_due_reminder", .fr).text.contains("Un petit message amical de Northwind Studio,"))
        organisation.name = "Émile & Fils"
        #expect(try render("pre_due_reminder", .fr, organisation: organisation).subject.contains("d’Émile & Fils"))
    }

    @Test func anEnglishLetterToANamedPersonClosesYoursSincerely() throws {
        let contact = Contact(role: .billing, name: "Tom Baker")
        let named = try render("final_notice", .en, contact: contact)
        #expect(named.text.contains("Dear Tom Baker,"))
        #expect(named.text.contains("Yours sincerely,"))
        #expect(!named.text.contains("Yours faithfully"))
        let unnamed = try render("final_notice", .en, contact: nil)
        #expect(unnamed.text.contains("Dear Sir or Madam,"))
        #expect(unnamed.text.contains("Yours faithfully,"))
        #expect(!unnamed.text.contains("Yours sincerely"))
    }

    @Test func aLettersSalutationUsesTheTitleTheBooksGive() throws {
        var customer = Fixtures.customer
        customer.language = "en"
        customer.title = "Dr"
        let context = Fixtures.context(
            template: "final_notice", customer: customer, contact: Contact(role: .billing, name: "Tom Baker"))
        let letter = try TemplateLibrary(playbook: Fixtures.playbook).render(
            template: "final_notice", language: .en, context: context)
        #expect(letter.text.contains("Dear Dr Tom Baker,"))
    }

    @Test(arguments: TemplateLanguage.allCases)
    func aLetterLeavesTheHeadAndTitleToTheLayout(language: TemplateLanguage) throws {
        // The fixture's final notice is the standard playbook's letter: the layout prints sender, date and title.
        let letter = try render("final_notice", language)
        #expect(!letter.text.contains("Lindenstraße 5"))
        #expect(!letter.text.contains(language.format(Fixtures.asOf)))
    }

    // MARK: - Notes to the team

    @Test func theManagersNoteIsInTheOrganisationsLanguageWhateverTheClientReads() throws {
        var organisation = Fixtures.organisation
        organisation.language = "de"
        var customer = Fixtures.customer
        customer.language = "fr"
        let composer = TemplateComposer(
            library: TemplateLibrary(playbook: Fixtures.playbook), organisation: organisation,
            sender: Fixtures.sender, dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", playbook: Fixtures.playbook)
        let action = PlannedAction(
            customerID: customer.id, date: Fixtures.asOf, channel: .email, stage: .nonPayment,
            stepID: "manager_escalation", template: "manager_escalation", requiresApproval: false,
            escalatesTo: .manager, steps: [InvoiceStep(invoiceNumber: "INV-2026-009", stepID: "manager_escalation")],
            status: .planned, idempotencyKey: "key")
        let account = Account(customer: customer, contacts: [Fixtures.contact], invoices: [Fixtures.overdue])
        let message = try #require(
            try composer.compose(
                DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil), account: account,
                messageID: "<note@northwind.example>", threadParent: nil, on: Fixtures.asOf))
        let subject = Self.subject(of: String(decoding: message.content, as: UTF8.self))
        #expect(subject.hasPrefix("Zur Entscheidung: Acme Trading GmbH"), "\(subject)")
    }

    /// The Subject header with its encoded words (RFC 2047, base64) decoded.
    private static func subject(of content: String) -> String {
        let header = content.components(separatedBy: "\r\n\r\n")[0]
        var value = ""
        var inSubject = false
        for line in header.components(separatedBy: "\r\n") {
            if line.hasPrefix("Subject: ") {
                inSubject = true
                value = String(line.dropFirst(9))
            } else if inSubject, line.first == " " || line.first == "\t" {
                value += line
            } else {
                inSubject = false
            }
        }
        // Adjacent encoded words join without the folding space between them; a plain subject stays as it is.
        guard value.contains("=?UTF-8?") else { return value }
        return value.split(separator: " ").map { word -> String in
            guard word.hasSuffix("?="), word.count > 12 else { return String(word) }
            let body = String(word.dropFirst(10).dropLast(2))
            if word.hasPrefix("=?UTF-8?B?") {
                return Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? String(word)
            }
            guard word.hasPrefix("=?UTF-8?Q?") else { return String(word) }
            var bytes: [UInt8] = []
            var characters = Array(body.utf8)[...]
            while let first = characters.popFirst() {
                if first == UInt8(ascii: "_") {
                    bytes.append(UInt8(ascii: " "))
                } else if first == UInt8(ascii: "="), characters.count >= 2,
                    let byte = UInt8(String(decoding: characters.prefix(2), as: UTF8.self), radix: 16)
                {
                    bytes.append(byte)
                    characters = characters.dropFirst(2)
                } else {
                    bytes.append(first)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }.joined()
    }
}

/// Issue 9, item 5: a letter composed for delivery carries its head once, from the layout.
@Suite("Letters composed for delivery")
struct ComposedLetterTests {
    private typealias Fixtures = TemplateFixtures

    private func compose(customer: Customer) throws -> String? {
        let composer = TemplateComposer(
            library: TemplateLibrary(playbook: Fixtures.playbook), organisation: Fixtures.organisation,
            sender: Fixtures.sender, dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", playbook: Fixtures.playbook)
        let action = PlannedAction(
            customerID: customer.id, date: Fixtures.asOf, channel: .letter, stage: .nonPayment,
            stepID: "final_notice", template: "final_notice", requiresApproval: true, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-2026-009", stepID: "final_notice")], status: .approved,
            idempotencyKey: "key")
        let account = Account(customer: customer, contacts: [Fixtures.contact], invoices: [Fixtures.overdue])
        return try composer.compose(
            DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil), account: account,
            messageID: "<letter@northwind.example>", threadParent: nil, on: Fixtures.asOf
        ).map { String(decoding: $0.content, as: UTF8.self) }
    }

    @Test func aLetterPrintsTheSenderTheRecipientTheDateAndTheTitleOnceEach() throws {
        let letter = try #require(try compose(customer: Fixtures.customer))
        func count(_ text: String) -> Int { letter.components(separatedBy: text).count - 1 }
        #expect(count("Lindenstraße 5") == 2, "the sender block and the return line above the window")
        #expect(count("Hafenweg 3") == 1)
        #expect(count("10. März 2026") == 1)
        #expect(!letter.contains("2026-03-10"), "one date format")
        #expect(count("<h1>Letzte Mahnung") == 1)
        #expect(!letter.contains("<strong>Letzte Mahnung"))
    }

    @Test func aLetterToACustomerWithoutAnAddressIsRefusedCleanly() {
        var customer = Fixtures.customer
        customer.address = nil
        #expect(throws: LetterError.noPostalAddress(customerID: "ACME")) { try compose(customer: customer) }
    }
}
