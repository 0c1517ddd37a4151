import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// Inserts new customers, updates changed ones (contacts replaced whole), leaves identical ones alone.
    public func importCustomers(
        _ records: [CustomerRecord], organisationID: String, context: RecordingContext
    )
        async throws -> ImportSummary
    {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            return try SQLiteStore.insertCustomers(
                records, organisationID: organisationID, context: context, timeline: &timeline, db)
        }
    }

    /// `importCustomers`' work inside the caller's transaction (a ledger load's first part): new customers inserted
    /// with their contacts and a timeline entry each, changed ones updated, identical ones unchanged.
    static func insertCustomers(
        _ records: [CustomerRecord], organisationID: String, context: RecordingContext,
        timeline: inout TimelineAppender, _ db: Database
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO customers (org_id, \(CustomerColumns.selectList()))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (org_id, customer_id) DO NOTHING
                """)
        // Bound value by value: a first load writes a hundred thousand customers (see `RawBinding.swift`).
        insert.startRawBinding()
        for record in records {
            let customer = record.customer
            guard !customer.id.isEmpty else { throw StoreError.invalid("a customer needs an id") }
            insert.nextRow()
            insert.bind(organisationID, at: 1)
            for (offset, value) in CustomerColumns.values(of: customer).enumerated() {
                insert.bind(value, at: Int32(offset + 2))
            }
            try insert.execute()
            if db.changesCount == 1 {
                try SQLiteStore.insertContacts(record.contacts, of: customer.id, organisationID, db)
                timeline.startChain(customerID: customer.id)
                try timeline.append(.customerAdded(customer, on: context.date), db)
                summary.inserted += 1
                continue
            }
            // Only an id already present costs a read: a first import never comes here.
            let existing = try SQLiteStore.loadCustomerRecord(customer.id, organisationID, db)
            if existing == record {
                summary.unchanged += 1
                continue
            }
            let assignments = CustomerColumns.names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: "UPDATE customers SET \(assignments) WHERE org_id = ? AND customer_id = ?",
                arguments: StatementArguments(
                    (CustomerColumns.values(of: customer).dropFirst() + [organisationID, customer.id]).map {
                        $0 as (any DatabaseValueConvertible)?
                    }))
            try db.execute(
                sql: "DELETE FROM contacts WHERE org_id = ? AND customer_id = ?",
                arguments: [organisationID, customer.id])
            try SQLiteStore.insertContacts(record.contacts, of: customer.id, organisationID, db)
            try timeline.append(.customerUpdated(customer, on: context.date), db)
            summary.updated += 1
        }
        return summary
    }

    /// Every customer of the organisation, by id.
    public func customers(organisationID: String) async throws -> [Customer] {
        try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT \(SQLiteStore.customerColumns()) FROM customers WHERE org_id = ? ORDER BY customer_id",
                arguments: [organisationID])
            var customers: [Customer] = []
            while let row = try rows.next() { customers.append(try SQLiteStore.customer(from: row)) }
            return customers
        }
    }

    /// One customer with its contacts, or nil when there is none with that reference.
    public func customer(organisationID: String, customerID: String) async throws -> CustomerRecord? {
        try await read { db in try SQLiteStore.loadCustomerRecord(customerID, organisationID, db) }
    }

    // MARK: - Rows

    private static func insertContacts(
        _ contacts: [Contact], of customerID: String, _ organisationID: String, _ db: Database
    ) throws {
        guard !contacts.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO contacts (org_id, customer_id, position, role, name, email, phone, preferred_channel,
                    email_bouncing, opted_out)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insert.startRawBinding()
        for (position, contact) in contacts.enumerated() {
            let columns = ContactColumns(contact)
            insert.nextRow()
            insert.bind(organisationID, at: 1)
            insert.bind(customerID, at: 2)
            insert.bind(position, at: 3)
            insert.bind(columns.role, at: 4)
            insert.bind(columns.name, at: 5)
            insert.bind(columns.email, at: 6)
            insert.bind(columns.phone, at: 7)
            insert.bind(columns.preferredChannel, at: 8)
            // As GRDB stores a Bool.
            insert.bind(columns.emailBouncing ? 1 : 0, at: 9)
            insert.bind(columns.optedOut, at: 10)
            try insert.execute()
        }
    }

    /// The columns `customer(from:)` reads, in its order; `prefix` qualifies them (`c.`) in a join.
    static func customerColumns(prefix: String = "") -> String {
        CustomerColumns.selectList(prefix: prefix)
    }

    /// Reads a customer row selected as `customerColumns()`.
    static func customer(from row: Row) throws -> Customer {
        try customer(from: row, at: CustomerPositions(ColumnPositions(row)))
    }

    /// Reads a customer row selected as `customerColumns()`, its columns where `columns` found them (looked up once
    /// for a statement's many rows).
    static func customer(from row: Row, at columns: CustomerPositions) throws -> Customer {
        try CustomerColumns.customer(values: columns.positions.map { row[$0] as String? })
    }

    /// Reads a contact from a row that selects the `contacts` columns `role, name, email, phone, preferred_channel,
    /// email_bouncing, opted_out` by name, wherever they stand among the row's other columns.
    static func contact(from row: Row) throws -> Contact {
        try contact(from: row, at: ContactPositions(ColumnPositions(row)))
    }

    /// Reads a contact from a row that selects the `contacts` columns, where `columns` found them.
    static func contact(from row: Row, at columns: ContactPositions) throws -> Contact {
        try ContactColumns(
            role: row[columns.role], name: row[columns.name], email: row[columns.email], phone: row[columns.phone],
            preferredChannel: row[columns.preferredChannel], emailBouncing: row[columns.emailBouncing],
            optedOut: row[columns.optedOut]
        ).contact()
    }

    private static func loadCustomerRecord(
        _ customerID: String, _ organisationID: String, _ db: Database
    ) throws
        -> CustomerRecord?
    {
        let customerStatement = try db.cachedStatement(
            sql: "SELECT \(customerColumns()) FROM customers WHERE org_id = ? AND customer_id = ?")
        guard let row = try Row.fetchOne(customerStatement, arguments: [organisationID, customerID]) else {
            return nil
        }
        let contactStatement = try db.cachedStatement(
            sql: """
                SELECT role, name, email, phone, preferred_channel, email_bouncing, opted_out
                FROM contacts WHERE org_id = ? AND customer_id = ? ORDER BY position
                """)
        let contacts = try Row.fetchAll(contactStatement, arguments: [organisationID, customerID]).map {
            try contact(from: $0)
        }
        return CustomerRecord(customer: try customer(from: row), contacts: contacts)
    }
}
