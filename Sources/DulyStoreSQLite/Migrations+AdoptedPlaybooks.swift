import GRDB

// MARK: - The adopted playbook

extension Migrations {
    /// Issue 13's stored playbook, appended after every earlier migration (registered by `migrator`).
    static func registerAdoptedPlaybooks(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v26_adopted_playbooks") { db in
            try db.execute(sql: v26AdoptedPlaybooks)
        }
    }

    // Every version an organisation adopted, the YAML kept as given; the highest version is in force. An action
    // records the version that planned it (NULL: the built-in playbook, or an action from before this migration).
    fileprivate static let v26AdoptedPlaybooks = """
        CREATE TABLE playbook_versions (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            version INTEGER NOT NULL CHECK (version >= 1),
            name TEXT NOT NULL CHECK (name <> ''),
            source TEXT NOT NULL,
            adopted_on TEXT NOT NULL,
            adopted_by TEXT,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (org_id, version)
        ) WITHOUT ROWID;
        ALTER TABLE actions ADD COLUMN playbook_version INTEGER CHECK (playbook_version IS NULL OR playbook_version >= 1);
        """
}
