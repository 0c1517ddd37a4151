import ArgumentParser
import DulyChannels

/// `duly templates`: check the message templates.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Check message templates.", subcommands: [Lint.self])

    /// `duly templates lint [FOLDER]`: the tone guard over the built-in templates and any overrides.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every template's voice for its stage: no threats before non_payment, never insults.",
            discussion: "Exits 65 when any finding is an error. Overrides: FOLDER/<language>/<template>.<part>.mustache"
        )

        @Argument(help: "A folder of template overrides to check with the built-ins.") var folder: String?

        func run() throws {
            var library = TemplateLibrary()
            if let folder {
                do { try library.loadOverrides(from: folder) } catch {
                    printError("\(error)")
                    throw DulyExit.badData
                }
            }
            let findings = library.lint()
            for finding in findings { print(finding.description) }
            let errors = findings.filter { $0.severity == .error }.count
            print(
                "\(library.templateNames.count) templates checked: \(errors) error\(errors == 1 ? "" : "s"), "
                    + "\(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s").")
            if errors > 0 { throw DulyExit.badData }
        }
    }
}
