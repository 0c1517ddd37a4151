/// A yearly interest rate, exact: an integer number of millionths (4.75 % is 47_500 millionths).
///
/// Millionths give four decimals of a percent, more than any statute, central bank or contract in docs/DOMAIN.md uses,
/// and keep every product an integer. A rate may be negative: the German Basiszinssatz was −0.88 % until 2022.
public struct AnnualRate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The rate in millionths of one (1 % = 10_000).
    public var millionths: Int

    /// A rate from millionths of one.
    public init(millionths: Int) {
        self.millionths = millionths
    }

    /// A rate from basis points (hundredths of a percent): 875 is 8.75 %.
    public init(basisPoints: Int) {
        self.millionths = basisPoints * 100
    }

    /// The denominator of `millionths`.
    public static let scale = 1_000_000

    /// Zero percent.
    public static let zero = AnnualRate(millionths: 0)

    /// Parses a percentage written as a plain decimal: `4.75`, `-0.88`, `8`, `12.1234` (at most four decimals).
    ///
    /// No `%` sign, no exponent, no thousands separator, `.` as the decimal point: the same rules as amounts.
    public init?(percent text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value = 0
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= 4 else { return nil }
            } else {
                integerDigits += 1
                // A yearly rate of 1000 % or more is a typo, not a rate.
                guard integerDigits <= 3 else { return nil }
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard integerDigits > 0, !(seenPoint && fractionDigits == 0) else { return nil }
        for _ in fractionDigits..<4 { value *= 10 }
        self.millionths = negative ? -value : value
    }

    /// The rate as a percentage with at least two decimals and no trailing zeros past them: `8.75`, `-0.88`,
    /// `12.1234`, `10.00`.
    public var percentString: String {
        let magnitude = millionths.magnitude
        var fraction = String(magnitude % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        return (millionths < 0 ? "-" : "") + String(magnitude / 10_000) + "." + fraction
    }

    /// `8.75%`.
    public var description: String { percentString + "%" }

    /// The rate in basis points, when it is a whole number of them (every statutory rate is).
    public var basisPoints: Int? { millionths % 100 == 0 ? millionths / 100 : nil }

    public static func + (lhs: AnnualRate, rhs: AnnualRate) -> AnnualRate {
        AnnualRate(millionths: lhs.millionths + rhs.millionths)
    }

    public static func < (lhs: AnnualRate, rhs: AnnualRate) -> Bool { lhs.millionths < rhs.millionths }
}
