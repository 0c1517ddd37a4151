import DulyCore
import DulyStore
import NIOCore
import PostgresNIO

// Calendar dates travel as PostgreSQL's own `date` (binary: days since 2000-01-01 as a 32-bit integer), so that a
// column of dates compares, sorts and indexes as dates, and a parameter needs no cast.
extension LocalDate: PostgresEncodable, PostgresNonThrowingEncodable,
    PostgresArrayEncodable, PostgresDecodable, PostgresArrayDecodable
{
    // 2000-01-01, PostgreSQL's day zero, counted from 1970-01-01.
    private static let postgresEpoch = 10_957

    public static var psqlType: PostgresDataType { .date }
    public static var psqlFormat: PostgresFormat { .binary }
    public static var psqlArrayType: PostgresDataType { .dateArray }

    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(Int32(daysSinceEpoch - Self.postgresEpoch))
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        switch (type, format) {
        case (.date, .binary):
            guard buffer.readableBytes == 4, let days = buffer.readInteger(as: Int32.self) else {
                throw PostgresDecodingError.Code.failure
            }
            self.init(daysSinceEpoch: Int(days) + Self.postgresEpoch)
        case (.date, .text), (.text, _), (.varchar, _):
            guard let text = buffer.readString(length: buffer.readableBytes), let date = LocalDate(iso: text) else {
                throw PostgresDecodingError.Code.failure
            }
            self = date
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
    }
}

/// Reading one row's columns by name, as the store's mappings expect them.
extension PostgresRandomAccessRow {
    /// The column's value; a value of another type, or a NULL where none may be, is a backend error naming the column.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self[column].decode(T.self)
        } catch {
            throw StoreError.backend("column \(column) does not hold a \(T.self): \(error)")
        }
    }

    /// A nullable column's value.
    func optional<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        if self[column].bytes == nil { return nil }
        return try value(column, as: T.self)
    }

    /// A money pair: an amount column in minor units and a currency column.
    func money(_ amount: String, currency: String = "currency") throws -> Money {
        try Decode.money(value(amount, as: Int.self), value(currency, as: String.self))
    }
}
