import Crypto
import DulyStore
import Foundation
import Hummingbird

// `HTTPField` itself is not exported by Hummingbird; its name is reached through `HTTPFields`.
extension HTTPFields.Element.Name {
    /// The key a client sends with a POST so that a repeat of it is answered, not done again.
    static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on an answer given again for a repeated `Idempotency-Key`.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}

/// How every POST is answered: the role is checked, the body read (1 MiB at most), and with an `Idempotency-Key`
/// the first answer to a key is kept and given again to a repeat of the same request. A repeat with another body or
/// to another route is refused (422); one that arrives while the first is being answered is told to wait (409). An
/// answer the server failed to give (a 500) is not kept, so that the client may try again with the same key. A key
/// is remembered for a day, and a claim a stopped server left unanswered is taken over after five minutes
/// (`IdempotencyRule`).
struct IdempotentPost<Store: AccountStore>: Sendable {
    let store: Store
    let clock: ServerClock

    static var maximumBody: Int { 1 << 20 }

    func answer(
        _ request: Request, context: APIContext, role: Role,
        handler: @Sendable ([UInt8], TokenIdentity) async throws -> APIResponse
    ) async throws -> APIResponse {
        let identity = try context.require(role)
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBody)
        let body = Array(buffer.readableBytesView)
        guard let key = request.headers[.idempotencyKey] else {
            return try await Self.run(handler, body, identity)
        }
        guard !key.isEmpty, key.count <= 255 else {
            throw Problem(
                .badRequest, "an Idempotency-Key has 1 to 255 characters; a UUID is a good one",
                field: "Idempotency-Key")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: body)
        let requestHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let organisationID = identity.organisationID
        switch try await store.claimIdempotency(
            key: key, requestHash: requestHash, organisationID: organisationID, at: clock.unixTime())
        {
        case .answered(let stored):
            var response = APIResponse(
                status: HTTPResponse.Status(code: stored.status), contentType: stored.contentType, body: stored.body)
            response.headers[.idempotentReplayed] = "true"
            return response
        case .differentRequest:
            throw Problem(
                .unprocessableContent,
                "this Idempotency-Key was used for a different request; send a new key with a new request",
                field: "Idempotency-Key")
        case .inProgress:
            throw Problem(
                .conflict, "a request with this Idempotency-Key is still being answered; repeat it in a moment",
                field: "Idempotency-Key")
        case .claimed:
            let response: APIResponse
            do {
                response = try await Self.run(handler, body, identity)
            } catch {
                try await store.releaseIdempotency(key: key, organisationID: organisationID)
                throw error
            }
            try await store.finishIdempotency(
                key: key,
                response: StoredResponse(
                    status: response.status.code, contentType: response.contentType, body: response.body),
                organisationID: organisationID)
            return response
        }
    }

    // The handler's answer, its refusals included: a refusal is an answer, and a repeat gets it again.
    private static func run(
        _ handler: @Sendable ([UInt8], TokenIdentity) async throws -> APIResponse, _ body: [UInt8],
        _ identity: TokenIdentity
    ) async throws -> APIResponse {
        do {
            return try await handler(body, identity)
        } catch let problem as Problem where problem.status.code < 500 {
            return problem.response
        }
    }
}
