import DulyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DulyServer

/// The checked-in document against the routes: every operation it describes exists, answers as its schema says,
/// and is guarded as it says; and every route the server has is in it.
@Suite struct OpenAPIDocumentTests {
    struct Operation: CustomStringConvertible, Sendable {
        var method: String
        var path: String
        var object: JSONObject

        var description: String { "\(method.uppercased()) \(path)" }
        var isSecured: Bool { object["x-duly-role"] != nil }
        var role: Role? {
            if case .string(let text) = object["x-duly-role"] { Role(rawValue: text) } else { nil }
        }

        /// The path with each parameter replaced by its example.
        var exampleURI: String {
            var uri = path
            for parameter in array(object["parameters"]) {
                guard case .object(let parameter) = parameter, parameter["in"] == .string("path"),
                    case .string(let name) = parameter["name"], case .string(let example) = parameter["example"]
                else { continue }
                uri = uri.replacingOccurrences(of: "{\(name)}", with: example)
            }
            return uri
        }

        var hasPathParameter: Bool { path.contains("{") }

        /// The request body's example, as JSON text.
        var exampleBody: String? {
            guard case .object(let body) = object["requestBody"], case .object(let content) = body["content"],
                case .object(let json) = content["application/json"], let example = json["example"]
            else { return nil }
            return String(decoding: JSONBody.encode(example), as: UTF8.self)
        }

        var responses: JSONObject {
            if case .object(let responses) = object["responses"] { responses } else { [:] }
        }
    }

    static let document: JSONObject = {
        let bytes = try! APIDocument.load()
        guard case .object(let object) = try! JSONDecoder().decode(JSONNode.self, from: Data(bytes)) else {
            preconditionFailure("the document is not a JSON object")
        }
        return object
    }()

    static var operations: [Operation] {
        guard case .object(let paths) = document["paths"] else { return [] }
        return paths.members.flatMap { path, value -> [Operation] in
            guard case .object(let methods) = value else { return [] }
            return methods.members.compactMap { method, operation in
                guard case .object(let object) = operation else { return nil }
                return Operation(method: method, path: path, object: object)
            }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    @Test func theDocumentIsOpenAPI31AndNamesEveryOperation() {
        #expect(Self.document["openapi"] == .string("3.1.0"))
        #expect(!Self.operations.isEmpty)
        for operation in Self.operations {
            #expect(operation.object["operationId"] != nil, "\(operation) has no operationId")
        }
    }

    @Test func everyRouteTheServerHasIsInTheDocumentAndNoOther() async throws {
        let server = try await TestServer.make()
        let router = try await buildRouter(store: server.store, clock: TestServer.clock)
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = Set(Self.operations.map { "\($0.method.uppercased()) \($0.path)" })
        #expect(served == documented)
    }

    /// The operation's example address, with a real action's id where it takes one: action ids are the server's
    /// own, so an action awaiting approval is written first.
    static func uri(
        _ operation: Operation, server: TestServer, client: any TestClientProtocol
    ) async throws -> String {
        // Subscriber ids too: one is added first.
        if operation.path.contains("{webhook_id}") {
            let created = try await client.call(
                .post, "/api/v1/webhooks", token: server.tokens[.owner]!, body: #"{"url": "https://example.com/duly"}"#)
            guard case .string(let id) = created.json["id"] else { return operation.exampleURI }
            return operation.path.replacingOccurrences(of: "{webhook_id}", with: id)
        }
        if ["{promise_id}", "{plan_id}", "{dispute_id}"].contains(where: operation.path.contains) {
            try await server.commitments()
        }
        guard operation.path.contains("{action_id}") else { return operation.exampleURI }
        // A call's outcome is recorded on a call; a decision on an action awaiting approval.
        if operation.path.hasSuffix("/outcome") {
            try await server.plannedCall()
        } else {
            try await server.escalationAwaitingApproval()
        }
        let actions = try await client.call(.get, "/api/v1/actions", token: server.tokens[.viewer]!)
        guard case .string(let id) = actions.items.first?["id"] else { return operation.exampleURI }
        return operation.path.replacingOccurrences(of: "{action_id}", with: id)
    }

    @Test(arguments: operations)
    func everyOperationAnswersWithItsSchemasRequiredFields(_ operation: Operation) async throws {
        let server = try await TestServer.make()
        // An operation signed by a payment provider instead of a token gets its example signed.
        var signature: HTTPFields = [:]
        if operation.object["x-duly-signature"] == .string("stripe"), let body = operation.exampleBody {
            try await StripeSigning.configure(server)
            signature = StripeSigning.header(body)
        }
        try await server.test { [signature] client in
            let answer = try await client.call(
                HTTPRequest.Method(operation.method.uppercased())!,
                try await Self.uri(operation, server: server, client: client),
                token: operation.isSecured ? server.tokens[.owner]! : nil, body: operation.exampleBody,
                headers: signature)
            let documented = operation.responses["\(answer.status.code)"]
            #expect(
                answer.status.code < 300 && documented != nil,
                "\(operation) answered \(answer.status.code): \(String(decoding: answer.body, as: UTF8.self))")
            guard case .object(let response) = documented else { return }
            // An answer documented without content (204) has none.
            guard let mediaType = Self.mediaType(response) else {
                #expect(answer.body.isEmpty, "\(operation): a body where the document says none")
                return
            }
            #expect(answer.contentType == mediaType.name, "\(operation): content type")
            // A text or binary answer (the metrics, a zip) has its content type as its check; JSON answers their
            // schema.
            if !mediaType.name.hasSuffix("json") { return }
            guard let schema = mediaType.schema,
                let body = try? JSONDecoder().decode(JSONNode.self, from: Data(answer.body))
            else {
                Issue.record("\(operation): no schema or no JSON body")
                return
            }
            let problems = Self.check(body, against: schema, at: "body")
            #expect(problems.isEmpty, "\(operation): \(problems)")
        }
    }

    @Test(arguments: operations.filter(\.isSecured))
    func everySecuredOperationRefusesAMissingOrWrongToken(_ operation: Operation) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for token in [nil, "duly_not-a-token"] {
                let answer = try await client.call(
                    HTTPRequest.Method(operation.method.uppercased())!, operation.exampleURI, token: token,
                    body: operation.exampleBody)
                #expect(answer.status == .unauthorized, "\(operation) with token \(token ?? "none")")
                #expect(answer.isProblem)
                #expect(answer.headers[.wwwAuthenticate] == "Bearer")
                #expect(operation.responses["401"] != nil)
            }
        }
    }

    @Test(arguments: operations.filter { ($0.role ?? .viewer) > .viewer })
    func everyOperationRefusesTheRoleBelowItsOwn(_ operation: Operation) async throws {
        let server = try await TestServer.make()
        let role = try #require(operation.role)
        let below = Role.allCases.filter { $0 < role }.max()!
        try await server.test { client in
            let answer = try await client.call(
                HTTPRequest.Method(operation.method.uppercased())!, operation.exampleURI, token: server.tokens[below]!,
                body: operation.exampleBody)
            #expect(answer.status == .forbidden, "\(operation) as a \(below.rawValue)")
            #expect(answer.isProblem)
            #expect(operation.responses["403"] != nil)
        }
    }

    @Test(arguments: operations.filter(\.hasPathParameter))
    func everyOperationWithAnIdAnswers404ToAnotherOrganisation(_ operation: Operation) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            // The examples name studio's records; the other organisation's owner asks for them.
            let answer = try await client.call(
                HTTPRequest.Method(operation.method.uppercased())!,
                try await Self.uri(operation, server: server, client: client), token: server.otherToken,
                body: operation.exampleBody)
            #expect(answer.status == .notFound, "\(operation)")
            #expect(answer.isProblem)
            #expect(operation.responses["404"] != nil)
        }
    }

    // MARK: - Schemas

    private static func mediaType(_ response: JSONObject) -> (name: String, schema: JSONObject?)? {
        guard case .object(let content) = response["content"], let first = content.members.first,
            case .object(let media) = first.value
        else { return nil }
        guard case .object(let schema) = media["schema"] else { return (first.name, nil) }
        return (first.name, schema)
    }

    private static func resolve(_ schema: JSONObject) -> JSONObject {
        guard case .string(let reference) = schema["$ref"] else { return schema }
        var node = JSONNode.object(document)
        for part in reference.dropFirst(2).split(separator: "/") {
            guard case .object(let object) = node, let next = object[String(part)] else { return [:] }
            node = next
        }
        guard case .object(let resolved) = node else { return [:] }
        return resolved
    }

    /// What in `value` the schema refuses: a missing required member, or a value of another type; nested objects
    /// and array items are checked the same way.
    static func check(_ value: JSONNode, against given: JSONObject, at location: String) -> [String] {
        let schema = resolve(given)
        var types: [String] = []
        switch schema["type"] {
        case .string(let type): types = [type]
        case .array(let list): types = list.compactMap { if case .string(let type) = $0 { type } else { nil } }
        default: break
        }
        let actual: String
        switch value {
        case .string: actual = "string"
        case .integer: actual = "integer"
        case .number: actual = "number"
        case .bool: actual = "boolean"
        case .null: actual = "null"
        case .array: actual = "array"
        case .object: actual = "object"
        }
        if !types.isEmpty && !types.contains(actual) && !(actual == "integer" && types.contains("number")) {
            return ["\(location) is \(actual), the schema says \(types)"]
        }
        if case .array(let enumerated) = schema["enum"], !enumerated.contains(value) {
            return ["\(location) is \(value), not one of the schema's values"]
        }
        var problems: [String] = []
        switch value {
        case .object(let object):
            for case .string(let name) in array(schema["required"]) where object[name] == nil {
                problems.append("\(location).\(name) is required but missing")
            }
            if case .object(let properties) = schema["properties"] {
                for member in object.members {
                    guard case .object(let property) = properties[member.name] else { continue }
                    problems += check(member.value, against: property, at: "\(location).\(member.name)")
                }
            }
        case .array(let items):
            if case .object(let itemSchema) = schema["items"] {
                for (index, item) in items.enumerated() {
                    problems += check(item, against: itemSchema, at: "\(location)[\(index)]")
                }
            }
        default:
            break
        }
        return problems
    }
}

private func array(_ value: JSONNode?) -> [JSONNode] {
    if case .array(let values) = value { values } else { [] }
}
