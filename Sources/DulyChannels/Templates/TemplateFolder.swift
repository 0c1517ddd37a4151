import Foundation

/// A folder of templates in the layout of Duly's own (README, "Templates for translators"):
/// `<language>/<template>.<part>.mustache`, part being `subject`, `text` or `html`, and the pieces several templates
/// share as partials, `partials/<name>.mustache` for every language and `<language>/partials/<name>.mustache` for
/// one. A template names a partial as `{{> name}}`; the partial's text, without its file's final line break, takes
/// the place of the tag.
struct TemplateFolder {
    /// One part of one template as written in its file, partials not yet pasted in.
    struct File {
        var path: String
        var text: String
    }

    var path: String
    /// The parts found, by language and template name.
    var templates: [TemplateLanguage: [String: [TemplatePart: File]]] = [:]
    /// The partials of every language (`nil`) and of each language.
    var partials: [TemplateLanguage?: [String: String]] = [:]

    /// Reads every `.mustache` file in `path`; other files, and folders holding no `.mustache` file, are ignored.
    ///
    /// - Throws: `failure(path, reason)` for a `.mustache` file named otherwise or under a folder that is not one of
    ///   Duly's languages, or one that cannot be read as UTF-8 text.
    init(path: String, failure: (String, String) -> TemplateError) throws(TemplateError) {
        self.path = path
        let files = FileManager.default
        guard let folders = try? files.contentsOfDirectory(atPath: path).sorted() else {
            throw failure(path, "cannot read the folder")
        }
        func read(_ file: String) throws(TemplateError) -> String {
            guard let data = files.contents(atPath: file), let text = String(validating: data, as: UTF8.self) else {
                throw failure(file, "cannot read the file as UTF-8 text")
            }
            return text
        }
        func readPartials(in folder: String, language: TemplateLanguage?) throws(TemplateError) {
            for name in (try? files.contentsOfDirectory(atPath: folder).sorted()) ?? []
            where name.hasSuffix(".mustache") {
                let partial = String(name.dropLast(".mustache".count))
                guard TemplateFolder.isName(partial) else {
                    throw failure(folder + "/" + name, "name a partial <name>.mustache (letters, digits, _ and -)")
                }
                var text = Substring(try read(folder + "/" + name))
                if text.last == "\n" { text = text.dropLast() }
                partials[language, default: [:]][partial] = String(text)
            }
        }
        for folder in folders where !folder.hasPrefix(".") {
            let folderPath = path + "/" + folder
            if folder == "partials" {
                try readPartials(in: folderPath, language: nil)
                continue
            }
            // Plain files beside the language folders (a README) are not templates.
            guard let names = try? files.contentsOfDirectory(atPath: folderPath).sorted() else { continue }
            for name in names where name.hasSuffix(".mustache") {
                let file = folderPath + "/" + name
                guard let language = TemplateLanguage(rawValue: folder) else {
                    throw failure(
                        file,
                        "'\(folder)' is not a template language; use one of "
                            + TemplateLanguage.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let pieces = name.dropLast(".mustache".count).split(separator: ".", omittingEmptySubsequences: false)
                guard pieces.count == 2, let part = TemplatePart(rawValue: String(pieces[1])),
                    TemplateFolder.isName(pieces[0])
                else {
                    throw failure(file, "name it <template>.subject.mustache, .text.mustache or .html.mustache")
                }
                templates[language, default: [:]][String(pieces[0]), default: [:]][part] = File(
                    path: file, text: try read(file))
            }
            if let language = TemplateLanguage(rawValue: folder) {
                try readPartials(in: folderPath + "/partials", language: language)
            }
        }
    }

    private static func isName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// The file's text with every `{{> name}}` replaced by the partial: this folder's for the language, then this
    /// folder's for every language, then those of `fallback` (Duly's own) in the same order.
    ///
    /// - Throws: `TemplateError.unknownPartial` when no partial has the name, or partials name each other in a loop.
    func expand(
        _ text: String, language: TemplateLanguage, at location: TemplateLocation, fallback: TemplateFolder? = nil,
        depth: Int = 0
    ) throws(TemplateError) -> String {
        guard text.contains("{{>") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{>") {
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { break }
            result += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard depth < 8,
                let partial = partial(name, language: language) ?? fallback?.partial(name, language: language)
            else {
                throw .unknownPartial(location, name: name)
            }
            result += try expand(partial, language: language, at: location, fallback: fallback, depth: depth + 1)
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    private func partial(_ name: String, language: TemplateLanguage) -> String? {
        partials[language]?[name] ?? partials[nil]?[name]
    }
}
