/// An exact amount of minor units as a fraction, for interest before its one rounding.
///
/// Interest is `principal × rate × days / (scale × year)`: keeping it as a fraction until the claim is summed means
/// that the result is rounded exactly once (RULES.md 1.7), whatever the number of segments.
public struct ExactFraction: Hashable, Sendable, CustomStringConvertible {
    /// The numerator, in minor units × `denominator`.
    public let numerator: Int128
    /// Always positive; the fraction is kept in lowest terms.
    public let denominator: Int128

    /// `numerator / denominator`, reduced.
    public init(_ numerator: Int128, over denominator: Int128) {
        precondition(denominator != 0, "division by zero")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let divisor = ExactFraction.gcd(numerator, denominator)
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// A whole number of minor units.
    public init(minorUnits: Int) {
        self.numerator = Int128(minorUnits)
        self.denominator = 1
    }

    /// Zero.
    public static let zero = ExactFraction(minorUnits: 0)

    /// Rounded half to even to a whole number of minor units: the one rounding of a claim.
    public var roundedHalfEven: Int { Int(Money.divideHalfEven(numerator, denominator)) }

    /// The value in major units of `currency` with `extraPlaces` decimals beyond its minor unit, rounded half to even
    /// there: `5.821918` for 582.1917… pence with four extra places. For showing the working only; never summed.
    public func decimalString(in currency: Currency, extraPlaces: Int) -> String {
        var scale: Int128 = 1
        for _ in 0..<extraPlaces { scale *= 10 }
        let scaled = Money.divideHalfEven(numerator * scale, denominator)
        let places = currency.minorUnitDigits + extraPlaces
        var divisor: Int128 = 1
        for _ in 0..<places { divisor *= 10 }
        let magnitude = scaled < 0 ? -scaled : scaled
        var fraction = String(magnitude % divisor)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        return (scaled < 0 ? "-" : "") + String(magnitude / divisor) + (places > 0 ? "." + fraction : "")
    }

    /// `numerator/denominator`.
    public var description: String { "\(numerator)/\(denominator)" }

    public static func + (lhs: ExactFraction, rhs: ExactFraction) -> ExactFraction {
        // Over the least common multiple, so the terms stay as small as the inputs allow.
        let divisor = gcd(lhs.denominator, rhs.denominator)
        let left = rhs.denominator / divisor
        let right = lhs.denominator / divisor
        return ExactFraction(lhs.numerator * left + rhs.numerator * right, over: lhs.denominator * left)
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a < 0 ? -a : a
        var y = b < 0 ? -b : b
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }
}
