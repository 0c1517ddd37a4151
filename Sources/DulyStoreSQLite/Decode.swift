import DulyCore
import DulyStore

/// Turns stored text back into domain values; a value the schema should never hold is a backend error.
enum Decode {
    /// A `YYYY-MM-DD` column.
    static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw StoreError.backend("stored date '\(text)' is not a date") }
        return date
    }

    /// A nullable `YYYY-MM-DD` column.
    static func optionalDate(_ text: String?) throws -> LocalDate? {
        try text.map(date)
    }

    /// A currency code column.
    static func currency(_ code: String) throws -> Currency {
        guard let currency = Currency(code: code) else {
            throw StoreError.backend("stored currency '\(code)' is not ISO 4217")
        }
        return currency
    }

    /// A money pair: minor units and currency code.
    static func money(_ minorUnits: Int, _ code: String) throws -> Money {
        Money(minorUnits: minorUnits, currency: try currency(code))
    }

    /// A column holding a raw enum value.
    static func value<T: RawRepresentable>(_ raw: String, as type: T.Type = T.self) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw StoreError.backend("stored \(T.self) '\(raw)' is not a known value")
        }
        return value
    }

    /// Payment terms in their canonical written form.
    static func terms(_ text: String?) throws -> PaymentTerms? {
        guard let text else { return nil }
        do {
            return try PaymentTerms(parsing: text)
        } catch {
            throw StoreError.backend("stored payment terms '\(text)' do not parse: \(error)")
        }
    }

    /// A JSON array of channel names.
    static func channels(_ json: String) throws -> Set<Channel> {
        Set(try JSONText.decodeArray(json).map { try value($0, as: Channel.self) })
    }
}

/// A tiny cache of currencies by code, so that reading a million rows does not look each code up a million times.
struct CurrencyCache {
    private var byCode: [String: Currency] = [:]
    // A ledger uses a handful of terms texts; parsing each once keeps loading a million invoices cheap.
    private var termsByText: [String: PaymentTerms] = [:]

    /// The payment terms for a stored text.
    mutating func terms(_ text: String?) throws -> PaymentTerms? {
        guard let text else { return nil }
        if let known = termsByText[text] { return known }
        let terms = try Decode.terms(text)
        termsByText[text] = terms
        return terms
    }

    /// The currency for a stored code.
    mutating func currency(_ code: String) throws -> Currency {
        if let known = byCode[code] { return known }
        let currency = try Decode.currency(code)
        byCode[code] = currency
        return currency
    }
}
