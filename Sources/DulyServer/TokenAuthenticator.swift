import DulyStore
import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and puts who the token speaks for on the context; answers 401 otherwise.
/// The token's identity is remembered in `cache` until anything is committed (a token revoked, a role changed).
struct TokenAuthenticator<Store: AccountStore & ChangeVersionStore>: RouterMiddleware {
    typealias Context = APIContext
    let store: Store
    let cache: ReadCache

    func handle(
        _ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw Problem.unauthorized }
        let secret = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let secretHash = APIToken.hash(secret)
        let version = try await store.changeVersion()
        var identity = version.flatMap { cache.identity(secretHash: secretHash, version: $0) }
        if identity == nil {
            identity = try await store.tokenIdentity(secretHash: secretHash)
            if let identity, let version { cache.remember(identity, secretHash: secretHash, version: version) }
        }
        guard let identity else { throw Problem.unauthorized }
        var context = context
        context.changeVersion = version
        context.identity = identity
        // Who made the request, for the log line; never the token.
        context.logger[metadataKey: "duly.user"] = .string(identity.email)
        context.logger[metadataKey: "duly.org"] = .string(identity.organisationID)
        return try await next(request, context)
    }
}

/// Turns every failure into problem details: the API's own problems as they are, Hummingbird's (an unknown route,
/// a body too large) with their status, anything else as a 500 that names the request id and logs the error once.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(
        _ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let detail: String
            switch error.status {
            case .notFound: detail = "no such route: the API's routes are listed at /api/v1/openapi.json"
            case .contentTooLarge: detail = "the request body is too large"
            case .methodNotAllowed: detail = "this route does not take \(request.method.rawValue)"
            default: detail = error.status.reasonPhrase
            }
            return try Problem(error.status, detail).response.response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try Problem(
                .internalServerError, "the server failed to answer; quote request id \(context.id) when reporting it"
            ).response.response(from: request, context: context)
        }
    }
}
