import Foundation
import Testing

/// A translator previews wording with the demo: `duly demo --templates DIR` writes today's messages with the folder's
/// templates (README, "Templates for translators").
@Suite("Previewing templates with the demo")
struct DemoTemplatesTests {
    @Test func theDemoWritesTodaysMessagesWithTheFoldersTemplates() throws {
        // Given a folder giving every built-in email template a subject of its own, in every language
        let duly = try DulyProcess()
        let folder = duly.folder.appendingPathComponent("wording")
        let templates = [
            "pre_due_reminder", "due_day_notice", "first_follow_up", "second_follow_up", "solution_offer",
            "settlement_offer", "thank_you", "instalment_reminder", "instalment_missed", "dispute_rejected",
        ]
        for language in ["en", "de", "fr", "nl"] {
            let directory = folder.appendingPathComponent(language)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for template in templates {
                try Data("Preview \(language) {{invoice_numbers}}\n".utf8)
                    .write(to: directory.appendingPathComponent("\(template).subject.mustache"))
            }
        }

        // When the demo runs with it
        let demo = try duly.run(["demo", "--as-of", "2026-03-10", "--history", "5", "--templates", folder.path])

        // Then today's emails carry the folder's subjects
        #expect(demo.status == 0, "\(demo.errors)")
        let outbox = duly.folder.appendingPathComponent("outbox/demo")
        let mails = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }
        #expect(!mails.isEmpty)
        for mail in mails {
            let text = try String(contentsOf: outbox.appendingPathComponent(mail), encoding: .utf8)
            #expect(text.contains("Subject: Preview ") || text.contains("Subject: =?UTF-8?Q?Preview_"), "\(mail)")
        }
    }

    @Test func aWrongTemplateInTheFolderStopsTheDemoBeforeItStarts() throws {
        let duly = try DulyProcess()
        let folder = duly.folder.appendingPathComponent("wording/de")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("Hallo {{kunde}}\n".utf8).write(to: folder.appendingPathComponent("first_follow_up.text.mustache"))

        let demo = try duly.run(["demo", "--templates", duly.folder.appendingPathComponent("wording").path])

        #expect(demo.status != 0)
        #expect(demo.errors.contains("first_follow_up (de, text), line 1: unknown field 'kunde'"), "\(demo.errors)")
        #expect(!FileManager.default.fileExists(atPath: duly.folder.appendingPathComponent("outbox/demo").path))
    }
}
