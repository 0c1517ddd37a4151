/// The order people expect for invoice numbers and other ids: runs of digits compare as numbers, so F-4 comes before
/// F-10 and INV-9 before INV-10; everything else compares character by character.
public enum NaturalOrder {
    /// Whether `lhs` comes before `rhs`. Ties on value (`F-007` and `F-7`) fall back to plain string order, so the
    /// order is total and stable.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        // Walked as UTF-8 bytes, without copying: UTF-8 keeps the order of code points, and an ASCII digit is never
        // part of a longer sequence, so this is the order of characters with digit runs as numbers. (Sorting a
        // page of worklist items spent most of its time in the scalar-by-scalar version.)
        var left = lhs
        var right = rhs
        let decided = left.withUTF8 { l in right.withUTF8 { r in order(l, r) } }
        return decided ?? (lhs < rhs)
    }

    /// True or false when the two differ in natural order; nil when they are equal in it.
    private static func order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            let x = a[i]
            let y = b[j]
            if isDigit(x), isDigit(y) {
                let aEnd = digitsEnd(a, from: i)
                let bEnd = digitsEnd(b, from: j)
                // Compare as numbers without parsing (no overflow): drop leading zeros, then length, then digits.
                let aStart = zerosEnd(a, from: i, to: aEnd)
                let bStart = zerosEnd(b, from: j, to: bEnd)
                if aEnd - aStart != bEnd - bStart { return aEnd - aStart < bEnd - bStart }
                for offset in 0..<(aEnd - aStart) where a[aStart + offset] != b[bStart + offset] {
                    return a[aStart + offset] < b[bStart + offset]
                }
                i = aEnd
                j = bEnd
                continue
            }
            if x != y { return x < y }
            i += 1
            j += 1
        }
        if (i == a.count) != (j == b.count) { return i == a.count }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func digitsEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        return end
    }

    private static func zerosEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, bytes[index] == UInt8(ascii: "0") { index += 1 }
        return index
    }
}
