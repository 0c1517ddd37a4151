import DulyStore
import Hummingbird

/// The request context of the API: who the bearer token speaks for, once `TokenAuthenticator` has checked it.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil until the token is checked, and on the routes that need none (`/health`, `/ready`, `/`).
    public var identity: TokenIdentity?
    /// The client's IP address (nil when no socket carries the request, as in in-process tests): what the web
    /// screens limit sign-ins by.
    public var remoteAddress: String?
    /// The store's change version, read once by `TokenAuthenticator` (nil when the backend gives none): what
    /// `ReadCache` compares its remembered tokens and answers with.
    public var changeVersion: Int64?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        changeVersion = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller, when its role is `role` or higher: a viewer reads, a collector logs what clients said, a manager
    /// changes the ledger and runs the day, an owner manages the organisation.
    func require(_ role: Role) throws -> TokenIdentity {
        guard let identity else { throw Problem.unauthorized }
        guard identity.role >= role else { throw Problem.forbidden(role, have: identity.role) }
        return identity
    }
}
