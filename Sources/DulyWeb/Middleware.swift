import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// Headers every screen carries: a Content-Security-Policy that allows no script at all and no framing, and no
/// caching of pages that show a ledger.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Turns a screen's failure into a plain page; a missing session sends a page request to the sign-in page.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            if error.status == .unauthorized && request.method == .get {
                return seeOther("/login")
            }
            return pages.render(
                "error", ["title": error.status.reasonPhrase, "message": error.message], status: error.status)
        } catch let error as any HTTPResponseError {
            let message = error.status == .notFound ? WebError.notFound.message : error.status.reasonPhrase
            return pages.render(
                "error", ["title": error.status.reasonPhrase, "message": message], status: error.status)
        } catch {
            context.logger.error("screen failed", metadata: ["error": "\(error)"])
            return pages.render(
                "error",
                [
                    "title": "Something went wrong",
                    "message": "The server failed to answer; quote request id \(context.id) when reporting it.",
                ], status: .internalServerError)
        }
    }
}

/// Reads the session cookie: a valid one that names a current member puts the user on the context.
struct SessionMiddleware<Store: AccountStore>: RouterMiddleware {
    typealias Context = WebContext
    let store: Store
    let keys: SessionKeys
    let clock: ServerClock

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let cookies = request.cookies
        if let value = cookies[SessionKeys.cookieName]?.value,
            let claims = keys.open(value, now: clock.now),
            let role = try await store.role(email: claims.email, organisationID: claims.organisationID)
        {
            context.user = WebUser(
                email: claims.email, organisationID: claims.organisationID, role: role, nonce: claims.nonce)
            context.logger[metadataKey: "duly.user"] = .string(claims.email)
            context.logger[metadataKey: "duly.org"] = .string(claims.organisationID)
        }
        context.signInNonce = cookies[SessionKeys.signInCookieName]?.value
        return try await next(request, context)
    }
}

extension ServerClock {
    /// Now, read from the clock's timestamp: sessions and the sign-in limit take their time from the clock the
    /// server was given, never the system's.
    var now: Date {
        (try? Date(timestamp(), strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }
}

// `HTTPField` itself is not exported by Hummingbird; its name is reached through `HTTPFields`.
extension HTTPFields.Element.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
