/// A SEPA credit transfer as the EPC payment QR code carries it (EPC069-12 v3.1, "Quick Response Code: Guidelines to
/// Enable Data Capture for the Initiation of a SEPA Credit Transfer"): a payer's banking app scans the code and
/// fills in the beneficiary, IBAN, amount and reference.
///
/// Making one checks every field against the guidelines, so `payload` is always a valid code's text: version 002,
/// character set 1 (UTF-8), identification SCT, euro only, at most 331 bytes, which a QR code of version 13 at
/// error correction level M holds.
public struct EPCPayment: Hashable, Sendable {
    /// What tells the beneficiary which invoice is paid: a structured creditor reference or a free text.
    public enum Remittance: Hashable, Sendable {
        /// An ISO 11649 RF reference (`RF18539007547034`; spaces and lower case are accepted and removed).
        case reference(String)
        /// Unstructured remittance information, at most 140 characters.
        case text(String)
    }

    /// The most bytes a payload may have (a version 13 QR code at level M holds 331).
    public static let maximumPayloadBytes = 331
    /// The most characters of the beneficiary's name.
    public static let maximumNameLength = 70
    /// The most characters of unstructured remittance text.
    public static let maximumRemittanceTextLength = 140
    /// The most characters of the note to the payer.
    public static let maximumInformationLength = 70

    /// The beneficiary's name as the payer's bank shows it (AT-21).
    public let beneficiaryName: String
    /// The beneficiary's IBAN (AT-20), upper case without spaces.
    public let iban: String
    /// The beneficiary's bank's BIC (AT-23), upper case; optional within the EEA.
    public let bic: String?
    /// The amount in euro (AT-04), 0.01 to 999,999,999.99.
    public let amount: Money
    /// The reference or text the payment carries (AT-05), a reference normalized.
    public let remittance: Remittance
    /// An ISO 20022 purpose code of four letters, such as `GDDS` for goods (AT-44).
    public let purpose: String?
    /// A note shown to the payer, not sent with the payment ("beneficiary to originator information").
    public let information: String?

    /// Checks a transfer's fields against the EPC guidelines.
    ///
    /// - Throws: `EPCPaymentError` naming the first field that a bank would refuse.
    public init(
        beneficiaryName: String, iban: String, bic: String? = nil, amount: Money, remittance: Remittance,
        purpose: String? = nil, information: String? = nil
    ) throws(EPCPaymentError) {
        let name = try Self.text(beneficiaryName, field: "beneficiary name", maximum: Self.maximumNameLength)
        guard !name.isEmpty else { throw .missing(field: "beneficiary name") }
        let account = Self.compact(iban)
        guard Self.isValidIBAN(account) else { throw .invalidIBAN(iban) }
        let bank = bic.map(Self.compact).flatMap { $0.isEmpty ? nil : $0 }
        if let bank, !Self.isValidBIC(bank) { throw .invalidBIC(bic ?? "") }
        guard amount.currency.code == "EUR" else { throw .notEuro(amount) }
        guard (1...99_999_999_999).contains(amount.minorUnits) else { throw .amountOutOfRange(amount) }
        let checkedRemittance: Remittance
        switch remittance {
        case .reference(let reference):
            guard CreditorReference.isValid(reference) else { throw .invalidCreditorReference(reference) }
            checkedRemittance = .reference(CreditorReference.normalize(reference))
        case .text(let text):
            let checked = try Self.text(text, field: "remittance text", maximum: Self.maximumRemittanceTextLength)
            guard !checked.isEmpty else { throw .missing(field: "remittance text") }
            checkedRemittance = .text(checked)
        }
        let code = purpose.map { $0.uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
        if let code, !(code.utf8.count == 4 && code.utf8.allSatisfy(Self.isUpperLetterOrDigit)) {
            throw .invalidPurpose(purpose ?? "")
        }
        var note: String?
        if let information {
            note = try Self.text(information, field: "information", maximum: Self.maximumInformationLength)
        }
        self.beneficiaryName = name
        self.iban = account
        self.bic = bank
        self.amount = amount
        self.remittance = checkedRemittance
        self.purpose = code
        self.information = note.flatMap { $0.isEmpty ? nil : $0 }
        let bytes = payload.utf8.count
        guard bytes <= Self.maximumPayloadBytes else { throw .payloadTooLong(bytes: bytes) }
    }

    /// The text to encode in the QR code: the guidelines' elements in their order, one a line, separated by line
    /// feeds, the lines after the last element given left out.
    public var payload: String {
        var reference = ""
        var text = ""
        switch remittance {
        case .reference(let value): reference = value
        case .text(let value): text = value
        }
        var lines = [
            "BCD", "002", "1", "SCT", bic ?? "", beneficiaryName, iban, "EUR" + Self.amountText(amount),
            purpose ?? "", reference, text, information ?? "",
        ]
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    // The amount in euro as the guidelines write it: a point before the cents, no trailing zeros after it, no point
    // for whole euros (`1`, `12.3`, `12.34`), as in EPC069-12's own example.
    private static func amountText(_ amount: Money) -> String {
        let euros = amount.minorUnits / 100
        let cents = amount.minorUnits % 100
        guard cents > 0 else { return String(euros) }
        let fraction = cents % 10 == 0 ? String(cents / 10) : (cents < 10 ? "0" : "") + String(cents)
        return "\(euros).\(fraction)"
    }

    // A free-text field without surrounding spaces; a line break would split it into two elements.
    private static func text(_ value: String, field: String, maximum: Int) throws(EPCPaymentError) -> String {
        let trimmed = String(value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .controlCharacter(field: field)
        }
        guard trimmed.unicodeScalars.count <= maximum else {
            throw .tooLong(field: field, length: trimmed.unicodeScalars.count, maximum: maximum)
        }
        return trimmed
    }

    private static func compact(_ value: String) -> String { String(value.filter { $0 != " " }).uppercased() }

    private static func isUpperLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    // ISO 13616: a country code, two check digits, up to 30 letters and digits, and the whole, with its first four
    // characters moved to the end, 1 modulo 97.
    private static func isValidIBAN(_ iban: String) -> Bool {
        let bytes = Array(iban.utf8)
        guard (15...34).contains(bytes.count), bytes.allSatisfy(isUpperLetterOrDigit),
            bytes[0...1].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }),
            bytes[2...3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return false }
        return CreditorReference.mod97(String(iban.dropFirst(4)) + String(iban.prefix(4))) == 1
    }

    // ISO 9362: four letters for the bank, two for the country, two letters or digits for the place, and an
    // optional branch of three.
    private static func isValidBIC(_ bic: String) -> Bool {
        let bytes = Array(bic.utf8)
        guard bytes.count == 8 || bytes.count == 11, bytes.allSatisfy(isUpperLetterOrDigit) else { return false }
        return bytes[0..<6].allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}

/// Why a transfer cannot become an EPC payment code.
public enum EPCPaymentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required text is empty.
    case missing(field: String)
    /// A text longer than the guidelines allow, in characters.
    case tooLong(field: String, length: Int, maximum: Int)
    /// A line break or other control character, which would shift every later element.
    case controlCharacter(field: String)
    /// Not an IBAN: wrong form or wrong check digits.
    case invalidIBAN(String)
    /// Not a BIC of 8 or 11 characters.
    case invalidBIC(String)
    /// The amount is not in euro: SEPA credit transfers are euro only.
    case notEuro(Money)
    /// Below 0.01 or above 999,999,999.99 euro.
    case amountOutOfRange(Money)
    /// Not a valid ISO 11649 RF reference.
    case invalidCreditorReference(String)
    /// Not a purpose code of four letters or digits.
    case invalidPurpose(String)
    /// The whole payload is longer than a version 13 QR code holds.
    case payloadTooLong(bytes: Int)

    public var description: String {
        switch self {
        case .missing(let field):
            return "the \(field) is empty: an EPC payment code needs one"
        case .tooLong(let field, let length, let maximum):
            return "the \(field) has \(length) characters, more than the \(maximum) an EPC payment code allows: "
                + "shorten it"
        case .controlCharacter(let field):
            return "the \(field) contains a line break or control character: write it on one line"
        case .invalidIBAN(let iban):
            return "'\(iban)' is not a valid IBAN: check it against the bank's statement (its check digits fail "
                + "or its form is wrong)"
        case .invalidBIC(let bic):
            return "'\(bic)' is not a BIC: write its 8 or 11 letters and digits, or leave it out"
        case .notEuro(let amount):
            return "\(amount) is not in euro: an EPC payment code is for euro transfers only"
        case .amountOutOfRange(let amount):
            return "\(amount) is outside what an EPC payment code carries: from EUR 0.01 to EUR 999999999.99"
        case .invalidCreditorReference(let reference):
            return "'\(reference)' is not a valid RF creditor reference: its check digits fail or its form is wrong"
        case .invalidPurpose(let purpose):
            return "'\(purpose)' is not a purpose code: write four letters such as GDDS, or leave it out"
        case .payloadTooLong(let bytes):
            return "the payment code's text has \(bytes) bytes, more than the \(EPCPayment.maximumPayloadBytes) "
                + "a payment QR code holds: shorten the name, remittance text or information"
        }
    }
}
