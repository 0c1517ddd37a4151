import DulyCore

/// What a member of an organisation may do (docs/PRODUCT.md, "Roles"). Each role may do everything the roles below it
/// may: a viewer reads; a collector also logs calls, promises, plans and disputes; a manager also writes the ledger,
/// runs the collection day, approves, settles and writes off; an owner also manages users, tokens and settings.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case viewer, collector, manager, owner

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .collector: 1
        case .manager: 2
        case .owner: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Who an API token speaks for: one user in one organisation, with the role the user has there now.
public struct TokenIdentity: Hashable, Sendable {
    public var organisationID: String
    public var email: String
    public var role: Role
    /// The name the token was created with (`accounting-sync`), for logs and listings.
    public var tokenName: String

    public init(organisationID: String, email: String, role: Role, tokenName: String) {
        self.organisationID = organisationID
        self.email = email
        self.role = role
        self.tokenName = tokenName
    }
}

/// A response kept for an `Idempotency-Key`, answered again to a repeat of the same request.
public struct StoredResponse: Hashable, Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Where an `Idempotency-Key` stands when a request claims it.
public enum IdempotencyClaim: Hashable, Sendable {
    /// The key is new and now held for this request: answer it, then `finishIdempotency` or `releaseIdempotency`.
    case claimed
    /// The same request was answered before: answer the same again.
    case answered(StoredResponse)
    /// The key was used for a request with another body or route.
    case differentRequest
    /// A request with this key is being answered right now.
    case inProgress
}

/// How long an `Idempotency-Key` is remembered, and when a claim that was never answered counts as abandoned: the
/// rule every store applies in `claimIdempotency` (README, "Serving the API").
public enum IdempotencyRule {
    /// A key is answered again for 24 hours after it was first claimed; after that it is a new key.
    public static let keptSeconds: Int64 = 24 * 3600
    /// A claim still unanswered after 5 minutes was abandoned (its server stopped mid-request): the same request
    /// sent again takes it over instead of being told to wait for ever.
    public static let abandonedAfterSeconds: Int64 = 5 * 60

    /// What a key's stored record (nil: none) means for a request claiming it at `now` (Unix seconds).
    public enum Decision: Hashable, Sendable {
        /// Answer with this, writing nothing.
        case answer(IdempotencyClaim)
        /// Store a new claim (replacing a forgotten record) and answer `.claimed`.
        case claimAfresh
        /// Move the abandoned claim's time to now and answer `.claimed`.
        case takeOver
    }

    public static func decide(
        stored: (requestHash: String, response: StoredResponse?, claimedAt: Int64)?, requestHash: String, now: Int64
    ) -> Decision {
        guard let stored, now - stored.claimedAt < keptSeconds else { return .claimAfresh }
        guard stored.requestHash == requestHash else { return .answer(.differentRequest) }
        if let response = stored.response { return .answer(.answered(response)) }
        return now - stored.claimedAt >= abandonedAfterSeconds ? .takeOver : .answer(.inProgress)
    }
}

/// What `duly serve` keeps besides the ledger: users, their memberships, API tokens, and idempotency records. Every
/// method is one transaction.
public protocol AccountStore: DulyStore {
    /// Creates the user with a bcrypt hash of the password when there is none with this email, or replaces the hash
    /// when `passwordHash` is given for an existing one; then gives the user `role` in the organisation (replacing
    /// the role the user had there). Email addresses are compared without regard to case.
    /// - Returns: true when the user was created.
    func addMember(email: String, passwordHash: String?, organisationID: String, role: Role) async throws -> Bool
    /// The user's role in the organisation, nil when the user is not a member.
    func role(email: String, organisationID: String) async throws -> Role?
    /// The stored bcrypt hash of a user's password, nil when there is no such user.
    func passwordHash(email: String) async throws -> String?
    /// Stores a new token for a member of the organisation by the SHA-256 hex digest of its secret, with a name
    /// unique among the organisation's tokens.
    func createToken(
        name: String, secretHash: String, email: String, organisationID: String, createdAt: String
    ) async throws
    /// Who the token whose secret has this SHA-256 hex digest speaks for; nil when there is none, or when its user is
    /// no longer a member of its organisation.
    func tokenIdentity(secretHash: String) async throws -> TokenIdentity?

    /// Claims an idempotency key of the organisation for a request whose method, path and body hash to
    /// `requestHash`, at `now` (Unix seconds), by `IdempotencyRule.decide`; records older than
    /// `IdempotencyRule.keptSeconds` are forgotten on the way.
    func claimIdempotency(
        key: String, requestHash: String, organisationID: String, at now: Int64
    ) async throws -> IdempotencyClaim
    /// Keeps the response to a claimed key, to answer repeats with.
    func finishIdempotency(
        key: String, response: StoredResponse, organisationID: String) async throws
    /// Frees a claimed key whose request failed on the server's side, so that the client may try again.
    func releaseIdempotency(key: String, organisationID: String) async throws

    /// The server's secret of this name: the one stored, or `generated` stored now when there is none, so that every
    /// node of one database uses the same. Never logged.
    func serverSecret(named name: String, generated: [UInt8]) async throws -> [UInt8]

    /// Whether every migration this build knows has been applied (the database may be newer or older than the
    /// build that reads it).
    func schemaIsCurrent() async throws -> Bool
}

/// What a page of invoices is filtered by (each nil means no filter).
public struct InvoiceFilter: Hashable, Sendable {
    public var customerID: String?
    /// The collector who owns the customer's account.
    public var collector: String?

    public init(customerID: String? = nil, collector: String? = nil) {
        self.customerID = customerID
        self.collector = collector
    }
}

/// Pages through an organisation's records in key order, for the API's cursors.
public protocol PagedStore: DulyStore {
    /// Up to `limit` customers with their contacts, in customer-id order, after `after`.
    func customerPage(organisationID: String, after: String?, limit: Int) async throws -> [CustomerRecord]
    /// Up to `limit` actions (or one customer's), in row-id order, after the row id `after`.
    func actionPage(
        organisationID: String, customerID: String?, after: Int64?, limit: Int
    ) async throws -> [StoredAction]
    /// Up to `limit` invoices with their balances, in (customer id, due date, invoice number) order, after `after`,
    /// filtered by customer and collector.
    func invoicePage(
        organisationID: String, filter: InvoiceFilter, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceBalance]
}
