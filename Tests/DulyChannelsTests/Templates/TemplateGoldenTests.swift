import DulyChannels
import DulyCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Every built-in template in every language, rendered in the situation its step is for (`GoldenSituations`) and
/// compared byte for byte with `Golden/<language>/<template>.txt`. Run with `DULY_UPDATE_GOLDEN=1` to rewrite the files, then read the diff.
@Suite("Built-in templates against golden files")
struct TemplateGoldenTests {
    static let cases: [(String, TemplateLanguage)] = TemplateFixtures.builtInTemplates.flatMap { template in
        TemplateLanguage.allCases.map { (template, $0) }
    }

    @Test(arguments: cases)
    func builtInTemplateRendersAsItsGoldenFile(template: String, language: TemplateLanguage) throws {
        // Given the situation the template is written for
        let library = TemplateLibrary()
        let context = GoldenSituations.context(template: template)

        // When the template is rendered in the language
        let message = try library.render(template: template, language: language, context: context)

        // Then it is the reviewed golden text, in that language (no fallback)
        #expect(message.language == language)
        let rendered = "== subject ==\n\(message.subject)\n== text ==\n\(message.text)== html ==\n\(message.html)"
        let directory = TemplateFixtures.goldenDirectory + "/" + language.rawValue
        let path = directory + "/" + template + ".txt"
        if ProcessInfo.processInfo.environment["DULY_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(rendered.utf8)))
            return
        }
        let data = try #require(
            FileManager.default.contents(atPath: path), "no golden file at \(path); run with DULY_UPDATE_GOLDEN=1")
        let golden = String(decoding: data, as: UTF8.self)
        #expect(rendered == golden, "\(template) (\(language)) differs from \(path)")
    }

    @Test(arguments: TemplateFixtures.builtInTemplates)
    func everyBuiltInExistsInEveryLanguage(template: String) {
        #expect(TemplateLibrary().languages(of: template) == TemplateLanguage.allCases)
    }

    @Test func builtInsPassTheToneGuardWithoutAnyFinding() {
        let findings = TemplateLibrary().lint()
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }
}
