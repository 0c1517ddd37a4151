import Crypto
import DulyCore
import Foundation
import HummingbirdBcrypt

/// API tokens: a random secret shown once, kept only as its SHA-256.
///
/// A token is 32 random bytes, so a fast hash is enough: there is nothing to guess from, unlike a password.
public enum APIToken {
    /// A new token's secret: `duly_` and 43 base64url characters.
    public static func generate() -> String {
        "duly_" + Base64URL.encode(randomBytes(32))
    }

    /// The SHA-256 of a secret, in lower-case hex: what the database keeps and looks tokens up by.
    public static func hash(_ secret: String) -> String {
        // Every API request hashes its token: hex by table, not a String per byte.
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }
}

/// Bytes from the system's secure random number generator.
public func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

/// Passwords: bcrypt with a cost of 12, never stored or logged as given.
public enum Password {
    /// Why a password is refused, for the person choosing it; nil when it is acceptable.
    public static func problem(_ password: String) -> String? {
        password.count < 12 ? "a password needs at least 12 characters" : nil
    }

    /// The bcrypt hash to store.
    public static func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: 12)
    }

    /// Whether `password` is the one `hash` was made from.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
