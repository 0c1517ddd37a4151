import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: PaymentProviderStore {
    public func setPaymentProviderSecret(
        _ secret: String, provider: PaymentProvider, organisationID: String, setAt: String
    ) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            try db.execute(
                sql: """
                    INSERT INTO payment_provider_secrets (org_id, provider, secret, set_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, provider) DO UPDATE SET secret = excluded.secret, set_at = excluded.set_at
                    """,
                arguments: [organisationID, provider.rawValue, secret, setAt])
        }
    }

    public func paymentProviderSecrets(provider: PaymentProvider) async throws -> [String: String] {
        try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT org_id, secret FROM payment_provider_secrets WHERE provider = ?",
                arguments: [provider.rawValue])
            return Dictionary(rows.map { ($0["org_id"] as String, $0["secret"] as String) }, uniquingKeysWith: { $1 })
        }
    }
}
