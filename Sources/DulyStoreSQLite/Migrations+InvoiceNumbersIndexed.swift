import GRDB

// MARK: - The invoices' unique numbers in a named index

extension Migrations {
    /// The invoices table with the uniqueness of its numbers held by a named index, appended after every earlier
    /// migration (registered by `migrator`).
    static func registerInvoiceNumbersIndexed(_ migrator: inout DatabaseMigrator) {
        // Foreign keys off while the table is rebuilt, checked before the commit (GRDB's default): allocations,
        // credit notes, disputes and the rest point at the invoices' numbers.
        migrator.registerMigration("v45_invoice_numbers_indexed") { db in
            try db.execute(sql: v45InvoiceNumbersIndexed)
        }
    }

    // `UNIQUE (org_id, invoice_number)` in the table's definition made an index SQLite owns and nothing can drop. A
    // first load (`duly import ledger`) writes a million invoices in the table's key order (customer, due date,
    // number), and their numbers then land all over that index: about 6 of the 13 seconds SQLite spends on those
    // rows. As a named unique index, `invoices_by_number`, the load can set it aside while the table is empty and
    // build it once the rows are in, in 2.4 seconds (BENCHMARKS.md, "A first load on two cores").
    // Numbers stay unique exactly as before, and every foreign key that names an invoice refers to this index.
    // The rebuild keeps the columns in their order, the rows, the other indexes, and the planner's statistics: those
    // of the old unique index go to the new one's name.
    // PostgreSQL has no first load and keeps its constraint.
    fileprivate static let v45InvoiceNumbersIndexed = """
        CREATE TABLE invoices_rebuilt (
            org_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL CHECK (invoice_number <> ''),
            customer_id TEXT NOT NULL,
            issue_date TEXT NOT NULL CHECK (length(issue_date) = 10),
            due_date TEXT NOT NULL CHECK (length(due_date) = 10),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            total_minor INTEGER NOT NULL CHECK (total_minor >= 0),
            terms TEXT,
            po_number TEXT,
            paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
            credited_minor INTEGER NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
            adjusted_as TEXT CHECK (adjusted_as IN ('settled', 'written_off')),
            payment_id_text TEXT,
            terms_note TEXT,
            payment_reference TEXT,
            payment_url TEXT CHECK (payment_url IS NULL OR payment_url <> ''),
            PRIMARY KEY (org_id, customer_id, due_date, invoice_number),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            CHECK (paid_minor + credited_minor <= total_minor)
        ) WITHOUT ROWID;
        INSERT INTO invoices_rebuilt (
            org_id, invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number,
            paid_minor, credited_minor, adjusted_as, payment_id_text, terms_note, payment_reference, payment_url)
        SELECT
            org_id, invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number,
            paid_minor, credited_minor, adjusted_as, payment_id_text, terms_note, payment_reference, payment_url
        FROM invoices ORDER BY org_id, customer_id, due_date, invoice_number;
        CREATE TEMP TABLE invoice_statistics AS SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'invoices';
        DROP TABLE invoices;
        ALTER TABLE invoices_rebuilt RENAME TO invoices;
        CREATE UNIQUE INDEX invoices_by_number ON invoices (org_id, invoice_number);
        CREATE UNIQUE INDEX invoices_by_payment_reference ON invoices (org_id, payment_reference)
            WHERE payment_reference IS NOT NULL;
        CREATE INDEX invoices_without_payment_reference ON invoices (org_id, invoice_number)
            WHERE payment_reference IS NULL;
        CREATE INDEX invoices_by_customer
            ON invoices (org_id, customer_id, due_date, invoice_number, total_minor, paid_minor, credited_minor)
            WHERE total_minor > paid_minor + credited_minor;
        INSERT INTO sqlite_stat1 (tbl, idx, stat)
        SELECT 'invoices', CASE idx WHEN 'sqlite_autoindex_invoices_2' THEN 'invoices_by_number' ELSE idx END, stat
        FROM temp.invoice_statistics;
        DROP TABLE temp.invoice_statistics;
        ANALYZE sqlite_schema;
        """
}
