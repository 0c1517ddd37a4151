import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: PauseStore {
    public func setPause(
        _ pause: ChasePause, customerID: String, organisationID: String, context: RecordingContext
    ) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            try SQLiteStore.requireCustomer(customerID, organisationID, db)
            if try SQLiteStore.pause(customerID, organisationID, db) == pause { return }
            try db.execute(
                sql: """
                    INSERT INTO chase_pauses (org_id, customer_id, set_on, until, reason, requested_by, by_client)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (org_id, customer_id) DO UPDATE SET
                        set_on = excluded.set_on, until = excluded.until, reason = excluded.reason,
                        requested_by = excluded.requested_by, by_client = excluded.by_client
                    """,
                arguments: [
                    organisationID, customerID, pause.setOn.description, pause.until.description, pause.reason,
                    pause.requestedBy, pause.byClient,
                ])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(.chasePaused(pause, customerID: customerID), db)
        }
    }

    public func endPause(
        customerID: String, by person: String, organisationID: String, context: RecordingContext
    ) async throws -> ChasePause? {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            try SQLiteStore.requireCustomer(customerID, organisationID, db)
            guard let pause = try SQLiteStore.pause(customerID, organisationID, db), pause.holds(on: context.date)
            else { return nil }
            try db.execute(
                sql: "DELETE FROM chase_pauses WHERE org_id = ? AND customer_id = ?",
                arguments: [organisationID, customerID])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .chasePauseEnded(pause, customerID: customerID, by: person, on: context.date), db)
            return pause
        }
    }

    public func pause(customerID: String, organisationID: String) async throws -> ChasePause? {
        try await read { db in try SQLiteStore.pause(customerID, organisationID, db) }
    }

    public func pauses(
        organisationID: String, on date: LocalDate
    ) async throws -> [(customerID: String, pause: ChasePause)] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT customer_id, set_on, until, reason, requested_by, by_client FROM chase_pauses
                    WHERE org_id = ? AND set_on <= ? AND until >= ? ORDER BY customer_id
                    """, arguments: [organisationID, date.description, date.description]
            ).map { (customerID: $0["customer_id"], pause: try SQLiteStore.pause(from: $0)) }
        }
    }

    // MARK: - Rows

    static func requireCustomer(_ customerID: String, _ organisationID: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM customers WHERE org_id = ? AND customer_id = ?")
        guard try Int.fetchOne(statement, arguments: [organisationID, customerID]) != nil else {
            throw StoreError.customerNotFound(customerID)
        }
    }

    static func pause(_ customerID: String, _ organisationID: String, _ db: Database) throws -> ChasePause? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT set_on, until, reason, requested_by, by_client FROM chase_pauses
                WHERE org_id = ? AND customer_id = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, customerID]) else { return nil }
        return try pause(from: row)
    }

    private static func pause(from row: Row) throws -> ChasePause {
        ChasePause(
            setOn: try Decode.date(row["set_on"]), until: try Decode.date(row["until"]), reason: row["reason"],
            requestedBy: row["requested_by"], byClient: row["by_client"])
    }

    /// The pauses of a batch's accounts. Pauses are rare: one probe spares the lookup when there are none.
    static func loadPauses(
        into accounts: inout [Account], _ index: [String: Int], _ ids: String, _ organisationID: String,
        _ db: Database
    ) throws {
        let any = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM chase_pauses WHERE org_id = ?)")
        guard try Bool.fetchOne(any, arguments: [organisationID]) ?? false else { return }
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT customer_id, set_on, until, reason, requested_by, by_client FROM chase_pauses
                    WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
                    """),
            arguments: [organisationID, ids])
        while let row = try rows.next() {
            guard let position = index[row["customer_id"]] else { continue }
            accounts[position].pause = try pause(from: row)
        }
    }
}
