import GRDB

// MARK: - Public numbers per organisation

extension Migrations {
    /// Issue 13's public ids, appended after every earlier migration (registered by `migrator`).
    static func registerPublicNumbers(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v37_public_numbers") { db in
            try db.execute(sql: v37PublicNumbers)
        }
    }

    // Actions, webhook events, webhook subscribers and bank credits were named by their row id, a number shared by
    // every organisation in the file (so `evt_N` told one organisation how busy the others were) and one that a copy
    // to another database does not keep. Each row now carries its organisation's own number (`act_N`, `evt_N`,
    // `whk_N`, `bcr_N`), which is data: a copy keeps it, and look-ups go by (organisation, number).
    //
    // An existing row keeps the number it was known by (its row id), so nothing already handed out changes meaning:
    // `evt_N` ids receivers de-duplicate on, a printed `duly approve 57`, and the action numbers the hash-chained
    // timeline entries recorded (which cannot be rewritten). They are in row-id order and unique per organisation;
    // an organisation's new rows continue from its own highest, so they say nothing of other organisations, and an
    // organisation created from now on starts at 1. `organisation_counters` holds the next number of each kind: a
    // write reads it, numbers what it inserts and stores it back in the same transaction (`OrganisationNumbers`).
    // Row ids stay, as the foreign keys' targets only.
    fileprivate static let v37PublicNumbers = """
        ALTER TABLE actions ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        UPDATE actions SET number = id;
        CREATE UNIQUE INDEX actions_by_number ON actions (org_id, number);

        ALTER TABLE webhook_events ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        UPDATE webhook_events SET number = id;
        CREATE UNIQUE INDEX webhook_events_by_number ON webhook_events (org_id, number);

        ALTER TABLE webhook_subscribers ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        UPDATE webhook_subscribers SET number = id;
        CREATE UNIQUE INDEX webhook_subscribers_by_number ON webhook_subscribers (org_id, number);

        ALTER TABLE bank_credits ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        UPDATE bank_credits SET number = id;
        CREATE UNIQUE INDEX bank_credits_by_number ON bank_credits (org_id, number);

        CREATE TABLE organisation_counters (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            kind TEXT NOT NULL CHECK (kind IN ('action', 'webhook_event', 'webhook_subscriber', 'bank_credit')),
            next INTEGER NOT NULL CHECK (next > 0),
            PRIMARY KEY (org_id, kind)
        ) WITHOUT ROWID;
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'action', MAX(number) + 1 FROM actions GROUP BY org_id;
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'webhook_event', MAX(number) + 1 FROM webhook_events GROUP BY org_id;
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'webhook_subscriber', MAX(number) + 1 FROM webhook_subscribers GROUP BY org_id;
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'bank_credit', MAX(number) + 1 FROM bank_credits GROUP BY org_id;
        """
}
