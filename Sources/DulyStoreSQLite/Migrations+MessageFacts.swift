import GRDB

// MARK: - What messages say of what happened

extension Migrations {
    /// Issue 11's facts for messages (the findings of a rejected dispute, the collection agency a hand-over names,
    /// the collectors who sign), appended after every earlier migration (registered by `migrator`).
    static func registerMessageFacts(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v25_message_facts") { db in
            try db.execute(sql: v25MessageFacts)
        }
    }

    // `resolution_note` is what the collector found when closing a dispute: a rejection tells the client these
    // findings. The agency is the one the organisation works with: the hand-over letter names it and says how to
    // reach it (`agency_contact`, lines of address, email or phone). A collector named on customers signs the
    // messages to them, with a direct phone number when one is kept here. `message_attachments` lists the documents
    // emails to clients carry (`invoice`, `statement`, comma separated), NULL for none. The IBAN and BIC are the
    // account the EPC payment code on letters and PDFs pays into.
    fileprivate static let v25MessageFacts = """
        ALTER TABLE disputes ADD COLUMN resolution_note TEXT;
        ALTER TABLE organisations ADD COLUMN agency_name TEXT;
        ALTER TABLE organisations ADD COLUMN agency_contact TEXT;
        ALTER TABLE organisations ADD COLUMN message_attachments TEXT;
        ALTER TABLE organisations ADD COLUMN sender_iban TEXT;
        ALTER TABLE organisations ADD COLUMN sender_bic TEXT;
        CREATE TABLE collectors (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            name TEXT NOT NULL CHECK (name <> ''),
            email TEXT,
            phone TEXT,
            PRIMARY KEY (org_id, name)
        ) WITHOUT ROWID;
        """
}
