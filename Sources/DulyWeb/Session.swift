import Crypto
import DulyCore
import DulyServer
import Foundation

/// Sessions as cookies signed with the server's secret (README, "Web app"): every node that shares the database
/// shares the secret, so any node checks a session without a table or a write per request. The role is read from
/// the store on each request, so a member removed from an organisation loses access at once.
struct SessionKeys: Sendable {
    let key: SymmetricKey
    /// A session lasts this long from sign-in, then the user signs in again.
    static let lifetime: TimeInterval = 12 * 3600
    static let cookieName = "duly_session"
    static let signInCookieName = "duly_signin"

    init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }

    /// What a session cookie holds.
    struct Claims: Codable, Equatable {
        var email: String
        var organisationID: String
        var expires: Int
        var nonce: String

        enum CodingKeys: String, CodingKey {
            case email = "e"
            case organisationID = "o"
            case expires = "x"
            case nonce = "n"
        }
    }

    /// The cookie's value: the claims and their HMAC, both base64url.
    func seal(_ claims: Claims) -> String {
        let payload = Array((try? JSONEncoder().encode(claims)) ?? Data())
        return Base64URL.encode(payload) + "." + Base64URL.encode(mac("session", payload))
    }

    /// The claims of a cookie whose signature holds and which has not expired at `now`; nil otherwise.
    func open(_ value: String, now: Date) -> Claims? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])),
            let signature = Base64URL.decode(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: context("session", Array(payload)), using: key),
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload)),
            Double(claims.expires) > now.timeIntervalSince1970
        else { return nil }
        return claims
    }

    /// The CSRF token of a session or sign-in form: an HMAC of its random part, so a page of another site, which
    /// cannot read the cookie, cannot make it.
    func csrfToken(nonce: String) -> String {
        Base64URL.encode(mac("csrf", Array(nonce.utf8)))
    }

    /// Whether `token` is the CSRF token of `nonce`, compared in constant time.
    func isValidCSRF(_ token: String, nonce: String) -> Bool {
        guard let bytes = Base64URL.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            bytes, authenticating: context("csrf", Array(nonce.utf8)), using: key)
    }

    /// A fresh random part for a session or a sign-in form.
    static func nonce() -> String { Base64URL.encode(randomBytes(18)) }

    // Each use signs its own domain, so a CSRF token is never a valid session signature or the reverse.
    private func context(_ purpose: String, _ bytes: [UInt8]) -> [UInt8] { Array(purpose.utf8) + [0] + bytes }

    private func mac(_ purpose: String, _ bytes: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: context(purpose, bytes), using: key))
    }
}
