import DulyChannels
import DulyCore
import Testing

/// Issue 11, part 4: a named collector signs the messages to the accounts they own and gives a direct line.
@Suite("A named collector as sender")
struct NamedCollectorTests {
    private typealias Fixtures = TemplateFixtures
    private static let jonas = Collector(
        name: "Jonas Weber", email: "jonas@northwind.example", phone: "+49 30 555 0142")

    private func render(
        _ template: String, _ language: TemplateLanguage, collector: Collector?,
        sender: SenderIdentity = Fixtures.sender
    ) throws -> RenderedMessage {
        var context = Fixtures.context(template: template, sender: sender)
        context.signingCollector = collector
        return try TemplateLibrary().render(template: template, language: language, context: context)
    }

    @Test(arguments: [
        (TemplateLanguage.en, "Direct line"), (.de, "Durchwahl"), (.fr, "Ligne directe"), (.nl, "Direct nummer"),
    ])
    func theCollectorSignsWithTheOrganisationAndTheirDirectLine(language: TemplateLanguage, label: String) throws {
        let message = try render("final_notice", language, collector: Self.jonas)
        #expect(message.text.hasSuffix("Jonas Weber\nNorthwind Studio\n\(label): +49 30 555 0142\n"), "\(message.text)")
        #expect(!message.text.contains("Mara Lind"))
        #expect(message.html.contains("Jonas Weber<br>"))
    }

    @Test func callUsGivesTheCollectorsDirectLineInPlaceOfTheOrganisations() throws {
        let message = try render("final_notice", .en, collector: Self.jonas)
        #expect(message.text.contains("call us on +49 30 555 0142"))
        #expect(!message.text.contains("call us on +49 30 1234567"))
    }

    @Test func aCollectorWithoutADirectLineLeavesTheOrganisationsNumber() throws {
        let message = try render("final_notice", .en, collector: Collector(name: "Jonas Weber"))
        #expect(message.text.hasSuffix("Jonas Weber\nNorthwind Studio\n"))
        #expect(message.text.contains("call us on +49 30 1234567"))
    }

    @Test func withoutAnyNumberNoMessageSaysCallUs() throws {
        var sender = Fixtures.sender
        sender.phone = nil
        for template in Fixtures.builtInTemplates {
            let message = try render(template, .en, collector: Collector(name: "Jonas Weber"), sender: sender)
            #expect(!message.text.lowercased().contains("call us"), "\(template)")
        }
    }

    @Test func theNoteToTheManagerIsSignedByTheTeamNotTheCollector() throws {
        var context = Fixtures.context(template: "manager_escalation")
        context.isInternal = true
        context.signingCollector = Self.jonas
        let message = try TemplateLibrary().render(template: "manager_escalation", language: .en, context: context)
        #expect(!message.text.contains("Direct line"))
    }
}
