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
