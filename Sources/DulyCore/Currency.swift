/// An ISO 4217 currency and the number of digits after its decimal point (its exponent).
public struct Currency: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The three-letter code, upper case (`EUR`).
    public let code: String
    /// Digits after the decimal point: JPY 0, EUR 2, KWD 3.
    public let minorUnitDigits: Int

    /// Looks a currency up by code (case-insensitive); nil when ISO 4217 has no such active currency.
    public init?(code: some StringProtocol) {
        let upper = code.uppercased()
        guard let digits = Currency.exponents[upper] else { return nil }
        self.code = upper
        self.minorUnitDigits = digits
    }

    public var description: String { code }

    /// 10 to the power of the exponent: how many minor units make one major unit.
    public var minorUnitsPerMajor: Int {
        var value = 1
        for _ in 0..<minorUnitDigits { value *= 10 }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown currency '\(code)'")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    // Active ISO 4217 codes (list one, 2024) with their minor-unit exponent. Funds codes and metals are left out:
    // nobody invoices in them.
    private static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        let twoDigit = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF \
            CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF \
            IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR \
            MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD \
            SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR \
            ZMW ZWG
            """
        for code in twoDigit.split(separator: " ") { table[String(code)] = 2 }
        for code in [
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
            "XOF", "XPF",
        ] {
            table[code] = 0
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { table[code] = 3 }
        return table
    }()
}
