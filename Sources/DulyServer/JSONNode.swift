import DulyCore
import Foundation

/// A JSON value as the API reads and writes it: request bodies are read into it so that each field's type can be
/// checked and named, and responses are written from it so that absent values are written as `null`, never left
/// out. (DulyCore's `JSONValue` writes webhook events by hand and reads nothing; this one is read through Codable,
/// keeping a fraction apart from an integer so that money sent as a JSON number is refused by name, and written by
/// hand with `JSONValue`'s quoting: `sortedText`.)
enum JSONNode: Equatable, Sendable, Codable, ExpressibleByStringLiteral {
    case string(String)
    case integer(Int)
    /// A JSON number with a fraction: never taken as money, which is a decimal string.
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONNode])
    case object(JSONObject)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode(JSONObject.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let values): try container.encode(values)
        case .object(let object): try container.encode(object)
        }
    }

    init(stringLiteral value: String) { self = .string(value) }

    /// A value's JSON, as a node: for types that define their own encoding (`ActionJSON`).
    init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONNode.self, from: Data(JSONBody.encode(value)))
    }

    /// A string, or null when absent.
    static func text(_ value: String?) -> JSONNode { value.map(JSONNode.string) ?? .null }

    /// What kind of value this is, for an error that says what was sent instead.
    var kind: String {
        switch self {
        case .string: "a string"
        case .integer, .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONNode {
    /// The JSON text with every object's keys sorted, as `JSONBody` writes answers; nil when a number with a fraction
    /// is inside (the API never answers one; the generic encoder writes it as Foundation does).
    var sortedText: String? {
        var out = ""
        return write(to: &out) ? out : nil
    }

    private func write(to out: inout String) -> Bool {
        switch self {
        case .string(let value): JSONValue.quote(value, into: &out)
        case .integer(let value): out += String(value)
        case .number: return false
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                guard value.write(to: &out) else { return false }
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, member) in object.members.sorted(by: { $0.name < $1.name }).enumerated() {
                if index > 0 { out += "," }
                JSONValue.quote(member.name, into: &out)
                out += ":"
                guard member.value.write(to: &out) else { return false }
            }
            out += "}"
        }
        return true
    }
}

/// A JSON object whose members keep their order.
struct JSONObject: Equatable, Sendable, Codable, ExpressibleByDictionaryLiteral {
    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var members: [(name: String, value: JSONNode)]

    init(_ members: [(name: String, value: JSONNode)]) { self.members = members }

    init(dictionaryLiteral elements: (String, JSONNode)...) {
        members = elements.map { (name: $0.0, value: $0.1) }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberKey.self)
        members = try container.allKeys.map { ($0.stringValue, try container.decode(JSONNode.self, forKey: $0)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for member in members { try container.encode(member.value, forKey: MemberKey(stringValue: member.name)) }
    }

    subscript(name: String) -> JSONNode? {
        members.first { $0.name == name }?.value
    }

    // Members compare by name, in any order: JSON objects are unordered, and the API writes keys sorted anyway.
    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count && lhs.members.allSatisfy { rhs[$0.name] == $0.value }
    }
}

/// A request body: one JSON object whose members the route names.
struct BodyFields {
    let object: JSONObject

    /// Reads a body that must be a JSON object with only `allowed` members; problems name the member at fault.
    init(_ bytes: [UInt8], allowed: [String]) throws {
        guard !bytes.isEmpty else {
            throw Problem(
                .unprocessableContent,
                "the body is empty; send a JSON object with the fields \(allowed.joined(separator: ", "))")
        }
        guard let value = try? JSONDecoder().decode(JSONNode.self, from: Data(bytes)), case .object(let object) = value
        else {
            throw Problem(.badRequest, "the body is not a JSON object; send one with Content-Type: application/json")
        }
        let unknown = object.members.map(\.name).filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw Problem.invalid(
                unknown.map {
                    Problem.FieldError(
                        field: $0, detail: "unknown field; the fields are \(allowed.joined(separator: ", "))")
                })
        }
        self.object = object
    }

    /// The member as text: a string, or nil when absent or null. Any other type is refused, money included: an
    /// amount is a decimal string (`"120.50"`), never a JSON number, so that no binary fraction ever touches it.
    func string(_ name: String) throws -> String? {
        switch object[name] {
        case nil, .null: return nil
        case .string(let text): return text
        case .some(let other):
            throw Problem(.unprocessableContent, "must be a string, not \(other.kind)", field: name)
        }
    }

    /// The member as a boolean, `default` when absent or null.
    func bool(_ name: String, default value: Bool) throws -> Bool {
        switch object[name] {
        case nil, .null: return value
        case .bool(let flag): return flag
        case .some(let other):
            throw Problem(.unprocessableContent, "must be true or false, not \(other.kind)", field: name)
        }
    }
}
