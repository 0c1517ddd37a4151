import DulyCore
import Mustache

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A message written out from a template: what the mailer, the letter printer or the worklist shows.
public struct RenderedMessage: Hashable, Sendable {
    /// One line: no CR, LF or other line break, whatever the values held.
    public var subject: String
    public var text: String
    /// Every value HTML-escaped.
    public var html: String
    /// The language rendered: the one asked for, or English when the template has no version in it.
    public var language: TemplateLanguage
    public var template: String

    public init(subject: String, text: String, html: String, language: TemplateLanguage, template: String) {
        self.subject = subject
        self.text = text
        self.html = html
        self.language = language
        self.template = template
    }
}

/// The Mustache sources of one template in one language.
public struct TemplateSource: Hashable, Sendable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The source of one part.
    public subscript(part: TemplatePart) -> String {
        switch part {
        case .subject: return subject
        case .text: return text
        case .html: return html
        }
    }
}

/// The templates messages are written from: Duly's built-ins, with an organisation's overrides on top.
///
/// Every template is checked when it is loaded: it must parse, use only the fields a message has (see
/// `MessageContext.fieldNames`), escape every value in HTML, keep its subject on one line, and pass the `ToneGuard`
/// for the stage of the playbook step that uses it. A template that fails any check is refused with an error that
/// names the template, the language, the part, the line and the field or phrase.
///
/// Overrides come from a folder, `<dir>/<language>/<template>.subject.mustache` (and `.text.mustache`,
/// `.html.mustache`), or as strings (the database's copies). An override may replace one part of a built-in and keep
/// the others; a template Duly has no built-in for needs all three parts.
public struct TemplateLibrary: Sendable {
    /// The template sent when a chased invoice is paid in full.
    public static let thankYou = "thank_you"

    private struct Key: Hashable, Sendable {
        var template: String
        var language: TemplateLanguage
    }

    private struct Compiled: Sendable {
        var source: TemplateSource
        var subject: MustacheTemplate
        var text: MustacheTemplate
        var html: MustacheTemplate
    }

    private var templates: [Key: Compiled]
    private let stages: [String: Stage]
    // Templates only the team reads (the manager's note, call scripts): they need not offer the client a way forward.
    private let teamTemplates: Set<String>

    /// The built-in templates, checked against the stages of `playbook`'s steps.
    ///
    /// The messages about events keep the voice of the stage the planner plans them in, `delayed` (positive,
    /// never a threat), except the thank-you, which goes to a client who has just paid and is held to `pre_due`'s.
    public init(playbook: Playbook = .standard) {
        var stages: [String: Stage] = [TemplateLibrary.thankYou: .preDue]
        for template in Playbook.eventStepIDs where stages[template] == nil { stages[template] = .delayed }
        for step in playbook.steps { stages[step.template] = min(stages[step.template] ?? step.stage, step.stage) }
        self.stages = stages
        func readByTeam(_ step: PlaybookStep) -> Bool {
            step.escalatesTo == .manager || step.channel == .call || step.channel == .meeting
        }
        self.teamTemplates = Set(playbook.steps.filter(readByTeam).map(\.template)).subtracting(
            playbook.steps.filter { !readByTeam($0) }.map(\.template))
        self.templates = TemplateLibrary.builtIns
    }

    /// Duly's templates read from `directory`, a folder laid out as the built-ins are (`Templates/BuiltIn`), in
    /// place of the built-ins: for checking a translation of the whole set before it ships.
    ///
    /// - Throws: `TemplateError.brokenBuiltIn` naming the file that is missing, misnamed or does not pass a check.
    public init(builtInsAt directory: String, playbook: Playbook = .standard) throws(TemplateError) {
        self.init(playbook: playbook)
        let folder = try BuiltInTemplates.read(directory)
        self.templates = try TemplateLibrary.compile(BuiltInTemplates.sources(of: folder), from: folder)
    }

    // Compiled once per process: the built-ins are part of the program, and the tests hold them to every check.
    private static let compiledBuiltIns: Result<[Key: Compiled], TemplateError> = BuiltInTemplates.loadedSources
        .flatMap { sources in
            Result { () throws(TemplateError) in try compile(sources, from: BuiltInTemplates.folder) }
        }

    private static var builtIns: [Key: Compiled] { BuiltInTemplates.unwrap(compiledBuiltIns) }

    /// Checks that Duly's own template files are all there and pass every check: a command calls it before it
    /// writes a message, so that a damaged installation is one line naming the file rather than a crash.
    ///
    /// - Throws: `TemplateError.brokenBuiltIn` naming the file.
    public static func checkBuiltIns() throws(TemplateError) {
        _ = try compiledBuiltIns.get()
    }

    private static func compile(
        _ sources: [TemplateLanguage: [String: TemplateSource]], from folder: TemplateFolder
    ) throws(TemplateError) -> [Key: Compiled] {
        var compiled: [Key: Compiled] = [:]
        for (language, templates) in sources {
            for (name, source) in templates {
                do {
                    compiled[Key(template: name, language: language)] = try compile(
                        source, template: name, language: language)
                } catch {
                    let part = error.location?.part ?? .text
                    let path = folder.templates[language]?[name]?[part]?.path ?? folder.path
                    throw .brokenBuiltIn(path: path, reason: error.description)
                }
            }
        }
        return compiled
    }

    /// The stage whose voice a template must keep: that of the earliest playbook step using it; a template no step
    /// uses is held to the strictest voice, `pre_due`'s.
    public func stage(of template: String) -> Stage { stages[template] ?? .preDue }

    /// Whether a template is a message to the client, which must offer a way forward, rather than a note or a call
    /// script for the team.
    public func speaksToClient(_ template: String) -> Bool { !teamTemplates.contains(template) }

    /// Every template name, sorted.
    public var templateNames: [String] { Set(templates.keys.map(\.template)).sorted() }

    /// The languages a template exists in.
    public func languages(of template: String) -> [TemplateLanguage] {
        templates.keys.filter { $0.template == template }.map(\.language).sorted()
    }

    /// The sources of a template in a language, as loaded (for the template editor and for copying a built-in).
    public func source(of template: String, language: TemplateLanguage) -> TemplateSource? {
        templates[Key(template: template, language: language)]?.source
    }

    /// The built-in sources of a template in a language.
    public static func builtInSource(of template: String, language: TemplateLanguage) -> TemplateSource? {
        BuiltInTemplates.all[language]?[template]
    }

    // MARK: - Overrides

    /// Replaces parts of a template in one language; the parts not given stay as they were (the built-in's).
    ///
    /// - Throws: `TemplateError` naming the part, line and field or phrase when a part fails a check; the library
    ///   is unchanged then.
    public mutating func override(
        template: String, language: TemplateLanguage, subject: String? = nil, text: String? = nil,
        html: String? = nil
    ) throws(TemplateError) {
        let key = Key(template: template, language: language)
        let existing = templates[key]?.source
        func part(_ given: String?, _ part: TemplatePart) throws(TemplateError) -> String {
            if let given { return given }
            guard let existing else {
                throw .missingPart(TemplateLocation(template: template, language: language.rawValue, part: part))
            }
            return existing[part]
        }
        let source = TemplateSource(
            subject: try part(subject.map(TemplateLibrary.trimmingFinalLineBreaks), .subject),
            text: try part(text, .text), html: try part(html, .html))
        let compiled = try TemplateLibrary.compile(source, template: template, language: language)
        let errors = TemplateLibrary.toneFindings(
            of: source, template: template, language: language,
            stage: stage(of: template), speaksToClient: speaksToClient(template)
        ).filter { $0.severity == .error }
        guard errors.isEmpty else { throw .tone(errors) }
        templates[key] = compiled
    }

    /// Loads every override in `directory`, laid out as the built-ins are (`TemplateFolder`):
    /// `<language>/<template>.<part>.mustache`, part being `subject`, `text` or `html`, with partials in `partials/`
    /// and `<language>/partials/` (Duly's own partials are there too). Other files are ignored; a `.mustache` file
    /// named otherwise, or under a folder that is not one of Duly's languages, is an error. Nothing is loaded unless
    /// everything loads.
    public mutating func loadOverrides(from directory: String) throws(TemplateError) {
        let folder = try TemplateFolder(path: directory) { .badOverrideFile(path: $0, reason: $1) }
        var updated = self
        let found = folder.templates.flatMap { language, templates in
            templates.map { (template: $0.key, language: language, files: $0.value) }
        }
        for (template, language, files) in found.sorted(by: { ($0.template, $0.language) < ($1.template, $1.language) })
        {
            func part(_ part: TemplatePart) throws(TemplateError) -> String? {
                guard let file = files[part] else { return nil }
                return try folder.expand(
                    file.text, language: language,
                    at: TemplateLocation(template: template, language: language.rawValue, part: part),
                    fallback: BuiltInTemplates.folder)
            }
            try updated.override(
                template: template, language: language, subject: try part(.subject), text: try part(.text),
                html: try part(.html))
        }
        self = updated
    }

    // MARK: - Rendering

    /// Renders a template for a context in a language (a tag such as `de` or `fr-BE`; nil or an unknown one is
    /// English), falling back to English when the template has no version in that language.
    public func render(
        template: String, language: String?, context: MessageContext
    ) throws(TemplateError)
        -> RenderedMessage
    {
        try render(template: template, language: TemplateLanguage(tag: language) ?? .en, context: context)
    }

    /// Renders the context's own template in the customer's language.
    public func render(_ context: MessageContext) throws(TemplateError) -> RenderedMessage {
        try render(template: context.template, language: context.preferredLanguage ?? .en, context: context)
    }

    /// Renders a template for a context in a language, falling back to English when the template has no version in
    /// that language.
    public func render(
        template: String, language: TemplateLanguage, context: MessageContext
    ) throws(TemplateError)
        -> RenderedMessage
    {
        var used = language
        var compiled = templates[Key(template: template, language: language)]
        if compiled == nil {
            used = .en
            compiled = templates[Key(template: template, language: .en)]
        }
        guard let compiled else { throw .unknownTemplate(template) }
        let values = context.valuesWithInterest(in: used)
        let rendered = RenderedMessage(
            subject: TemplateLibrary.oneLine(compiled.subject.render(values)),
            text: compiled.text.render(values), html: compiled.html.render(values), language: used,
            template: template)
        let errors = filledInFindings(of: rendered, context: context).filter { $0.severity == .error }
        guard errors.isEmpty else { throw .tone(errors) }
        return rendered
    }

    /// The tone guard's findings in a message as written out: what the organisation filled in (its signature, its
    /// payment instructions, a collector's note) speaks in the message's voice as much as the template does. What
    /// the client wrote or is called (its name, its contact's, its references, the reason it gave for a dispute) is
    /// left out: a client named "Court Lane Ltd" is no threat. A message to the client must also offer a way forward
    /// as written out.
    public func filledInFindings(of message: RenderedMessage, context: MessageContext) -> [ToneFinding] {
        let stage = stage(of: message.template)
        let theirs = context.namesAndClientsWords
        return TemplatePart.allCases.flatMap { part -> [ToneFinding] in
            let location = TemplateLocation(template: message.template, language: message.language.rawValue, part: part)
            let text: String
            switch part {
            case .subject: text = message.subject
            case .text: text = message.text
            case .html: text = message.html
            }
            var findings = ToneGuard.check(
                ToneGuard.blanking(theirs, in: text, html: part == .html), at: location, stage: stage)
            if part != .subject, speaksToClient(message.template), !context.isInternal,
                !ToneGuard.offersWayForward(text, part: part)
                    && !context.waysToAnswer.contains(where: { !$0.isEmpty && text.contains($0) })
            {
                findings.append(
                    ToneFinding(
                        location: location, stage: stage, line: 1, phrase: "", rule: .noWayForward, severity: .error))
            }
            return findings.map {
                var finding = $0
                finding.asFilledIn = true
                return finding
            }
        }
    }

    // MARK: - Lint

    /// The tone guard's findings, errors and warnings, for every template and language loaded.
    public func lint() -> [ToneFinding] {
        templates.keys.sorted { ($0.template, $0.language) < ($1.template, $1.language) }.flatMap { key in
            TemplateLibrary.toneFindings(
                of: templates[key]!.source, template: key.template, language: key.language,
                stage: stage(of: key.template), speaksToClient: speaksToClient(key.template))
        }
    }

    private static func toneFindings(
        of source: TemplateSource, template: String, language: TemplateLanguage, stage: Stage, speaksToClient: Bool
    ) -> [ToneFinding] {
        TemplatePart.allCases.flatMap { part in
            let location = TemplateLocation(template: template, language: language.rawValue, part: part)
            var findings = ToneGuard.check(source[part], at: location, stage: stage)
            if speaksToClient, part != .subject, !ToneGuard.offersWayForward(source[part], part: part) {
                findings.append(
                    ToneFinding(
                        location: location, stage: stage, line: 1, phrase: "", rule: .noWayForward, severity: .error))
            }
            return findings
        }
    }

    // MARK: - Compiling

    // Text and subject render without HTML escaping. The switch stands on a line of its own, which Mustache drops
    // whole, so the template's first line still starts a line (its standalone tags vanish as they should).
    private static let plainTextPrefix = "{{%CONTENT_TYPE:TEXT}}\n"

    private static func compile(
        _ source: TemplateSource, template: String, language: TemplateLanguage
    ) throws(TemplateError) -> Compiled {
        func location(_ part: TemplatePart) -> TemplateLocation {
            TemplateLocation(template: template, language: language.rawValue, part: part)
        }
        if source.subject.contains(where: \.isNewline) { throw .multilineSubject(location(.subject)) }
        func parse(_ part: TemplatePart) throws(TemplateError) -> MustacheTemplate {
            let text = source[part]
            do {
                return try MustacheTemplate(string: part == .html ? text : plainTextPrefix + text)
            } catch let error as MustacheTemplate.ParserError {
                let line = error.context.lineNumber - (part == .html ? 0 : 1)
                throw .syntax(location(part), line: max(line, 1), message: "\(error.error)")
            } catch {
                throw .syntax(location(part), line: 1, message: "\(error)")
            }
        }
        let compiled = Compiled(
            source: source, subject: try parse(.subject), text: try parse(.text),
            html: try parse(.html))
        for part in TemplatePart.allCases {
            try FieldChecker.check(source[part], at: location(part))
        }
        return compiled
    }

    static func trimmingFinalLineBreaks(_ text: String) -> String {
        var text = Substring(text)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }

    /// A subject on one line: every line break, tab and control character becomes a space, runs of spaces one space.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            // A no-break space inside an amount stays; breaks, tabs and control characters do not.
            if character.isNewline || character == " "
                || character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control })
            {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
        }
        return result
    }
}
