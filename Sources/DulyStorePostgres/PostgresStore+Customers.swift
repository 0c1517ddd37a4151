import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Inserts new customers, updates changed ones (contacts replaced whole), leaves identical ones alone.
    public func importCustomers(
        _ records: [CustomerRecord], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            if records.contains(where: { $0.customer.id.isEmpty }) {
                throw StoreError.invalid("a customer needs an id")
            }
            let ids = records.map(\.customer.id)
            try await connection.lockForImport(organisationID: organisationID, customerIDs: ids, logger: logger)
            // New ids go in at once; only an id already present costs a read (a first import reads nothing back).
            var inserted = Set<String>()
            for chunk in records.chunks(of: Self.rowsPerStatement) {
                let c = Self.customerColumnArrays(chunk.map(\.customer))
                let rows = try await connection.rows(
                    """
                    INSERT INTO customers (org_id, \(unescaped: CustomerColumns.selectList()))
                    SELECT \(organisationID), c.* FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::text[],
                        \(c[3])::text[], \(c[4])::text[], \(c[5])::text[], \(c[6])::text[], \(c[7])::text[],
                        \(c[8])::text[], \(c[9])::text[], \(c[10])::text[], \(c[11])::text[], \(c[12])::text[],
                        \(c[13])::text[]) AS c
                    ON CONFLICT (org_id, customer_id) DO NOTHING
                    RETURNING customer_id
                    """, logger: logger)
                for row in rows { inserted.insert(try row.value("customer_id", as: String.self)) }
            }
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            // A customer just inserted has an empty chain: no need to look it up.
            for customerID in inserted { timeline.startChain(customerID: customerID) }
            // What each id holds as the records are taken in the order given: a record equal to it is unchanged.
            var current = try await Self.loadCustomerRecords(
                Array(Set(ids).subtracting(inserted)), organisationID, connection, logger: logger)
            var summary = ImportSummary()
            var events: [TimelineEvent] = []
            var contactsWritten: [String: [Contact]] = [:]
            var updated: [String: Customer] = [:]
            for record in records {
                let customer = record.customer
                if inserted.remove(customer.id) != nil {
                    current[customer.id] = record
                    contactsWritten[customer.id] = record.contacts
                    events.append(.customerAdded(customer, on: context.date))
                    summary.inserted += 1
                } else if current[customer.id] == record {
                    summary.unchanged += 1
                } else {
                    current[customer.id] = record
                    contactsWritten[customer.id] = record.contacts
                    updated[customer.id] = customer
                    events.append(.customerUpdated(customer, on: context.date))
                    summary.updated += 1
                }
            }
            try await Self.updateCustomers(Array(updated.values), organisationID, connection, logger: logger)
            try await Self.replaceContacts(contactsWritten, organisationID, connection, logger: logger)
            // The chains of the customers updated, read once.
            let changed = Array(updated.keys)
            if changed.count > 256 {
                try await timeline.preloadAllHeads(connection)
            } else {
                try await timeline.preloadHeads(of: changed, connection)
            }
            for event in events { try await timeline.append(event, connection) }
            try await timeline.flush(connection)
            return summary
        }
    }

    /// Every customer of the organisation, by id.
    public func customers(organisationID: String) async throws -> [Customer] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: CustomerColumns.selectList()) FROM customers WHERE org_id = \(organisationID)
                ORDER BY customer_id COLLATE "C"
                """, logger: logger)
            return try rows.map(Self.customer(from:))
        }
    }

    /// One customer with its contacts, or nil when there is none with that reference.
    public func customer(organisationID: String, customerID: String) async throws -> CustomerRecord? {
        let logger = self.logger
        return try await read { connection in
            try await Self.loadCustomerRecords([customerID], organisationID, connection, logger: logger)[customerID]
        }
    }

    // MARK: - Rows

    /// Rows per multi-row statement of an import: large enough that a million rows take a few hundred round trips,
    /// small enough that one statement's arrays stay a few megabytes.
    static let rowsPerStatement = 5_000

    /// Reads a customer row selected as `CustomerColumns.selectList()`.
    static func customer(from row: PostgresRandomAccessRow) throws -> Customer {
        try CustomerColumns.customer(values: CustomerColumns.names.map { try row.optional($0, as: String.self) })
    }

    /// Reads a contact from a row that selects the `contacts` columns `role, name, email, phone, preferred_channel,
    /// email_bouncing, opted_out` by name.
    static func contact(from row: PostgresRandomAccessRow) throws -> Contact {
        try ContactColumns(
            role: row.value("role"), name: row.optional("name"), email: row.optional("email"),
            phone: row.optional("phone"), preferredChannel: row.optional("preferred_channel"),
            emailBouncing: row.value("email_bouncing"), optedOut: row.value("opted_out")
        ).contact()
    }

    /// These customers with their contacts, by id; an id with no customer is absent.
    static func loadCustomerRecords(
        _ customerIDs: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [String: CustomerRecord] {
        guard !customerIDs.isEmpty else { return [:] }
        let customers = try await connection.rows(
            """
            SELECT \(unescaped: CustomerColumns.selectList()) FROM customers
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(customerIDs)::text[])
            """, logger: logger)
        var records: [String: CustomerRecord] = [:]
        for row in customers {
            let customer = try customer(from: row)
            records[customer.id] = CustomerRecord(customer: customer, contacts: [])
        }
        let contacts = try await connection.rows(
            """
            SELECT customer_id, role, name, email, phone, preferred_channel, email_bouncing, opted_out
            FROM contacts WHERE org_id = \(organisationID) AND customer_id = ANY(\(customerIDs)::text[])
            ORDER BY customer_id, position
            """, logger: logger)
        for row in contacts {
            records[try row.value("customer_id", as: String.self)]?.contacts.append(try contact(from: row))
        }
        return records
    }

    // Writes the changed customers' columns, by id.
    private static func updateCustomers(
        _ customers: [Customer], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        for chunk in customers.chunks(of: rowsPerStatement) {
            let c = customerColumnArrays(Array(chunk))
            let assignments = CustomerColumns.names.dropFirst().map { "\($0) = c.\($0)" }.joined(separator: ", ")
            try await connection.execute(
                """
                UPDATE customers SET \(unescaped: assignments)
                FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::text[], \(c[3])::text[], \(c[4])::text[],
                    \(c[5])::text[], \(c[6])::text[], \(c[7])::text[], \(c[8])::text[], \(c[9])::text[],
                    \(c[10])::text[], \(c[11])::text[], \(c[12])::text[], \(c[13])::text[])
                    AS c (\(unescaped: CustomerColumns.selectList()))
                WHERE customers.org_id = \(organisationID) AND customers.customer_id = c.customer_id
                """, logger: logger)
        }
    }

    // The customers' columns in the order of `CustomerColumns.names`, each as one array parameter.
    private static func customerColumnArrays(_ customers: [Customer]) -> [PostgresNullableArray<String>] {
        let rows = customers.map { CustomerColumns.values(of: $0) }
        return CustomerColumns.names.indices.map { column in PostgresNullableArray(rows.map { $0[column] }) }
    }

    // Replaces these customers' contacts whole, each list in its order.
    private static func replaceContacts(
        _ contacts: [String: [Contact]], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !contacts.isEmpty else { return }
        try await connection.execute(
            """
            DELETE FROM contacts WHERE org_id = \(organisationID) AND customer_id = ANY(\(Array(contacts.keys))::text[])
            """, logger: logger)
        var rows: [(customerID: String, position: Int, columns: ContactColumns)] = []
        for (customerID, list) in contacts {
            for (position, contact) in list.enumerated() {
                rows.append((customerID, position, ContactColumns(contact)))
            }
        }
        for chunk in rows.chunks(of: rowsPerStatement) {
            try await connection.execute(
                """
                INSERT INTO contacts (org_id, customer_id, position, role, name, email, phone, preferred_channel,
                    email_bouncing, opted_out)
                SELECT \(organisationID), c.* FROM unnest(\(chunk.map(\.customerID))::text[],
                    \(chunk.map(\.position))::integer[], \(chunk.map(\.columns.role))::text[],
                    \(PostgresNullableArray(chunk.map(\.columns.name)))::text[],
                    \(PostgresNullableArray(chunk.map(\.columns.email)))::text[],
                    \(PostgresNullableArray(chunk.map(\.columns.phone)))::text[],
                    \(PostgresNullableArray(chunk.map(\.columns.preferredChannel)))::text[],
                    \(chunk.map(\.columns.emailBouncing))::boolean[], \(chunk.map(\.columns.optedOut))::text[]) AS c
                """, logger: logger)
        }
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements (none when it is empty).
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
