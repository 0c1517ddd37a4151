import DulyStore
import GRDB

/// Where a statement's result columns stand, looked up by name once per statement.
///
/// Rows are read by column name. GRDB's `row["name"]` lowercases and hashes the name again for every row, a cost the
/// collection day's reads of a million invoice rows feel; the loops that read many rows look their columns up here
/// before the first row and then read each row at those positions. A name the statement does not return throws,
/// so a query whose columns change never reads the wrong one.
struct ColumnPositions {
    private let positions: [String: Int]

    init(_ statement: Statement) {
        self.init(columnNames: statement.columnNames)
    }

    /// The positions of one row's columns, for reading a single row.
    init(_ row: Row) {
        self.init(columnNames: Array(row.columnNames))
    }

    private init(columnNames: [String]) {
        // The first of two columns with one name wins, as with GRDB's own lookup.
        positions = Dictionary(
            columnNames.enumerated().map { ($0.element.lowercased(), $0.offset) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The position of the column named `name` (any case).
    func callAsFunction(_ name: String) throws -> Int {
        guard let position = positions[name.lowercased()] else {
            throw StoreError.backend("a query returns no column named \(name)")
        }
        return position
    }
}

/// Where a statement that selects `SQLiteStore.invoiceColumns()` has each invoice column.
struct InvoicePositions {
    /// The invoice columns, as the `invoices` table names them.
    static let names = [
        "invoice_number", "customer_id", "issue_date", "due_date", "currency", "total_minor", "terms", "po_number",
        "paid_minor", "credited_minor", "adjusted_as", "payment_reference", "payment_url",
    ]

    let number, customerID, issueDate, dueDate, currency, total, terms, poNumber: Int
    let paid, credited, adjustedAs, paymentReference, paymentURL: Int

    init(_ statement: Statement) throws {
        let column = ColumnPositions(statement)
        (number, customerID, issueDate, dueDate) = (
            try column("invoice_number"), try column("customer_id"), try column("issue_date"), try column("due_date")
        )
        (currency, total, terms, poNumber) = (
            try column("currency"), try column("total_minor"), try column("terms"), try column("po_number")
        )
        (paid, credited, adjustedAs) = (
            try column("paid_minor"), try column("credited_minor"), try column("adjusted_as")
        )
        (paymentReference, paymentURL) = (try column("payment_reference"), try column("payment_url"))
    }
}

/// Where a statement that selects `SQLiteStore.customerColumns()` has each customer column, in the order of
/// `CustomerColumns.names`.
struct CustomerPositions {
    let positions: [Int]

    init(_ column: ColumnPositions) throws {
        positions = try CustomerColumns.names.map { try column($0) }
    }
}

/// Where a statement that selects a contact's columns (`role, name, email, phone, preferred_channel, email_bouncing,
/// opted_out`) has each of them.
struct ContactPositions {
    let role, name, email, phone, preferredChannel, emailBouncing, optedOut: Int

    init(_ column: ColumnPositions) throws {
        (role, name, email, phone) = (try column("role"), try column("name"), try column("email"), try column("phone"))
        (preferredChannel, emailBouncing, optedOut) = (
            try column("preferred_channel"), try column("email_bouncing"), try column("opted_out")
        )
    }
}

extension Database {
    /// A cursor over the rows of `sql` and where its columns stand (its statement cached when `cached`).
    func rowsAndColumns(
        sql: String, arguments: StatementArguments, cached: Bool = false
    ) throws -> (RowCursor, ColumnPositions) {
        let statement = try cached ? cachedStatement(sql: sql) : makeStatement(sql: sql)
        return (try Row.fetchCursor(statement, arguments: arguments), ColumnPositions(statement))
    }
}
