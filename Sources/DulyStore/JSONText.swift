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
        encode(TimelineDetail.sorted(object))
    }

    /// `{"a":"1","b":"2"}`: a timeline event's details, in the (key) order given.
    public static func encode(_ details: [TimelineDetail]) -> String {
        object(details.lazy.map { ($0.key, $0.value) }, capacity: 16 * details.count + 2)
    }

    /// `["a","b"]`, in the order given.
    public static func encode(_ array: [String]) -> String {
        var out = Output(capacity: 12 * array.count + 2)
        out.byte(UInt8(ascii: "["))
        for (index, element) in array.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.string(element)
        }
        out.byte(UInt8(ascii: "]"))
        return out.text
    }

    /// `{"INV-1":"first_follow_up","INV-2":"due_day"}`: an action's invoice steps as stored, in the action's order.
    public static func encode(_ steps: [InvoiceStep]) -> String {
        object(steps.lazy.map { ($0.invoiceNumber, $0.stepID) }, capacity: 32 * steps.count + 2)
    }

    // A JSON object of these pairs, in the order given.
    private static func object(_ pairs: some Sequence<(String, String)>, capacity: Int) -> String {
        var out = Output(capacity: capacity)
        out.byte(UInt8(ascii: "{"))
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.string(key)
            out.byte(UInt8(ascii: ":"))
            out.string(value)
        }
        out.byte(UInt8(ascii: "}"))
        return out.text
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

    // JSON text built as UTF-8 bytes: appending to a String checked its capacity and flags on every piece, and the
    // collection day encodes an action's steps and its timeline entry's details for each of a hundred thousand.
    private struct Output {
        private var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        var text: String { String(decoding: bytes, as: UTF8.self) }

        mutating func byte(_ byte: UInt8) { bytes.append(byte) }

        /// A JSON string: quoted, with quotes, backslashes and control characters escaped. Only ASCII bytes need
        /// escaping, so the UTF-8 bytes of everything else are copied as they are.
        mutating func string(_ string: String) {
            var string = string
            bytes.append(UInt8(ascii: "\""))
            string.withUTF8 { utf8 in
                // Most text needs no escaping: copied whole.
                guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
                else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                    case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                    case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                    case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                    case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                    case ..<0x20: bytes.append(contentsOf: Array("\\u00\(Hex.encode([byte]))".utf8))
                    default: bytes.append(byte)
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
