/// The RF reference Duly issues for each invoice (ISO 11649), so that a payer who quotes it names the invoice exactly.
///
/// The scheme, deterministic in the invoice number and unique in the organisation:
/// - attempt 0: the invoice number's letters and digits, upper case (`INV-2024/0042` gives `RF..INV20240042`), when
///   there are 1 to 21 of them: a person reading the statement recognises the invoice;
/// - attempt 1, 2, …: when the number has no letter or digit, more than 21 of them, or its reference is already taken
///   in the organisation (`INV-1` and `INV1` both spell `INV1`): `D` followed by 18 digits of a stable hash (FNV-1a, 64
///   bits) of the number and the attempt. The store tries the attempts in order until the reference is free.
extension CreditorReference {
    /// The reference to try for an invoice number at `attempt` (0 first); always a valid RF reference.
    public static func forInvoice(number: String, attempt: Int = 0) -> String {
        if attempt == 0 {
            let base = String(String.UnicodeScalarView(number.unicodeScalars.filter { $0.isASCIIAlphanumeric }))
            if !base.isEmpty, base.count <= maximumBaseLength, let reference = try? make(from: base) {
                return reference
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in number.utf8 + Array("#\(attempt)".utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash % 1_000_000_000_000_000_000)
        let base = "D" + String(repeating: "0", count: 18 - digits.count) + digits
        // A base of a letter and 18 digits always makes a reference.
        return (try? make(from: base)) ?? "RF00"
    }

    /// The base of an RF reference (what follows `RF` and the check digits), normalised; nil when it is not
    /// shaped like one (`RF` and two digits first). The check digits are not checked.
    public static func base(of text: String) -> String? {
        let normalized = normalize(text)
        let bytes = Array(normalized.utf8)
        guard bytes.count >= 5, bytes.count <= 4 + maximumBaseLength, bytes[0] == UInt8(ascii: "R"),
            bytes[1] == UInt8(ascii: "F"), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[2]),
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[3])
        else { return nil }
        return String(normalized.dropFirst(4))
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("0"..."9").contains(self) || ("A"..."Z").contains(self) || ("a"..."z").contains(self)
    }
}
