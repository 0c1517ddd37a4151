/// An email address as Duly sends to it: a dot-atom local part (RFC 5321/5322, UTF-8 allowed by RFC 6531) and a
/// domain whose internationalised labels go on the wire as IDNA A-labels (`xn--…`, RFC 5891 with RFC 3492 punycode).
///
/// Parsing refuses only what no server could deliver: no `@`, an empty part, spaces or control characters, a
/// misplaced dot, a character no address may hold, or a domain label that cannot become an A-label.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The part before the `@`, exactly as written (its case may matter to the receiving server).
    public let localPart: String
    /// The domain as written: Unicode labels stay Unicode here (`maisonlefèvre.example`).
    public let domain: String
    /// The domain as DNS and SMTP know it: every non-ASCII label lower-cased and punycoded
    /// (`xn--maisonlefvre-5db.example`); ASCII labels unchanged.
    public let asciiDomain: String

    /// Parses `text`.
    /// - Throws: `EmailAddressError` saying what is wrong, for a person to fix.
    public init(parsing text: String) throws(EmailAddressError) {
        if let plain = EmailAddress.plainASCII(text) {
            self = plain
            return
        }
        guard !text.isEmpty else { throw .empty }
        for scalar in text.unicodeScalars where scalar.properties.isWhitespace || scalar.value < 0x20 {
            throw .space
        }
        for scalar in text.unicodeScalars where scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
            throw .space
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .missingAt }
        guard parts.count == 2 else { throw .moreThanOneAt }
        let local = String(parts[0])
        let domain = String(parts[1])
        guard !local.isEmpty else { throw .emptyLocalPart }
        guard !domain.isEmpty else { throw .emptyDomain }
        try EmailAddress.checkDotAtom(local, part: "local part")
        for scalar in local.unicodeScalars {
            // RFC 6531 §3.3: atext is extended by any non-ASCII UTF-8 character.
            guard scalar.value >= 0x80 || scalar == "." || EmailAddress.isAtext(UInt8(scalar.value)) else {
                throw .invalidCharacter(Character(scalar), part: "local part")
            }
        }
        guard local.utf8.count <= 64 else { throw .tooLong(part: "local part", limit: 64) }
        self.localPart = local
        self.domain = domain
        self.asciiDomain = try EmailAddress.toASCII(domain: domain)
        guard asciiDomain.utf8.count <= 253 else { throw .tooLong(part: "domain", limit: 253) }
    }

    private init(localPart: String, domain: String, asciiDomain: String) {
        self.localPart = localPart
        self.domain = domain
        self.asciiDomain = asciiDomain
    }

    // Most addresses are plain ASCII with nothing to convert (a customers import parses two per row): judged in one
    // pass over the bytes. Nil for anything else (non-ASCII, an A-label, an address literal, any problem), which the
    // full parsing judges and explains.
    private static func plainASCII(_ text: String) -> EmailAddress? {
        let (dot, hyphen) = (UInt8(ascii: "."), UInt8(ascii: "-"))
        var text = text
        return text.withUTF8 { bytes -> EmailAddress? in
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at <= 64, bytes.count - at - 1 <= 253
            else { return nil }
            // The local part: a dot-atom.
            var previous = dot
            for byte in bytes[..<at] {
                guard byte == dot ? previous != dot : isAtext(byte) else { return nil }
                previous = byte
            }
            guard previous != dot else { return nil }
            // The domain: LDH labels of 1 to 63 octets, no hyphen at either end, none an A-label.
            var start = at + 1
            for index in (at + 1)...bytes.count {
                guard index == bytes.count || bytes[index] == dot else {
                    guard isLetterOrDigit(bytes[index]) || bytes[index] == hyphen else { return nil }
                    continue
                }
                let length = index - start
                guard length > 0, length <= 63, bytes[start] != hyphen, bytes[index - 1] != hyphen else { return nil }
                if length >= 4, bytes[start] | 0x20 == UInt8(ascii: "x"), bytes[start + 1] | 0x20 == UInt8(ascii: "n"),
                    bytes[start + 2] == hyphen, bytes[start + 3] == hyphen
                {
                    return nil
                }
                start = index + 1
            }
            let domain = String(decoding: bytes[(at + 1)...], as: UTF8.self)
            return EmailAddress(
                localPart: String(decoding: bytes[..<at], as: UTF8.self), domain: domain, asciiDomain: domain)
        }
    }

    /// Whether the local part has non-ASCII characters, so the address can only travel over SMTPUTF8 (RFC 6531).
    public var needsSMTPUTF8: Bool { localPart.utf8.contains { $0 >= 0x80 } }

    /// The address as it goes into `MAIL FROM`, `RCPT TO` and headers: the local part as written, the domain in ASCII.
    public var wireForm: String { localPart + "@" + asciiDomain }

    /// The address as written.
    public var description: String { localPart + "@" + domain }

    // MARK: - Parts

    private static func checkDotAtom(_ text: String, part: String) throws(EmailAddressError) {
        guard !text.hasPrefix("."), !text.hasSuffix("."), !text.contains("..") else { throw .badDots(part: part) }
    }

    private static func isAtext(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func toASCII(domain: String) throws(EmailAddressError) -> String {
        if domain.hasPrefix("[") {
            // An address literal (`[192.0.2.1]`, `[IPv6:…]`): no labels to convert.
            let inner = domain.utf8.dropFirst().dropLast()
            guard domain.hasSuffix("]"), !inner.isEmpty,
                inner.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
            else { throw .invalidLabel(domain, reason: "an address literal holds only an IP address") }
            return domain
        }
        try checkDotAtom(domain, part: "domain")
        var labels: [String] = []
        for label in domain.split(separator: ".") { labels.append(try asciiLabel(String(label))) }
        return labels.joined(separator: ".")
    }

    // One label as an LDH label (letters, digits, hyphens; no hyphen at either end; at most 63 octets), converting
    // a Unicode label to its A-label first. IDNA2008's full tables (RFC 5892) are not carried: any letter, mark or
    // digit of any script is let through, which is what registries hand out; symbols and punctuation are not.
    private static func asciiLabel(_ label: String) throws(EmailAddressError) -> String {
        let ascii: String
        if label.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in label.utf8 where !(isLetterOrDigit(byte) || byte == UInt8(ascii: "-")) {
                throw .invalidLabel(label, reason: "'\(Character(Unicode.Scalar(byte)))' is not allowed in a domain")
            }
            if label.lowercased().hasPrefix("xn--") {
                guard (try? Punycode.decode(String(label.dropFirst(4)))) != nil else {
                    throw .invalidLabel(label, reason: "not valid punycode")
                }
            }
            ascii = label
        } else {
            let lowered = label.lowercased()
            for scalar in lowered.unicodeScalars {
                let properties = scalar.properties
                let allowed =
                    scalar.value < 0x80
                    ? (isLetterOrDigit(UInt8(scalar.value)) || scalar == "-")
                    : (properties.isAlphabetic || properties.numericType != nil
                        || [.nonspacingMark, .spacingMark, .enclosingMark].contains(properties.generalCategory))
                guard allowed else {
                    throw .invalidLabel(label, reason: "'\(Character(scalar))' is not allowed in a domain")
                }
            }
            ascii = "xn--" + Punycode.encode(lowered)
        }
        guard !ascii.hasPrefix("-"), !ascii.hasSuffix("-") else {
            throw .invalidLabel(label, reason: "a label cannot start or end with a hyphen")
        }
        guard ascii.utf8.count <= 63 else { throw .invalidLabel(label, reason: "longer than 63 characters in ASCII") }
        return ascii
    }
}

/// Why text is not an email address; each case says what to fix.
public enum EmailAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case missingAt
    /// Quoted local parts, the only place a second `@` may stand, are not accepted.
    case moreThanOneAt
    case emptyLocalPart
    case emptyDomain
    /// A space, tab, line break or other control character.
    case space
    /// A dot at the start or end of the part, or two in a row.
    case badDots(part: String)
    case invalidCharacter(Character, part: String)
    case invalidLabel(String, reason: String)
    case tooLong(part: String, limit: Int)

    public var description: String {
        switch self {
        case .empty: return "the address is empty"
        case .missingAt: return "no @ between the name and the domain (name@example.com)"
        case .moreThanOneAt: return "more than one @"
        case .emptyLocalPart: return "nothing before the @"
        case .emptyDomain: return "no domain after the @"
        case .space: return "spaces and control characters are not allowed in an address"
        case .badDots(let part): return "the \(part) starts or ends with a dot, or has two dots in a row"
        case .invalidCharacter(let character, let part):
            return "'\(character)' is not allowed in the \(part) of an address"
        case .invalidLabel(let label, let reason): return "the domain label '\(label)' is not valid: \(reason)"
        case .tooLong(let part, let limit): return "the \(part) is longer than \(limit) octets"
        }
    }
}

// Written by hand: RFC 3492 punycode is not in the standard library and no package in reach of this build does it.
/// RFC 3492 punycode (the bootstring parameters IDNA uses), for domain labels.
public enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 128

    /// Why a punycode string cannot be decoded.
    public enum DecodingError: Error, Equatable, Sendable {
        case invalidDigit
        case overflow
        case nonBasicBeforeDelimiter
    }

    /// Encodes `input` (RFC 3492 §6.3); basic code points are copied, case preserved, then a `-` if any were.
    public static func encode(_ input: String) -> String {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < scalars.count {
            let m = scalars.filter { $0 >= n }.min()!
            delta += (m - n) * (handled + 1)
            n = m
            for scalar in scalars {
                if scalar < n { delta += 1 }
                if scalar == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta: delta, count: handled + 1, first: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    /// Decodes `input` (RFC 3492 §6.2).
    public static func decode(_ input: String) throws(DecodingError) -> String {
        let characters = Array(input.unicodeScalars)
        var output: [Int] = []
        var start = 0
        if let delimiter = characters.lastIndex(of: "-") {
            for scalar in characters[..<delimiter] {
                guard scalar.value < 0x80 else { throw .nonBasicBeforeDelimiter }
                output.append(Int(scalar.value))
            }
            start = delimiter + 1
        }
        var n = initialN
        var i = 0
        var bias = initialBias
        var position = start
        while position < characters.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < characters.count, let value = digitValue(characters[position]) else {
                    throw .invalidDigit
                }
                position += 1
                let (product, overflow) = value.multipliedReportingOverflow(by: w)
                guard !overflow, i <= Int(Int32.max) - product else { throw .overflow }
                i += product
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if value < t { break }
                w *= base - t
                k += base
            }
            bias = adapt(delta: i - oldI, count: output.count + 1, first: oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard Unicode.Scalar(UInt32(n)) != nil else { throw .overflow }
            output.insert(n, at: i)
            i += 1
        }
        return String(String.UnicodeScalarView(output.compactMap { Unicode.Scalar(UInt32($0)) }))
    }

    private static func adapt(delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digit(_ value: Int) -> Character {
        Character(Unicode.Scalar(UInt8(value < 26 ? 97 + value : 22 + value)))
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 48...57: return Int(scalar.value) - 22
        case 65...90: return Int(scalar.value) - 65
        case 97...122: return Int(scalar.value) - 97
        default: return nil
        }
    }
}
