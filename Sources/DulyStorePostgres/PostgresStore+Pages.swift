import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: PagedStore {
    /// Up to `limit` customers with their contacts, in id order, after `after`.
    public func customerPage(organisationID: String, after: String?, limit: Int) async throws -> [CustomerRecord] {
        let logger = self.logger
        return try await read { connection in
            let customers = try await connection.rows(
                """
                SELECT \(unescaped: CustomerColumns.selectList()) FROM customers
                WHERE org_id = \(organisationID) AND customer_id > \(after ?? "") ORDER BY customer_id LIMIT \(limit)
                """, logger: logger
            ).map { try Self.customer(from: $0) }
            guard !customers.isEmpty else { return [] }
            // One read of the page's contacts rather than one per customer.
            var contacts: [String: [Contact]] = [:]
            for row in try await connection.rows(
                """
                SELECT customer_id, role, name, email, phone, preferred_channel, email_bouncing, opted_out
                FROM contacts WHERE org_id = \(organisationID) AND customer_id = ANY(\(customers.map(\.id))::text[])
                ORDER BY customer_id, position
                """, logger: logger)
            {
                contacts[try row.value("customer_id", as: String.self), default: []].append(try Self.contact(from: row))
            }
            return customers.map { CustomerRecord(customer: $0, contacts: contacts[$0.id] ?? []) }
        }
    }

    /// Up to `limit` actions in the organisation's number order after the number `after`, read as
    /// `action(organisationID:id:)` reads one.
    public func actionPage(
        organisationID: String, customerID: String?, after: Int64?, limit: Int
    ) async throws -> [StoredAction] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.actionColumns) FROM actions
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                    AND number > \(after ?? 0)
                ORDER BY number LIMIT \(limit)
                """, logger: logger)
            return try await Self.storedActions(from: rows, organisationID, connection, logger: logger)
        }
    }

    /// Up to `limit` invoices in (customer, due date, number) order after `after`: the invoices' index order, so that
    /// a page costs its own rows whatever its place in the ledger.
    public func invoicePage(
        organisationID: String, filter: InvoiceFilter, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceBalance] {
        // Only the filters given become conditions, so that the planner sees each page's real shape. The SQL is the
        // store's own text; every value is a bound parameter.
        var binds = PostgresBindings()
        var conditions: [String] = []
        func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        conditions.append("i.org_id = \(bind(organisationID))")
        if let customerID = filter.customerID {
            conditions.append("i.customer_id = \(bind(customerID))")
        }
        if let collector = filter.collector {
            conditions.append(
                "i.customer_id IN (SELECT customer_id FROM customers WHERE org_id = \(bind(organisationID)) "
                    + "AND collector = \(bind(collector)))")
        }
        if let after {
            conditions.append(
                "(i.customer_id, i.due_date, i.invoice_number) > "
                    + "(\(bind(after.customerID)), \(bind(after.dueDate)), \(bind(after.number)))")
        }
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT \(Self.invoiceColumns("i.")) FROM invoices i
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY i.customer_id, i.due_date, i.invoice_number LIMIT \(bind(limit))
                """, binds: binds)
        let logger = self.logger
        return try await read { connection in
            var currencies = CurrencyCache()
            return try await connection.rows(query, logger: logger).map { try Self.balance(from: $0, &currencies) }
        }
    }
}
