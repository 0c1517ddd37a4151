import DulyCore

/// Turns stored column values back into domain values, for every backend; a value the schema should never hold is a
/// backend error.
public enum Decode {
    /// A `YYYY-MM-DD` column.
    public static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw StoreError.backend("stored date '\(text)' is not a date") }
        return date
    }

    /// A nullable `YYYY-MM-DD` column.
    public static func optionalDate(_ text: String?) throws -> LocalDate? {
        try text.map(date)
    }

    /// A currency code column.
    public static func currency(_ code: String) throws -> Currency {
        guard let currency = Currency(code: code) else {
            throw StoreError.backend("stored currency '\(code)' is not ISO 4217")
        }
        return currency
    }

    /// A money pair: minor units and currency code.
    public static func money(_ minorUnits: Int, _ code: String) throws -> Money {
        Money(minorUnits: minorUnits, currency: try currency(code))
    }

    /// A column holding a raw enum value.
    public static func value<T: RawRepresentable>(_ raw: String, as type: T.Type = T.self) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw StoreError.backend("stored \(T.self) '\(raw)' is not a known value")
        }
        return value
    }

    /// Payment terms in their canonical written form.
    public static func terms(_ text: String?) throws -> PaymentTerms? {
        guard let text else { return nil }
        do {
            return try PaymentTerms(parsing: text)
        } catch {
            throw StoreError.backend("stored payment terms '\(text)' do not parse: \(error)")
        }
    }

    /// A JSON array of channel names.
    public static func channels(_ json: String) throws -> Set<Channel> {
        Set(try JSONText.decodeArray(json).map { try value($0, as: Channel.self) })
    }
}

/// A tiny cache of currencies by code, so that reading a million rows does not look each code up a million times.
public struct CurrencyCache {
    private var byCode: [String: Currency] = [:]
    // A ledger uses a handful of terms texts; parsing each once keeps loading a million invoices cheap.
    private var termsByText: [String: PaymentTerms] = [:]

    public init() {}

    /// The payment terms for a stored text.
    public mutating func terms(_ text: String?) throws -> PaymentTerms? {
        guard let text else { return nil }
        if let known = termsByText[text] { return known }
        let terms = try Decode.terms(text)
        termsByText[text] = terms
        return terms
    }

    /// The currency for a stored code.
    public mutating func currency(_ code: String) throws -> Currency {
        if let known = byCode[code] { return known }
        let currency = try Decode.currency(code)
        byCode[code] = currency
        return currency
    }
}
