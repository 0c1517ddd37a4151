/// A `multipart/form-data` body (RFC 7578), as a browser sends a form with a file: its parts by field name.
///
/// Hummingbird and the packages Duly uses have no multipart parser, so this is a small one: it reads a body already
/// held in memory (the caller caps its size), takes each part's name and file name from its `Content-Disposition`,
/// and keeps the part's bytes as they came. Nested multipart and `Content-Transfer-Encoding` are not used by
/// browsers and not read.
struct Multipart: Sendable {
    struct Part: Sendable {
        var name: String
        /// The file name the browser gave, for a file field.
        var fileName: String?
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    var parts: [Part]

    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary a `Content-Type` header names, when it is `multipart/form-data`.
    static func boundary(contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingWhitespaceAndQuotes }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespaceAndQuotes }
            if pair.count == 2, pair[0].lowercased() == "boundary", !pair[1].isEmpty { return pair[1] }
        }
        return nil
    }

    /// The parts of `body`; nil when it is not a well-formed multipart body with this boundary.
    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard var start = Multipart.find(delimiter, in: body, from: 0) else { return nil }
        var parts: [Part] = []
        while true {
            var cursor = start + delimiter.count
            // `--` after a delimiter closes the body.
            if body.count >= cursor + 2, body[cursor] == 45, body[cursor + 1] == 45 { break }
            guard body.count >= cursor + 2, Array(body[cursor..<cursor + 2]) == crlf else { return nil }
            cursor += 2
            guard let headersEnd = Multipart.find(crlf + crlf, in: body, from: cursor),
                let next = Multipart.find(crlf + delimiter, in: body, from: headersEnd + 4)
            else { return nil }
            let headers = String(decoding: body[cursor..<headersEnd], as: UTF8.self)
            var name: String?
            var fileName: String?
            for line in headers.split(separator: "\r\n") {
                let header = line.split(separator: ":", maxSplits: 1)
                guard header.count == 2, header[0].lowercased() == "content-disposition" else { continue }
                for parameter in header[1].split(separator: ";").dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        String($0).trimmingWhitespaceAndQuotes
                    }
                    guard pair.count == 2 else { continue }
                    if pair[0] == "name" { name = pair[1] }
                    if pair[0] == "filename" { fileName = pair[1] }
                }
            }
            guard let name else { return nil }
            parts.append(Part(name: name, fileName: fileName, bytes: Array(body[(headersEnd + 4)..<next])))
            start = next + 2
        }
        self.parts = parts
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = from
        let last = haystack.count - needle.count
        let first = needle[0]
        while index <= last {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespaceAndQuotes: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
