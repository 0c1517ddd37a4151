import DulyServer
import DulyStore
import Hummingbird

/// Who is signed in: a member of one organisation, with the role they hold there now.
struct WebUser: Sendable {
    var email: String
    var organisationID: String
    var role: Role
    /// The session's random part: what its CSRF token is made from.
    var nonce: String
}

/// The request context of the web screens: the API's, plus who the session cookie speaks for.
public struct WebContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for the rate limit on sign-ins; nil in in-process tests.
    var remoteAddress: String?
    /// Nil until `SessionMiddleware` has checked a cookie that names a member.
    var user: WebUser?
    /// The random part of the sign-in form's cookie, before anyone is signed in.
    var signInNonce: String?

    public init(context: APIContext) throws {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    /// The signed-in user when their role is `role` or higher; a screen sends others to the sign-in page (no
    /// session) or answers 403 (too low a role).
    func require(_ role: Role) throws -> WebUser {
        guard let user else { throw WebError.signInNeeded }
        guard user.role >= role else {
            throw WebError(.forbidden, "This needs the \(role.rawValue) role; you are a \(user.role.rawValue) here.")
        }
        return user
    }
}

/// A failure a screen answers with a plain page: the status and one line for the person.
struct WebError: Error {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static let signInNeeded = WebError(.unauthorized, "Sign in to see this page.")
    static let notFound = WebError(.notFound, "There is no such page in this organisation.")
}
