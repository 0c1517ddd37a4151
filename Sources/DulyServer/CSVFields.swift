import DulyCore
import DulyImport
import Foundation

/// A request body read by the rules of Duly's CSV format (README, "Duly's CSV format"): the body's members are the
/// file's columns, written as one row and read by `DulyCSV`, so that the API refuses exactly what an import refuses,
/// with the same words, naming the field.
enum CSVFields {
    /// Decodes one record from a body with `columns` as its members; throws a 422 naming every bad field.
    static func record<Record>(
        _ body: BodyFields, columns: [String], read: ([UInt8], String) -> CSVParseResult<Record>
    ) throws -> Record {
        let values = try columns.map { try body.string($0) ?? "" }
        let bytes = Array((line(columns) + line(values)).utf8)
        let parsed = read(bytes, "body")
        guard parsed.issues.isEmpty, let record = parsed.records.first?.value else {
            throw Problem.invalid(
                parsed.issues.map { Problem.FieldError(field: $0.field ?? "body", detail: $0.message) })
        }
        return record
    }

    // Every field quoted, quotes doubled (RFC 4180): a value may hold any character, and the reader's own checks
    // (a line break in a name) then apply to it as to a file's.
    private static func line(_ fields: [String]) -> String {
        fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
    }
}
