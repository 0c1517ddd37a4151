import GRDB

// MARK: - Open invoices read from their index alone

extension Migrations {
    /// `invoices_by_customer` with the amounts that say whether an invoice is open, appended after every earlier
    /// migration (registered by `migrator`).
    static func registerOpenInvoicesCovered(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v43_open_invoices_covered") { db in
            try db.execute(sql: v43OpenInvoicesCovered)
        }
    }

    // The index of open invoices held only the key, so every query that asks whether an invoice is open
    // (`paid_minor + credited_minor < total_minor`) went from each index entry to the table's row to read the
    // amounts: a seek per open invoice. The collection day's writer does that for every open invoice of each
    // customer it writes for (whose invoices its actions may name), and the run's selection for every customer.
    // With the amounts in the index, those queries read the index alone, about twice as fast
    // (`scripts/bench_indexes.py`; BENCHMARKS.md, "The writer keeps a core"). The entries keep their order; an entry
    // already changed whenever an amount did, since the amounts decide whether it belongs in the index. Dropping the
    // index drops its statistics: they come back with a figure for each new column (each amount adds nothing to the
    // key, which is already unique).
    fileprivate static let v43OpenInvoicesCovered = """
        CREATE TEMP TABLE open_invoice_statistics AS
        SELECT CASE WHEN stat GLOB '*[^0-9 ]*' THEN '300000 300000 3 2 1' ELSE stat END AS stat
        FROM sqlite_stat1 WHERE tbl = 'invoices' AND idx = 'invoices_by_customer';
        DROP INDEX invoices_by_customer;
        CREATE INDEX invoices_by_customer
            ON invoices (org_id, customer_id, due_date, invoice_number, total_minor, paid_minor, credited_minor)
            WHERE total_minor > paid_minor + credited_minor;
        INSERT INTO sqlite_stat1 (tbl, idx, stat)
        SELECT 'invoices', 'invoices_by_customer', stat || ' 1 1 1' FROM temp.open_invoice_statistics;
        DROP TABLE temp.open_invoice_statistics;
        ANALYZE sqlite_schema;
        """
}
