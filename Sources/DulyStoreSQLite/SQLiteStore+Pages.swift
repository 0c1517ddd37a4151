import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: PagedStore {
    /// Up to `limit` customers with their contacts, in id order, after `after`.
    public func customerPage(organisationID: String, after: String?, limit: Int) async throws -> [CustomerRecord] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.customerColumns()) FROM customers
                    WHERE org_id = ? AND customer_id > ? ORDER BY customer_id LIMIT ?
                    """,
                arguments: [organisationID, after ?? "", limit])
            let customers = try rows.map { try SQLiteStore.customer(from: $0) }
            guard let first = customers.first, let last = customers.last else { return [] }
            // One read of the page's contacts rather than one per customer.
            var contacts: [String: [Contact]] = [:]
            let contactRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT customer_id, role, name, email, phone, preferred_channel, email_bouncing, opted_out
                    FROM contacts WHERE org_id = ? AND customer_id BETWEEN ? AND ? ORDER BY customer_id, position
                    """,
                arguments: [organisationID, first.id, last.id])
            for row in contactRows {
                contacts[row["customer_id"], default: []].append(try SQLiteStore.contact(from: row))
            }
            return customers.map { CustomerRecord(customer: $0, contacts: contacts[$0.id] ?? []) }
        }
    }

    /// Up to `limit` actions in the organisation's number order after the number `after`, read as
    /// `action(organisationID:id:)` reads one.
    public func actionPage(
        organisationID: String, customerID: String?, after: Int64?, limit: Int
    ) async throws -> [StoredAction] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.actionColumns) FROM actions
                    WHERE org_id = ? AND (? IS NULL OR customer_id = ?) AND number > ? ORDER BY number LIMIT ?
                    """,
                arguments: [organisationID, customerID, customerID, after ?? 0, limit])
            return try SQLiteStore.storedActions(from: rows, organisationID, db)
        }
    }

    /// Up to `limit` invoices in (customer, due date, number) order after `after`: the invoices' primary key order,
    /// so that a page costs its own rows whatever its place in the ledger.
    public func invoicePage(
        organisationID: String, filter: InvoiceFilter, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceBalance] {
        try await read { db in
            var conditions = ["i.org_id = ?"]
            var arguments: StatementArguments = [organisationID]
            if let customerID = filter.customerID {
                conditions.append("i.customer_id = ?")
                _ = arguments.append(contentsOf: [customerID])
            }
            if let collector = filter.collector {
                conditions.append(
                    "i.customer_id IN (SELECT customer_id FROM customers WHERE org_id = ? AND collector = ?)")
                _ = arguments.append(contentsOf: [organisationID, collector])
            }
            if let after {
                conditions.append("(i.customer_id, i.due_date, i.invoice_number) > (?, ?, ?)")
                _ = arguments.append(contentsOf: [after.customerID, after.dueDate.description, after.number])
            }
            _ = arguments.append(contentsOf: [limit])
            let statement = try db.makeStatement(
                sql: """
                    SELECT \(SQLiteStore.invoiceColumns("i.")) FROM invoices i
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY i.customer_id, i.due_date, i.invoice_number LIMIT ?
                    """)
            let columns = try InvoicePositions(statement)
            var currencies = CurrencyCache()
            return try Row.fetchAll(statement, arguments: arguments).map {
                try SQLiteStore.balance(from: $0, at: columns, &currencies)
            }
        }
    }
}
