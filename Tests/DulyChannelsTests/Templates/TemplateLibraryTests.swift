import DulyChannels
import DulyCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Template library")
struct TemplateLibraryTests {
    private let location = { (part: TemplatePart) in
        TemplateLocation(template: "first_follow_up", language: "en", part: part)
    }

    // MARK: - Checks on load

    @Test func anUnknownFieldIsRejectedWhenLoadedWithItsName() {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.unknownField(location(.text), line: 3, field: "amount_due")) {
            try library.override(
                template: "first_follow_up", language: .en, text: "Dear {{greeting_name}},\n\nYou owe {{amount_due}}.\n"
            )
        }
        // The library is unchanged.
        #expect(
            library.source(of: "first_follow_up", language: .en)
                == TemplateLibrary.builtInSource(
                    of: "first_follow_up", language: .en))
    }

    @Test(arguments: [
        (
            "{{#has_contact_name}}Hi{{/has_contact_name}}{{^has_contact_name}}Hi {{costumer_name}}{{/has_contact_name}}",
            "costumer_name"
        ),
        ("{{#invoices}}{{number}} {{amount}}{{/invoices}}", "amount"),
        ("{{#invoices}}{{.number}}{{/invoices}} {{number}}", "number"),
        ("{{invoices.number}}", "invoices.number"),
        ("{{.}}", "."),
        ("{{=<% %>=}}<% customer_nam %>", "customer_nam"),
    ])
    func unknownFieldsAreFoundInEveryBranchAndScope(text: String, field: String) {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.unknownField(location(.text), line: 1, field: field)) {
            try library.override(template: "first_follow_up", language: .en, text: text)
        }
    }

    @Test func knownFieldsInTheirScopesAreAccepted() throws {
        var library = TemplateLibrary()
        try library.override(
            template: "first_follow_up", language: .en,
            text: """
                {{! a comment }}
                {{#invoices}}{{number}} {{customer_name}} {{^last()}}, {{/last()}}{{/invoices}}
                {{#signature_lines}}{{.}}{{/signature_lines}} {{uppercased(customer_reference)}}
                {{#first(invoices)}}{{number}}{{/first(invoices)}} {{count(invoices)}}
                {{#totals}}{{amount}}{{/totals}}
                Reply to {{reply_to}}.
                """)
    }

    @Test func anUnknownTransformIsRejected() {
        var library = TemplateLibrary()
        #expect(
            throws: TemplateError.unknownTransform(location(.text), line: 1, transform: "shout", field: "customer_name")
        ) {
            try library.override(template: "first_follow_up", language: .en, text: "{{shout(customer_name)}}")
        }
    }

    @Test(arguments: ["{{{customer_name}}}", "{{&customer_name}}"])
    func htmlMayNotWriteAValueUnescaped(html: String) {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.unescapedValue(location(.html), line: 1, field: "customer_name")) {
            try library.override(template: "first_follow_up", language: .en, html: "<p>\(html)</p>")
        }
    }

    @Test(arguments: ["{{%CONTENT_TYPE:TEXT}}", "{{>footer}}"])
    func contentTypeSwitchesAndPartialsAreRefused(tag: String) {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.unsupportedTag(location(.html), line: 1, tag: tag)) {
            try library.override(template: "first_follow_up", language: .en, html: "\(tag)<p>{{customer_name}}</p>")
        }
    }

    @Test func aSyntaxErrorNamesTheLine() {
        var library = TemplateLibrary()
        #expect {
            try library.override(template: "first_follow_up", language: .en, text: "Hello\n{{#invoices}}\n")
        } throws: { error in
            guard case .syntax(let where_, _, _) = error as? TemplateError else { return false }
            return where_ == location(.text)
        }
    }

    @Test func aMultilineSubjectIsRefusedButAFinalLineBreakIsDropped() throws {
        var library = TemplateLibrary()
        #expect(throws: TemplateError.multilineSubject(location(.subject))) {
            try library.override(template: "first_follow_up", language: .en, subject: "Hello\n{{customer_name}}")
        }
        try library.override(template: "first_follow_up", language: .en, subject: "Hello {{customer_name}}\n")
        #expect(library.source(of: "first_follow_up", language: .en)?.subject == "Hello {{customer_name}}")
    }

    @Test func anOverrideThatThreatensIsRefusedWithTheFinding() {
        var library = TemplateLibrary()
        #expect {
            try library.override(
                template: "first_follow_up", language: .de,
                text: "Guten Tag,\n\nsonst schalten wir ein Inkassobüro ein.\n")
        } throws: { error in
            guard case .tone(let findings) = error as? TemplateError, let finding = findings.first else { return false }
            return finding.template == "first_follow_up" && finding.language == "de" && finding.line == 3
                && finding.phrase == "Inkassobüro" && finding.stage == .delayed
        }
    }

    @Test func theSameWordsAreAcceptedInANonPaymentTemplate() throws {
        var library = TemplateLibrary()
        try library.override(
            template: "final_notice", language: .de,
            text: "Guten Tag,\n\nsonst übergeben wir an ein Inkassobüro. Antworten Sie uns bis dahin.\n")
    }

    @Test func aNewTemplateNeedsAllThreeParts() throws {
        var library = TemplateLibrary()
        #expect(
            throws: TemplateError.missingPart(TemplateLocation(template: "gentle_nudge", language: "en", part: .html))
        ) {
            try library.override(template: "gentle_nudge", language: .en, subject: "Hi", text: "Hello")
        }
        try library.override(
            template: "gentle_nudge", language: .en, subject: "Hi", text: "Hello, reply any time",
            html: "<p>Hello, reply any time</p>")
        #expect(library.templateNames.contains("gentle_nudge"))
        // A template no playbook step uses is held to the strictest voice.
        #expect(library.stage(of: "gentle_nudge") == .preDue)
    }

    // MARK: - Rendering

    @Test func htmlEscapesAClientNameButTextKeepsItAsWritten() throws {
        var customer = TemplateFixtures.customer
        customer.name = "<b>Tom & Jerry</b>"
        let context = TemplateFixtures.context(template: "first_follow_up", customer: customer, contact: nil)

        let message = try TemplateLibrary().render(template: "first_follow_up", language: .en, context: context)

        #expect(message.html.contains("Dear &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;,"))
        #expect(!message.html.contains("<b>Tom"))
        #expect(message.text.contains("Dear <b>Tom & Jerry</b>,"))
    }

    @Test func aSubjectNeverHoldsALineBreakWhateverTheValues() throws {
        var customer = TemplateFixtures.customer
        customer.name = "Acme\r\nBcc: victim@example.com\nTrading\u{2028}GmbH"
        let library = TemplateLibrary()
        for template in TemplateFixtures.builtInTemplates {
            for language in TemplateLanguage.allCases {
                let context = TemplateFixtures.context(template: template, customer: customer)
                let subject = try library.render(template: template, language: language, context: context).subject
                let breaks = subject.unicodeScalars.filter { $0 == "\r" || $0 == "\n" || $0 == "\u{2028}" }
                #expect(breaks.isEmpty, "\(template) (\(language)): \(subject)")
            }
        }
        let context = TemplateFixtures.context(template: "call_offer_plan", customer: customer)
        #expect(
            try library.render(template: "call_offer_plan", language: .en, context: context).subject
                == "Call Acme Bcc: victim@example.com Trading GmbH about EUR\u{A0}4,250.00 open")
    }

    @Test func aMissingLanguageFallsBackToEnglish() throws {
        var library = TemplateLibrary()
        try library.override(
            template: "gentle_nudge", language: .en, subject: "Hi", text: "Hello, reply any time",
            html: "<p>Hello, reply any time</p>")
        let context = TemplateFixtures.context(template: "gentle_nudge")
        #expect(try library.render(template: "gentle_nudge", language: .de, context: context).language == .en)
        #expect(try library.render(template: "first_follow_up", language: "es", context: context).language == .en)
        #expect(try library.render(template: "first_follow_up", language: "fr-BE", context: context).language == .fr)
        #expect(throws: TemplateError.unknownTemplate("nope")) {
            try library.render(template: "nope", language: .en, context: context)
        }
    }

    @Test func theContextsOwnTemplateRendersInTheCustomersLanguage() throws {
        let context = TemplateFixtures.context(template: "solution_offer")
        let message = try TemplateLibrary().render(context)
        #expect(message.language == .de)
        #expect(message.template == "solution_offer")
        #expect(message.subject == "Gemeinsam eine Lösung finden: 4.250,00\u{A0}EUR offen bei Northwind Studio")
    }

    @Test func aFinalNoticeStatesInterestAndCompensationWhenTheyAreKnown() throws {
        let interest = InterestFigures(
            annualRateBasisPoints: 1_127, legalBasis: "§ 288 Abs. 2 BGB", calculatedTo: TemplateFixtures.asOf,
            items: [
                .init(
                    invoiceNumber: "INV-2026-009", days: 14, interest: TemplateFixtures.euros(12_97),
                    compensation: TemplateFixtures.euros(40_00))
            ])
        let context = TemplateFixtures.context(template: "final_notice", interest: interest)
        let english = try TemplateLibrary().render(template: "final_notice", language: .en, context: context)
        #expect(
            english.text.contains(
                "Under § 288 Abs. 2 BGB, statutory interest at 11.27% a year is due on the late amounts, calculated to "
                    + "10 March 2026: EUR\u{A0}12.97. Compensation for recovery costs: EUR\u{A0}40.00. The total now due "
                    + "is EUR\u{A0}4,302.97."))
        #expect(!english.text.contains("We reserve the right"))
        let german = try TemplateLibrary().render(template: "final_notice", language: .de, context: context)
        #expect(german.text.contains("von 11,27\u{A0}% pro Jahr"))
        #expect(german.text.contains("Insgesamt sind jetzt 4.302,97\u{A0}EUR zu zahlen."))
    }

    @Test func anOverrideMayUseAnInvoicesInterestLine() throws {
        var library = TemplateLibrary()
        try library.override(
            template: "final_notice", language: .en,
            text:
                "{{#invoices}}{{number}}{{#has_interest}} +{{interest}} +{{compensation}}{{/has_interest}}\n{{/invoices}}"
                + "Reply."
        )
        let interest = InterestFigures(
            annualRateBasisPoints: 900, legalBasis: "x", calculatedTo: TemplateFixtures.asOf,
            items: [
                .init(
                    invoiceNumber: "INV-2026-014", days: 1, interest: TemplateFixtures.euros(1),
                    compensation: TemplateFixtures.euros(0))
            ])
        let context = TemplateFixtures.context(template: "final_notice", interest: interest)
        #expect(
            try library.render(template: "final_notice", language: .en, context: context).text
                == "INV-2026-009\nINV-2026-014 +EUR\u{A0}0.01 +EUR\u{A0}0.00\nReply.")
    }

    // MARK: - Overrides from a folder

    @Test func overridesLoadFromAFolderPartByPart() throws {
        // Given a folder with a German subject and an English thank-you text
        let directory =
            FileManager.default.temporaryDirectory.path + "/duly-templates-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/de", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/en", withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: directory + "/de/first_follow_up.subject.mustache",
            contents: Data("Kurz zu {{invoice_numbers}}\n".utf8))
        FileManager.default.createFile(
            atPath: directory + "/en/thank_you.text.mustache",
            contents: Data("Thanks, {{greeting_name}}! Reply any time.\n".utf8))
        FileManager.default.createFile(atPath: directory + "/README.md", contents: Data("notes".utf8))

        // When they are loaded
        var library = TemplateLibrary()
        try library.loadOverrides(from: directory)

        // Then those parts change and the rest stays built in
        let context = TemplateFixtures.context(template: "first_follow_up")
        let german = try library.render(template: "first_follow_up", language: .de, context: context)
        #expect(german.subject == "Kurz zu INV-2026-009, INV-2026-014")
        #expect(
            try german.text
                == TemplateLibrary().render(template: "first_follow_up", language: .de, context: context).text)
        let thanks = try library.render(template: "thank_you", language: .en, context: context)
        #expect(thanks.text == "Thanks, Anna Berger! Reply any time.\n")
    }

    @Test func aBadOverrideFolderIsRefusedAndNothingLoads() throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/duly-templates-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/en", withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: directory + "/en/due_day_notice.subject.mustache", contents: Data("Due today".utf8))
        FileManager.default.createFile(
            atPath: directory + "/en/first_follow_up.text.mustache", contents: Data("Hi {{nme}}".utf8))

        var library = TemplateLibrary()
        #expect(throws: TemplateError.unknownField(location(.text), line: 1, field: "nme")) {
            try library.loadOverrides(from: directory)
        }
        #expect(library.source(of: "due_day_notice", language: .en)?.subject != "Due today")

        FileManager.default.createFile(
            atPath: directory + "/en/first_follow_up.body.mustache", contents: Data("x".utf8))
        try FileManager.default.removeItem(atPath: directory + "/en/first_follow_up.text.mustache")
        #expect {
            try library.loadOverrides(from: directory)
        } throws: { error in
            guard case .badOverrideFile(let path, _) = error as? TemplateError else { return false }
            return path.hasSuffix("/en/first_follow_up.body.mustache")
        }
    }

    @Test func lintListsWarningsAndErrorsOfEveryTemplateLoaded() throws {
        var library = TemplateLibrary()
        try library.override(
            template: "final_notice", language: .nl, text: "Dit is uw laatste waarschuwing. Bel ons.\n")
        let findings = library.lint()
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.location == TemplateLocation(template: "final_notice", language: "nl", part: .text))
    }
}
