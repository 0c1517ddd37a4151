import GRDB

// MARK: - The approval queue by index

extension Migrations {
    /// The approval queue read through an index of its own, appended after every earlier migration (registered by
    /// `migrator`).
    static func registerApprovalQueue(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v40_approval_queue") { db in
            try db.execute(sql: v40ApprovalQueue)
        }
    }

    // The actions awaiting a manager's approval (`DulyStore.actionsAwaitingApproval`): a handful, among every action
    // the organisation ever planned, which the queue read in full before. `actions_for_people` holds them too, but
    // with every call of the day beside them.
    fileprivate static let v40ApprovalQueue = """
        CREATE INDEX actions_awaiting_approval ON actions (org_id, id) WHERE status = 'awaiting_approval';
        """
}
