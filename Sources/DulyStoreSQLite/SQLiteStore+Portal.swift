import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: PortalStore {
    public func revokePortalLinks(
        customerID: String, by: String, organisationID: String, context: RecordingContext
    ) async throws {
        try await write { db in
            var known = try KnownCustomers(organisationID: organisationID, db, expectedLookups: 1)
            try known.require(customerID, db)
            try db.execute(
                sql: """
                    INSERT INTO portal_revocations (org_id, customer_id, revoked_on) VALUES (?, ?, ?)
                    ON CONFLICT (org_id, customer_id) DO UPDATE SET revoked_on = excluded.revoked_on
                    """,
                arguments: [organisationID, customerID, context.date.description])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                TimelineEvent(
                    customerID: customerID, date: context.date, kind: .portalLinksRevoked,
                    summary: "Portal links issued up to \(context.date) revoked by \(by)", details: ["by": by]),
                db)
        }
    }

    public func portalLinksRevokedOn(customerID: String, organisationID: String) async throws -> LocalDate? {
        try await read { db in
            try String.fetchOne(
                db, sql: "SELECT revoked_on FROM portal_revocations WHERE org_id = ? AND customer_id = ?",
                arguments: [organisationID, customerID]
            ).map(Decode.date)
        }
    }
}
