// The PostgreSQL counterparts of SQLite's migrations after `v32_worklist`, each under the same name, each the same
// tables and columns (docs/POSTGRES.md, "The schema").

extension PostgresSchema {
    /// `v33_portal`: customers whose portal links were revoked; links issued on or before `revoked_on` are void.
    static let v33Portal: [String] = [
        """
        CREATE TABLE portal_revocations (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            revoked_on date NOT NULL,
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id) ON DELETE CASCADE
        )
        """
    ]

    /// `v34_pauses_payment_links`: an invoice's payment link, and the one pause of the chase a customer may have.
    static let v34PausesPaymentLinks: [String] = [
        "ALTER TABLE invoices ADD COLUMN payment_url text CHECK (payment_url IS NULL OR payment_url <> '')",
        """
        CREATE TABLE chase_pauses (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            set_on date NOT NULL,
            until date NOT NULL CHECK (until >= set_on),
            reason text NOT NULL CHECK (reason <> ''),
            requested_by text NOT NULL CHECK (requested_by <> ''),
            by_client boolean NOT NULL DEFAULT false,
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
    ]

    /// `v38_idempotency_times`: when each idempotency key was claimed (Unix seconds), to forget it after a day and
    /// take over a claim left unanswered.
    static let v38IdempotencyTimes: [String] = [
        "ALTER TABLE idempotency_records ADD COLUMN claimed_at bigint NOT NULL DEFAULT 0",
        "CREATE INDEX idempotency_records_by_age ON idempotency_records (org_id, claimed_at)",
    ]

    /// `v37_public_numbers`: actions, webhook events and subscribers and bank credits numbered per organisation,
    /// and the counters that hand out the next number of each kind.
    static let v37PublicNumbers: [String] = [
        "ALTER TABLE actions ADD COLUMN number bigint NOT NULL DEFAULT 0",
        "UPDATE actions SET number = id",
        "CREATE UNIQUE INDEX actions_by_number ON actions (org_id, number)",
        "ALTER TABLE webhook_events ADD COLUMN number bigint NOT NULL DEFAULT 0",
        "UPDATE webhook_events SET number = id",
        "CREATE UNIQUE INDEX webhook_events_by_number ON webhook_events (org_id, number)",
        "ALTER TABLE webhook_subscribers ADD COLUMN number bigint NOT NULL DEFAULT 0",
        "UPDATE webhook_subscribers SET number = id",
        "CREATE UNIQUE INDEX webhook_subscribers_by_number ON webhook_subscribers (org_id, number)",
        "ALTER TABLE bank_credits ADD COLUMN number bigint NOT NULL DEFAULT 0",
        "UPDATE bank_credits SET number = id",
        "CREATE UNIQUE INDEX bank_credits_by_number ON bank_credits (org_id, number)",
        """
        CREATE TABLE organisation_counters (
            org_id text NOT NULL REFERENCES organisations (org_id),
            kind text NOT NULL CHECK (kind IN ('action', 'webhook_event', 'webhook_subscriber', 'bank_credit')),
            next bigint NOT NULL CHECK (next > 0),
            PRIMARY KEY (org_id, kind)
        )
        """,
        """
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'action', MAX(number) + 1 FROM actions GROUP BY org_id
        """,
        """
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'webhook_event', MAX(number) + 1 FROM webhook_events GROUP BY org_id
        """,
        """
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'webhook_subscriber', MAX(number) + 1 FROM webhook_subscribers GROUP BY org_id
        """,
        """
        INSERT INTO organisation_counters (org_id, kind, next)
            SELECT org_id, 'bank_credit', MAX(number) + 1 FROM bank_credits GROUP BY org_id
        """,
    ]

    /// `v39_work_claims`: the collection day's runs, cut into batches of customers that nodes claim a few at a time
    /// (a batch's row is deleted once written, so the rows left are the work left; at most one run per organisation
    /// is open), and the customers whose due messages a deliverer holds. Claims lapse at `lease_expires` (Unix
    /// seconds).
    static let v39WorkClaims: [String] = [
        """
        CREATE TABLE collection_runs (
            org_id text NOT NULL REFERENCES organisations (org_id),
            run bigint NOT NULL,
            as_of date NOT NULL,
            fingerprint text NOT NULL,
            customers integer NOT NULL,
            selected integer NOT NULL,
            batches integer NOT NULL,
            state text NOT NULL CHECK (state IN ('open', 'finished', 'replaced')),
            PRIMARY KEY (org_id, run)
        )
        """,
        "CREATE UNIQUE INDEX collection_runs_open ON collection_runs (org_id) WHERE state = 'open'",
        """
        CREATE TABLE collection_run_batches (
            org_id text NOT NULL,
            run bigint NOT NULL,
            batch integer NOT NULL,
            customer_ids text[] NOT NULL,
            holder text,
            lease_expires bigint,
            PRIMARY KEY (org_id, run, batch),
            FOREIGN KEY (org_id, run) REFERENCES collection_runs (org_id, run) ON DELETE CASCADE
        )
        """,
        """
        CREATE TABLE delivery_claims (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            holder text NOT NULL,
            lease_expires bigint NOT NULL,
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id) ON DELETE CASCADE
        )
        """,
    ]

    /// The actions awaiting a manager's approval, a handful among every action the organisation ever planned, in an
    /// index of their own (`DulyStore.actionsAwaitingApproval`).
    static let v40ApprovalQueue: [String] = [
        "CREATE INDEX actions_awaiting_approval ON actions (org_id, id) WHERE status = 'awaiting_approval'"
    ]
}
