import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore {
    /// The organisation's settings, or nil when there is none with this id.
    public func organisation(id: String) async throws -> Organisation? {
        let logger = self.logger
        return try await read { connection in
            let columns = OrganisationColumns.names.joined(separator: ", ")
            guard
                let row = try await connection.row(
                    "SELECT \(unescaped: columns) FROM organisations WHERE org_id = \(id)", logger: logger)
            else { return nil }
            let holidays = try await connection.rows(
                "SELECT date FROM organisation_holidays WHERE org_id = \(id) ORDER BY date", logger: logger)
            let stored = try OrganisationColumns(
                values: OrganisationColumns.names.map { try row.optional($0, as: String.self) })
            return try stored.organisation(
                id: id, holidays: Set(try holidays.map { try $0.value("date", as: LocalDate.self) }))
        }
    }

    /// Creates or replaces an organisation's settings.
    public func saveOrganisation(_ organisation: Organisation) async throws {
        guard !organisation.id.isEmpty else { throw StoreError.invalid("an organisation needs an id") }
        let names = OrganisationColumns.names
        var binds = PostgresBindings()
        binds.append(organisation.id)
        for value in OrganisationColumns(organisation).values { binds.append(value) }
        // Column names are the schema's own constants, never input.
        let upsert = PostgresQuery(
            unsafeSQL: """
                INSERT INTO organisations (org_id, \(names.joined(separator: ", ")))
                VALUES (\((1...names.count + 1).map { "$\($0)" }.joined(separator: ", ")))
                ON CONFLICT (org_id) DO UPDATE SET \(names.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """, binds: binds)
        let logger = self.logger
        try await write { connection in
            try await connection.execute(upsert, logger: logger)
            try await connection.execute(
                "DELETE FROM organisation_holidays WHERE org_id = \(organisation.id)", logger: logger)
            try await connection.execute(
                """
                INSERT INTO organisation_holidays (org_id, date)
                SELECT \(organisation.id), d FROM unnest(\(organisation.holidays.sorted())::date[]) d
                """, logger: logger)
        }
    }

    /// Deletes an organisation and every record that belongs to it, timeline included.
    public func deleteOrganisation(id: String) async throws {
        let logger = self.logger
        try await write { connection in
            // The timeline's trigger lets rows go only while their organisation is listed here; the row is removed
            // again before the transaction commits, so outside this method the timeline stays append-only.
            try await connection.execute(
                "INSERT INTO organisation_erasures (org_id) VALUES (\(id)) ON CONFLICT DO NOTHING", logger: logger)
            for table in OrganisationErasure.tables {
                // Table names are the schema's own constants, never input.
                try await connection.execute("DELETE FROM \(unescaped: table) WHERE org_id = \(id)", logger: logger)
            }
            try await connection.execute("DELETE FROM organisation_erasures WHERE org_id = \(id)", logger: logger)
        }
    }
}
