import DulyChannels
import DulyCore
import Testing

@Suite("Tone guard")
struct ToneGuardTests {
    private static func findings(_ text: String, stage: Stage, part: TemplatePart = .text) -> [ToneFinding] {
        ToneGuard.check(text, at: TemplateLocation(template: "probe", language: "en", part: part), stage: stage)
    }

    private static func errors(_ text: String, stage: Stage, part: TemplatePart = .text) -> [ToneFinding] {
        findings(text, stage: stage, part: part).filter { $0.severity == .error }
    }

    // MARK: - Must be flagged

    /// Threats and negative words: errors before non_payment, in all four languages.
    static let threatsBeforeNonPayment: [(String, ToneFinding.Rule)] = [
        ("We will take legal action.", .legalEscalation),
        ("We may go to court over this.", .legalEscalation),
        ("Our lawyer will write to you.", .legalEscalation),
        ("Our solicitors have been informed.", .legalEscalation),
        ("We will pass this to a collection agency.", .legalEscalation),
        ("A debt collector will call.", .legalEscalation),
        ("A bailiff may visit.", .legalEscalation),
        ("This is our final notice.", .lastResort),
        ("Failure to pay will have consequences.", .ultimatum),
        ("This is your final warning.", .ultimatum),
        ("Pay today or else.", .intimidation),
        ("You failed to pay on time.", .blame),
        ("Your negligence has cost us.", .blame),
        ("Wir leiten rechtliche Schritte ein.", .legalEscalation),
        ("Wir übergeben die Forderung an ein Inkassobüro.", .legalEscalation),
        ("Das Gericht wird entscheiden.", .legalEscalation),
        ("Unser Anwalt meldet sich.", .legalEscalation),
        ("Dies ist die letzte Mahnung.", .lastResort),
        ("Un huissier passera chez vous.", .legalEscalation),
        ("L’affaire ira au tribunal.", .legalEscalation),
        ("Nous engagerons des poursuites.", .legalEscalation),
        ("Une société de recouvrement vous contactera.", .legalEscalation),
        ("Ceci est une mise en demeure.", .lastResort),
        ("Wij schakelen een incassobureau in.", .legalEscalation),
        ("De deurwaarder komt langs.", .legalEscalation),
        ("De rechter beslist.", .legalEscalation),
        ("Wij nemen juridische stappen.", .legalEscalation),
        ("PAY THIS NOW please.", .shouting),
        ("This is URGENT.", .shouting),
        ("Please pay!!", .exclamationRun),
        ("Please pay! !", .exclamationRun),
        ("Really?!", .exclamationRun),
    ]

    /// Threats spelled to slip past a word list: a soft hyphen, a zero-width space or joiner, a word joiner inside
    /// the word; Cyrillic or Greek letters that look Latin; full-width letters.
    static let disguisedThreats: [String] = [
        "Our la\u{AD}wyer will write to you.",
        "Wir leiten rechtliche Schrit\u{200B}te ein.",
        "Un huis\u{200D}sier passera chez vous.",
        "De deur\u{2060}waarder komt langs.",
        "Our l\u{0430}wyer will write to you.",
        "Das G\u{0435}richt wird entscheiden.",
        "L’affaire ira au tribun\u{03B1}l.",
        "De r\u{0435}chter beslist.",
        "We will pass this to a ｃｏｌｌｅｃｔｉｏｎ ａｇｅｎｃｙ.",
    ]

    /// Threats the wider lists know, in each language: no other choice, credit registers, stopped supplies,
    /// enforcement; blame with words between its parts; contractions.
    static let widerThreats: [(String, ToneFinding.Rule)] = [
        ("We have no other choice.", .ultimatum),
        ("We will report this to a credit reference agency.", .ultimatum),
        ("We will stop supplying your stores.", .ultimatum),
        ("Enforcement will follow.", .legalEscalation),
        ("We'll be forced to act.", .ultimatum),
        ("You have simply ignored our reminders.", .blame),
        ("Uns bleibt keine andere Wahl.", .ultimatum),
        ("Wir melden dies der SCHUFA.", .ultimatum),
        ("Wir verhängen einen Lieferstopp.", .ultimatum),
        ("Es folgt die Zwangsvollstreckung.", .legalEscalation),
        ("Sie haben unsere Erinnerungen ignoriert.", .blame),
        ("Nous n’avons pas d’autre choix.", .ultimatum),
        ("Nous devrons suspendre les livraisons.", .ultimatum),
        ("Une exécution forcée suivra.", .legalEscalation),
        ("Vous avez à nouveau ignoré nos relances.", .blame),
        ("Wij hebben geen andere keuze.", .ultimatum),
        ("Wij melden dit bij het BKR.", .ultimatum),
        ("Wij zullen de leveringen stopzetten.", .ultimatum),
        ("U heeft onze herinneringen genegeerd.", .blame),
    ]

    @Test(arguments: widerThreats)
    func aWiderThreatIsAnErrorBeforeNonPayment(phrase: String, rule: ToneFinding.Rule) {
        #expect(Self.errors(phrase, stage: .delayed).map(\.rule).contains(rule), "\(phrase)")
    }

    @Test func twoWordPhrasesMustBeWholeSoOrdinaryWordsBetweenAreNoThreat() {
        #expect(Self.findings("Pay by card, or if something else suits you, by transfer.", stage: .delayed).isEmpty)
    }

    @Test(arguments: [
        "Une indemnité forfaitaire pour frais de recouvrement de 40 € est due.",
        "Betaalt u niet binnen 14 dagen, dan zijn buitengerechtelijke incassokosten verschuldigd.",
        "Daarna brengen wij incassokosten in rekening zoals de wet bepaalt.",
    ])
    func wordingTheLawRequiresOnceOverdueIsAllowedThenButNotBeforeTheDueDate(phrase: String) {
        #expect(Self.findings(phrase, stage: .delayed).isEmpty, "\(phrase)")
        #expect(Self.findings(phrase, stage: .nonPayment).isEmpty, "\(phrase)")
        #expect(Self.errors(phrase, stage: .preDue).map(\.rule) == [.legalEscalation], "\(phrase)")
    }

    @Test(arguments: disguisedThreats)
    func aThreatInDisguiseIsReadAsWrittenForTheEye(phrase: String) {
        let errors = Self.errors(phrase, stage: .delayed)
        #expect(errors.map(\.rule) == [.legalEscalation], "\(phrase)")
    }

    @Test func fullWidthCapitalsAndExclamationMarksShout() {
        #expect(Self.errors("ＰＬＥＡＳＥ ＰＡＹ ＮＯＷ today.", stage: .delayed).map(\.rule) == [.shouting])
        #expect(Self.errors("Please pay！！", stage: .delayed).map(\.rule) == [.exclamationRun])
    }

    @Test func capitalsMadeByStylesAreShoutingInHTML() {
        let inline = Self.errors(
            "<p style=\"text-transform: uppercase\">please pay now</p>", stage: .delayed, part: .html)
        #expect(inline.map(\.rule) == [.shouting])
        let sheet = Self.errors(
            "<style>\np { font-weight: bold;\n  TEXT-TRANSFORM : Uppercase }\n</style>\n<p>please pay</p>",
            stage: .preDue,
            part: .html)
        #expect(sheet.map(\.rule) == [.shouting])
        #expect(sheet.first?.line == 3)
        // Lower-casing or leaving case alone is no shouting.
        #expect(
            Self.errors("<p style=\"text-transform: lowercase\">please pay</p>", stage: .delayed, part: .html).isEmpty)
    }

    @Test func lineNumbersSurviveTheCleaning() {
        let errors = Self.errors("Hello,\nthank you.\nOur la\u{AD}wyer will write.", stage: .delayed)
        #expect(errors.map(\.line) == [3])
    }

    @Test(arguments: threatsBeforeNonPayment)
    func threatIsAnErrorBeforeNonPayment(phrase: String, rule: ToneFinding.Rule) {
        for stage in [Stage.preDue, .delayed] {
            let errors = Self.errors(phrase, stage: stage)
            #expect(errors.map(\.rule).contains(rule), "\(stage): \(phrase)")
        }
    }

    /// Never acceptable, not even in non_payment.
    static let neverAllowed: [(String, ToneFinding.Rule)] = [
        ("Pay today or else.", .intimidation),
        ("You have ignored every letter.", .blame),
        ("Ihre Nachlässigkeit ist bemerkenswert.", .blame),
        ("Votre négligence nous coûte.", .blame),
        ("Uw nalatigheid kost ons geld.", .blame),
        ("This is dishonest.", .insult),
        ("Sie sind ein Betrüger.", .insult),
        ("Vous êtes un escroc.", .insult),
        ("U bent een oplichter.", .insult),
        ("WE WILL NOT WAIT ANY LONGER.", .shouting),
        ("LETZTE AUFFORDERUNG", .shouting),
        ("Payez maintenant !!", .exclamationRun),
    ]

    @Test(arguments: neverAllowed)
    func insultsBlameAndShoutingAreErrorsAtEveryStage(phrase: String, rule: ToneFinding.Rule) {
        for stage in Stage.allCases {
            #expect(Self.errors(phrase, stage: stage).map(\.rule).contains(rule), "\(stage): \(phrase)")
        }
    }

    // MARK: - Must not be flagged

    /// Friendly text and near misses: no finding at any stage.
    static let harmless: [String] = [
        "Thank you for your courteous reply.",
        "As a courtesy, we have attached a copy.",
        "The courtyard entrance is on the left.",
        "Pay by IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, EUR or USD.",
        "The VAT and the PDF copy are attached.",
        "SEPA transfer to our EUR account, quoting the PO number.",
        "Thank you!",
        "Merci !",
        "Can we help?",
        "I am happy to help.",
        "The agenda for our meeting is attached.",
        "Wir sind gern für Sie da und helfen bei Fragen zur Rechnung.",
        "Le paiement peut se faire sous 30 jours, sinon payable en totalité.",
        "Nous poursuivons notre collaboration avec plaisir.",
        "Wij rekenen op uw begrip en helpen graag.",
    ]

    @Test(arguments: harmless)
    func friendlyTextAndNearMissesAreNotFlagged(text: String) {
        for stage in Stage.allCases {
            #expect(Self.findings(text, stage: stage).isEmpty, "\(stage): \(text)")
        }
    }

    /// Factual mentions of the next step belong to non_payment: allowed there, errors before.
    static let nextSteps: [String] = [
        "We will hand the matter to a collection agency.",
        "Our lawyer will take over the file.",
        "We will start court proceedings.",
        "This is our final notice.",
        "Wir übergeben die Angelegenheit einem Inkassounternehmen.",
        "Nous confierons le dossier à une société de recouvrement.",
        "Wij dragen de zaak over aan een incassobureau.",
    ]

    @Test(arguments: nextSteps)
    func nextStepsAreAllowedInNonPaymentOnly(text: String) {
        #expect(Self.findings(text, stage: .nonPayment).isEmpty, "\(text)")
        #expect(!Self.errors(text, stage: .delayed).isEmpty, "\(text)")
        #expect(!Self.errors(text, stage: .preDue).isEmpty, "\(text)")
    }

    @Test func ultimatumWordingIsAWarningInNonPayment() {
        let findings = Self.findings("This is your final warning.", stage: .nonPayment)
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.rule == .ultimatum)
    }

    // MARK: - What a finding says

    @Test func aFindingNamesTemplateLanguageLineAndPhraseAndSaysWhy() throws {
        let text = "Dear {{greeting_name}},\n\nThank you.\nOtherwise our Lawyer will call.\n"
        let finding = try #require(
            ToneGuard.check(
                text, at: TemplateLocation(template: "first_follow_up", language: "de", part: .text),
                stage: .delayed
            ).first)
        #expect(finding.template == "first_follow_up")
        #expect(finding.language == "de")
        #expect(finding.line == 4)
        #expect(finding.phrase == "Lawyer")
        #expect(
            finding.description
                == "error: first_follow_up (de, text), line 4: \"Lawyer\" mentions legal or external escalation, "
                + "a threat before non_payment; keep the delayed voice positive and offer a way to pay")
    }

    @Test func fieldValuesAreNotJudgedOnlyTheTemplatesOwnWords() {
        // A field named like a threat is a tag, not text.
        #expect(Self.findings("Total: {{COURT}} {{#lawyer}}x{{/lawyer}}", stage: .preDue).isEmpty)
    }

    @Test func htmlMarkupIsIgnoredButItsTextIsChecked() {
        let html = """
            <!DOCTYPE html>
            <html><head><style>BODY { FONT-FAMILY: ARIAL; }</style></head>
            <body><p>Please pay <strong>today</strong> &amp; avoid the court.</p></body></html>
            """
        let found = Self.findings(html, stage: .delayed, part: .html)
        #expect(found.map(\.phrase) == ["court"])
        #expect(found.first?.line == 3)
    }

    @Test func aLongCapitalisedWordIsShoutingButAKnownAcronymIsNot() {
        #expect(Self.findings("Please see the IBAN and the SWIFT code.", stage: .preDue).isEmpty)
        #expect(Self.findings("IMPORTANT: please read.", stage: .preDue).map(\.rule) == [.shouting])
    }
}
