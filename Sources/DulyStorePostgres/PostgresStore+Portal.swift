import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: PortalStore {
    /// Voids the customer's portal links issued up to the context's date, on the timeline.
    public func revokePortalLinks(
        customerID: String, by: String, organisationID: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            guard
                try await connection.row(
                    "SELECT 1 FROM customers WHERE org_id = \(organisationID) AND customer_id = \(customerID)",
                    logger: logger) != nil
            else { throw StoreError.customerNotFound(customerID) }
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            try await connection.execute(
                """
                INSERT INTO portal_revocations (org_id, customer_id, revoked_on)
                VALUES (\(organisationID), \(customerID), \(context.date))
                ON CONFLICT (org_id, customer_id) DO UPDATE SET revoked_on = excluded.revoked_on
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                TimelineEvent(
                    customerID: customerID, date: context.date, kind: .portalLinksRevoked,
                    summary: "Portal links issued up to \(context.date) revoked by \(by)", details: ["by": by]),
                connection)
            try await timeline.flush(connection)
        }
    }

    /// The last day whose portal links the customer's revocation voids; nil when none was ever revoked.
    public func portalLinksRevokedOn(customerID: String, organisationID: String) async throws -> LocalDate? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row(
                """
                SELECT revoked_on FROM portal_revocations
                WHERE org_id = \(organisationID) AND customer_id = \(customerID)
                """, logger: logger
            ).map { try $0.value("revoked_on", as: LocalDate.self) }
        }
    }
}
