import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: PaymentProviderStore {
    public func setPaymentProviderSecret(
        _ secret: String, provider: PaymentProvider, organisationID: String, setAt: String
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await connection.execute(
                """
                INSERT INTO payment_provider_secrets (org_id, provider, secret, set_at)
                VALUES (\(organisationID), \(provider.rawValue), \(secret), \(setAt))
                ON CONFLICT (org_id, provider) DO UPDATE SET secret = excluded.secret, set_at = excluded.set_at
                """, logger: logger)
        }
    }

    public func paymentProviderSecrets(provider: PaymentProvider) async throws -> [String: String] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                "SELECT org_id, secret FROM payment_provider_secrets WHERE provider = \(provider.rawValue)",
                logger: logger)
            return Dictionary(
                try rows.map { (try $0.value("org_id", as: String.self), try $0.value("secret", as: String.self)) },
                uniquingKeysWith: { $1 })
        }
    }
}
