import ArgumentParser
import DulyChannels
import DulyCore
import DulyStore
import Foundation

/// The organisation's templates: the built-ins, then its overrides from the database, then a folder's (if given).
/// Every override is checked as it loads: unknown fields and threats are refused with their location.
func loadTemplates(
    store: some TemplateStore & PlaybookStore, organisationID: String, folder: String?
) async throws
    -> TemplateLibrary
{
    do { try TemplateLibrary.checkBuiltIns() } catch { throw CLIError("\(error)") }
    var library: TemplateLibrary
    do {
        library = try await TemplateLibrary.organisation(
            organisationID, playbook: try await adoptedPlaybook(store, organisationID: organisationID), store: store)
    } catch let error as StoredOverrideError {
        throw CLIError(error.description)
    }
    if let folder {
        do { try library.loadOverrides(from: folder) } catch { throw CLIError("\(error)") }
    }
    return library
}

/// `duly templates`: see, check and change the message templates.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "See, check and change the message templates.",
        subcommands: [Lint.self, Show.self, Set.self, Reset.self])

    /// `duly templates lint [FOLDER]`: the tone guard over the organisation's templates.
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every template's voice for its stage: no threats before non_payment, never insults.",
            discussion: """
                Checks the built-ins, the organisation's stored overrides (if it exists) and a folder of overrides \
                (FOLDER/<language>/<template>.<part>.mustache). Exits 65 when any finding is an error.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A folder of template overrides to check with the rest.") var folder: String?

        func run() async throws {
            let store = try await global.openStore()
            let library: TemplateLibrary
            do {
                library = try await loadTemplates(
                    store: store, organisationID: global.organisationID, folder: folder)
            } catch {
                printError("\(error)")
                throw DulyExit.badData
            }
            let findings = library.lint()
            for finding in findings { print(finding.description) }
            let errors = findings.filter { $0.severity == .error }.count
            print(
                "\(counted(library.templateNames.count, "template")) checked: \(counted(errors, "error")), "
                    + "\(counted(findings.count - errors, "warning")).")
            if errors > 0 { throw DulyExit.badData }
        }
    }

    /// `duly templates show TEMPLATE --language L`: the wording in use.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a template's subject, text and HTML in use.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template (see `duly playbook show` for the names, plus thank_you).") var template: String
        @Option(help: "en, de, fr or nl.") var language = "en"

        func run() async throws {
            let store = try await global.openStore()
            let library = try await loadTemplates(store: store, organisationID: global.organisationID, folder: nil)
            guard let language = TemplateLanguage(tag: language),
                let source = library.source(of: template, language: language)
            else { throw CLIError("no template '\(template)' in \(self.language)") }
            print("--- subject\n\(source.subject)\n--- text\n\(source.text)\n--- html\n\(source.html)")
        }
    }

    /// `duly templates set TEMPLATE --language L [--subject F] [--text F] [--html F]`: the organisation's wording.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the organisation's own wording of a template (checked before it is kept).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template to override.") var template: String
        @Option(help: "en, de, fr or nl.") var language: String
        @Option(help: "A file with the subject line (Mustache).") var subject: String?
        @Option(help: "A file with the plain-text body (Mustache).") var text: String?
        @Option(help: "A file with the HTML body (Mustache).") var html: String?

        func validate() throws {
            guard TemplateLanguage(tag: language) != nil else { throw ValidationError("--language: en, de, fr or nl") }
            guard subject != nil || text != nil || html != nil else {
                throw ValidationError("give at least one of --subject, --text and --html")
            }
        }

        func run() async throws {
            let command = try await CommandContext(global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            func read(_ path: String?) throws -> String? {
                guard let path else { return nil }
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read \(path)")
                }
                return String(decoding: data, as: UTF8.self)
            }
            let override = TemplateOverride(
                template: template, language: language, subject: try read(subject), text: try read(text),
                html: try read(html))
            // Checked against everything already in use, exactly as delivery will load it.
            var library = try await loadTemplates(store: store, organisationID: organisation.id, folder: nil)
            guard library.templateNames.contains(template) else {
                throw CLIError("no template '\(template)': one of \(library.templateNames.joined(separator: ", "))")
            }
            do {
                try library.override(
                    template: template, language: TemplateLanguage(tag: language)!, subject: override.subject,
                    text: override.text, html: override.html)
            } catch {
                printError("\(error)")
                printError("Nothing was stored.")
                throw DulyExit.badData
            }
            try await store.saveTemplateOverride(override, organisationID: organisation.id)
            print("Stored \(template) (\(language)) for \(organisation.name).")
        }
    }

    /// `duly templates reset TEMPLATE --language L`: back to the built-in wording.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Go back to the built-in wording of a template.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template.") var template: String
        @Option(help: "en, de, fr or nl.") var language: String

        func run() async throws {
            let command = try await CommandContext(global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            let removed = try await store.removeTemplateOverride(
                template: template, language: language, organisationID: organisation.id)
            print(removed ? "\(template) (\(language)) is back to the built-in wording." : "No override to remove.")
        }
    }
}
