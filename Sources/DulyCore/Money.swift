/// An exact amount of one currency, in integer minor units (cents, pence, fils).
///
/// There is no floating point anywhere in an amount: parsing reads decimal digits, arithmetic is on integers, and the
/// only division ever done (`fraction(_:of:)`) rounds half to even, as docs/PRODUCT.md, "Money", asks.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units (1234 EUR minor units = 12.34 EUR).
    public var minorUnits: Int
    public let currency: Currency

    public init(minorUnits: Int, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero of a currency.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses a decimal string in major units: `1234.56`, `-0.5`, `1000`.
    ///
    /// Accepts an optional sign, digits, and at most as many fractional digits as the currency has (`12.345` is an
    /// error in EUR, `12.3` is 12.30). No thousands separators, no exponent, no spaces.
    public init(parsing text: some StringProtocol, currency: Currency) throws(MoneyError) {
        let string = String(text)
        var bytes = Substring(string).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var value = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .malformed(string) }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(string) }
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= currency.minorUnitDigits else {
                    throw .tooManyDecimals(string, currency: currency.code, allowed: currency.minorUnitDigits)
                }
            } else {
                integerDigits += 1
            }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= Money.largestMinorUnits else { throw .outOfRange(string) }
            value = sum
        }
        // A point needs digits after it: "12." and "." are typos, not amounts.
        guard integerDigits > 0 || fractionDigits > 0, !(seenPoint && fractionDigits == 0) else {
            throw .malformed(string)
        }
        for _ in fractionDigits..<currency.minorUnitDigits {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow, times10 <= Money.largestMinorUnits else { throw .outOfRange(string) }
            value = times10
        }
        self.init(minorUnits: negative ? -value : value, currency: currency)
    }

    /// The amount as a plain decimal string in major units (`1234.56`, `-0.05`, `1000` for JPY).
    public var decimalString: String {
        // Written from the last digit back into a buffer on the stack, then copied once: a first load prints about
        // two amounts for each of a million rows, and joining the parts built five strings for each.
        let fractionDigits = currency.minorUnitDigits
        // Twenty digits (the largest magnitude), the fraction's leading zeros, the point and the sign.
        let capacity = 22 + fractionDigits
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { text in
            var start = capacity
            var rest = minorUnits.magnitude
            func write(_ byte: UInt8) {
                start -= 1
                text[start] = byte
            }
            for _ in 0..<fractionDigits {
                write(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            }
            if fractionDigits > 0 { write(UInt8(ascii: ".")) }
            repeat {
                write(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            if minorUnits < 0 { write(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: text[start..<capacity]), as: UTF8.self)
        }
    }

    /// `EUR 1234.56`.
    public var description: String { "\(currency.code) \(decimalString)" }

    /// Whether the amount is zero.
    public var isZero: Bool { minorUnits == 0 }

    /// `numerator / denominator` of this amount, rounded half to even to the minor unit.
    ///
    /// Used for discounts (2 % = 2/100, or 15 basis points = 15/10000) and interest. Computed in 128 bits so that
    /// no intermediate product can overflow.
    public func fraction(_ numerator: Int, of denominator: Int) -> Money {
        precondition(denominator != 0, "division by zero")
        let product = Int128(minorUnits) * Int128(numerator)
        return Money(minorUnits: Int(Money.divideHalfEven(product, Int128(denominator))), currency: currency)
    }

    /// Integer division rounded half to even ("banker's rounding").
    public static func divideHalfEven(_ dividend: Int128, _ divisor: Int128) -> Int128 {
        var quotient = dividend / divisor
        let remainder = dividend % divisor
        guard remainder != 0 else { return quotient }
        let twiceRemainder = (remainder < 0 ? -remainder : remainder) * 2
        let absDivisor = divisor < 0 ? -divisor : divisor
        let sameSign = (dividend < 0) == (divisor < 0)
        if twiceRemainder > absDivisor || (twiceRemainder == absDivisor && quotient % 2 != 0) {
            quotient += sameSign ? 1 : -1
        }
        return quotient
    }

    // 10^15 major units of a two-digit currency: far beyond any invoice, far inside Int64.
    static let largestMinorUnits = 999_999_999_999_999_999

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    public static prefix func - (amount: Money) -> Money {
        Money(minorUnits: -amount.minorUnits, currency: amount.currency)
    }
}

/// Why a decimal string is not an amount.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case tooManyDecimals(String, currency: String, allowed: Int)
    case outOfRange(String)
    case unknownCurrency(String)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "'\(text)' is not an amount: write digits with '.' as the decimal point, like 1234.50"
        case .tooManyDecimals(let text, let currency, let allowed):
            return "'\(text)' has more than \(allowed) decimal\(allowed == 1 ? "" : "s"), the most \(currency) allows"
        case .outOfRange(let text):
            return "'\(text)' is too large an amount"
        case .unknownCurrency(let code):
            return "'\(code)' is not an ISO 4217 currency code"
        }
    }
}
