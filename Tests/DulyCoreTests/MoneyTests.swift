import DulyCore
import Testing

@Suite("Currency")
struct CurrencyTests {
    /// A currency the test knows exists.
    private func currency(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Currency {
        try #require(Currency(code: code), "'\(code)' is not a currency", sourceLocation: sourceLocation)
    }

    @Test(arguments: [("EUR", 2), ("eur", 2), ("Eur", 2), ("JPY", 0), ("jpy", 0), ("KWD", 3), ("kwd", 3), ("GBP", 2)])
    func lookupIgnoresCaseAndKnowsTheExponent(code: String, digits: Int) throws {
        let found = try currency(code)
        #expect(found.code == code.uppercased())
        #expect(found.minorUnitDigits == digits)
        #expect(found == Currency(code: code.uppercased()))
    }

    @Test(arguments: ["XYZ", "", "EU", "EURO", "XAU", "123"])
    func unknownCodesAreNotCurrencies(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test(arguments: [("JPY", 1), ("EUR", 100), ("KWD", 1000)])
    func minorUnitsPerMajorFollowTheExponent(code: String, perMajor: Int) throws {
        #expect(try currency(code).minorUnitsPerMajor == perMajor)
    }
}

@Suite("Money")
struct MoneyTests {
    /// A currency the test knows exists.
    private func currency(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Currency {
        try #require(Currency(code: code), "'\(code)' is not a currency", sourceLocation: sourceLocation)
    }

    /// An amount parsed from text.
    private func money(
        _ text: String, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Money {
        try Money(parsing: text, currency: currency(code, sourceLocation: sourceLocation))
    }

    // MARK: - Parsing

    @Test(arguments: [
        ("EUR", "12.3", 1230), ("EUR", "12.34", 1234), ("EUR", "0.05", 5), ("EUR", "-1.50", -150), ("EUR", "+2", 200),
        ("EUR", "1000", 100_000), ("EUR", "0", 0), ("EUR", "-0.5", -50),
        ("JPY", "1000", 1000), ("JPY", "+2", 2), ("JPY", "-15", -15), ("JPY", "0", 0),
        ("KWD", "12.3", 12_300), ("KWD", "0.05", 50), ("KWD", "-1.50", -1500), ("KWD", "+2", 2000),
        ("KWD", "1000", 1_000_000), ("KWD", "1.234", 1234), ("KWD", "0.001", 1),
    ])
    func parsingReadsMajorUnitsIntoMinorUnits(code: String, text: String, minorUnits: Int) throws {
        let amount = try money(text, code)
        #expect(amount.minorUnits == minorUnits)
        #expect(amount.currency.code == code)
    }

    @Test func tooManyDecimalsNamesTheCurrencyAndItsLimit() throws {
        let eur = try currency("EUR")
        #expect(throws: MoneyError.tooManyDecimals("12.345", currency: "EUR", allowed: 2)) {
            try Money(parsing: "12.345", currency: eur)
        }
        let jpy = try currency("JPY")
        #expect(throws: MoneyError.tooManyDecimals("1.5", currency: "JPY", allowed: 0)) {
            try Money(parsing: "1.5", currency: jpy)
        }
        let kwd = try currency("KWD")
        #expect(throws: MoneyError.tooManyDecimals("1.2345", currency: "KWD", allowed: 3)) {
            try Money(parsing: "1.2345", currency: kwd)
        }
    }

    @Test(arguments: [
        "", ".", "-", "+", "1,000.00", "1e3", " 12", "12 ", "12.", "-.", "1.2.3", "--1", "+-1", "12a", "€12", "0x10",
        "١٢",
    ])
    func malformedTextIsRefused(text: String) throws {
        let eur = try currency("EUR")
        #expect(throws: MoneyError.malformed(text)) { try Money(parsing: text, currency: eur) }
    }

    @Test(arguments: [
        ("EUR", "10000000000000000"), ("EUR", "99999999999999999999999"), ("JPY", "9999999999999999999"),
        ("KWD", "-1000000000000000"),
    ])
    func amountsBeyondTheLargestAreOutOfRange(code: String, text: String) throws {
        let unit = try currency(code)
        #expect(throws: MoneyError.outOfRange(text)) { try Money(parsing: text, currency: unit) }
    }

    @Test func theLargestAmountStillParses() throws {
        #expect(try money("9999999999999999.99", "EUR").minorUnits == 999_999_999_999_999_999)
        #expect(try money("-999999999999999999", "JPY").minorUnits == -999_999_999_999_999_999)
    }

    @Test func errorMessagesSayHowToFixTheInput() {
        #expect(MoneyError.malformed("1,5").description.contains("1234.50"))
        #expect(
            MoneyError.tooManyDecimals("12.345", currency: "EUR", allowed: 2).description
                == "'12.345' has more than 2 decimals, the most EUR allows")
        #expect(
            MoneyError.tooManyDecimals("1.5", currency: "JPY", allowed: 0).description
                == "'1.5' has more than 0 decimals, the most JPY allows")
    }

    // MARK: - Formatting

    @Test(arguments: [
        ("EUR", 123_456, "1234.56"), ("EUR", -5, "-0.05"), ("EUR", 5, "0.05"), ("EUR", 0, "0.00"),
        ("EUR", -150, "-1.50"), ("EUR", 100_000, "1000.00"), ("EUR", 1, "0.01"), ("EUR", -100, "-1.00"),
        ("JPY", 1000, "1000"), ("JPY", -7, "-7"), ("JPY", 0, "0"),
        ("KWD", 1, "0.001"), ("KWD", -1500, "-1.500"), ("KWD", 12_345, "12.345"), ("KWD", 50, "0.050"),
    ])
    func decimalStringShowsEveryMinorDigit(code: String, minorUnits: Int, expected: String) throws {
        let amount = Money(minorUnits: minorUnits, currency: try currency(code))
        #expect(amount.decimalString == expected)
        #expect(amount.description == "\(code) \(expected)")
        #expect(try money(expected, code) == amount)
    }

    @Test func decimalStringHandlesTheSmallestInteger() throws {
        let amount = Money(minorUnits: Int.min, currency: try currency("EUR"))
        #expect(amount.decimalString == "-92233720368547758.08")
    }

    // MARK: - Arithmetic

    @Test func additionSubtractionAndNegationStayInTheCurrency() throws {
        let a = try money("10.50", "EUR")
        let b = try money("0.75", "EUR")
        #expect(a + b == (try money("11.25", "EUR")))
        #expect(a - b == (try money("9.75", "EUR")))
        #expect(b - a == (try money("-9.75", "EUR")))
        #expect(-a == (try money("-10.50", "EUR")))
        #expect(Money.zero(try currency("EUR")).isZero)
        #expect(!a.isZero)
    }

    // MARK: - Half-even rounding

    @Test(arguments: [
        // (minor units, numerator, denominator, expected minor units)
        (5, 1, 2, 2),  // 2.5 -> 2
        (7, 1, 2, 4),  // 3.5 -> 4
        (-5, 1, 2, -2),  // -2.5 -> -2
        (-7, 1, 2, -4),  // -3.5 -> -4
        (3, 1, 2, 2),  // 1.5 -> 2
        (1, 1, 2, 0),  // 0.5 -> 0
        (11, 1, 4, 3),  // 2.75 -> 3
        (9, 1, 4, 2),  // 2.25 -> 2
        (-9, 1, 4, -2),  // -2.25 -> -2
        (-11, 1, 4, -3),  // -2.75 -> -3
        (10_000, 125, 1000, 1250),  // 0.125 of 100.00 = 12.50
        (100_000, 200, 10_000, 2000),  // 2 % of 1000.00 = 20.00
        (25, 200, 10_000, 0),  // 2 % of 0.25 = 0.005 -> 0.00
        (75, 200, 10_000, 2),  // 2 % of 0.75 = 0.015 -> 0.02
        (100_000, 150, 10_000, 1500),  // 1.5 % of 1000.00 = 15.00
        (12_345, 150, 10_000, 185),  // 1.5 % of 123.45 = 1.85175 -> 1.85
        (-100_000, 150, 10_000, -1500),  // 1.5 % of -1000.00
        (100, 1, 3, 33),  // 0.333… -> 0.33
        (200, 1, 3, 67),  // 0.666… -> 0.67
        (100, -1, 2, -50),  // negative numerator
        (5, 1, -2, -2),  // negative denominator
    ])
    func fractionRoundsHalfToEven(minorUnits: Int, numerator: Int, denominator: Int, expected: Int) throws {
        let amount = Money(minorUnits: minorUnits, currency: try currency("EUR"))
        let result = amount.fraction(numerator, of: denominator)
        #expect(result.minorUnits == expected)
        #expect(result.currency == amount.currency)
    }

    @Test func fractionOfTheLargestAmountDoesNotOverflow() throws {
        let largest = Money(minorUnits: 999_999_999_999_999_999, currency: try currency("EUR"))
        #expect(largest.fraction(1000, of: 1000) == largest)
        #expect(largest.fraction(9, of: 10).minorUnits == 900_000_000_000_000_000 - 1)
    }

    @Test(arguments: [
        (Int128(5), Int128(2), Int128(2)), (-5, 2, -2), (5, -2, -2), (-5, -2, 2),
        (7, 2, 4), (-7, 2, -4), (7, -2, -4), (-7, -2, 4),
        (1, 2, 0), (-1, 2, 0), (3, 2, 2), (-3, 2, -2),
        (10, 4, 2), (-10, 4, -2), (14, 4, 4), (-14, -4, 4),
        (7, 3, 2), (-7, 3, -2), (8, 3, 3), (-8, 3, -3), (8, -3, -3),
        (0, 5, 0), (0, -5, 0), (12, 4, 3), (-12, 4, -3), (12, -4, -3),
    ])
    func divideHalfEvenRoundsTiesToEvenWhateverTheSigns(dividend: Int128, divisor: Int128, expected: Int128) {
        #expect(Money.divideHalfEven(dividend, divisor) == expected)
    }
}
