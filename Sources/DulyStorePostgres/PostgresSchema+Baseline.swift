// The PostgreSQL schema's first migration: the tables, columns, keys and indexes the SQLite schema holds after its
// migration `v32_worklist`, written for PostgreSQL (docs/POSTGRES.md, "The schema"). Later changes are migrations of
// their own, named as their SQLite counterparts; a test keeps both schemas' tables and columns in step.
//
// What differs from SQLite, and why:
// - Calendar dates are `date` (SQLite keeps ISO text); amounts stay integer minor units (`bigint`).
// - Yes/no columns are `boolean`; bytes are `bytea`.
// - Row numbers are identity columns; `WITHOUT ROWID` has no counterpart (every table here is a heap with its key).
// - Texts that are hashed or signed as written (timeline details, webhook payloads, times of recording) stay `text`,
//   so that what is read back is byte for byte what was written.
// - The timeline's append-only rule is a trigger function, as in SQLite.

extension PostgresSchema {
    static let baseline: [String] = [
        """
        CREATE TABLE organisations (
            org_id text NOT NULL PRIMARY KEY CHECK (org_id <> ''),
            name text NOT NULL,
            base_currency text NOT NULL CHECK (length(base_currency) = 3),
            country text NOT NULL,
            time_zone text NOT NULL,
            sender_name text,
            sender_from_address text,
            sender_reply_to text,
            sender_signature text,
            sender_payment_instructions text,
            sender_postal_address text,
            language text CHECK (language IS NULL OR length(language) = 2),
            sender_phone text,
            sender_translated_payment_instructions text
                CHECK (sender_translated_payment_instructions IS NULL
                    OR jsonb_typeof(sender_translated_payment_instructions::jsonb) IS NOT NULL),
            agency_name text,
            agency_contact text,
            message_attachments text,
            sender_iban text,
            sender_bic text
        )
        """,
        """
        CREATE TABLE organisation_holidays (
            org_id text NOT NULL REFERENCES organisations (org_id),
            date date NOT NULL,
            PRIMARY KEY (org_id, date)
        )
        """,
        "CREATE TABLE organisation_erasures (org_id text NOT NULL PRIMARY KEY)",
        """
        CREATE TABLE customers (
            org_id text NOT NULL REFERENCES organisations (org_id),
            customer_id text NOT NULL CHECK (customer_id <> ''),
            name text NOT NULL,
            country text,
            language text,
            time_zone text,
            collector text,
            tags text NOT NULL DEFAULT '[]',
            opted_out text NOT NULL DEFAULT '[]',
            address_line1 text CHECK (address_line1 <> ''),
            address_line2 text,
            postal_code text,
            city text CHECK (city <> ''),
            region text,
            title text,
            PRIMARY KEY (org_id, customer_id)
        )
        """,
        """
        CREATE TABLE contacts (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            role text NOT NULL CHECK (role IN ('billing', 'primary', 'senior')),
            name text,
            email text,
            phone text,
            preferred_channel text CHECK (preferred_channel IN ('email', 'letter', 'call', 'meeting', 'sms')),
            email_bouncing boolean NOT NULL DEFAULT false,
            opted_out text NOT NULL DEFAULT '[]',
            PRIMARY KEY (org_id, customer_id, position),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        """
        CREATE TABLE invoices (
            org_id text NOT NULL,
            invoice_number text NOT NULL CHECK (invoice_number <> ''),
            customer_id text NOT NULL,
            issue_date date NOT NULL,
            due_date date NOT NULL,
            currency text NOT NULL CHECK (length(currency) = 3),
            total_minor bigint NOT NULL CHECK (total_minor >= 0),
            terms text,
            po_number text,
            paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
            credited_minor bigint NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
            adjusted_as text CHECK (adjusted_as IN ('settled', 'written_off')),
            payment_id_text text,
            terms_note text,
            payment_reference text,
            PRIMARY KEY (org_id, customer_id, due_date, invoice_number),
            UNIQUE (org_id, invoice_number),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            CHECK (paid_minor + credited_minor <= total_minor)
        )
        """,
        """
        CREATE INDEX invoices_by_customer ON invoices (org_id, customer_id, due_date)
            WHERE total_minor > paid_minor + credited_minor
        """,
        """
        CREATE UNIQUE INDEX invoices_by_payment_reference ON invoices (org_id, payment_reference)
            WHERE payment_reference IS NOT NULL
        """,
        """
        CREATE INDEX invoices_without_payment_reference ON invoices (org_id, invoice_number)
            WHERE payment_reference IS NULL
        """,
        """
        CREATE TABLE payments (
            org_id text NOT NULL,
            payment_id text NOT NULL CHECK (payment_id <> ''),
            customer_id text NOT NULL,
            date date NOT NULL,
            currency text NOT NULL CHECK (length(currency) = 3),
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            reference text,
            invoice_number text,
            PRIMARY KEY (org_id, payment_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        "CREATE INDEX payments_by_customer ON payments (org_id, customer_id)",
        """
        CREATE TABLE allocations (
            org_id text NOT NULL,
            payment_id text NOT NULL,
            invoice_number text NOT NULL,
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            date date NOT NULL,
            PRIMARY KEY (org_id, payment_id, invoice_number),
            FOREIGN KEY (org_id, payment_id) REFERENCES payments (org_id, payment_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        "CREATE INDEX allocations_by_invoice ON allocations (org_id, invoice_number)",
        """
        CREATE TABLE credit_notes (
            org_id text NOT NULL,
            credit_note_id text NOT NULL CHECK (credit_note_id <> ''),
            invoice_number text NOT NULL,
            date date NOT NULL,
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            kind text NOT NULL DEFAULT 'credit_note'
                CHECK (kind IN ('credit_note', 'discount', 'settlement', 'write_off')),
            reason text,
            approved_by text,
            PRIMARY KEY (org_id, credit_note_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        "CREATE INDEX credit_notes_by_invoice ON credit_notes (org_id, invoice_number)",
        """
        CREATE TABLE disputes (
            org_id text NOT NULL,
            dispute_id text NOT NULL CHECK (dispute_id <> ''),
            customer_id text NOT NULL,
            invoice_number text NOT NULL,
            opened_on date NOT NULL,
            reason text NOT NULL,
            amount_minor bigint CHECK (amount_minor > 0),
            currency text CHECK (length(currency) = 3),
            resolved_on date,
            reason_code text NOT NULL DEFAULT 'other' CHECK (
                reason_code IN ('pricing', 'quantity', 'quality', 'not_received', 'already_paid', 'duplicate',
                    'terms', 'other')),
            owner text,
            outcome text CHECK (outcome IN ('upheld', 'rejected', 'settled')),
            resolution_note text,
            PRIMARY KEY (org_id, dispute_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number),
            CHECK ((amount_minor IS NULL) = (currency IS NULL))
        )
        """,
        "CREATE INDEX disputes_by_customer ON disputes (org_id, customer_id)",
        "CREATE INDEX disputes_by_invoice ON disputes (org_id, invoice_number)",
        "CREATE INDEX disputes_by_opening ON disputes (org_id, opened_on, dispute_id)",
        """
        CREATE TABLE promises (
            org_id text NOT NULL,
            promise_id text NOT NULL CHECK (promise_id <> ''),
            customer_id text NOT NULL,
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            currency text NOT NULL CHECK (length(currency) = 3),
            promised_date date NOT NULL,
            made_on date NOT NULL,
            channel text CHECK (channel IN ('email', 'letter', 'call', 'meeting', 'sms')),
            promised_by text,
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        "CREATE INDEX promises_by_customer ON promises (org_id, customer_id)",
        """
        CREATE TABLE promise_invoices (
            org_id text NOT NULL,
            promise_id text NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            invoice_number text NOT NULL,
            PRIMARY KEY (org_id, promise_id, position),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        "CREATE INDEX promise_invoices_by_invoice ON promise_invoices (org_id, invoice_number)",
        """
        CREATE TABLE payment_plans (
            org_id text NOT NULL,
            plan_id text NOT NULL CHECK (plan_id <> ''),
            customer_id text NOT NULL,
            accepted_on date,
            proposed_by text NOT NULL DEFAULT 'collector' CHECK (proposed_by IN ('collector', 'client')),
            PRIMARY KEY (org_id, plan_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        "CREATE INDEX payment_plans_by_customer ON payment_plans (org_id, customer_id)",
        """
        CREATE TABLE plan_invoices (
            org_id text NOT NULL,
            plan_id text NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            invoice_number text NOT NULL,
            PRIMARY KEY (org_id, plan_id, position),
            FOREIGN KEY (org_id, plan_id) REFERENCES payment_plans (org_id, plan_id),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        "CREATE INDEX plan_invoices_by_invoice ON plan_invoices (org_id, invoice_number)",
        """
        CREATE TABLE plan_instalments (
            org_id text NOT NULL,
            plan_id text NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            due_date date NOT NULL,
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            currency text NOT NULL CHECK (length(currency) = 3),
            PRIMARY KEY (org_id, plan_id, position),
            FOREIGN KEY (org_id, plan_id) REFERENCES payment_plans (org_id, plan_id)
        )
        """,
        """
        CREATE TABLE actions (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            org_id text NOT NULL,
            customer_id text NOT NULL,
            date date NOT NULL,
            channel text NOT NULL CHECK (channel IN ('email', 'letter', 'call', 'meeting', 'sms')),
            stage text NOT NULL CHECK (stage IN ('pre_due', 'delayed', 'non_payment')),
            step_id text NOT NULL,
            template text NOT NULL,
            requires_approval boolean NOT NULL,
            escalates_to text CHECK (escalates_to IN ('manager', 'senior_contact', 'agency', 'lawyer')),
            status text NOT NULL CHECK (
                status IN ('planned', 'awaiting_approval', 'approved', 'sent', 'done', 'failed', 'skipped',
                    'cancelled')),
            note text,
            idempotency_key text NOT NULL CHECK (idempotency_key <> ''),
            window_time_zone text,
            window_start_hour integer CHECK (window_start_hour BETWEEN 0 AND 23),
            window_end_hour integer CHECK (window_end_hour BETWEEN 1 AND 24),
            decided_by text,
            decided_on date,
            decision_note text,
            offer_minor bigint CHECK (offer_minor > 0),
            offer_currency text CHECK (length(offer_currency) = 3),
            offer_deadline date,
            offer_share integer CHECK (offer_share > 0 AND offer_share < 10000),
            client_reached boolean,
            invoice_steps text NOT NULL DEFAULT '{}',
            playbook_version integer CHECK (playbook_version IS NULL OR playbook_version >= 1),
            UNIQUE (org_id, idempotency_key),
            UNIQUE (org_id, id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        "CREATE INDEX actions_by_customer ON actions (org_id, customer_id, status)",
        "CREATE INDEX actions_with_offers ON actions (org_id, customer_id) WHERE offer_minor IS NOT NULL",
        """
        CREATE INDEX actions_for_people ON actions (org_id, id)
            WHERE status IN ('awaiting_approval', 'failed', 'skipped')
                OR (status IN ('planned', 'approved') AND channel IN ('call', 'meeting'))
        """,
        """
        CREATE TABLE timeline_entries (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            sequence bigint NOT NULL CHECK (sequence >= 1),
            date date NOT NULL,
            recorded_at text NOT NULL,
            kind text NOT NULL,
            summary text NOT NULL,
            details text NOT NULL,
            previous_hash text NOT NULL CHECK (length(previous_hash) = 64),
            hash text NOT NULL CHECK (length(hash) = 64),
            PRIMARY KEY (org_id, customer_id, sequence),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        // Append-only: an entry is never changed, and deleted only when its whole organisation is being erased.
        """
        CREATE FUNCTION timeline_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE'
                AND EXISTS (SELECT 1 FROM organisation_erasures WHERE org_id = OLD.org_id) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'timeline entries are append-only: % refused', TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER timeline_entries_append_only BEFORE UPDATE OR DELETE ON timeline_entries
            FOR EACH ROW EXECUTE FUNCTION timeline_entries_refuse_change()
        """,
        """
        CREATE TABLE deliveries (
            org_id text NOT NULL,
            action_id bigint NOT NULL,
            state text NOT NULL CHECK (state IN ('sending', 'committed', 'sent', 'retrying', 'failed')),
            attempts integer NOT NULL CHECK (attempts >= 1),
            message_id text NOT NULL CHECK (message_id <> ''),
            content bytea NOT NULL,
            recipient text,
            next_attempt_at bigint,
            last_error text,
            PRIMARY KEY (org_id, action_id),
            FOREIGN KEY (org_id, action_id) REFERENCES actions (org_id, id)
        )
        """,
        "CREATE UNIQUE INDEX deliveries_by_message_id ON deliveries (org_id, message_id)",
        """
        CREATE TABLE refusals (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            date date NOT NULL,
            note text,
            PRIMARY KEY (org_id, customer_id, date),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        """
        CREATE TABLE thanks_due (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            invoice_number text NOT NULL,
            PRIMARY KEY (org_id, customer_id, invoice_number),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        "CREATE INDEX thanks_due_by_invoice ON thanks_due (org_id, invoice_number)",
        """
        CREATE TABLE template_overrides (
            org_id text NOT NULL REFERENCES organisations (org_id),
            template text NOT NULL CHECK (template <> ''),
            language text NOT NULL CHECK (length(language) BETWEEN 2 AND 3),
            subject text,
            text text,
            html text,
            PRIMARY KEY (org_id, template, language),
            CHECK (subject IS NOT NULL OR text IS NOT NULL OR html IS NOT NULL)
        )
        """,
        """
        CREATE TABLE webhook_subscribers (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            org_id text NOT NULL REFERENCES organisations (org_id),
            url text NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            -- '*' for every type, else the types' names separated by commas.
            events text NOT NULL CHECK (events <> ''),
            secret text NOT NULL CHECK (length(secret) >= 16),
            created_at text NOT NULL,
            removed_at text
        )
        """,
        "CREATE INDEX webhook_subscribers_active ON webhook_subscribers (org_id) WHERE removed_at IS NULL",
        """
        CREATE TABLE webhook_events (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            org_id text NOT NULL REFERENCES organisations (org_id),
            type text NOT NULL,
            customer_id text NOT NULL,
            occurred_on date NOT NULL,
            recorded_at text NOT NULL,
            data text NOT NULL CHECK (jsonb_typeof(data::jsonb) IS NOT NULL)
        )
        """,
        "CREATE INDEX webhook_events_by_org ON webhook_events (org_id, id)",
        """
        CREATE TABLE webhook_deliveries (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            org_id text NOT NULL,
            event_id bigint NOT NULL REFERENCES webhook_events (id),
            subscriber_id bigint NOT NULL REFERENCES webhook_subscribers (id),
            replay boolean NOT NULL DEFAULT false,
            state text NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            -- NULL: as soon as the deliverer runs.
            next_attempt_at bigint,
            created_at text NOT NULL
        )
        """,
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (org_id, id) WHERE state IN ('pending', 'retrying')",
        "CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (org_id, event_id)",
        "CREATE INDEX webhook_deliveries_by_subscriber ON webhook_deliveries (org_id, subscriber_id)",
        """
        CREATE TABLE webhook_attempts (
            org_id text NOT NULL,
            delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id),
            attempt integer NOT NULL CHECK (attempt >= 1),
            attempted_at bigint NOT NULL,
            status_code integer,
            error text,
            outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
            next_attempt_at bigint,
            PRIMARY KEY (delivery_id, attempt)
        )
        """,
        """
        CREATE TABLE webhook_invoice_stages (
            org_id text NOT NULL,
            invoice_number text NOT NULL,
            stage text NOT NULL,
            PRIMARY KEY (org_id, invoice_number),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        """
        CREATE TABLE webhook_promise_outcomes (
            org_id text NOT NULL,
            promise_id text NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('broken')),
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id)
        )
        """,
        """
        CREATE TABLE documents (
            org_id text NOT NULL,
            invoice_number text NOT NULL,
            file_name text NOT NULL CHECK (file_name <> '' AND strpos(file_name, '/') = 0),
            media_type text NOT NULL CHECK (media_type <> ''),
            bytes bytea NOT NULL,
            sha256 text NOT NULL CHECK (length(sha256) = 64),
            added_on date NOT NULL,
            UNIQUE (org_id, invoice_number, file_name),
            FOREIGN KEY (org_id, invoice_number) REFERENCES invoices (org_id, invoice_number)
        )
        """,
        """
        CREATE TABLE bank_credits (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            org_id text NOT NULL REFERENCES organisations (org_id),
            credit_key text NOT NULL CHECK (credit_key <> ''),
            statement_id text NOT NULL,
            account text NOT NULL,
            booking_date date NOT NULL,
            value_date date,
            currency text NOT NULL CHECK (length(currency) = 3),
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            debtor_name text,
            debtor_iban text,
            reference text,
            end_to_end_id text,
            remittance text NOT NULL DEFAULT '[]',
            status text NOT NULL CHECK (status IN ('matched', 'unmatched', 'resolved', 'ignored')),
            match_key text,
            customer_id text,
            reason text,
            candidates text NOT NULL DEFAULT '[]',
            resolved_on date,
            note text,
            UNIQUE (org_id, credit_key),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id),
            CHECK (status <> 'matched' OR customer_id IS NOT NULL)
        )
        """,
        "CREATE INDEX bank_credits_unmatched ON bank_credits (org_id, id) WHERE status = 'unmatched'",
        """
        CREATE TABLE payer_accounts (
            org_id text NOT NULL,
            iban text NOT NULL CHECK (iban <> ''),
            customer_id text NOT NULL,
            PRIMARY KEY (org_id, iban),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        """
        CREATE TABLE delivery_holds (
            org_id text NOT NULL,
            action_id bigint NOT NULL,
            held_on date NOT NULL,
            reason text NOT NULL CHECK (reason <> ''),
            PRIMARY KEY (org_id, action_id),
            FOREIGN KEY (org_id, action_id) REFERENCES actions (org_id, id)
        )
        """,
        """
        CREATE TABLE promise_withdrawals (
            org_id text NOT NULL,
            promise_id text NOT NULL,
            withdrawn_on date NOT NULL,
            withdrawn_by text NOT NULL CHECK (withdrawn_by <> ''),
            reason text NOT NULL CHECK (reason <> ''),
            PRIMARY KEY (org_id, promise_id),
            FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, promise_id)
        )
        """,
        """
        CREATE TABLE customer_reviews (
            org_id text NOT NULL,
            customer_id text NOT NULL,
            next_review date,
            changes bigint NOT NULL DEFAULT 0,
            held text CHECK (held IS NULL OR jsonb_typeof(held::jsonb) IS NOT NULL),
            PRIMARY KEY (org_id, customer_id),
            FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, customer_id)
        )
        """,
        "CREATE INDEX customer_reviews_due ON customer_reviews (org_id, next_review) WHERE next_review IS NOT NULL",
        "CREATE INDEX customer_reviews_held ON customer_reviews (org_id, customer_id) WHERE held IS NOT NULL",
        """
        CREATE TABLE review_settings (
            org_id text NOT NULL PRIMARY KEY REFERENCES organisations (org_id),
            fingerprint text NOT NULL CHECK (length(fingerprint) = 64),
            last_run date NOT NULL
        )
        """,
        """
        CREATE TABLE users (
            email text NOT NULL PRIMARY KEY CHECK (email <> '' AND email = lower(email)),
            password_hash text NOT NULL CHECK (password_hash <> '')
        )
        """,
        """
        CREATE TABLE memberships (
            org_id text NOT NULL REFERENCES organisations (org_id),
            email text NOT NULL REFERENCES users (email),
            role text NOT NULL CHECK (role IN ('owner', 'manager', 'collector', 'viewer')),
            PRIMARY KEY (org_id, email)
        )
        """,
        "CREATE INDEX memberships_by_user ON memberships (email)",
        """
        CREATE TABLE api_tokens (
            secret_hash text NOT NULL PRIMARY KEY CHECK (length(secret_hash) = 64),
            org_id text NOT NULL,
            email text NOT NULL,
            name text NOT NULL CHECK (name <> ''),
            created_at text NOT NULL,
            UNIQUE (org_id, name),
            FOREIGN KEY (org_id, email) REFERENCES memberships (org_id, email) ON DELETE CASCADE
        )
        """,
        """
        CREATE TABLE idempotency_records (
            org_id text NOT NULL REFERENCES organisations (org_id),
            idempotency_key text NOT NULL CHECK (idempotency_key <> ''),
            request_hash text NOT NULL,
            response_status integer,
            response_content_type text,
            response_body bytea,
            PRIMARY KEY (org_id, idempotency_key)
        )
        """,
        """
        CREATE TABLE server_secrets (
            name text NOT NULL PRIMARY KEY,
            secret bytea NOT NULL CHECK (length(secret) >= 32)
        )
        """,
        """
        CREATE TABLE collectors (
            org_id text NOT NULL REFERENCES organisations (org_id),
            name text NOT NULL CHECK (name <> ''),
            email text,
            phone text,
            PRIMARY KEY (org_id, name)
        )
        """,
        """
        CREATE TABLE playbook_versions (
            org_id text NOT NULL REFERENCES organisations (org_id),
            version integer NOT NULL CHECK (version >= 1),
            name text NOT NULL CHECK (name <> ''),
            source text NOT NULL,
            adopted_on date NOT NULL,
            adopted_by text,
            recorded_at text NOT NULL,
            PRIMARY KEY (org_id, version)
        )
        """,
        """
        CREATE TABLE server_runs (
            org_id text NOT NULL REFERENCES organisations (org_id) ON DELETE CASCADE,
            run_date date NOT NULL,
            source text NOT NULL CHECK (source IN ('schedule', 'api')),
            planned bigint NOT NULL CHECK (planned >= 0),
            finished_at text NOT NULL,
            PRIMARY KEY (org_id, run_date, source)
        )
        """,
        """
        CREATE TABLE payment_provider_secrets (
            org_id text NOT NULL REFERENCES organisations (org_id) ON DELETE CASCADE,
            provider text NOT NULL CHECK (provider IN ('stripe')),
            secret text NOT NULL CHECK (length(secret) >= 8),
            set_at text NOT NULL,
            PRIMARY KEY (org_id, provider)
        )
        """,
    ]
}
