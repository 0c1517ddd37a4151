import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore: PauseStore {
    public func setPause(
        _ pause: ChasePause, customerID: String, organisationID: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await Self.requireCustomer(customerID, organisationID, connection, logger)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            if try await Self.pause(customerID, organisationID, connection, logger) == pause { return }
            try await connection.execute(
                """
                INSERT INTO chase_pauses (org_id, customer_id, set_on, until, reason, requested_by, by_client)
                VALUES (\(organisationID), \(customerID), \(pause.setOn), \(pause.until), \(pause.reason),
                    \(pause.requestedBy), \(pause.byClient))
                ON CONFLICT (org_id, customer_id) DO UPDATE SET
                    set_on = excluded.set_on, until = excluded.until, reason = excluded.reason,
                    requested_by = excluded.requested_by, by_client = excluded.by_client
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(.chasePaused(pause, customerID: customerID), connection)
            try await timeline.flush(connection)
        }
    }

    public func endPause(
        customerID: String, by person: String, organisationID: String, context: RecordingContext
    ) async throws -> ChasePause? {
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await Self.requireCustomer(customerID, organisationID, connection, logger)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            guard let pause = try await Self.pause(customerID, organisationID, connection, logger),
                pause.holds(on: context.date)
            else { return nil }
            try await connection.execute(
                "DELETE FROM chase_pauses WHERE org_id = \(organisationID) AND customer_id = \(customerID)",
                logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .chasePauseEnded(pause, customerID: customerID, by: person, on: context.date), connection)
            try await timeline.flush(connection)
            return pause
        }
    }

    public func pause(customerID: String, organisationID: String) async throws -> ChasePause? {
        let logger = self.logger
        return try await read { connection in try await Self.pause(customerID, organisationID, connection, logger) }
    }

    public func pauses(
        organisationID: String, on date: LocalDate
    ) async throws -> [(customerID: String, pause: ChasePause)] {
        let logger = self.logger
        let rows = try await read { connection in
            try await connection.rows(
                """
                SELECT customer_id, set_on, until, reason, requested_by, by_client FROM chase_pauses
                WHERE org_id = \(organisationID) AND set_on <= \(date) AND until >= \(date)
                ORDER BY customer_id COLLATE "C"
                """, logger: logger)
        }
        return try rows.map { (customerID: try $0.value("customer_id"), pause: try Self.pause(from: $0)) }
    }

    // MARK: - Rows

    static func pause(
        _ customerID: String, _ organisationID: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> ChasePause? {
        try await connection.row(
            """
            SELECT set_on, until, reason, requested_by, by_client FROM chase_pauses
            WHERE org_id = \(organisationID) AND customer_id = \(customerID)
            """, logger: logger
        ).map(pause(from:))
    }
}
