/// An exact ratio of two integers: a KPI in days or percent before it is shown, or interest in minor units before its
/// one rounding.
///
/// KPIs divide money by money (AR by sales) and multiply by days, and interest is `principal × rate × days / year`;
/// doing that in floating point would make the result depend on the order of operations. A `Ratio` keeps the exact
/// value through every step and is rounded once, half to even, at the end (docs/DOMAIN.md, "Conventions" and
/// "Collections KPIs").
public struct Ratio: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The numerator, with the sign of the ratio.
    public let numerator: Int128
    /// The denominator, always positive; the fraction is kept in lowest terms.
    public let denominator: Int128

    /// `numerator / denominator`, reduced. The denominator must not be zero.
    public init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator != 0, "a ratio over zero")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let divisor = Ratio.gcd(numerator, denominator)
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// A whole number.
    public init(_ integer: Int) {
        self.init(Int128(integer), 1)
    }

    /// `numerator / denominator` of plain integers (minor units, days).
    public init(_ numerator: Int, over denominator: Int) {
        self.init(Int128(numerator), Int128(denominator))
    }

    /// The value rounded half to even to `places` decimals, as a plain decimal string: `36.50`, `-0.25`, `7`.
    public func decimalString(places: Int = 2) -> String {
        precondition(places >= 0, "negative decimal places")
        var scale: Int128 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Money.divideHalfEven(numerator * scale, denominator)
        let magnitude = scaled < 0 ? -scaled : scaled
        let sign = scaled < 0 ? "-" : ""
        guard places > 0 else { return sign + String(magnitude) }
        let fraction = String(magnitude % scale)
        return sign + String(magnitude / scale) + "." + String(repeating: "0", count: places - fraction.count)
            + fraction
    }

    /// Two decimals, as reports print it.
    public var description: String { decimalString() }

    /// Zero.
    public static let zero = Ratio(0)

    /// Rounded half to even to a whole number: the one rounding of an interest claim, in minor units.
    public var roundedHalfEven: Int { Int(Money.divideHalfEven(numerator, denominator)) }

    public static func + (lhs: Ratio, rhs: Ratio) -> Ratio {
        // Over the least common multiple, so the terms stay as small as the inputs allow (interest sums many).
        let divisor = gcd(lhs.denominator, rhs.denominator)
        let left = rhs.denominator / divisor
        let right = lhs.denominator / divisor
        return Ratio(lhs.numerator * left + rhs.numerator * right, lhs.denominator * left)
    }

    public static func - (lhs: Ratio, rhs: Ratio) -> Ratio {
        Ratio(lhs.numerator * rhs.denominator - rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }

    public static func * (lhs: Ratio, rhs: Ratio) -> Ratio {
        Ratio(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    /// Nil when dividing by zero: a KPI with no sales has no value, and says so rather than crash.
    public static func / (lhs: Ratio, rhs: Ratio) -> Ratio? {
        rhs.numerator == 0 ? nil : Ratio(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    public static func < (lhs: Ratio, rhs: Ratio) -> Bool {
        lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }

    // Euclid on magnitudes; gcd(0, n) is n, so zero becomes 0/1.
    private static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a < 0 ? -a : a
        var y = b < 0 ? -b : b
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }
}
