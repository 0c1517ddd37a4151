// Written by hand: no MIME or SMTP package is in reach of this build. It covers what reminder mail needs and no more:
// RFC 5322 headers, RFC 2045-2047 bodies and encoded words, RFC 2231 file names, RFC 6152 8-bit bodies, RFC 6532
// UTF-8 addresses (the domain always in punycode).

import DulyCore

/// Why a message cannot be written out; each case names the field so the sender can fix the input.
public enum MIMEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A CR or LF in a header field, which would let the value start a header of its own.
    case headerInjection(field: String)
    /// A control character (NUL, ESC, …) in a header field.
    case controlCharacter(field: String)
    /// Not a `local@domain` address any server could deliver (see `EmailAddress`).
    case invalidAddress(field: String, address: String)
    /// Not a `<left@right>` message id.
    case invalidMessageID(field: String, value: String)
    /// An extra header whose name is empty or has characters a field name may not have.
    case invalidHeaderName(String)
    /// An extra header that the writer itself produces (`Subject`, `Content-Type`, …).
    case reservedHeader(String)
    /// A message without a `To:` recipient.
    case noRecipients
    /// An attachment's content type that is not `type/subtype`.
    case invalidContentType(field: String, value: String)
    /// A header that cannot be folded into lines of at most 998 octets.
    case headerTooLong(field: String)

    public var description: String {
        switch self {
        case .headerInjection(let field):
            return "\(field) contains a line break (CR or LF); refused because it could inject headers"
        case .controlCharacter(let field): return "\(field) contains a control character"
        case .invalidAddress(let field, let address):
            let reason: String
            do {
                _ = try EmailAddress(parsing: address)
                reason = "not a dot-atom local@domain"
            } catch {
                reason = error.description
            }
            return "\(field) is not a valid address (\(reason)): \(address.debugDescription)"
        case .invalidMessageID(let field, let value):
            return "\(field) is not a message id of the form <left@right>: \(value.debugDescription)"
        case .invalidHeaderName(let name): return "not a valid header name: \(name.debugDescription)"
        case .reservedHeader(let name): return "\(name) is written by Duly and cannot be set as an extra header"
        case .noRecipients: return "the message has no To: recipient"
        case .invalidContentType(let field, let value):
            return "\(field) is not a content type of the form type/subtype: \(value.debugDescription)"
        case .headerTooLong(let field): return "\(field) is too long to fold into 998-octet lines"
        }
    }
}

/// Writes an `EmailMessage` as the bytes of an RFC 5322 message with CRLF line endings.
///
/// The output is deterministic: MIME boundaries derive from the `Message-ID`, so the same message renders to the
/// same bytes (the outbox can store them, tests can compare them).
public enum MIMEWriter {
    /// Renders `message`; with `allowEightBit` (the server announced 8BITMIME), non-ASCII text parts are sent as
    /// `8bit` instead of quoted-printable. ASCII text is always `7bit`, attachments always base64.
    /// - Throws: `MIMEError` naming the field when a header would be unsafe or an address or id is malformed.
    public static func render(_ message: EmailMessage, allowEightBit: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.textBody.utf8.count * 2 + 1024)
        try writeHeaders(of: message, to: &out)
        let body = try bodyEntity(of: message, allowEightBit: allowEightBit)
        body.write(to: &out)
        return out
    }

    /// Checks every header field of `message` without rendering the body.
    public static func validate(_ message: EmailMessage) throws {
        var sink: [UInt8] = []
        try writeHeaders(of: message, to: &sink)
        for (index, attachment) in message.attachments.enumerated() {
            _ = try attachmentHeaders(attachment, field: "attachment \(index + 1)")
        }
    }

    // MARK: - Top-level headers

    private static let reservedNames: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id", "in-reply-to",
        "references", "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
    ]

    private static func writeHeaders(of message: EmailMessage, to out: inout [UInt8]) throws {
        guard !message.to.isEmpty else { throw MIMEError.noRecipients }
        try checkPrintable(message.date, field: "Date")
        try header("Date", message.date, to: &out)
        try header("From", mailbox(message.from, field: "From"), to: &out)
        if let replyTo = message.replyTo {
            try header("Reply-To", mailbox(replyTo, field: "Reply-To"), to: &out)
        }
        let recipients = try message.to.map { try mailbox($0, field: "To") }
        try header("To", recipients.joined(separator: ", "), to: &out)
        try header("Subject", unstructured(message.subject, field: "Subject", prefix: "Subject: "), to: &out)
        try header("Message-ID", messageID(message.messageID, field: "Message-ID"), to: &out)
        if let parent = message.inReplyTo {
            try header("In-Reply-To", messageID(parent, field: "In-Reply-To"), to: &out)
        }
        if !message.references.isEmpty {
            let ids = try message.references.map { try messageID($0, field: "References") }
            try header("References", ids.joined(separator: " "), to: &out)
        }
        for extra in message.extraHeaders {
            let name = extra.name
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: ":") }) else {
                throw MIMEError.invalidHeaderName(name)
            }
            guard !reservedNames.contains(name.lowercased()) else { throw MIMEError.reservedHeader(name) }
            try header(name, unstructured(extra.value, field: name, prefix: name + ": "), to: &out)
        }
        try header("MIME-Version", "1.0", to: &out)
    }

    /// Appends `Name: value` folded at whitespace to lines of at most 78 characters where it can be.
    private static func header(_ name: String, _ value: String, to out: inout [UInt8]) throws {
        let line = Array((name + ": " + value).utf8)
        let minimumBreak = name.utf8.count + 2
        var start = 0
        while line.count - start > 78 {
            // Break before a space that is followed by a non-space, so no folded line is only whitespace and
            // unfolding (removing the CRLF) gives back the value exactly.
            func isBreak(_ index: Int) -> Bool {
                line[index] == UInt8(ascii: " ") && index + 1 < line.count && line[index + 1] != UInt8(ascii: " ")
            }
            let lowest = max(start + 1, minimumBreak)
            var cut: Int?
            var index = min(start + 78, line.count - 1)
            while index >= lowest {
                if isBreak(index) {
                    cut = index
                    break
                }
                index -= 1
            }
            if cut == nil {
                var forward = start + 79
                while forward < line.count {
                    if isBreak(forward) {
                        cut = forward
                        break
                    }
                    forward += 1
                }
            }
            guard let cut else { break }
            guard cut - start <= 998 else { throw MIMEError.headerTooLong(field: name) }
            out.append(contentsOf: line[start..<cut])
            out.append(contentsOf: crlf)
            start = cut
        }
        guard line.count - start <= 998 else { throw MIMEError.headerTooLong(field: name) }
        out.append(contentsOf: line[start...])
        out.append(contentsOf: crlf)
    }

    // MARK: - Field values

    private static func checkNoBreaks(_ value: String, field: String) throws {
        for byte in value.utf8 {
            if byte == 13 || byte == 10 { throw MIMEError.headerInjection(field: field) }
        }
        for byte in value.utf8 where (byte < 32 && byte != 9) || byte == 127 {
            throw MIMEError.controlCharacter(field: field)
        }
    }

    private static func checkPrintable(_ value: String, field: String) throws {
        try checkNoBreaks(value, field: field)
        guard value.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) else { throw MIMEError.controlCharacter(field: field) }
    }

    /// `addr-spec` restricted to dot-atoms, what every MTA accepts and no quoting can smuggle anything through;
    /// returns the address as it goes on the wire: the domain in punycode, a non-ASCII local part as UTF-8 (RFC 6532),
    /// which only an SMTPUTF8 server takes (`SMTPClient` checks).
    @discardableResult
    static func validateAddress(_ address: String, field: String) throws -> String {
        try checkNoBreaks(address, field: field)
        do {
            return try EmailAddress(parsing: address).wireForm
        } catch {
            throw MIMEError.invalidAddress(field: field, address: address)
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func isAtext(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    private static func mailbox(_ mailbox: Mailbox, field: String) throws -> String {
        let address = try validateAddress(mailbox.address, field: field + " address")
        try checkNoBreaks(mailbox.name, field: field + " name")
        guard !mailbox.name.isEmpty else { return address }
        return try phrase(mailbox.name, field: field + " name", prefix: field + ": ") + " <" + address + ">"
    }

    /// A display name: bare atoms when it is plain, a quoted string when it has specials, encoded words otherwise.
    private static func phrase(_ name: String, field: String, prefix: String) throws -> String {
        let bytes = Array(name.utf8)
        if bytes.allSatisfy({ $0 >= 32 && $0 < 127 }) && !name.contains("=?") {
            let words = name.split(separator: " ", omittingEmptySubsequences: false)
            if words.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isAtext) }) { return name }
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return encodedWords(name, prefixLength: prefix.utf8.count)
    }

    /// Unstructured text (`Subject:`, extra headers): as is when ASCII, RFC 2047 encoded words otherwise.
    private static func unstructured(_ text: String, field: String, prefix: String) throws -> String {
        try checkNoBreaks(text, field: field)
        // Leading or trailing blanks would be lost to parsers that trim header values; encoded, they survive.
        let blankEdge = text.first == " " || text.first == "\t" || text.last == " " || text.last == "\t"
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && !text.contains("=?") && !blankEdge { return text }
        return encodedWords(text, prefixLength: prefix.utf8.count)
    }

    private static func messageID(_ id: String, field: String) throws -> String {
        try checkNoBreaks(id, field: field)
        let bytes = Array(id.utf8)
        let parts = bytes.dropFirst().dropLast().split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard bytes.count >= 5, bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">"), parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty }),
            bytes.dropFirst().dropLast().allSatisfy({
                $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
            })
        else { throw MIMEError.invalidMessageID(field: field, value: id) }
        return id
    }

    // MARK: - RFC 2047 encoded words

    /// Encodes `text` as a run of `=?UTF-8?Q?…?=` (or `?B?` when shorter) words separated by spaces.
    ///
    /// Every character, spaces included, sits inside a word: a decoder drops the whitespace between adjacent
    /// encoded words, so the folding spaces this leaves are not part of the text. No word splits a UTF-8 sequence.
    static func encodedWords(_ text: String, prefixLength: Int) -> String {
        let maxWord = min(75, max(40, 77 - prefixLength))
        let qLength = text.utf8.reduce(0) { $0 + (isQSafe($1) || $1 == 32 ? 1 : 3) }
        let useQ = qLength <= (text.utf8.count + 2) / 3 * 4
        let overhead = 12  // "=?UTF-8?Q?" + "?="
        var words: [String] = []
        var chunk: [UInt8] = []
        func encoded(_ bytes: [UInt8]) -> String {
            if useQ {
                var result = "=?UTF-8?Q?"
                for byte in bytes {
                    if byte == 32 {
                        result.append("_")
                    } else if isQSafe(byte) {
                        result.unicodeScalars.append(Unicode.Scalar(byte))
                    } else {
                        result.append("=")
                        result.append(hexDigit(byte >> 4))
                        result.append(hexDigit(byte & 15))
                    }
                }
                return result + "?="
            }
            return "=?UTF-8?B?" + String(decoding: base64(bytes), as: UTF8.self) + "?="
        }
        func length(_ bytes: [UInt8]) -> Int {
            if useQ { return bytes.reduce(overhead) { $0 + (isQSafe($1) || $1 == 32 ? 1 : 3) } }
            return overhead + (bytes.count + 2) / 3 * 4
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty && length(chunk + bytes) > maxWord {
                words.append(encoded(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encoded(chunk)) }
        return words.joined(separator: " ")
    }

    /// Characters RFC 2047 §5(3) lets stand for themselves in a Q word, even inside a phrase.
    private static func isQSafe(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!*+-/".utf8.contains(byte)
    }

    private static func hexByte(_ value: UInt8) -> UInt8 {
        value < 10 ? 48 + value : 55 + value
    }

    private static func hexDigit(_ value: UInt8) -> Character {
        Character(Unicode.Scalar(hexByte(value)))
    }

    // MARK: - Body

    private static let crlf: [UInt8] = [13, 10]

    /// One MIME entity: its headers (already folded lines) and its body bytes.
    private struct Entity {
        var headers: [String]
        var body: [UInt8]

        func write(to out: inout [UInt8]) {
            for line in headers {
                out.append(contentsOf: line.utf8)
                out.append(contentsOf: MIMEWriter.crlf)
            }
            out.append(contentsOf: MIMEWriter.crlf)
            out.append(contentsOf: body)
        }
    }

    private static func bodyEntity(of message: EmailMessage, allowEightBit: Bool) throws -> Entity {
        let seed = fnv1a(Array(message.messageID.utf8))
        let text = textEntity(message.textBody, subtype: "plain", allowEightBit: allowEightBit)
        var content = text
        if let html = message.htmlBody {
            let htmlEntity = textEntity(html, subtype: "html", allowEightBit: allowEightBit)
            content = multipart("alternative", [text, htmlEntity], boundary: "=_duly_alt_" + hex64(seed))
        }
        guard !message.attachments.isEmpty else { return content }
        var parts = [content]
        for (index, attachment) in message.attachments.enumerated() {
            let headers = try attachmentHeaders(attachment, field: "attachment \(index + 1)")
            parts.append(Entity(headers: headers, body: base64Lines(attachment.bytes)))
        }
        return multipart("mixed", parts, boundary: "=_duly_mix_" + hex64(seed))
    }

    private static func textEntity(_ text: String, subtype: String, allowEightBit: Bool) -> Entity {
        let lines = normalizedLines(text)
        let fitsLines = lines.allSatisfy { $0.count <= 998 }
        let noNul = lines.allSatisfy { !$0.contains(0) }
        let encoding: String
        var body: [UInt8] = []
        if fitsLines && noNul && lines.allSatisfy({ $0.allSatisfy { $0 < 128 } }) {
            encoding = "7bit"
        } else if allowEightBit && fitsLines && noNul {
            encoding = "8bit"
        } else {
            encoding = "quoted-printable"
        }
        for line in lines {
            if encoding == "quoted-printable" {
                quotedPrintable(line, to: &body)
            } else {
                body.append(contentsOf: line)
            }
            body.append(contentsOf: crlf)
        }
        return Entity(
            headers: [
                "Content-Type: text/\(subtype); charset=utf-8",
                "Content-Transfer-Encoding: \(encoding)",
            ],
            body: body
        )
    }

    /// The text's lines with CR, LF and CRLF all taken as line breaks; a final unterminated line counts as a line.
    private static func normalizedLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var previousCR = false
        for byte in text.utf8 {
            if byte == 10 && previousCR {
                previousCR = false
                continue
            }
            previousCR = byte == 13
            if byte == 13 || byte == 10 {
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// RFC 2045 §6.7 for one line of text: encoded lines of at most 76 characters joined by soft breaks.
    private static func quotedPrintable(_ line: [UInt8], to out: inout [UInt8]) {
        var width = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
            let token: [UInt8] =
                literal ? [byte] : [UInt8(ascii: "="), hexByte(byte >> 4), hexByte(byte & 15)]
            // Keep room for the "=" of a soft break unless this token ends the line.
            let limit = isLast ? 76 : 75
            if width + token.count > limit {
                out.append(contentsOf: [UInt8(ascii: "=")] + crlf)
                width = 0
            }
            out.append(contentsOf: token)
            width += token.count
        }
    }

    private static func attachmentHeaders(_ attachment: Attachment, field: String) throws -> [String] {
        try checkNoBreaks(attachment.filename, field: field + " file name")
        try checkPrintable(attachment.contentType, field: field + " content type")
        let type = attachment.contentType.split(separator: "/", omittingEmptySubsequences: false)
        let tokenBytes = { (part: Substring) in
            !part.isEmpty && part.utf8.allSatisfy { isAlphanumeric($0) || "!#$&^_.+-".utf8.contains($0) }
        }
        guard type.count == 2, type.allSatisfy(tokenBytes) else {
            throw MIMEError.invalidContentType(field: field + " content type", value: attachment.contentType)
        }
        return [
            "Content-Type: \(attachment.contentType.lowercased());\r\n \(parameter("name", attachment.filename))",
            "Content-Disposition: attachment;\r\n \(parameter("filename", attachment.filename))",
            "Content-Transfer-Encoding: base64",
        ]
    }

    /// `key="…"` for plain ASCII names, RFC 2231 `key*=utf-8''…` otherwise.
    private static func parameter(_ key: String, _ filename: String) -> String {
        let bytes = Array(filename.utf8)
        if bytes.allSatisfy({ $0 >= 32 && $0 < 127 }) && !filename.isEmpty {
            var quoted = ""
            for character in filename {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return "\(key)=\"\(quoted)\""
        }
        var encoded = "\(key)*=utf-8''"
        for byte in bytes {
            if isAlphanumeric(byte) || "!#$&+-.^_`|~".utf8.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded.append("%")
                encoded.append(hexDigit(byte >> 4))
                encoded.append(hexDigit(byte & 15))
            }
        }
        return encoded
    }

    private static func multipart(_ subtype: String, _ parts: [Entity], boundary base: String) -> Entity {
        // A boundary starting with "=_" cannot occur in quoted-printable or base64 text; 7bit and 8bit parts are
        // searched, and the boundary gets a suffix in the unlikely case one of them contains it.
        var boundary = base
        var attempt = 0
        while parts.contains(where: { contains($0.body, Array(("--" + boundary).utf8)) }) {
            attempt += 1
            boundary = base + "_\(attempt)"
        }
        var body: [UInt8] = []
        for part in parts {
            body.append(contentsOf: Array("--\(boundary)\r\n".utf8))
            part.write(to: &body)
            // The CRLF before the delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to the part, whose own
            // last line break stays part of its content.
            body.append(contentsOf: crlf)
        }
        body.append(contentsOf: Array("--\(boundary)--\r\n".utf8))
        return Entity(headers: ["Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\""], body: body)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }

    // MARK: - Base64 and hashing

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(base64Alphabet[Int(b0 >> 2)])
            out.append(base64Alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? base64Alphabet[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? base64Alphabet[Int(b2 & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }

    /// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8).
    private static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = base64(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            out.append(contentsOf: encoded[start..<end])
            out.append(contentsOf: crlf)
            start = end
        }
        return out
    }

    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
