import DulyCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// JSON text for the few columns that hold a list or a map of strings (tags, opt-outs, timeline details).
///
/// Encoding is written by hand: the timeline writes one details object per entry, hundreds of thousands per import,
/// and a general-purpose encoder would dominate the import's time. Keys are sorted, so equal maps give equal text.
public enum JSONText {
    /// `{"a":"1","b":"2"}`, keys sorted.
    public static func encode(_ object: [String: String]) -> String {
        var out = "{"
        var first = true
        for key in object.keys.sorted() {
            if !first { out.append(",") }
            first = false
            appendString(key, to: &out)
            out.append(":")
            appendString(object[key]!, to: &out)
        }
        out.append("}")
        return out
    }

    /// `["a","b"]`, in the order given.
    public static func encode(_ array: [String]) -> String {
        var out = "["
        for (index, element) in array.enumerated() {
            if index > 0 { out.append(",") }
            appendString(element, to: &out)
        }
        out.append("]")
        return out
    }

    /// `{"INV-1":"first_follow_up","INV-2":"due_day"}`: an action's invoice steps as stored, in the action's order.
    public static func encode(_ steps: [InvoiceStep]) -> String {
        var out = "{"
        for (index, step) in steps.enumerated() {
            if index > 0 { out.append(",") }
            appendString(step.invoiceNumber, to: &out)
            out.append(":")
            appendString(step.stepID, to: &out)
        }
        out.append("}")
        return out
    }

    /// A set of raw-valued enum cases as a sorted JSON array.
    public static func encode<T: RawRepresentable>(_ set: Set<T>) -> String where T.RawValue == String {
        encode(set.map { $0.rawValue }.sorted())
    }

    /// Decodes a JSON object of strings.
    public static func decodeObject(_ text: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.backend("stored JSON object is malformed: \(error)")
        }
    }

    /// Decodes a JSON array of strings.
    public static func decodeArray(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.backend("stored JSON array is malformed: \(error)")
        }
    }

    private static func appendString(_ string: String, to out: inout String) {
        out.append("\"")
        // Most text needs no escaping; copying it whole is much faster than walking it scalar by scalar.
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(string)
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
