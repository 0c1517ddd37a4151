/// One tag in a Mustache source, as swift-mustache 2.1.1's parser reads it.
///
/// swift-mustache keeps its parsed tokens internal, so Duly reads the tags itself to check field names and to blank
/// them out for the tone guard. The parser proper still parses every template first, so a source that reaches this
/// scanner is known to be well formed; the scanner only has to agree on where tags are and what they name.
struct MustacheTag: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// `{{name}}`: escaped in HTML.
        case variable
        /// `{{{name}}}` or `{{&name}}`: never escaped.
        case unescaped
        /// `{{#name}}`.
        case section
        /// `{{^name}}`.
        case invertedSection
        /// `{{/name}}`.
        case close
        /// `{{! … }}`.
        case comment
        /// `{{>name}}`, `{{<name}}`, `{{$name}}`: partials and inheritance blocks.
        case partial
        /// `{{=<% %>=}}`.
        case delimiters
        /// `{{%CONTENT_TYPE:…}}`.
        case configuration
    }

    var kind: Kind
    /// The field name with its transforms removed (`customer_name` in `{{uppercased(customer_name)}}`).
    var name: String
    /// Transforms in the order they apply (innermost first).
    var transforms: [String]
    /// The tag as written.
    var raw: String
    /// 1-based line of the tag's first character.
    var line: Int
    /// Where the tag is in the source.
    var range: Range<String.Index>

    /// Every tag in `source`, in order.
    static func scan(_ source: String) -> [MustacheTag] {
        var tags: [MustacheTag] = []
        var open = "{{"
        var close = "}}"
        var index = source.startIndex
        var line = 1
        var lineCountedTo = source.startIndex
        func lineAt(_ position: String.Index) -> Int {
            line += source[lineCountedTo..<position].reduce(0) { $0 + ($1.isNewline ? 1 : 0) }
            lineCountedTo = position
            return line
        }
        while let start = source[index...].firstRange(of: open) {
            var contentStart = start.upperBound
            var triple = false
            if open == "{{" && close == "}}" && source[contentStart...].hasPrefix("{") {
                triple = true
                contentStart = source.index(after: contentStart)
            }
            guard let end = source[contentStart...].firstRange(of: close) else { break }
            var tagEnd = end.upperBound
            if triple && source[tagEnd...].hasPrefix("}") { tagEnd = source.index(after: tagEnd) }
            let content = String(source[contentStart..<end.lowerBound])
            let tagLine = lineAt(start.lowerBound)
            let raw = String(source[start.lowerBound..<tagEnd])
            var kind = MustacheTag.Kind.variable
            var body = Substring(content)
            if triple {
                kind = .unescaped
            } else if let first = content.first {
                switch first {
                case "#": kind = .section
                case "^": kind = .invertedSection
                case "/": kind = .close
                case "!": kind = .comment
                case "&": kind = .unescaped
                case ">", "<", "$": kind = .partial
                case "=": kind = .delimiters
                case "%": kind = .configuration
                default: break
                }
                if kind != .variable { body = body.dropFirst() }
            }
            let (name, transforms) = MustacheTag.splitName(body.trimmingWhitespace)
            tags.append(
                MustacheTag(
                    kind: kind, name: name, transforms: transforms, raw: raw, line: tagLine,
                    range: start.lowerBound..<tagEnd))
            if kind == .delimiters {
                let parts = body.dropLast(body.hasSuffix("=") ? 1 : 0).split(whereSeparator: \.isWhitespace)
                if parts.count == 2 {
                    open = String(parts[0])
                    close = String(parts[1])
                }
            }
            index = tagEnd
        }
        return tags
    }

    /// `uppercased(customer_name)` is the field `customer_name` with the transform `uppercased`;
    /// `first()` is the sequence transform `first` with no field.
    private static func splitName(_ text: String) -> (String, [String]) {
        guard text.contains("(") else { return (text, []) }
        let parts = text.split(separator: "(", omittingEmptySubsequences: false)
        let name = parts.last!.filter { $0 != ")" }
        return (String(name), parts.dropLast().map(String.init).reversed())
    }

    /// The source with every tag replaced by spaces (line breaks kept), so that text checks see only the words the
    /// template author wrote and report the right line.
    static func blankingTags(in source: String) -> String {
        var result = ""
        var index = source.startIndex
        for tag in scan(source) {
            result += source[index..<tag.range.lowerBound]
            result += source[tag.range].map { $0.isNewline ? String($0) : " " }.joined()
            index = tag.range.upperBound
        }
        result += source[index...]
        return result
    }
}
