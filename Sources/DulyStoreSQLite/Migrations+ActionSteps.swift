import GRDB

// MARK: - Action steps: each action's invoices and their steps, in the action's own row

extension Migrations {
    /// Issue 10's writing run, appended after every earlier migration (registered by `migrator`).
    static func registerActionSteps(_ migrator: inout DatabaseMigrator) {
        // Foreign keys checked as it goes: it adds no reference, and the deferred check GRDB runs otherwise reads
        // every row of every table afterwards (seconds on a file of a million invoices).
        migrator.registerMigration("v23_action_invoice_steps", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v23ActionInvoiceSteps)
        }
    }

    // An action's invoices and the step each climbs were rows of `action_invoices`: about four per action, each with
    // two foreign-key probes and an insert into an index keyed by invoice number, which fills in random order. They
    // are now one JSON object in the action's row, from invoice number to step id, in the action's order
    // (`{"INV-1":"first_follow_up","INV-2":"due_day"}`); SQL reads it with `json_each`, and a look-up by invoice goes
    // through the invoice's customer (`actions_by_customer`). The run checks that every invoice exists and belongs to
    // the action's customer before writing (it did so already); invoices are never deleted, only whole
    // organisations. See BENCHMARKS.md, "The collection day at a million invoices".
    fileprivate static let v23ActionInvoiceSteps = """
        ALTER TABLE actions ADD COLUMN invoice_steps TEXT NOT NULL DEFAULT '{}';
        UPDATE actions SET invoice_steps = (
            SELECT coalesce(json_group_object(ordered.invoice_number, ordered.step_id), '{}')
            FROM (
                SELECT ai.invoice_number, ai.step_id FROM action_invoices ai
                WHERE ai.org_id = actions.org_id AND ai.action_id = actions.id
                ORDER BY ai.position
            ) ordered
        );
        DROP TABLE action_invoices;
        """
}
