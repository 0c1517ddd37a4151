import DulyChannels
import DulyCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The built-in templates are `.mustache` files a translator can open (README, "Templates for translators"), read
/// from the package's resources; an override folder has the same layout.
@Suite("Template files")
struct TemplateFileTests {
    /// The built-in templates' folder in the source tree.
    static var sourceFolder: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/Sources/DulyChannels/Templates/BuiltIn"
    }

    /// A copy of the built-in templates' folder, for breaking one file of it.
    private func copyOfTheBuiltIns() throws -> String {
        let copy =
            FileManager.default.temporaryDirectory.path + "/duly-builtins-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.copyItem(atPath: Self.sourceFolder, toPath: copy)
        return copy
    }

    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: String(path[..<path.lastIndex(of: "/")!]), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    private func refusal(_ load: () throws -> Void) -> (path: String, reason: String)? {
        do {
            try load()
        } catch let error as TemplateError {
            guard case .brokenBuiltIn(let path, let reason) = error else { return nil }
            return (path, reason)
        } catch {
            return nil
        }
        return nil
    }

    @Test(arguments: TemplateLanguage.allCases)
    func theTemplatesInUseAreTheFilesOfTheSourceTree(language: TemplateLanguage) throws {
        let fromFiles = try TemplateLibrary(builtInsAt: Self.sourceFolder)
        for template in TemplateFixtures.builtInTemplates {
            #expect(
                fromFiles.source(of: template, language: language)
                    == TemplateLibrary.builtInSource(of: template, language: language))
        }
    }

    @Test func aSubjectFilesFinalLineBreakIsNotPartOfTheSubject() throws {
        let data = try #require(
            FileManager.default.contents(atPath: Self.sourceFolder + "/de/first_follow_up.subject.mustache"))
        #expect(String(decoding: data, as: UTF8.self).hasSuffix("\n"))
        #expect(TemplateLibrary.builtInSource(of: "first_follow_up", language: .de)?.subject.last?.isNewline == false)
    }

    /// A file of a copy of the built-ins, what it is made to hold (nil: removed) and what the refusal says.
    static let brokenFiles: [(String, String?, String)] = [
        ("de/first_follow_up.text.mustache", nil, "missing"),
        ("fr/thank_you.html.mustache", "<p>{{#invoices}}{{number}}</p>\n", "thank_you (fr, html)"),
        (
            "nl/thank_you.html.mustache", "{{> page_top}}\n<p>Hi</p>\n{{> page_botom}}\n",
            "no partial named 'page_botom'"
        ),
    ]

    @Test(arguments: brokenFiles)
    func aMissingOrBrokenBuiltInFileIsAnErrorNamingIt(file: String, contents: String?, reason: String) throws {
        // Given a copy of the built-ins with one file removed, malformed, or naming a partial that does not exist
        let folder = try copyOfTheBuiltIns()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if let contents {
            try write(contents, to: folder + "/" + file)
        } else {
            try FileManager.default.removeItem(atPath: folder + "/" + file)
        }

        // When it is loaded, it is refused by the file's path, saying why
        let refused = try #require(refusal { _ = try TemplateLibrary(builtInsAt: folder) })
        #expect(refused.path == folder + "/" + file)
        #expect(refused.reason.contains(reason), "\(refused.reason)")
    }

    @Test func aPartialIsPastedInWithoutItsFilesFinalLineBreak() throws {
        // Given an override folder whose English thank-you uses a partial of its own and one of Duly's
        let directory =
            FileManager.default.temporaryDirectory.path + "/duly-templates-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("Thanks, {{greeting_name}}!\n", to: directory + "/en/partials/thanks.mustache")
        try write("{{> thanks}} Paid in full. Reply any time.\n", to: directory + "/en/thank_you.text.mustache")
        try write(
            "{{> page_top}}\n<p>{{> thanks}} Reply any time.</p>\n{{> page_bottom}}\n",
            to: directory + "/en/thank_you.html.mustache")

        // When it is loaded
        var library = TemplateLibrary()
        try library.loadOverrides(from: directory)

        // Then each partial stands where it is named
        let message = try library.render(
            template: "thank_you", language: .en, context: TemplateFixtures.context(template: "thank_you"))
        #expect(message.text == "Thanks, Anna Berger! Paid in full. Reply any time.\n")
        #expect(message.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(message.html.contains("<p>Thanks, Anna Berger! Reply any time.</p>\n</body>\n</html>\n"))
    }

    @Test func anOverrideNamingAPartialThatDoesNotExistIsRefused() throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/duly-templates-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("{{> footer}}\n", to: directory + "/de/thank_you.text.mustache")

        var library = TemplateLibrary()
        #expect(
            throws: TemplateError.unknownPartial(
                TemplateLocation(template: "thank_you", language: "de", part: .text), name: "footer")
        ) {
            try library.loadOverrides(from: directory)
        }
    }
}
