import GRDB

// MARK: - Payment links and pauses

extension Migrations {
    /// Issue 14's payment links on invoices and pauses of the chase, appended after every earlier migration
    /// (registered by `migrator`).
    static func registerPausesPaymentLinks(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v34_pauses_payment_links") { db in
            try db.execute(sql: v34PausesPaymentLinks)
        }
    }

    // - `invoices.payment_url`: where the client pays the invoice online, checked by `Invoice.problems` before it is
    //   written; NULL when there is none, which is the case of every invoice stored before.
    // - `chase_pauses`: the one pause a customer has (a new one replaces it, ending it deletes it; the timeline keeps
    //   the history). `until` is the last day paused, so one that has passed is inert without anyone removing it.
    //   `by_client` marks a pause the client asked for themselves (the portal's "I have paid").
    fileprivate static let v34PausesPaymentLinks = """
        ALTER TABLE invoices ADD COLUMN payment_url TEXT CHECK (payment_url IS NULL OR payment_url <> '');
        CREATE TABLE chase_pauses (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            set_on TEXT NOT NULL,
            until TEXT NOT NULL CHECK (until >= set_on),
            reason TEXT NOT NULL CHECK (reason <> ''),
            requested_by TEXT NOT NULL CHECK (requested_by <> ''),
            by_client INTEGER NOT NULL DEFAULT 0 CHECK (by_client IN (0, 1)),
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        """
}
