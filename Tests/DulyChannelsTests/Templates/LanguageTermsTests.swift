import DulyChannels
import DulyCore
import Testing

/// The terms and grammar a careful credit controller writing in each language uses (issue 11, parts 2 and 3), pinned
/// one rule at a time on the built-in templates rendered in their own situations (`GoldenSituations`).
@Suite("The right words in each language")
struct LanguageTermsTests {
    private typealias F = TemplateFixtures
    private typealias G = GoldenSituations

    private func render(
        _ template: String, _ language: TemplateLanguage, _ context: MessageContext? = nil
    ) throws -> RenderedMessage {
        try TemplateLibrary().render(
            template: template, language: language, context: context ?? G.context(template: template))
    }

    /// Every built-in, rendered in its situation in one language: text and HTML.
    private func everyMessage(in language: TemplateLanguage) throws -> [(String, RenderedMessage)] {
        try F.builtInTemplates.map { ($0, try render($0, language)) }
    }

    /// The final notice for the golden situation with a client whose contact has `title` and `name`.
    private func finalNotice(
        _ language: TemplateLanguage, title: String?, name: String?, interest: InterestFigures? = nil
    ) throws -> RenderedMessage {
        var customer = G.customer
        customer.title = title
        let (day, invoices) = G.situation(of: "final_notice")
        let context = F.context(
            template: "final_notice", customer: customer,
            contact: name.map { Contact(role: .billing, name: $0, email: "a@acme.example") }, invoices: invoices,
            asOf: F.day(day), interest: interest, sender: G.sender)
        return try render("final_notice", language, context)
    }

    private func figures(regime: InterestRegime, contractual: Bool = false) -> InterestFigures {
        let (day, invoices) = G.situation(of: "final_notice")
        let settings = InterestSettings(
            regime: regime, rates: .builtIn, contractualRate: contractual ? AnnualRate(millionths: 80_000) : nil)
        return settings.figures(for: invoices, on: F.day(day))!
    }

    // MARK: - German

    @Test func germanCallsAnOverdueInvoiceÜberfälligNeverFälligAlone() throws {
        for (template, message) in try everyMessage(in: .de) where G.statesSpokenTo(by: template) == [.overdue] {
            // (The plan messages speak of the instalments, not of the invoice's state.)
            if !template.hasPrefix("instalment_") {
                #expect(message.text.contains("Tagen überfällig)"), "\(template)")
            }
            #expect(!message.text.contains("Tagen fällig"), "\(template)")
        }
    }

    @Test func germanStatesTheCompensationAsVerzugspauschaleWithItsParagraph() throws {
        let message = try finalNotice(.de, title: "Frau", name: "Anna Berger", interest: figures(regime: .germany))
        #expect(message.text.contains("Verzugspauschale (§ 288 Abs. 5 BGB): 80,00\u{A0}EUR"))
        #expect(message.text.contains("Nach § 288 Abs. 2 BGB schulden Sie auf die überfälligen Beträge"))
        #expect(!message.text.contains("Beitreibungskosten"))
    }

    @Test func germanAsksToRegardAMessageAsGegenstandslosNeverErledigt() throws {
        let messages = try everyMessage(in: .de)
        #expect(messages.contains { $0.1.text.contains("als gegenstandslos") })
        for (template, message) in messages {
            #expect(!message.text.contains("als erledigt"), "\(template)")
        }
    }

    @Test(
        arguments: [
            ("Frau", "Anna Berger", "Sehr geehrte Frau Berger,"),
            ("Herr Dr.", "Tom Baker", "Sehr geehrter Herr Dr. Baker,"),
            (nil, "Anna Berger", "Guten Tag Anna Berger,"),
            ("Dr.", "Anna Berger", "Guten Tag Dr. Anna Berger,"),
        ] as [(String?, String, String)])
    func aGermanLetterOpensWithTheSalutationTheTitleGives(title: String?, name: String, opening: String) throws {
        let message = try finalNotice(.de, title: title, name: name)
        #expect(message.text.hasPrefix(opening + "\n"), "\(message.text.prefix(60))")
    }

    @Test func aGermanLetterToNoNamedPersonOpensSehrGeehrteDamenUndHerren() throws {
        let message = try finalNotice(.de, title: nil, name: nil)
        #expect(message.text.hasPrefix("Sehr geehrte Damen und Herren,\n"))
    }

    // MARK: - French

    @Test func frenchSetsANoBreakSpaceBeforeEveryColonSemicolonQuestionAndExclamationMark() throws {
        for (template, message) in try everyMessage(in: .fr) {
            // Outside the HTML tags (the CSS has its own colons).
            let html = message.html.replacing(/<[^>]*>/, with: "")
            for part in [message.subject, message.text, html] {
                for match in part.matches(of: /(.)([:;?!])(?=\s|$)/) {
                    #expect(
                        match.1 == "\u{202F}" || match.1 == "\u{A0}",
                        "\(template): '\(match.0)' in '\(part.prefix(80))…'")
                }
            }
        }
    }

    @Test func frenchClaimsPénalitésDeRetardAndTheIndemnitéWithTheirArticles() throws {
        let message = try finalNotice(.fr, title: "Mme", name: "Claire Martin", interest: figures(regime: .france))
        #expect(
            message.text.contains("En application de l’article L441-10 du Code de commerce, des pénalités de retard"))
        #expect(
            message.text.contains(
                "Indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce)\u{202F}:"))
        #expect(message.text.hasPrefix("Madame,\n"))
        #expect(message.text.contains("Veuillez agréer, Madame, nos salutations distinguées."))
        for (template, message) in try everyMessage(in: .fr) {
            #expect(!message.text.contains("intérêts légaux"), "\(template)")
            #expect(!message.text.contains("intérêts de retard"), "\(template)")
        }
    }

    @Test func frenchAgreesLaFactureAndLesFacturesWithHowManyThereAre() throws {
        let several = try render("final_notice", .fr)
        #expect(several.text.contains("les factures suivantes restent impayées"))
        let (day, invoices) = G.situation(of: "final_notice")
        let one = try render(
            "final_notice", .fr,
            F.context(template: "final_notice", invoices: [invoices[0]], asOf: F.day(day), sender: G.sender))
        #expect(one.text.contains("la facture suivante reste impayée"))
        #expect(try render("first_follow_up", .fr).text.contains("le paiement de la facture suivante"))
        #expect(try render("thank_you", .fr).text.contains("les factures suivantes sont désormais entièrement réglées"))
        #expect(try render("final_notice", .fr).text.contains("(échue depuis 48 jours)"))
    }

    // MARK: - Dutch

    @Test func dutchNeverSaysWettelijkeRenteWithoutHandels() throws {
        let message = try finalNotice(.nl, title: "Dhr.", name: "Jan van Dijk", interest: figures(regime: .netherlands))
        #expect(
            message.text.contains(
                "Op grond van artikel 6:119a BW is over de achterstallige bedragen de wettelijke handelsrente"))
        #expect(message.text.hasPrefix("Geachte heer van Dijk,\n"))
        for (template, message) in try everyMessage(in: .nl) {
            #expect(!message.text.contains("wettelijke rente"), "\(template)")
        }
        #expect(try finalNotice(.nl, title: nil, name: "Jan van Dijk").text.contains("zoals de wet bepaalt."))
    }

    @Test func dutchAsksWhatUitkomtAndHeadsTheStateColumnStatus() throws {
        #expect(try render("second_follow_up", .nl).text.contains("een datum weten die u beter uitkomt"))
        #expect(try render("solution_offer", .nl).text.contains("wat u het beste uitkomt"))
        #expect(try render("second_follow_up", .nl).html.contains("<th align=\"left\">Status</th>"))
    }

    // MARK: - English

    @Test func englishClosesYoursSincerelyAfterANamedSalutation() throws {
        let named = try finalNotice(.en, title: "Ms", name: "Anna Berger")
        #expect(named.text.hasPrefix("Dear Ms Berger,\n"))
        #expect(named.text.contains("Yours sincerely,"))
        let unnamed = try finalNotice(.en, title: nil, name: nil)
        #expect(unnamed.text.hasPrefix("Dear Sir or Madam,\n"))
        #expect(unnamed.text.contains("Yours faithfully,"))
    }

    @Test func englishSaysAnyOfTheseInvoicesOnlyWhenThereAreSeveral() throws {
        let (day, invoices) = G.situation(of: "final_notice")
        let one = try render(
            "final_notice", .en,
            F.context(template: "final_notice", invoices: [invoices[0]], asOf: F.day(day), sender: G.sender))
        #expect(one.text.contains("If you dispute this invoice"))
        #expect(!one.text.contains("these invoices"))
        #expect(try render("final_notice", .en).text.contains("If you dispute any of these invoices"))
    }

    // MARK: - Part 2: everything in the client's language

    @Test(arguments: [
        (TemplateLanguage.en, "Interest at the rate agreed in our contract, 8% a year, is due"),
        (.de, "Verzugszinsen zu dem vertraglich vereinbarten Zinssatz von 8\u{A0}% pro Jahr"),
        (.fr, "Au taux contractuel convenu avec vous, des pénalités de retard de 8\u{202F}% par an"),
        (.nl, "de met u overeengekomen contractuele rente van 8% per jaar"),
    ])
    func aContractualRateIsWordedInTheMessagesLanguage(language: TemplateLanguage, wording: String) throws {
        let message = try finalNotice(
            language, title: nil, name: "Anna Berger", interest: figures(regime: .germany, contractual: true))
        #expect(message.text.contains(wording), "\(message.text)")
        #expect(!message.text.contains("the agreed contractual rate"))
        #expect(!message.text.contains("§ 288 Abs. 2"))
    }

    @Test(arguments: [
        (TemplateLanguage.de, "Nach Richtlinie 2011/7/EU zur Bekämpfung von Zahlungsverzug im Geschäftsverkehr"),
        (.fr, "En application de la directive 2011/7/UE concernant la lutte contre le retard de paiement"),
        (.nl, "Op grond van Richtlijn 2011/7/EU betreffende bestrijding van betalingsachterstand"),
    ])
    func theEUDirectiveIsNamedInTheMessagesLanguage(language: TemplateLanguage, wording: String) throws {
        let message = try finalNotice(
            language, title: nil, name: "Anna Berger", interest: figures(regime: .euMinimum))
        #expect(message.text.contains(wording), "\(message.text)")
        #expect(!message.text.contains("on combating late payment"))
    }

    @Test(arguments: TemplateLanguage.allCases)
    func howToPayIsOneLanguageWithTheRFReferenceAsTheOnlyThingToQuote(language: TemplateLanguage) throws {
        let firstLines = ["Überweisung an", "Bank transfer to", "Virement à", "Overschrijving naar"]
        let own = ["de": "Überweisung an", "en": "Bank transfer to", "fr": "Virement à", "nl": "Overschrijving naar"]
        for (template, message) in try everyMessage(in: language) where message.text.contains("RF") {
            #expect(message.text.contains(own[language.rawValue]!), "\(template)")
            for other in firstLines where other != own[language.rawValue] {
                #expect(!message.text.contains(other), "\(template) (\(language)) mixes in '\(other)'")
            }
            #expect(!message.text.lowercased().contains("invoice number"), "\(template)")
        }
    }
}
