/// ISO 11649 structured creditor references ("RF references"): `RF` + 2 check digits + 1 to 21 letters and digits.
///
/// Duly issues one per invoice and prints it on messages, so a payer who copies it lets the bank statement name the
/// invoice exactly. Check digits are ISO 7064 MOD 97-10, as in an IBAN (docs/DOMAIN.md, "RF creditor reference").
public enum CreditorReference {
    /// The longest base an RF reference can carry (25 characters in all).
    public static let maximumBaseLength = 21

    /// Makes the RF reference for a base (`539007547034` gives `RF18539007547034`), unspaced and upper case.
    ///
    /// Spaces in the base are ignored and letters may be either case.
    /// - Throws: `CreditorReferenceError` when the base is empty, longer than 21 characters, or has a character that
    ///   is not an ASCII letter or digit.
    public static func make(from base: String) throws(CreditorReferenceError) -> String {
        let normalized = normalize(base)
        guard !normalized.isEmpty else { throw .emptyBase }
        guard normalized.count <= maximumBaseLength else { throw .baseTooLong(base) }
        guard let remainder = mod97(normalized + "RF00") else { throw .invalidCharacter(base) }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + normalized
    }

    /// Whether a text is a valid RF reference; spaces are ignored and letters may be either case.
    ///
    /// Check digits 00, 01 and 99 pass the modulus but are never generated, so they are refused, as for IBANs.
    public static func isValid(_ text: String) -> Bool {
        let normalized = normalize(text)
        let characters = Array(normalized.utf8)
        guard characters.count >= 5, characters.count <= 4 + maximumBaseLength,
            characters[0] == UInt8(ascii: "R"), characters[1] == UInt8(ascii: "F"),
            let tens = digit(characters[2]), let ones = digit(characters[3]),
            (2...98).contains(tens * 10 + ones)
        else { return false }
        let rotated = String(normalized.dropFirst(4)) + String(normalized.prefix(4))
        return mod97(rotated) == 1
    }

    /// The reference in groups of four for printing (`RF18 5390 0754 7034`); spaces in the input are ignored.
    public static func grouped(_ reference: String) -> String {
        var result = ""
        for (index, character) in normalize(reference).enumerated() {
            if index > 0, index % 4 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }

    /// The reference without spaces and in upper case: the form to store and compare.
    public static func normalize(_ text: String) -> String {
        String(text.filter { $0 != " " }.uppercased())
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    // The number spelled by the text, letters read as A=10 … Z=35, modulo 97; nil for any other character.
    // IBANs use the same check (EPCPayment.swift).
    static func mod97(_ text: String) -> Int? {
        var remainder = 0
        for byte in text.utf8 {
            if let value = digit(byte) {
                remainder = (remainder * 10 + value) % 97
            } else if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            } else {
                return nil
            }
        }
        return remainder
    }
}

/// Why a base cannot become an RF reference.
public enum CreditorReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing but spaces.
    case emptyBase
    /// More than 21 characters once spaces are removed.
    case baseTooLong(String)
    /// A character other than an ASCII letter, digit or space.
    case invalidCharacter(String)

    public var description: String {
        switch self {
        case .emptyBase:
            return "an RF reference needs at least one letter or digit"
        case .baseTooLong(let base):
            return
                "'\(base)' is longer than the \(CreditorReference.maximumBaseLength) characters an RF reference holds"
        case .invalidCharacter(let base):
            return "'\(base)' may only contain the letters A to Z and digits"
        }
    }
}
