import DulyStore
import Foundation
import Hummingbird

/// An error as RFC 9457 problem details (`application/problem+json`), naming the field at fault where there is one.
///
/// `detail` is one line for a person: what is wrong and what to do. A request with several bad fields lists each
/// in `errors`; `field` and `detail` then describe the first.
public struct Problem: Error, Equatable, Sendable {
    /// One bad field of a request.
    public struct FieldError: Equatable, Sendable, Encodable {
        public var field: String
        public var detail: String
    }

    public var status: HTTPResponse.Status
    public var detail: String
    public var field: String?
    public var errors: [FieldError]

    public init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil) {
        self.status = status
        self.detail = detail
        self.field = field
        self.errors = field.map { [FieldError(field: $0, detail: detail)] } ?? []
    }

    /// A request whose fields are wrong, each named.
    static func invalid(_ errors: [FieldError], status: HTTPResponse.Status = .unprocessableContent) -> Problem {
        var problem = Problem(status, errors.first?.detail ?? "the request is not valid", field: errors.first?.field)
        problem.errors = errors
        return problem
    }

    static let unauthorized = Problem(
        .unauthorized, "no valid API token: send `Authorization: Bearer TOKEN` with a token from `duly token create`")

    static func forbidden(_ needed: Role, have: Role) -> Problem {
        Problem(.forbidden, "this needs the \(needed.rawValue) role or higher; the token's user is a \(have.rawValue)")
    }

    /// The same answer for a record that does not exist and one of another organisation.
    static func notFound(_ what: String) -> Problem {
        Problem(.notFound, "no \(what) in this organisation")
    }

    /// The JSON body: `type`, `title`, `status`, `detail`, and the `field` and `errors` extension members.
    var body: [UInt8] {
        struct Body: Encodable {
            var type = "about:blank"
            var title: String
            var status: Int
            var detail: String
            var field: String?
            var errors: [FieldError]?
        }
        let body = Body(
            title: status.reasonPhrase, status: status.code, detail: detail, field: field,
            errors: errors.isEmpty ? nil : errors)
        return JSONBody.encode(body)
    }

    var response: APIResponse {
        var response = APIResponse(status: status, contentType: "application/problem+json", body: body)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

/// A response with its whole body in memory: what the API answers, and what an idempotency record keeps.
public struct APIResponse: ResponseGenerator, Sendable {
    public var status: HTTPResponse.Status
    public var contentType: String
    public var body: [UInt8]
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A JSON answer.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: JSONBody.encode(value))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Encodes the API's JSON: keys sorted, slashes unescaped.
enum JSONBody {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: some Encodable) -> [UInt8] {
        // Most answers are a JSONNode or a JSONObject: written by hand, a page of fifty items costs a tenth of what
        // the generic encoder took (BENCHMARKS.md, "The API under load"), with the same keys in the same order.
        if let node = value as? JSONNode ?? (value as? JSONObject).map(JSONNode.object), let text = node.sortedText {
            return Array(text.utf8)
        }
        // The API's own value types always encode: strings, integers, booleans, arrays and objects of them.
        do {
            return Array(try encoder.encode(value))
        } catch {
            preconditionFailure("the API's JSON failed to encode: \(error)")
        }
    }
}
