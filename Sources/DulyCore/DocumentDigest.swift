import Crypto

/// The fingerprint Duly records for a stored document, so that a copy can be shown to be the one received.
public enum DocumentDigest {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
