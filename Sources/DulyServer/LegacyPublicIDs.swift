import Crypto
import DulyCore
import Foundation

/// The ids the API gave before actions, webhook subscribers and bank credits were numbered per organisation
/// (`act_` or `whk_` and 11 base64url characters), still read so that an integration's stored ids keep working.
///
/// Such an id is a row id put through a four-round Feistel permutation of its 64 bits, keyed per organisation from
/// a secret the server keeps in its database. Every row that had such an id kept its row id as its number
/// (`v37_public_numbers`), so the decoded value is the organisation's number for it. Decoding under another
/// organisation's key gives an unrelated number, which that organisation's scoped look-up does not find (or finds
/// as any guessed number would). New ids are never made this way (`PublicID` writes them).
struct LegacyPublicIDs: Sendable {
    private let secret: SymmetricKey
    private let keys = OrganisationKeys()

    init(secret: [UInt8]) {
        self.secret = SymmetricKey(data: secret)
    }

    /// The name of the secret in the database (`AccountStore.serverSecret`).
    static let secretName = "public_ids"

    /// The number an old-form id names, nil when the text is not an id of that form (`act_57` included).
    func number(in text: String, organisationID: String, kind: PublicID) -> Int64? {
        guard text.count == kind.rawValue.count + 11,
            let value = decode(
                text, organisationID: organisationID,
                prefix: kind.rawValue), value > 0
        else { return nil }
        return value
    }

    /// Writes an id of the old form, for tests that hold an id handed out before.
    func encode(_ id: Int64, organisationID: String, prefix: String) -> String {
        let key = key(for: organisationID)
        var left = UInt32(truncatingIfNeeded: UInt64(bitPattern: id) >> 32)
        var right = UInt32(truncatingIfNeeded: UInt64(bitPattern: id))
        for round in UInt8(0)..<4 {
            (left, right) = (right, left ^ Self.round(round, right, key))
        }
        return prefix + Base64URL.encode(Self.bytes(UInt64(left) << 32 | UInt64(right)))
    }

    /// The row id, nil when the text is not an id of this form.
    private func decode(_ text: String, organisationID: String, prefix: String) -> Int64? {
        guard text.hasPrefix(prefix), let data = Base64URL.decode(String(text.dropFirst(prefix.count))),
            data.count == 8
        else { return nil }
        let value = data.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let key = key(for: organisationID)
        var left = UInt32(truncatingIfNeeded: value >> 32)
        var right = UInt32(truncatingIfNeeded: value)
        for round in (UInt8(0)..<4).reversed() {
            (left, right) = (right ^ Self.round(round, left, key), left)
        }
        return Int64(bitPattern: UInt64(left) << 32 | UInt64(right))
    }

    // The organisation's key as an HMAC state ready for a message: each round copies it (the hash's context is
    // copied on write) rather than setting the key up again; kept per organisation.
    private func key(for organisationID: String) -> HMAC<SHA256> {
        keys.key(for: organisationID) {
            HMAC<SHA256>(
                key: SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(organisationID.utf8), using: secret)))
        }
    }

    private static func round(_ round: UInt8, _ half: UInt32, _ key: HMAC<SHA256>) -> UInt32 {
        var hmac = key
        hmac.update(data: [
            round, UInt8(truncatingIfNeeded: half >> 24), UInt8(truncatingIfNeeded: half >> 16),
            UInt8(truncatingIfNeeded: half >> 8), UInt8(truncatingIfNeeded: half),
        ])
        return hmac.finalize().prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    private static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}

/// Each organisation's derived key, made once per process.
private final class OrganisationKeys: @unchecked Sendable {
    // Guards `keys`; the values are copied out, and a copy's first update copies the hash context it shares.
    private let lock = NSLock()
    private var keys: [String: HMAC<SHA256>] = [:]

    func key(for organisationID: String, make: () -> HMAC<SHA256>) -> HMAC<SHA256> {
        lock.lock()
        defer { lock.unlock() }
        if let key = keys[organisationID] { return key }
        let key = make()
        keys[organisationID] = key
        return key
    }
}
