import DulyCore

/// The three renderings of a message.
public enum TemplatePart: String, CaseIterable, Sendable, Hashable, Comparable {
    /// The email subject, or a letter's subject line, or a call task's title: one line.
    case subject
    /// The plain-text body (and the call script).
    case text
    /// The HTML body; every value is HTML-escaped.
    case html

    public static func < (lhs: TemplatePart, rhs: TemplatePart) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Names one part of one template in one language, for error messages and findings.
public struct TemplateLocation: Hashable, Sendable, CustomStringConvertible {
    public var template: String
    public var language: String
    public var part: TemplatePart

    public init(template: String, language: String, part: TemplatePart) {
        self.template = template
        self.language = language
        self.part = part
    }

    /// `first_follow_up (de, text)`.
    public var description: String { "\(template) (\(language), \(part.rawValue))" }
}

/// Why a template was refused or could not be rendered.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The Mustache does not parse.
    case syntax(TemplateLocation, line: Int, message: String)
    /// The template uses a field no message has.
    case unknownField(TemplateLocation, line: Int, field: String)
    /// The template applies a transform that does not exist or does not fit the field.
    case unknownTransform(TemplateLocation, line: Int, transform: String, field: String)
    /// An HTML template writes a value unescaped (`{{{name}}}` or `{{&name}}`).
    case unescapedValue(TemplateLocation, line: Int, field: String)
    /// Inheritance and content-type switches are not available to templates, nor partials outside template files.
    case unsupportedTag(TemplateLocation, line: Int, tag: String)
    /// A subject template spans lines.
    case multilineSubject(TemplateLocation)
    /// An override for a template Duly has no built-in for lacks a part.
    case missingPart(TemplateLocation)
    /// The tone guard found errors.
    case tone([ToneFinding])
    /// No template of this name exists in any language.
    case unknownTemplate(String)
    /// An override file or folder could not be read or is not named `<language>/<template>.<part>.mustache`.
    case badOverrideFile(path: String, reason: String)
    /// A template file names a partial (`{{> name}}`) that its folder and Duly's own lack, or partials name each
    /// other in a loop.
    case unknownPartial(TemplateLocation, name: String)
    /// One of Duly's own template files is missing, misnamed or fails a check: the installation is damaged.
    case brokenBuiltIn(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let location, let line, let message):
            return "template \(location), line \(line): \(message)"
        case .unknownField(let location, let line, let field):
            return "template \(location), line \(line): unknown field '\(field)'"
        case .unknownTransform(let location, let line, let transform, let field):
            return "template \(location), line \(line): transform '\(transform)' cannot be applied to '\(field)'"
        case .unescapedValue(let location, let line, let field):
            return "template \(location), line \(line): '\(field)' is written unescaped; "
                + "use {{\(field)}} so that the value is HTML-escaped"
        case .unsupportedTag(let location, let line, let tag):
            return "template \(location), line \(line): \(tag) is not supported in Duly templates "
                + "(no inheritance or content-type switches; partials only in template files, see README)"
        case .multilineSubject(let location):
            return "template \(location): a subject must be a single line"
        case .missingPart(let location):
            return "template \(location): missing; a template without a built-in needs a subject, a text "
                + "and an HTML part"
        case .tone(let findings):
            let lines = findings.map(\.description).joined(separator: "\n")
            // The template passed when it was loaded: what was filled in is at fault, and nothing was sent.
            guard findings.contains(where: \.asFilledIn) else { return lines }
            return lines + "\nNothing was sent. Change what was filled in (the signature or payment instructions "
                + "with `duly init`, or the note on the account), then deliver again."
        case .unknownTemplate(let name):
            return "no template named '\(name)'"
        case .badOverrideFile(let path, let reason):
            return "\(path): \(reason)"
        case .unknownPartial(let location, let name):
            return "template \(location): no partial named '\(name)' (or partials that name each other in a loop); "
                + "put it in partials/\(name).mustache or \(location.language)/partials/\(name).mustache"
        case .brokenBuiltIn(let path, let reason):
            return "Duly's built-in template file \(path): \(reason); reinstall Duly"
        }
    }

    /// The template part the error is about, when it is about one.
    var location: TemplateLocation? {
        switch self {
        case .syntax(let location, _, _), .unknownField(let location, _, _), .unknownTransform(let location, _, _, _),
            .unescapedValue(let location, _, _), .unsupportedTag(let location, _, _), .multilineSubject(let location),
            .missingPart(let location), .unknownPartial(let location, _):
            return location
        case .tone(let findings): return findings.first?.location
        case .unknownTemplate, .badOverrideFile, .brokenBuiltIn: return nil
        }
    }
}
