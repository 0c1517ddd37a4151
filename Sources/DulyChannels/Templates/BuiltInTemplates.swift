import Foundation

/// Duly's own templates: the `.mustache` files in `Templates/BuiltIn`, shipped as the package's resources and read
/// once per process.
///
/// Every language has the same set: the templates of `Playbook.standard`, the messages about events (`thank_you`,
/// `instalment_reminder`, `instalment_missed`, `dispute_rejected`) and `settlement_offer`. The HTML parts share one
/// page shell (`partials/page_top`, `partials/page_bottom`); the prose is each language's own, in the voice of the
/// step's stage (docs/PRODUCT.md, "Stages").
enum BuiltInTemplates {
    /// The folder as read, or why it could not be: `TemplateLibrary.checkBuiltIns()` reports that as an error.
    static let loaded: Result<TemplateFolder, TemplateError> = {
        guard let url = Bundle.module.url(forResource: "BuiltIn", withExtension: nil) else {
            return .failure(
                .brokenBuiltIn(path: Bundle.module.bundlePath + "/BuiltIn", reason: "missing, with every template"))
        }
        return Result { () throws(TemplateError) in try read(url.path) }
    }()

    /// Every template of the folder, each part's file with its partials pasted in, or why not.
    static let loadedSources: Result<[TemplateLanguage: [String: TemplateSource]], TemplateError> = loaded.flatMap {
        folder in Result { () throws(TemplateError) in try sources(of: folder) }
    }

    /// The folder as read, partials not yet pasted in (an override folder's templates fall back on its partials).
    static var folder: TemplateFolder { unwrap(loaded) }

    /// Every template of the folder, each part's file with its partials pasted in.
    static var all: [TemplateLanguage: [String: TemplateSource]] { unwrap(loadedSources) }

    // Duly cannot write a message without its templates; the commands check them first (`checkBuiltIns()`) and say
    // what is wrong, so this stop names the file too.
    static func unwrap<Value>(_ result: Result<Value, TemplateError>) -> Value {
        switch result {
        case .success(let value): return value
        case .failure(let error): fatalError("\(error)")
        }
    }

    /// Reads a folder of built-in templates, requiring every language to have every template and every template
    /// its three parts.
    ///
    /// - Throws: `TemplateError.brokenBuiltIn` naming the file that is missing or unreadable.
    static func read(_ path: String) throws(TemplateError) -> TemplateFolder {
        let folder = try TemplateFolder(path: path) { .brokenBuiltIn(path: $0, reason: $1) }
        let names = Set(folder.templates.values.flatMap(\.keys))
        for language in TemplateLanguage.allCases {
            for name in names.sorted() {
                for part in TemplatePart.allCases where folder.templates[language]?[name]?[part] == nil {
                    throw .brokenBuiltIn(
                        path: "\(path)/\(language.rawValue)/\(name).\(part.rawValue).mustache",
                        reason: "missing; every built-in template needs its subject, text and html file in every "
                            + "language")
                }
            }
        }
        return folder
    }

    /// The sources of every template in a folder read by `read(_:)`: partials pasted in, the subject's final line
    /// break dropped (editors add one).
    ///
    /// - Throws: `TemplateError.brokenBuiltIn` naming the file that uses a partial the folder lacks.
    static func sources(of folder: TemplateFolder) throws(TemplateError) -> [TemplateLanguage: [String: TemplateSource]]
    {
        var all: [TemplateLanguage: [String: TemplateSource]] = [:]
        for (language, templates) in folder.templates {
            for (name, files) in templates {
                func part(_ part: TemplatePart) throws(TemplateError) -> String {
                    let file = files[part]!
                    do {
                        return try folder.expand(
                            file.text, language: language,
                            at: TemplateLocation(template: name, language: language.rawValue, part: part))
                    } catch {
                        throw .brokenBuiltIn(path: file.path, reason: error.description)
                    }
                }
                all[language, default: [:]][name] = TemplateSource(
                    subject: TemplateLibrary.trimmingFinalLineBreaks(try part(.subject)), text: try part(.text),
                    html: try part(.html))
            }
        }
        return all
    }
}
