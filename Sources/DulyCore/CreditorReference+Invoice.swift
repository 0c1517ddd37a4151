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
        if attempt == 0, let reference = spelled(number) { return reference }
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

    // Attempt 0, on bytes (an import issues a million of these): the number's ASCII letters and digits, upper case,
    // behind `RF` and their check digits; nil when there are none or more than 21. What `make(from:)` gives for them.
    private static func spelled(_ number: String) -> String? {
        var count = 0
        var remainder = 0
        for byte in number.utf8 {
            let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(upper) {
                remainder = (remainder * 10 + Int(upper - UInt8(ascii: "0"))) % 97
            } else if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(upper) {
                remainder = (remainder * 100 + Int(upper - UInt8(ascii: "A")) + 10) % 97
            } else {
                continue
            }
            count += 1
            if count > maximumBaseLength { return nil }
        }
        guard count > 0 else { return nil }
        // The base followed by `RF00` (R = 27, F = 15), as ISO 11649 computes the check digits.
        remainder = (remainder * 100 + 27) % 97
        remainder = (remainder * 100 + 15) % 97
        remainder = remainder * 100 % 97
        let check = 98 - remainder
        return String(unsafeUninitializedCapacity: count + 4) { buffer in
            buffer[0] = UInt8(ascii: "R")
            buffer[1] = UInt8(ascii: "F")
            buffer[2] = UInt8(ascii: "0") + UInt8(check / 10)
            buffer[3] = UInt8(ascii: "0") + UInt8(check % 10)
            var end = 4
            for byte in number.utf8 {
                let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
                guard
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(upper)
                        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(upper)
                else { continue }
                buffer[end] = upper
                end += 1
            }
            return end
        }
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
