import DulyCore

#if canImport(FoundationXML)
    import FoundationXML
    import Foundation
#else
    import Foundation
#endif

// The safety checks every XML import shares (UBL and camt.053): UTF-8 only, and no DOCTYPE at all, so that no entity
// is ever declared, expanded or fetched.
/// A parser delegate the shared driver can run: it collects issues and says where parsing stopped and why.
protocol GuardedXMLReader: XMLParserDelegate {
    var issues: [ImportIssue] { get set }
    /// The reader stopped the parser itself (its own issue is already recorded).
    var aborted: Bool { get }
    var parseError: (any Error)? { get }
    var errorPosition: (line: Int, column: Int)? { get }
    /// The elements still open, outermost first.
    var openElements: [(name: String, line: Int)] { get }
}

enum XMLGuard {
    /// Runs `reader` over `bytes` with entities off, streamed (given the whole document at once, libxml2 refuses
    /// anything over 10 MB), and records a parse failure or a document that stops early as an issue of `fileName`.
    /// Returns whether the parser finished.
    static func run(_ reader: some GuardedXMLReader, on bytes: [UInt8], fileName: String) -> Bool {
        let parser = XMLParser(stream: InputStream(data: Data(bytes)))
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let finished = parser.parse()
        if !finished, !reader.aborted {
            let error = reader.parseError ?? parser.parserError
            let position = reader.errorPosition ?? (parser.lineNumber, parser.columnNumber)
            reader.issues.append(
                ImportIssue(
                    file: fileName, line: max(position.line, 1), column: max(position.column, 1),
                    message: "not well-formed XML" + (error.map { ": \(describe($0))" } ?? "")))
        }
        // Foundation on Linux does not always report a document that simply stops: an element left open says so.
        if finished, !reader.aborted, let open = reader.openElements.last {
            let end = position(of: bytes.count, in: bytes)
            reader.issues.append(
                ImportIssue(
                    file: fileName, line: end.line, column: end.column,
                    message: "the document ends before <\(open.name)> (line \(open.line)) is closed: truncated?"))
        }
        return finished
    }

    /// The first problem before the root element, or nil. `standard` names the format in messages ("UBL invoices").
    static func checkProlog(_ bytes: [UInt8], fileName: String, standard: String) -> ImportIssue? {
        func issue(at offset: Int, _ message: String) -> ImportIssue {
            let (line, column) = position(of: offset, in: bytes)
            return ImportIssue(file: fileName, line: line, column: column, message: message)
        }
        guard !bytes.isEmpty else {
            return ImportIssue(file: fileName, line: 1, column: 1, message: "the file is empty")
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.prefix(4).contains(0) {
            return issue(at: 0, "the file is UTF-16 or UTF-32; \(standard) are read as UTF-8 only")
        }
        if let bad = firstInvalidUTF8(bytes) {
            return issue(
                at: bad,
                "byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) is not UTF-8 (mixed or legacy encoding, "
                    + "such as Latin-1 text in a UTF-8 file); \(standard) are read as UTF-8 only")
        }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            } else if matches("<?", bytes, at: index) {
                let end = find("?>", bytes, from: index + 2) ?? bytes.count
                if let declared = encodingDeclared(in: bytes[index..<end]),
                    !["UTF-8", "UTF8"].contains(declared.uppercased())
                {
                    return issue(at: index, "the document declares encoding '\(declared)'; \(standard) are UTF-8")
                }
                index = end + 2
            } else if matches("<!--", bytes, at: index) {
                index = (find("-->", bytes, from: index + 4) ?? bytes.count) + 3
            } else if matches("<!", bytes, at: index) {
                return issue(
                    at: index,
                    "the document has a DOCTYPE (a DTD or entity declarations, as in XXE and 'billion laughs' "
                        + "attacks); \(standard) need none, and they are refused so that no entity is ever expanded or "
                        + "fetched")
            } else {
                return nil
            }
        }
        return nil
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    // The error codes are libxml2's (xmlParserErrors), which Foundation passes on; its messages are not available.
    static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        let reasons: [Int: String] = [
            4: "the document is empty",
            5: "the document ends early or has content after its root element",
            9: "a character that XML does not allow",
            26: "an entity that is not declared (only &lt; &gt; &amp; &quot; &apos; are allowed)",
            38: "an attribute given twice",
            39: "an attribute value without quotes",
            41: "an attribute without a value",
            68: "a name was expected",
            73: "'>' was expected",
            76: "an end tag does not match its start tag",
            77: "a tag is not finished",
        ]
        return reasons[code].map { "\($0) (libxml2 error \(code))" } ?? "libxml2 error \(code)"
    }

    private static func matches(_ text: String, _ bytes: [UInt8], at index: Int) -> Bool {
        let pattern = Array(text.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        return bytes[index..<index + pattern.count].elementsEqual(pattern)
    }

    private static func find(_ text: String, _ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if matches(text, bytes, at: index) { return index }
            index += 1
        }
        return nil
    }

    private static func encodingDeclared(in declaration: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: declaration, as: UTF8.self)
        guard text.hasPrefix("<?xml"), let range = text.range(of: "encoding") else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// An element read so far: local name, attributes (by local name), trimmed text, and where its content starts.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    let line: Int
    let column: Int
    var text = ""
    var children: [XMLNode] = []

    init(name: String, attributes: [String: String], line: Int, column: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The first element down a path of local names.
    func at(_ path: String...) -> XMLNode? { at(path) }

    func at(_ path: [String]) -> XMLNode? {
        var current: XMLNode? = self
        for name in path { current = current?.child(name) }
        return current
    }

    /// The trimmed text down a path, nil when absent or empty.
    func value(_ path: String...) -> String? {
        guard let text = at(path)?.text, !text.isEmpty else { return nil }
        return text
    }
}
