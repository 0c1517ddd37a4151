import GRDB

// MARK: - Deliveries that wait

extension Migrations {
    /// Issue 9's delivery work, appended after every earlier migration (registered by `migrator`).
    static func registerDeliveryHolds(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17_delivery_failures") { db in
            try db.execute(sql: v17DeliveryHolds)
        }
    }

    // Why a due message did not go out today although nothing failed: the client already heard from Duly that day
    // (one voice a day) or the playbook's 7-day contact cap is reached, counting what was actually sent. The action
    // stays pending and is tried again on the next delivery day; the row says why in the meantime (for `worklist`
    // and `deliver`'s summary) and goes when the delivery ends. The migration's name was reserved for this issue's
    // delivery work, holds and failures alike; failures keep their reason on the action itself.
    fileprivate static let v17DeliveryHolds = """
        CREATE TABLE delivery_holds (
            org_id TEXT NOT NULL,
            action_id INTEGER NOT NULL,
            held_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason <> ''),
            PRIMARY KEY (org_id, action_id),
            FOREIGN KEY (org_id, action_id) REFERENCES actions (org_id, id)
        ) WITHOUT ROWID;
        """
}
