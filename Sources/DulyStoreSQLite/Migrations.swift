import GRDB

/// The SQLite schema, as an append-only list of migrations.
///
/// A migration is never edited once shipped (GRDB `Migrations.md`): a change is a new migration appended at the end.
/// Migrations speak plain SQL and never use app types, so that an old migration keeps meaning what it meant.
/// Names are snake_case so that the same SQL reads the same in SQLite and PostgreSQL.
enum Migrations {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_schema") { db in
            try db.execute(sql: v1Organisations)
            try db.execute(sql: v1Ledger)
            try db.execute(sql: v1Commitments)
            try db.execute(sql: v1Actions)
            try db.execute(sql: v1Timeline)
        }
        migrator.registerMigration("v2_planner_statistics") { db in
            try db.execute(sql: v2PlannerStatistics)
        }
        migrator.registerMigration("v3_delivery_window") { db in
            try db.execute(sql: v3DeliveryWindow)
        }
        migrator.registerMigration("v4_deliveries") { db in
            try db.execute(sql: v4Deliveries)
        }
        migrator.registerMigration("v5_sender_identity") { db in
            try db.execute(sql: v5SenderIdentity)
        }
        migrator.registerMigration("v6_refusals") { db in
            try db.execute(sql: v6Refusals)
        }
        migrator.registerMigration("v7_thanks_due") { db in
            try db.execute(sql: v7ThanksDue)
        }
        migrator.registerMigration("v8_template_overrides") { db in
            try db.execute(sql: v8TemplateOverrides)
        }
        migrator.registerMigration("v9_collector_tools") { db in
            try db.execute(sql: v9CollectorTools)
        }
        migrator.registerMigration("v10_settlement_offers") { db in
            try db.execute(sql: v10SettlementOffers)
        }
        migrator.registerMigration("v11_webhooks") { db in
            try db.execute(sql: v11Webhooks)
        }
        migrator.registerMigration("v12_documents") { db in
            try db.execute(sql: v12Documents)
        }
        registerStatements(&migrator)
        registerCustomerAddress(&migrator)
        registerSenderDetails(&migrator)
        migrator.registerMigration("v16_rejections") { db in
            try db.execute(sql: v16Rejections)
        }
        registerDeliveryHolds(&migrator)
        migrator.registerMigration("v18_cli") { db in
            try db.execute(sql: v18PromiseWithdrawals)
        }
        registerReviews(&migrator)
        registerActionSteps(&migrator)
        registerServerAccounts(&migrator)
        registerMessageFacts(&migrator)
        registerAdoptedPlaybooks(&migrator)
        registerServerSchedule(&migrator)
        registerAPIRecords(&migrator)
        registerWorklist(&migrator)
        registerPortal(&migrator)
        registerPausesPaymentLinks(&migrator)
        registerPublicNumbers(&migrator)
        registerIdempotencyTimes(&migrator)
        registerWorkClaims(&migrator)
        registerApprovalQueue(&migrator)
        registerTimelineAppended(&migrator)
        registerActionsRebuilt(&migrator)
        registerOpenInvoicesCovered(&migrator)
        registerReviewsUnindexed(&migrator)
        registerInvoiceNumbersIndexed(&migrator)
        registerContactsRebuilt(&migrator)
        return migrator
    }

    // Whether a call or meeting carried out reached anyone: escalations need a contact actually made, and a
    // voicemail is not one (a wrong number already ends `failed`). Calls logged before this migration get it from
    // the outcome their timeline entry recorded. A rejection needs no column: it is a cancelled action with a
    // decision (`decided_by`, `decided_on`), which the planner reads to wait before proposing it again.
    private static let v16Rejections = """
        ALTER TABLE actions ADD COLUMN client_reached INTEGER CHECK (client_reached IN (0, 1));
        UPDATE actions SET client_reached = CASE
                WHEN EXISTS (
                    SELECT 1 FROM timeline_entries t
                    WHERE t.org_id = actions.org_id AND t.customer_id = actions.customer_id
                        AND t.kind IN ('call_logged', 'meeting_logged')
                        AND json_extract(t.details, '$.action') = CAST(actions.id AS TEXT)
                        AND json_extract(t.details, '$.outcome') = 'left a voicemail'
                ) THEN 0 ELSE 1 END
            WHERE channel IN ('call', 'meeting') AND status = 'done';
        """

    // A promise recorded by mistake is withdrawn, never deleted: the promise row and its timeline entry stay, and
    // this row says who took it back, when and why. The run and the reports leave withdrawn promises out.
    fileprivate static let v18PromiseWithdrawals = """
        CREATE TABLE promise_withdrawals (
            org_id TEXT NOT NULL,
            promise_id TEXT NOT NULL,
            withdrawn_on TEXT NOT NULL CHECK (length(withdrawn_on) = 10),
            withdrawn_by TEXT NOT NULL CHECK (withdrawn_by <> ''),
            reason TEXT NOT NULL CHECK (reason <> ''),
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id)
        ) WITHOUT ROWID;
        """

    // Webhooks out. Events are an outbox written in the transaction of the change they announce, fanned out at once
    // to one delivery per interested subscriber; each POST is one row of the attempts log. The two marker tables
    // remember what the collection day last announced for changes nobody writes (the calendar moving an invoice on,
    // a promise's date passing), so that each is announced once. Subscribers are removed by a date, never deleted,
    // so the log keeps naming them. The secret is kept as given (see README, "Webhooks").
    private static let v11Webhooks = """
        CREATE TABLE webhook_subscribers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            -- '*' for every type, else the types' names separated by commas.
            events TEXT NOT NULL CHECK (events <> ''),
            secret TEXT NOT NULL CHECK (length(secret) >= 16),
            created_at TEXT NOT NULL,
            removed_at TEXT
        );
        CREATE INDEX webhook_subscribers_active ON webhook_subscribers (org_id) WHERE removed_at IS NULL;

        CREATE TABLE webhook_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            type TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            occurred_on TEXT NOT NULL CHECK (length(occurred_on) = 10),
            recorded_at TEXT NOT NULL,
            data TEXT NOT NULL CHECK (json_valid(data))
        );
        CREATE INDEX webhook_events_by_org ON webhook_events (org_id, id);

        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES webhook_events (id),
            subscriber_id INTEGER NOT NULL REFERENCES webhook_subscribers (id),
            replay INTEGER NOT NULL DEFAULT 0 CHECK (replay IN (0, 1)),
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            -- NULL: as soon as the deliverer runs.
            next_attempt_at INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (org_id, id)
            WHERE state IN ('pending', 'retrying');
        CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (org_id, event_id);
        CREATE INDEX webhook_deliveries_by_subscriber ON webhook_deliveries (org_id, subscriber_id);

        CREATE TABLE webhook_attempts (
            org_id TEXT NOT NULL,
            delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id),
            attempt INTEGER NOT NULL CHECK (attempt >= 1),
            attempted_at INTEGER NOT NULL,
            status_code INTEGER,
            error TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
            next_attempt_at INTEGER,
            PRIMARY KEY (delivery_id, attempt)
        ) WITHOUT ROWID;

        CREATE TABLE webhook_invoice_stages (
            org_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL,
            stage TEXT NOT NULL,
            PRIMARY KEY (org_id, invoice_number),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;

        CREATE TABLE webhook_promise_outcomes (
            org_id TEXT NOT NULL,
            promise_id TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('broken')),
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id)
        ) WITHOUT ROWID;
        """

    // A settlement offer made by an action: pay this much by this day and the rest is waived. All four or none.
    private static let v10SettlementOffers = """
        ALTER TABLE actions ADD COLUMN offer_minor INTEGER CHECK (offer_minor > 0);
        ALTER TABLE actions ADD COLUMN offer_currency TEXT CHECK (length(offer_currency) = 3);
        ALTER TABLE actions ADD COLUMN offer_deadline TEXT CHECK (length(offer_deadline) = 10);
        ALTER TABLE actions ADD COLUMN offer_share INTEGER CHECK (offer_share > 0 AND offer_share < 10000);
        CREATE INDEX actions_with_offers ON actions (org_id, customer_id) WHERE offer_minor IS NOT NULL;
        """

    // What a collector records beyond the ledger: why and how disputes end, who promised on which channel, who
    // proposed a plan, why an invoice asks for less (discount, settlement, write-off) and who approved it, and who
    // decided on an approval. Added columns only, so older rows read as they did: the defaults are what was implied.
    private static let v9CollectorTools = """
        ALTER TABLE disputes ADD COLUMN reason_code TEXT NOT NULL DEFAULT 'other' CHECK (
            reason_code IN ('pricing', 'quantity', 'quality', 'not_received', 'already_paid', 'duplicate', 'terms',
                'other'));
        ALTER TABLE disputes ADD COLUMN owner TEXT;
        ALTER TABLE disputes ADD COLUMN outcome TEXT CHECK (outcome IN ('upheld', 'rejected', 'settled'));

        ALTER TABLE promises ADD COLUMN channel TEXT CHECK (channel IN ('email', 'letter', 'call', 'meeting', 'sms'));
        ALTER TABLE promises ADD COLUMN promised_by TEXT;

        ALTER TABLE payment_plans ADD COLUMN proposed_by TEXT NOT NULL DEFAULT 'collector' CHECK (
            proposed_by IN ('collector', 'client'));

        ALTER TABLE credit_notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'credit_note' CHECK (
            kind IN ('credit_note', 'discount', 'settlement', 'write_off'));
        ALTER TABLE credit_notes ADD COLUMN reason TEXT;
        ALTER TABLE credit_notes ADD COLUMN approved_by TEXT;
        -- A settlement or write-off decides how the invoice ends once closed; NULL: paid or credited, by the sums.
        ALTER TABLE invoices ADD COLUMN adjusted_as TEXT CHECK (adjusted_as IN ('settled', 'written_off'));

        ALTER TABLE actions ADD COLUMN decided_by TEXT;
        ALTER TABLE actions ADD COLUMN decided_on TEXT CHECK (length(decided_on) = 10);
        ALTER TABLE actions ADD COLUMN decision_note TEXT;
        """

    // An organisation's own wording of a template in a language; a NULL part keeps the built-in one.
    private static let v8TemplateOverrides = """
        CREATE TABLE template_overrides (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            template TEXT NOT NULL CHECK (template <> ''),
            language TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
            subject TEXT,
            text TEXT,
            html TEXT,
            PRIMARY KEY (org_id, template, language),
            CHECK (subject IS NOT NULL OR text IS NOT NULL OR html IS NOT NULL)
        ) WITHOUT ROWID;
        """

    // Invoices paid in full after Duly contacted the client about them, waiting for the collection day's thank-you:
    // a small queue, so that finding who to thank never scans the paid history.
    private static let v7ThanksDue = """
        CREATE TABLE thanks_due (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL,
            PRIMARY KEY (org_id, customer_id, invoice_number),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX thanks_due_by_invoice ON thanks_due (org_id, invoice_number);
        """

    // A client's refusal to pay, as a collector recorded it: it moves the account's overdue invoices to non_payment.
    private static let v6Refusals = """
        CREATE TABLE refusals (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            note TEXT,
            PRIMARY KEY (org_id, customer_id, date),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        """

    // Who messages come from: set together or not at all (sender_name is the marker).
    private static let v5SenderIdentity = """
        ALTER TABLE organisations ADD COLUMN sender_name TEXT;
        ALTER TABLE organisations ADD COLUMN sender_from_address TEXT;
        ALTER TABLE organisations ADD COLUMN sender_reply_to TEXT;
        ALTER TABLE organisations ADD COLUMN sender_signature TEXT;
        ALTER TABLE organisations ADD COLUMN sender_payment_instructions TEXT;
        ALTER TABLE organisations ADD COLUMN sender_postal_address TEXT;
        """

    // The outbox's record of each action's delivery: the intent (with the exact bytes) is written before anything
    // leaves, so a crash never sends twice and never loses a message; the content is the evidence of what was said.
    private static let v4Deliveries = """
        CREATE TABLE deliveries (
            org_id TEXT NOT NULL,
            action_id INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('sending', 'committed', 'sent', 'retrying', 'failed')),
            attempts INTEGER NOT NULL CHECK (attempts >= 1),
            message_id TEXT NOT NULL CHECK (message_id <> ''),
            content BLOB NOT NULL,
            recipient TEXT,
            next_attempt_at INTEGER,
            last_error TEXT,
            PRIMARY KEY (org_id, action_id),
            FOREIGN KEY (org_id, action_id) REFERENCES actions (org_id, id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX deliveries_by_message_id ON deliveries (org_id, message_id);
        """

    // The business hours an email, call or text keeps, in the customer's time zone: all three or none.
    private static let v3DeliveryWindow = """
        ALTER TABLE actions ADD COLUMN window_time_zone TEXT;
        ALTER TABLE actions ADD COLUMN window_start_hour INTEGER CHECK (window_start_hour BETWEEN 0 AND 23);
        ALTER TABLE actions ADD COLUMN window_end_hour INTEGER CHECK (window_end_hour BETWEEN 1 AND 24);
        """

    // Every table carries `org_id` and every key starts with it: an organisation's records never meet another's,
    // and the same customer id or invoice number may exist in two organisations.
    private static let v1Organisations = """
        CREATE TABLE organisations (
            org_id TEXT NOT NULL PRIMARY KEY CHECK (org_id <> ''),
            name TEXT NOT NULL,
            base_currency TEXT NOT NULL CHECK (length(base_currency) = 3),
            country TEXT NOT NULL,
            time_zone TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE organisation_holidays (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            date TEXT NOT NULL CHECK (length(date) = 10),
            PRIMARY KEY (org_id, date)
        ) WITHOUT ROWID;

        -- Filled and emptied inside deleteOrganisation's transaction: the only time timeline rows may be deleted.
        CREATE TABLE organisation_erasures (
            org_id TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;

        CREATE TABLE customers (
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            customer_id TEXT NOT NULL CHECK (customer_id <> ''),
            name TEXT NOT NULL,
            country TEXT,
            language TEXT,
            time_zone TEXT,
            collector TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            opted_out TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (org_id, customer_id)
        ) WITHOUT ROWID;

        CREATE TABLE contacts (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            role TEXT NOT NULL CHECK (role IN ('billing', 'primary', 'senior')),
            name TEXT,
            email TEXT,
            phone TEXT,
            preferred_channel TEXT CHECK (preferred_channel IN ('email', 'letter', 'call', 'meeting', 'sms')),
            email_bouncing INTEGER NOT NULL DEFAULT 0 CHECK (email_bouncing IN (0, 1)),
            opted_out TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (org_id, customer_id, position),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        """

    // Balances are derived from allocations and credit notes. `paid_minor` and `credited_minor` cache their sums for
    // speed; the store updates them in the same transaction, and the contract suite checks that they agree.
    //
    // Invoices are stored clustered by customer (the primary key) and found by number through a unique index: the
    // collection day reads "all open invoices of these customers" in customer order, and with the rows in that order
    // it reads consecutive pages instead of one random page per invoice (measured: the dry run over a million
    // invoices spent most of its time in those lookups). The due date is part of the clustering key so that a
    // customer's invoices come out in the order the planner and the listings want, with no sort. The invoice number
    // stays the identity: UNIQUE (org_id, invoice_number) is what every foreign key refers to (a named index,
    // `invoices_by_number`, since v45). `invoices_by_customer` holds only open invoices, so that finding the accounts
    // with something to chase costs what is open, not the whole history.
    private static let v1Ledger = """
        CREATE TABLE invoices (
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
            PRIMARY KEY (org_id, customer_id, due_date, invoice_number),
            UNIQUE (org_id, invoice_number),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            CHECK (paid_minor + credited_minor <= total_minor)
        ) WITHOUT ROWID;
        -- Written with the column on the left: SQLite turns a query's `paid_minor + credited_minor < total_minor`
        -- around into this form before matching it to a partial index, and matches only identical terms.
        CREATE INDEX invoices_by_customer ON invoices (org_id, customer_id, due_date)
            WHERE total_minor > paid_minor + credited_minor;

        CREATE TABLE payments (
            org_id TEXT NOT NULL,
            payment_id TEXT NOT NULL CHECK (payment_id <> ''),
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            reference TEXT,
            -- The invoice the payer named, as given: it may name no known invoice.
            invoice_number TEXT,
            PRIMARY KEY (org_id, payment_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        CREATE INDEX payments_by_customer ON payments (org_id, customer_id);

        CREATE TABLE allocations (
            org_id TEXT NOT NULL,
            payment_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            date TEXT NOT NULL CHECK (length(date) = 10),
            PRIMARY KEY (org_id, payment_id, invoice_number),
            FOREIGN KEY (org_id, payment_id) REFERENCES payments (org_id, payment_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX allocations_by_invoice ON allocations (org_id, invoice_number);

        CREATE TABLE credit_notes (
            org_id TEXT NOT NULL,
            credit_note_id TEXT NOT NULL CHECK (credit_note_id <> ''),
            invoice_number TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            PRIMARY KEY (org_id, credit_note_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX credit_notes_by_invoice ON credit_notes (org_id, invoice_number);
        """

    private static let v1Commitments = """
        CREATE TABLE disputes (
            org_id TEXT NOT NULL,
            dispute_id TEXT NOT NULL CHECK (dispute_id <> ''),
            customer_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL,
            opened_on TEXT NOT NULL CHECK (length(opened_on) = 10),
            reason TEXT NOT NULL,
            amount_minor INTEGER CHECK (amount_minor > 0),
            currency TEXT CHECK (length(currency) = 3),
            resolved_on TEXT CHECK (length(resolved_on) = 10),
            PRIMARY KEY (org_id, dispute_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number),
            CHECK ((amount_minor IS NULL) = (currency IS NULL))
        ) WITHOUT ROWID;
        CREATE INDEX disputes_by_customer ON disputes (org_id, customer_id);
        CREATE INDEX disputes_by_invoice ON disputes (org_id, invoice_number);

        CREATE TABLE promises (
            org_id TEXT NOT NULL,
            promise_id TEXT NOT NULL CHECK (promise_id <> ''),
            customer_id TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            promised_date TEXT NOT NULL CHECK (length(promised_date) = 10),
            made_on TEXT NOT NULL CHECK (length(made_on) = 10),
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        CREATE INDEX promises_by_customer ON promises (org_id, customer_id);

        CREATE TABLE promise_invoices (
            org_id TEXT NOT NULL,
            promise_id TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            invoice_number TEXT NOT NULL,
            PRIMARY KEY (org_id, promise_id, position),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX promise_invoices_by_invoice ON promise_invoices (org_id, invoice_number);

        CREATE TABLE payment_plans (
            org_id TEXT NOT NULL,
            plan_id TEXT NOT NULL CHECK (plan_id <> ''),
            customer_id TEXT NOT NULL,
            accepted_on TEXT CHECK (length(accepted_on) = 10),
            PRIMARY KEY (org_id, plan_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        CREATE INDEX payment_plans_by_customer ON payment_plans (org_id, customer_id);

        CREATE TABLE plan_invoices (
            org_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            invoice_number TEXT NOT NULL,
            PRIMARY KEY (org_id, plan_id, position),
            FOREIGN KEY (org_id, plan_id) REFERENCES payment_plans (org_id, plan_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX plan_invoices_by_invoice ON plan_invoices (org_id, invoice_number);

        CREATE TABLE plan_instalments (
            org_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            due_date TEXT NOT NULL CHECK (length(due_date) = 10),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            PRIMARY KEY (org_id, plan_id, position),
            FOREIGN KEY (org_id, plan_id) REFERENCES payment_plans (org_id, plan_id)
        ) WITHOUT ROWID;
        """

    private static let v1Actions = """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'call', 'meeting', 'sms')),
            stage TEXT NOT NULL CHECK (stage IN ('pre_due', 'delayed', 'non_payment')),
            step_id TEXT NOT NULL,
            template TEXT NOT NULL,
            requires_approval INTEGER NOT NULL CHECK (requires_approval IN (0, 1)),
            escalates_to TEXT CHECK (escalates_to IN ('manager', 'senior_contact', 'agency', 'lawyer')),
            status TEXT NOT NULL CHECK (
                status IN ('planned', 'awaiting_approval', 'approved', 'sent', 'done', 'failed', 'skipped', 'cancelled')
            ),
            note TEXT,
            idempotency_key TEXT NOT NULL CHECK (idempotency_key <> ''),
            UNIQUE (org_id, idempotency_key),
            UNIQUE (org_id, id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        );
        CREATE INDEX actions_by_customer ON actions (org_id, customer_id, status);

        CREATE TABLE action_invoices (
            org_id TEXT NOT NULL,
            action_id INTEGER NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            invoice_number TEXT NOT NULL,
            step_id TEXT NOT NULL,
            PRIMARY KEY (org_id, action_id, position),
            FOREIGN KEY (org_id, action_id) REFERENCES actions (org_id, id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        ) WITHOUT ROWID;
        CREATE INDEX action_invoices_by_invoice ON action_invoices (org_id, invoice_number);
        """

    // The timeline is evidence: rows are only ever appended. The triggers refuse any UPDATE, and any DELETE except
    // while deleteOrganisation erases a whole organisation (it lists the organisation in `organisation_erasures`).
    private static let v1Timeline = """
        CREATE TABLE timeline_entries (
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            date TEXT NOT NULL CHECK (length(date) = 10),
            recorded_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            details TEXT NOT NULL,
            previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            PRIMARY KEY (org_id, customer_id, sequence),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;

        CREATE TRIGGER timeline_entries_refuse_update
        BEFORE UPDATE ON timeline_entries
        BEGIN
            SELECT RAISE(ABORT, 'timeline entries are append-only: UPDATE refused');
        END;

        CREATE TRIGGER timeline_entries_refuse_delete
        BEFORE DELETE ON timeline_entries
        WHEN NOT EXISTS (SELECT 1 FROM organisation_erasures WHERE org_id = OLD.org_id)
        BEGIN
            SELECT RAISE(ABORT, 'timeline entries are append-only: DELETE refused');
        END;
        """

    // Every key starts with `org_id`, and without statistics SQLite guesses that an equality on a leading column is
    // selective: it would then scan a whole organisation's invoices through the primary key rather than use
    // `invoices_by_customer`. These figures describe one large organisation (the shape Duly is sized for) so that the
    // planner picks the narrower indexes from the first query. A later ANALYZE replaces them with measured ones.
    private static let v2PlannerStatistics = """
        ANALYZE;
        DELETE FROM sqlite_stat1;
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
            ('organisations', 'organisations', '10 1'),
            ('organisation_holidays', 'organisation_holidays', '100 10 1'),
            ('organisation_erasures', 'organisation_erasures', '1 1'),
            ('customers', 'customers', '100000 100000 1'),
            ('contacts', 'contacts', '200000 200000 2 1'),
            ('invoices', 'invoices', '1000000 1000000 10 2 1'),
            ('invoices', 'sqlite_autoindex_invoices_2', '1000000 1000000 1'),
            ('invoices', 'invoices_by_customer', '300000 300000 3 2 1'),
            ('payments', 'payments', '700000 700000 1'),
            ('payments', 'payments_by_customer', '700000 700000 7'),
            ('allocations', 'allocations', '1000000 1000000 2 1'),
            ('allocations', 'allocations_by_invoice', '1000000 1000000 1'),
            ('credit_notes', 'credit_notes', '10000 10000 1'),
            ('credit_notes', 'credit_notes_by_invoice', '10000 10000 1'),
            ('disputes', 'disputes', '1000 1000 1'),
            ('disputes', 'disputes_by_customer', '1000 1000 2'),
            ('disputes', 'disputes_by_invoice', '1000 1000 1'),
            ('promises', 'promises', '1000 1000 1'),
            ('promises', 'promises_by_customer', '1000 1000 2'),
            ('promise_invoices', 'promise_invoices', '2000 2000 2 1'),
            ('promise_invoices', 'promise_invoices_by_invoice', '2000 2000 1'),
            ('payment_plans', 'payment_plans', '1000 1000 1'),
            ('payment_plans', 'payment_plans_by_customer', '1000 1000 2'),
            ('plan_invoices', 'plan_invoices', '2000 2000 2 1'),
            ('plan_invoices', 'plan_invoices_by_invoice', '2000 2000 1'),
            ('plan_instalments', 'plan_instalments', '4000 4000 4 1'),
            ('actions', 'sqlite_autoindex_actions_1', '100000 100000 1'),
            ('actions', 'sqlite_autoindex_actions_2', '100000 100000 1'),
            ('actions', 'actions_by_customer', '100000 100000 5 2'),
            ('action_invoices', 'action_invoices', '150000 150000 2 1'),
            ('action_invoices', 'action_invoices_by_invoice', '150000 150000 3'),
            ('timeline_entries', 'timeline_entries', '2000000 2000000 20 1');
        ANALYZE sqlite_schema;
        """

    // Files kept with invoices (the UBL XML an invoice was imported from), and what an electronic invoice says beyond
    // Duly's CSV: the payment reference the buyer quotes (`PaymentID`, BT-83) and the terms as written (BT-20).
    // `payment_id_text` is named apart from the RF creditor reference column another change adds. A rowid table,
    // not WITHOUT ROWID: documents are large rows, which SQLite keeps better in rowid tables.
    private static let v12Documents = """
        ALTER TABLE invoices ADD COLUMN payment_id_text TEXT;
        ALTER TABLE invoices ADD COLUMN terms_note TEXT;

        CREATE TABLE documents (
            org_id TEXT NOT NULL,
            invoice_number TEXT NOT NULL,
            file_name TEXT NOT NULL CHECK (file_name <> '' AND instr(file_name, '/') = 0),
            media_type TEXT NOT NULL CHECK (media_type <> ''),
            bytes BLOB NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            added_on TEXT NOT NULL CHECK (length(added_on) = 10),
            UNIQUE (org_id, invoice_number, file_name),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        );
        """
}

// MARK: - Bank statements

extension Migrations {
    /// The statements work: appended after every earlier migration (registered by `statementsMigrations`).
    static func registerStatements(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13_statements") { db in
            try db.execute(sql: v10Statements)
        }
    }

    // The RF creditor reference Duly prints on each invoice's messages (unique in the organisation, so a quoted one
    // names one invoice), and every credit of an imported bank statement: what it matched, or why not. Rows written
    // before this migration get their reference from `SQLiteStore.assignPaymentReferences`, run after migrating (the
    // scheme is Swift code, and migrations never use app types); `invoices_without_payment_reference` keeps finding
    // them cheap, and is empty once they are done.
    //
    // `bank_credits` is both the record of what a statement brought (so re-importing a file changes nothing, matched
    // or not) and the unmatched queue (`status = 'unmatched'`, with the best candidates as JSON). Its integer id is
    // what a person types (`duly match 17 --invoice INV-1`); `credit_key` is the stable id from the statement.
    // `payer_accounts` remembers which customer pays from which IBAN, learnt from matched credits.
    fileprivate static let v10Statements = """
        ALTER TABLE invoices ADD COLUMN payment_reference TEXT;
        CREATE UNIQUE INDEX invoices_by_payment_reference ON invoices (org_id, payment_reference)
            WHERE payment_reference IS NOT NULL;
        CREATE INDEX invoices_without_payment_reference ON invoices (org_id, invoice_number)
            WHERE payment_reference IS NULL;

        CREATE TABLE bank_credits (
            id INTEGER PRIMARY KEY,
            org_id TEXT NOT NULL REFERENCES organisations (org_id),
            credit_key TEXT NOT NULL CHECK (credit_key <> ''),
            statement_id TEXT NOT NULL,
            account TEXT NOT NULL,
            booking_date TEXT NOT NULL CHECK (length(booking_date) = 10),
            value_date TEXT CHECK (length(value_date) = 10),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            debtor_name TEXT,
            debtor_iban TEXT,
            reference TEXT,
            end_to_end_id TEXT,
            remittance TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'resolved', 'ignored')),
            match_key TEXT,
            customer_id TEXT,
            reason TEXT,
            candidates TEXT NOT NULL DEFAULT '[]',
            resolved_on TEXT CHECK (length(resolved_on) = 10),
            note TEXT,
            UNIQUE (org_id, credit_key),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            CHECK (status <> 'matched' OR customer_id IS NOT NULL)
        );
        CREATE INDEX bank_credits_unmatched ON bank_credits (org_id, id) WHERE status = 'unmatched';

        CREATE TABLE payer_accounts (
            org_id TEXT NOT NULL,
            iban TEXT NOT NULL CHECK (iban <> ''),
            customer_id TEXT NOT NULL,
            PRIMARY KEY (org_id, iban),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        ) WITHOUT ROWID;
        """
}

// MARK: - Postal addresses

extension Migrations {
    /// The customers' postal address and title: appended after the statements work.
    static func registerCustomerAddress(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14_customer_address") { db in
            try db.execute(sql: v14CustomerAddress)
        }
    }

    // Letters need a postal address, and a formal salutation the contact's title. All nullable: the books of most
    // organisations hold neither for every client. An address is whole or absent: line 1 and the city come together.
    fileprivate static let v14CustomerAddress = """
        ALTER TABLE customers ADD COLUMN address_line1 TEXT CHECK (address_line1 <> '');
        ALTER TABLE customers ADD COLUMN address_line2 TEXT;
        ALTER TABLE customers ADD COLUMN postal_code TEXT;
        ALTER TABLE customers ADD COLUMN city TEXT CHECK (city <> '');
        ALTER TABLE customers ADD COLUMN region TEXT;
        ALTER TABLE customers ADD COLUMN title TEXT;
        """
}

// MARK: - Sender details

extension Migrations {
    /// The organisation's language and the sender's phone and translated payment instructions, after every earlier
    /// migration.
    static func registerSenderDetails(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15_sender_details") { db in
            try db.execute(sql: v15SenderDetails)
        }
    }

    // `language` is the team's (ISO 639-1), NULL meaning the one of the organisation's country. The translated
    // payment instructions are a JSON object from language code to text; `sender_payment_instructions` stays the
    // organisation's own language's.
    fileprivate static let v15SenderDetails = """
        ALTER TABLE organisations ADD COLUMN language TEXT CHECK (language IS NULL OR length(language) = 2);
        ALTER TABLE organisations ADD COLUMN sender_phone TEXT;
        ALTER TABLE organisations ADD COLUMN sender_translated_payment_instructions TEXT
            CHECK (
                sender_translated_payment_instructions IS NULL
                OR json_valid(sender_translated_payment_instructions)
            );
        """
}
