/// Checks that a template uses only fields a message has, in the places it has them.
///
/// Walks the template's tags with the same scoping rules as swift-mustache: inside `{{#invoices}}` a name is looked
/// up in the invoice first, then at the top level. Every branch is checked, taken or not, so a typo inside
/// `{{^has_contact_name}}` is caught at load rather than on the day a client without a contact is chased.
enum FieldChecker {
    /// What a name resolves to, extended with the records `first(…)` and `last(…)` yield.
    private indirect enum Kind {
        case field(FieldKind)
        case record([String: FieldKind])
    }

    private enum Scope {
        /// A record's fields (an invoice, a total).
        case record([String: FieldKind], fromList: Bool)
        /// A plain value pushed by a section over a string or a list of strings (`{{.}}`).
        case value(fromList: Bool)
        /// A section over a flag: nothing new in scope.
        case none
    }

    private static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]

    /// Throws the first unknown field, unknown transform, unescaped HTML value or unsupported tag.
    static func check(
        _ source: String, at location: TemplateLocation, fields: [String: FieldKind] = MessageContext.fields
    ) throws(TemplateError) {
        var scopes: [Scope] = []
        for tag in MustacheTag.scan(source) {
            switch tag.kind {
            case .comment, .delimiters, .close:
                if tag.kind == .close { _ = scopes.popLast() }
                continue
            case .partial, .configuration:
                throw .unsupportedTag(location, line: tag.line, tag: tag.raw)
            case .unescaped where location.part == .html:
                throw .unescapedValue(location, line: tag.line, field: tag.name)
            case .variable, .unescaped, .section, .invertedSection:
                break
            }
            let kind = try resolve(tag, scopes: scopes, root: fields, at: location)
            switch tag.kind {
            case .section:
                scopes.append(push(kind))
            case .invertedSection:
                scopes.append(.none)
            default:
                break
            }
        }
    }

    private static func push(_ kind: Kind) -> Scope {
        switch kind {
        case .record(let fields): return .record(fields, fromList: false)
        case .field(.list(let fields)): return .record(fields, fromList: true)
        case .field(.textList): return .value(fromList: true)
        case .field(.text), .field(.number): return .value(fromList: false)
        case .field(.flag): return .none
        }
    }

    private static func resolve(
        _ tag: MustacheTag, scopes: [Scope], root: [String: FieldKind], at location: TemplateLocation
    ) throws(TemplateError) -> Kind {
        let pushed = scopes.filter { if case .none = $0 { false } else { true } }
        var kind: Kind
        if tag.name == "." {
            guard case .value = pushed.last else { throw .unknownField(location, line: tag.line, field: ".") }
            kind = .field(.text)
        } else if tag.name.isEmpty && !tag.transforms.isEmpty {
            // `{{#first()}}`: a transform of the position in the list being looped over.
            let inList: Bool
            switch pushed.last {
            case .record(_, let fromList), .value(let fromList): inList = fromList
            default: inList = false
            }
            guard inList, tag.transforms.count == 1, let transform = tag.transforms.first,
                sequenceTransforms.contains(transform)
            else {
                throw .unknownTransform(
                    location, line: tag.line, transform: tag.transforms.joined(separator: "("), field: "")
            }
            return .field(transform == "index" ? .number : .flag)
        } else {
            let onlyTop = tag.name.hasPrefix(".")
            let path = tag.name.split(separator: ".").map(String.init)
            guard path.count == 1, let name = path.first else {
                throw .unknownField(location, line: tag.line, field: tag.name)
            }
            var found: FieldKind?
            for scope in pushed.reversed() {
                if case .record(let fields, _) = scope, let hit = fields[name] {
                    found = hit
                    break
                }
                if onlyTop { break }
            }
            if found == nil && (!onlyTop || pushed.isEmpty) { found = root[name] }
            guard let found else { throw .unknownField(location, line: tag.line, field: tag.name) }
            kind = .field(found)
        }
        for transform in tag.transforms {
            guard let next = apply(transform, to: kind) else {
                throw .unknownTransform(location, line: tag.line, transform: transform, field: tag.name)
            }
            kind = next
        }
        return kind
    }

    // The transforms swift-mustache 2.1.1 defines, and what each yields.
    private static func apply(_ transform: String, to kind: Kind) -> Kind? {
        switch (kind, transform) {
        case (.field(.text), "capitalized"), (.field(.text), "lowercased"), (.field(.text), "uppercased"),
            (.field(.text), "reversed"):
            return .field(.text)
        case (.field(.text), "empty"): return .field(.flag)
        case (.field(.number), "plusone"), (.field(.number), "minusone"): return .field(.number)
        case (.field(.number), "equalzero"), (.field(.number), "even"), (.field(.number), "odd"): return .field(.flag)
        case (.field(.list(let fields)), "first"), (.field(.list(let fields)), "last"): return .record(fields)
        case (.field(.textList), "first"), (.field(.textList), "last"): return .field(.text)
        case (.field(.list), "count"), (.field(.textList), "count"): return .field(.number)
        case (.field(.list), "empty"), (.field(.textList), "empty"): return .field(.flag)
        default: return nil
        }
    }
}
