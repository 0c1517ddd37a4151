import DulyChannels
import DulyCore
import Testing

/// The tone guard on inflected words, on the way forward every client message must offer, and on messages as they
/// are written out with the organisation's own values filled in.
@Suite("Tone guard: inflections, a way forward, values filled in")
struct ToneGuardFilledInTests {
    private static func errors(_ text: String, stage: Stage, part: TemplatePart = .text) -> [ToneFinding] {
        ToneGuard.check(text, at: TemplateLocation(template: "probe", language: "en", part: part), stage: stage)
            .filter { $0.severity == .error }
    }

    // MARK: - Inflections

    /// Each threat written in a form the lists do not spell out.
    static let inflectedThreats: [(String, ToneFinding.Rule)] = [
        ("We are considering legal actions.", .legalEscalation),
        ("You have been ignoring our reminders.", .blame),
        ("Wir prüfen rechtlicher Schritte.", .legalEscalation),
        ("Wir melden Sie bei Auskunfteien.", .ultimatum),
        ("Nous n’avons pas d’autres choix.", .ultimatum),
        ("Vous avez ignorée notre relance.", .blame),
        ("Er volgen gerechtelijke procedures.", .legalEscalation),
        ("U heeft onze herinnering genegeerde.", .blame),
    ]

    @Test(arguments: inflectedThreats)
    func aThreatIsFoundInAnyInflectionOfItsWords(phrase: String, rule: ToneFinding.Rule) {
        #expect(Self.errors(phrase, stage: .delayed).map(\.rule).contains(rule), "\(phrase)")
    }

    @Test(arguments: [
        "We will proceed as you asked.",
        "You can fail-safe this by paying early.",
        "Sie haben das Recht, die Rechnung zu prüfen.",
        "U heeft het recht om de factuur te laten controleren.",
        "Nous vous laissons un délai.",
    ])
    func aWordThatOnlySharesAStemWithAThreatIsNone(text: String) {
        #expect(Self.errors(text, stage: .preDue).isEmpty, "\(text)")
    }

    // MARK: - A way forward

    /// A client message in each language with no invitation to answer, and the same with one.
    static let withoutAndWith: [(TemplateLanguage, String, String)] = [
        (
            .en, "Dear {{greeting_name}},\n\nINV-1 is open.\n",
            "Dear {{greeting_name}},\n\nINV-1 is open. Let us know.\n"
        ),
        (
            .de, "Guten Tag,\n\nRechnung INV-1 ist offen.\n",
            "Guten Tag,\n\nRechnung INV-1 ist offen. Rufen Sie uns an.\n"
        ),
        (
            .fr, "Bonjour,\n\nLa facture INV-1 est ouverte.\n",
            "Bonjour,\n\nLa facture INV-1 est ouverte. Contactez-nous.\n"
        ),
        (
            .nl, "Beste,\n\nFactuur INV-1 staat open.\n",
            "Beste,\n\nFactuur INV-1 staat open. Neem contact met ons op.\n"
        ),
    ]

    @Test(arguments: withoutAndWith)
    func aClientMessageWithNoWayForwardIsRefusedInEveryLanguage(
        language: TemplateLanguage, without: String, with: String
    ) throws {
        var library = TemplateLibrary()
        #expect {
            try library.override(template: "first_follow_up", language: language, text: without)
        } throws: { error in
            guard case .tone(let findings) = error as? TemplateError else { return false }
            return findings.map(\.rule) == [.noWayForward]
                && findings.first?.description
                    == "error: first_follow_up (\(language.rawValue), text), the message leaves the client no way "
                    + "forward; invite a reply, give the phone number or the portal link, or offer a plan"
        }
        try library.override(template: "first_follow_up", language: language, text: with)
    }

    @Test func aFieldThatGivesAWayToAnswerIsAWayForward() throws {
        var library = TemplateLibrary()
        try library.override(template: "first_follow_up", language: .en, text: "INV-1 is open: {{reply_to}}\n")
        try library.override(template: "thank_you", language: .en, text: "Thanks. {{portal_link}}\n")
    }

    @Test func theTeamsNotesAndCallScriptsNeedNoWayForward() throws {
        var library = TemplateLibrary()
        #expect(!library.speaksToClient("manager_escalation"))
        #expect(!library.speaksToClient("call_offer_plan"))
        #expect(library.speaksToClient("first_follow_up"))
        try library.override(template: "manager_escalation", language: .en, text: "Account ACME is overdue.\n")
        try library.override(template: "call_offer_plan", language: .en, text: "Ask about INV-1.\n")
    }

    @Test func aWayForwardOnlyInsideASectionThatIsNotShownIsFoundWhenTheMessageIsWrittenOut() throws {
        // Given a template whose only invitation is in the part for invoices without a disputed part
        var library = TemplateLibrary()
        try library.override(
            template: "first_follow_up", language: .en,
            text: "INV-1 is open.{{^has_disputed_part}} Tell us if it is wrong.{{/has_disputed_part}}\n")
        var context = TemplateFixtures.context(template: "first_follow_up")

        // When it is written out for invoices with a disputed part, the message has no way forward
        context.invoices[0].disputed = TemplateFixtures.euros(10_00)
        #expect {
            try library.render(template: "first_follow_up", language: .en, context: context)
        } throws: { error in
            guard case .tone(let findings) = error as? TemplateError else { return false }
            return findings.map(\.rule) == [.noWayForward] && findings.allSatisfy(\.asFilledIn)
        }
    }

    // MARK: - Values filled in

    @Test func aThreatInTheSignatureIsFoundInTheMessageAsWrittenOut() throws {
        // Given a signature that threatens
        var sender = TemplateFixtures.sender
        sender.signature = "Mara Lind\nP.S. Unpaid accounts go to our lawyers."
        let context = TemplateFixtures.context(template: "first_follow_up", sender: sender)

        // When a first follow-up is written, it is refused, naming the line of the message and the phrase
        #expect {
            try TemplateLibrary().render(template: "first_follow_up", language: .en, context: context)
        } throws: { error in
            guard case .tone(let findings) = error as? TemplateError, let first = findings.first else { return false }
            return first.asFilledIn && first.phrase == "lawyers" && first.rule == .legalEscalation
                && first.description.hasPrefix("error: first_follow_up (en, text) as filled in, line ")
        }
    }

    @Test func aThreatInThePaymentInstructionsOrACollectorsNoteIsRefusedToo() throws {
        var sender = TemplateFixtures.sender
        sender.paymentInstructions = "IBAN DE89 3704 0044 0532 0130 00. Sonst folgt das Mahnverfahren."
        let instructions = TemplateFixtures.context(template: "first_follow_up", sender: sender)
        #expect(throws: TemplateError.self) {
            try TemplateLibrary().render(template: "first_follow_up", language: .de, context: instructions)
        }
        var note = TemplateFixtures.context(template: "dispute_rejected")
        note.disputes = [DisputeFacts(TemplateFixtures.dispute, note: "You ignored our delivery note.")]
        #expect(throws: TemplateError.self) {
            try TemplateLibrary().render(template: "dispute_rejected", language: .en, context: note)
        }
    }

    @Test func theClientsOwnNameAndWordsAreNotHeldAgainstUs() throws {
        // Given a client called "Court Lane Lawyers Ltd" whose dispute reason speaks of a bailiff
        var customer = TemplateFixtures.customer
        customer.name = "Court Lane Lawyers Ltd"
        var dispute = TemplateFixtures.dispute
        dispute.reason = "Your bailiff letter was wrong."
        var context = TemplateFixtures.context(template: "dispute_rejected", customer: customer, contact: nil)
        context.disputes = [DisputeFacts(dispute, note: "The delivery note is signed.")]

        // When the dispute answer is written out in every language, it goes
        for language in TemplateLanguage.allCases {
            let message = try TemplateLibrary().render(
                template: "dispute_rejected", language: language, context: context)
            #expect(message.text.contains("Court Lane Lawyers Ltd"))
        }
    }

    @Test func theOrganisationsOwnNameIsANameNotAThreat() throws {
        // Given a law firm chasing its own invoices, its name in the signature and the address
        var sender = TemplateFixtures.sender
        sender.name = "Court Lane Solicitors Accounts"
        sender.signature = "Mara Lind\nCourt Lane Solicitors LLP"
        sender.postalAddress = ["Court Lane Solicitors LLP", "1 Court Lane", "London EC4A 1AA"]
        var context = TemplateFixtures.context(template: "first_follow_up", sender: sender)
        context.organisationName = "Court Lane Solicitors LLP"

        // When a first follow-up is written out in English, it goes
        let message = try TemplateLibrary().render(template: "first_follow_up", language: .en, context: context)
        #expect(message.text.contains("Court Lane Solicitors LLP"))
    }

    @Test func aThankYouWithoutAPaymentOnRecordClaimsNoAmount() throws {
        // An invoice closed with no receipt known (a credit note, say): the thank-you names no sum and no day.
        let context = TemplateFixtures.context(template: "thank_you")
        #expect(context.received == nil)
        let message = try TemplateLibrary().render(template: "thank_you", language: .en, context: context)
        #expect(message.text.contains("we have received your payment"), "\(message.text)")
        #expect(!message.text.contains("payment of"))
    }
}
