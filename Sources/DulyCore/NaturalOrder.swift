/// The order people expect for invoice numbers and other ids: runs of digits compare as numbers, so F-4 comes before
/// F-10 and INV-9 before INV-10; everything else compares character by character.
public enum NaturalOrder {
    /// Whether `lhs` comes before `rhs`. Ties on value (`F-007` and `F-7`) fall back to plain string order, so the
    /// order is total and stable.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = Array(lhs.unicodeScalars)[...]
        var right = Array(rhs.unicodeScalars)[...]
        while let l = left.first, let r = right.first {
            if l.properties.numericType == .decimal, r.properties.numericType == .decimal,
                l.isASCII, r.isASCII
            {
                let leftDigits = left.prefix { $0.isASCII && $0.properties.numericType == .decimal }
                let rightDigits = right.prefix { $0.isASCII && $0.properties.numericType == .decimal }
                left = left.dropFirst(leftDigits.count)
                right = right.dropFirst(rightDigits.count)
                // Compare as numbers without parsing (no overflow): drop leading zeros, then length, then digits.
                let a = Array(leftDigits.drop { $0 == "0" })
                let b = Array(rightDigits.drop { $0 == "0" })
                if a.count != b.count { return a.count < b.count }
                if let index = a.indices.first(where: { a[$0] != b[$0] }) { return a[index].value < b[index].value }
                continue
            }
            if l != r { return l.value < r.value }
            left = left.dropFirst()
            right = right.dropFirst()
        }
        if left.isEmpty != right.isEmpty { return left.isEmpty }
        return lhs < rhs
    }
}
