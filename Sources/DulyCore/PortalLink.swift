import Crypto

/// The client portal's links (README, "Client portal"): `PUBLIC_URL/p/TOKEN`, where the token names an organisation
/// and one of its customers, the day it was issued and the last day it opens, signed with HMAC-SHA256 under the
/// server's `portal_links` secret. The one rule the deliverer (which writes links into messages), the command line and
/// the web (which checks them) share.
///
/// A token is `v1.ORG.CUSTOMER.ISSUED.EXPIRES.MAC`: the identifiers base64url, the days as days since 1970-01-01, the
/// MAC base64url over everything before it. Nothing in it is secret; changing any part breaks the MAC.
public struct PortalLinks: Sendable {
    /// How long a link opens, counted from the message's date, unless the caller says otherwise.
    public static let defaultLifetimeDays = 60
    /// The name of the signing secret in the database (`AccountStore.serverSecret`).
    public static let secretName = "portal_links"

    private let key: SymmetricKey

    /// Links signed and checked with `secret` (at least 32 random bytes, the same on every node).
    public init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }

    /// What a valid token says.
    public struct Claims: Hashable, Sendable {
        public var organisationID: String
        public var customerID: String
        /// The day the link was made (the message's date): a revocation voids the links issued up to its day.
        public var issuedOn: LocalDate
        /// The last day the link opens.
        public var expiresOn: LocalDate

        public init(organisationID: String, customerID: String, issuedOn: LocalDate, expiresOn: LocalDate) {
            self.organisationID = organisationID
            self.customerID = customerID
            self.issuedOn = issuedOn
            self.expiresOn = expiresOn
        }
    }

    /// Why a token does not open the portal. The page says no more than "this link does not work" to the client.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not a token, or its signature does not hold (changed, or signed with another secret).
        case invalid
        /// Its last day has passed.
        case expired(LocalDate)
        /// An owner or manager voided the customer's links issued up to this day (`duly portal revoke`).
        case revoked(LocalDate)

        public var description: String {
            switch self {
            case .invalid: return "the link is not one Duly made, or it was changed"
            case .expired(let day): return "the link expired after \(day)"
            case .revoked(let day): return "the customer's links issued up to \(day) were revoked"
            }
        }
    }

    /// The token for a customer's link issued on `issuedOn`, opening for `lifetimeDays` days.
    public func token(
        organisationID: String, customerID: String, issuedOn: LocalDate,
        lifetimeDays: Int = PortalLinks.defaultLifetimeDays
    ) -> String {
        let body = [
            "v1", Base64URL.encode(Array(organisationID.utf8)), Base64URL.encode(Array(customerID.utf8)),
            String(issuedOn.daysSinceEpoch), String(issuedOn.adding(days: lifetimeDays).daysSinceEpoch),
        ].joined(separator: ".")
        return body + "." + Base64URL.encode(mac(body))
    }

    /// The link itself: `publicURL` (an `http` or `https` address, a trailing slash allowed) then `/p/TOKEN`.
    public func link(
        publicURL: String, organisationID: String, customerID: String, issuedOn: LocalDate,
        lifetimeDays: Int = PortalLinks.defaultLifetimeDays
    ) -> String {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        return base + "/p/"
            + token(
                organisationID: organisationID, customerID: customerID, issuedOn: issuedOn, lifetimeDays: lifetimeDays)
    }

    /// The claims of a token whose signature holds, checked on `today` against the customer's revocation day
    /// (`revokedOn`, nil when their links were never revoked, read by the caller for `Claims.customerID`).
    public func open(
        _ token: String, on today: LocalDate, revokedOn: (Claims) async throws -> LocalDate?
    )
        async throws -> Claims
    {
        let claims = try verified(token)
        if today > claims.expiresOn { throw Refusal.expired(claims.expiresOn) }
        if let revoked = try await revokedOn(claims), claims.issuedOn <= revoked { throw Refusal.revoked(revoked) }
        return claims
    }

    /// The claims of a token whose signature holds, whatever its days say.
    public func verified(_ token: String) throws(Refusal) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "v1", let signature = Base64URL.decode(parts[5]),
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: domain(parts[0..<5].joined(separator: ".")), using: key),
            let organisation = Base64URL.decode(parts[1]).flatMap({ String(validating: $0, as: UTF8.self) }),
            let customer = Base64URL.decode(parts[2]).flatMap({ String(validating: $0, as: UTF8.self) }),
            let issued = Int(parts[3]), let expires = Int(parts[4])
        else { throw .invalid }
        return Claims(
            organisationID: organisation, customerID: customer, issuedOn: LocalDate(daysSinceEpoch: issued),
            expiresOn: LocalDate(daysSinceEpoch: expires))
    }

    /// A form's CSRF token bound to a portal token: a page of another site, which does not know the link, cannot
    /// make it, and it holds for that link only.
    public func formToken(for token: String) -> String {
        Base64URL.encode(
            Array(HMAC<SHA256>.authenticationCode(for: Array("portal-form".utf8) + [0] + Array(token.utf8), using: key))
        )
    }

    /// Whether `candidate` is the form token of `token`, compared in constant time.
    public func isValidFormToken(_ candidate: String, for token: String) -> Bool {
        guard let bytes = Base64URL.decode(Substring(candidate)) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            bytes, authenticating: Array("portal-form".utf8) + [0] + Array(token.utf8), using: key)
    }

    // The link signs its own domain: a portal MAC is never a form token or the reverse.
    private func domain(_ body: String) -> [UInt8] { Array("portal".utf8) + [0] + Array(body.utf8) }

    private func mac(_ body: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: domain(body), using: key))
    }
}

public struct PortalAddress: Sendable {
    /// The address clients reach the server at (`--public-url`, `$DULY_PUBLIC_URL`).
    public let publicURL: String
    public let links: PortalLinks

    public init(publicURL: String, links: PortalLinks) {
        self.publicURL = publicURL
        self.links = links
    }

    /// The customer's link in a message dated `date`, opening for the default lifetime.
    public func link(organisationID: String, customerID: String, on date: LocalDate) -> String {
        links.link(publicURL: publicURL, organisationID: organisationID, customerID: customerID, issuedOn: date)
    }
}
