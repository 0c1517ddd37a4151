import GRDB
import GRDBSQLite

// Large imports bind millions of values. GRDB's `StatementArguments` boxes each row's values in an array of
// existentials and converts them again before binding; binding straight into the prepared statement costs nothing
// per row. Statements still run through GRDB's `execute()`, so its transaction bookkeeping and errors are unchanged.
extension Statement {
    /// Prepares the statement for rows bound one value at a time with `bind(_:at:)`; call once after preparing.
    func startRawBinding() {
        // Marks the (empty) arguments as bound, so that `execute()` runs what was bound instead of validating.
        setUncheckedArguments(StatementArguments())
    }

    /// Readies the statement for the next row's values: SQLite refuses to bind into a statement that has run.
    func nextRow() {
        sqlite3_reset(sqliteStatement)
    }

    /// Binds text (or NULL) to the 1-based parameter `index`.
    func bind(_ text: String?, at index: Int32) {
        guard var text else {
            sqlite3_bind_null(sqliteStatement, index)
            return
        }
        let statement = sqliteStatement
        text.withUTF8 { utf8 in
            // An empty buffer may have no address, which SQLite would read as NULL: bind an empty text instead.
            guard let base = utf8.baseAddress else {
                sqlite3_bind_text(statement, index, "", 0, rawBindingTransient)
                return
            }
            _ = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text(statement, index, $0, Int32(utf8.count), rawBindingTransient)
            }
        }
    }

    /// Binds an integer (or NULL) to the 1-based parameter `index`.
    func bind(_ value: Int?, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(sqliteStatement, index)
            return
        }
        sqlite3_bind_int64(sqliteStatement, index, Int64(value))
    }
}

// SQLITE_TRANSIENT: SQLite copies the bytes, which outlive the closure that lent them.
private let rawBindingTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One INSERT written several rows to a statement: `RowsInStatements.rowsPerStatement` at a time, the rest in one
/// statement of fewer.
///
/// SQLite opens the table's cursors and finds the place to write from the root for each statement it runs; rows
/// written in key order by one statement go where the last one went. A million invoices took 7.9 s one row to a
/// statement and 5.9 s sixteen to a statement from C (BENCHMARKS.md, "A first load on two cores").
struct RowsInStatements {
    static let rowsPerStatement = 16
    // The statement up to VALUES, and each row's parameters in parentheses.
    private let head: String
    private let row: String
    private let parameters: Int32
    private let full: Statement

    /// `head` is the INSERT up to and with VALUES; each row binds `parameters` values.
    init(_ head: String, parameters: Int, _ db: Database) throws {
        self.head = head
        row = "(" + Array(repeating: "?", count: parameters).joined(separator: ", ") + ")"
        self.parameters = Int32(parameters)
        full = try db.cachedStatement(sql: Self.sql(head, row, count: Self.rowsPerStatement))
        full.startRawBinding()
    }

    /// Writes `rows` in the order given; `bind` binds one of them to the statement, its first parameter at
    /// `offset + 1`.
    func insert<Rows: RandomAccessCollection>(
        _ rows: Rows, _ db: Database, bind: (Rows.Element, _ statement: Statement, _ offset: Int32) -> Void
    ) throws {
        var rest = rows[...]
        while !rest.isEmpty {
            let count = min(rest.count, Self.rowsPerStatement)
            let statement: Statement
            if count == Self.rowsPerStatement {
                statement = full
            } else {
                statement = try db.cachedStatement(sql: Self.sql(head, row, count: count))
                statement.startRawBinding()
            }
            statement.nextRow()
            for (index, element) in rest.prefix(count).enumerated() {
                bind(element, statement, Int32(index) * parameters)
            }
            try statement.execute()
            rest = rest.dropFirst(count)
        }
    }

    private static func sql(_ head: String, _ row: String, count: Int) -> String {
        head + " " + Array(repeating: row, count: count).joined(separator: ", ")
    }
}
