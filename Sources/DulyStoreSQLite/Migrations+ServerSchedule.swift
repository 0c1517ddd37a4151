import GRDB

// MARK: - The days `duly serve` ran

extension Migrations {
    /// Issue 12's second slice, appended after every earlier migration (registered by `migrator`).
    static func registerServerSchedule(_ migrator: inout DatabaseMigrator) {
        // A new table only: no existing row to check.
        migrator.registerMigration("v27_server_schedule", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: v27ServerSchedule)
        }
    }

    // One row per organisation, day and source (the scheduler, or `POST /runs`), written once the day's run has
    // committed: the scheduler reads it on start so that a restart never runs a day twice, and a crash mid-run
    // leaves no row, so the day runs again (a run of the same day plans nothing twice).
    fileprivate static let v27ServerSchedule = """
        CREATE TABLE server_runs (
            org_id TEXT NOT NULL REFERENCES organisations (org_id) ON DELETE CASCADE,
            run_date TEXT NOT NULL CHECK (length(run_date) = 10),
            source TEXT NOT NULL CHECK (source IN ('schedule', 'api')),
            planned INTEGER NOT NULL CHECK (planned >= 0),
            finished_at TEXT NOT NULL,
            PRIMARY KEY (org_id, run_date, source)
        ) WITHOUT ROWID;
        """
}
