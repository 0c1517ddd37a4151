import DulyCore
import DulyStore
import Logging
import PostgresNIO

// Disputes, promises, plans and refusals: each a check of what is stored, then a write and a timeline entry, under
// the customer's lock (docs/ARCHITECTURE.md, "Isolation").
extension PostgresStore {
    /// Records a dispute; recording it again with a resolution date resolves it.
    public func recordDispute(_ dispute: Dispute, organisationID: String, context: RecordingContext) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            guard let balance = try await Self.invoiceBalance(dispute.invoiceNumber, organisationID, connection, logger)
            else { throw StoreError.invoiceNotFound(dispute.invoiceNumber) }
            if let amount = dispute.amount {
                guard amount.minorUnits > 0, amount.currency == balance.invoice.currency else {
                    throw StoreError.invalid(
                        "dispute '\(dispute.id)': the disputed amount must be more than zero, in "
                            + "\(balance.invoice.currency)")
                }
            }
            let customerID = balance.invoice.customerID
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            if let row = try await connection.row(
                """
                SELECT invoice_number, opened_on, reason, amount_minor, resolved_on
                FROM disputes WHERE org_id = \(organisationID) AND dispute_id = \(dispute.id)
                FOR UPDATE
                """, logger: logger)
            {
                let storedResolvedOn: LocalDate? = try row.optional("resolved_on")
                let fields: [(name: String, same: Bool)] = [
                    ("invoice_number", try row.value("invoice_number", as: String.self) == dispute.invoiceNumber),
                    ("opened_on", try row.value("opened_on", as: LocalDate.self) == dispute.openedOn),
                    ("reason", try row.value("reason", as: String.self) == dispute.reason),
                    ("amount", try row.optional("amount_minor", as: Int.self) == dispute.amount?.minorUnits),
                    // Only a resolution may be added to a recorded dispute; a recorded one never changes.
                    ("resolved_on", storedResolvedOn == nil || storedResolvedOn == dispute.resolvedOn),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "dispute", key: dispute.id, field: difference.name)
                }
                guard storedResolvedOn == nil, let resolvedOn = dispute.resolvedOn else { return }
                try await connection.execute(
                    """
                    UPDATE disputes SET resolved_on = \(resolvedOn), outcome = \(dispute.outcome?.rawValue)
                    WHERE org_id = \(organisationID) AND dispute_id = \(dispute.id)
                    """, logger: logger)
                try await timeline.append(.disputeResolved(dispute, customerID: customerID, note: nil), connection)
                try await timeline.flush(connection)
                return
            }
            try await connection.execute(
                """
                INSERT INTO disputes (org_id, dispute_id, customer_id, invoice_number, opened_on, reason,
                    amount_minor, currency, resolved_on, reason_code, owner, outcome)
                VALUES (\(organisationID), \(dispute.id), \(customerID), \(dispute.invoiceNumber), \(dispute.openedOn),
                    \(dispute.reason), \(dispute.amount?.minorUnits), \(dispute.amount?.currency.code),
                    \(dispute.resolvedOn), \(dispute.reasonCode.rawValue), \(dispute.owner), \(dispute.outcome?.rawValue))
                """, logger: logger)
            try await timeline.append(.disputeOpened(dispute, customerID: customerID), connection)
            try await timeline.flush(connection)
        }
    }

    /// Records a promise to pay; recording the same promise again changes nothing.
    public func recordPromise(_ promise: PromiseToPay, organisationID: String, context: RecordingContext) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            guard promise.amount.minorUnits > 0 else {
                throw StoreError.invalid("promise '\(promise.id)': the amount must be more than zero")
            }
            let customerID = try await Self.customerOwning(
                promise.invoiceNumbers, "promise", promise.id, organisationID, connection, logger)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            if let row = try await connection.row(
                """
                SELECT amount_minor, currency, promised_date, made_on FROM promises
                WHERE org_id = \(organisationID) AND promise_id = \(promise.id)
                """, logger: logger)
            {
                let invoices = try await connection.rows(
                    """
                    SELECT invoice_number FROM promise_invoices
                    WHERE org_id = \(organisationID) AND promise_id = \(promise.id)
                    ORDER BY position
                    """, logger: logger
                ).map { try $0.value("invoice_number", as: String.self) }
                let fields: [(name: String, same: Bool)] = [
                    ("invoices", invoices == promise.invoiceNumbers),
                    ("amount", try row.value("amount_minor", as: Int.self) == promise.amount.minorUnits),
                    ("currency", try row.value("currency", as: String.self) == promise.amount.currency.code),
                    ("promised_date", try row.value("promised_date", as: LocalDate.self) == promise.promisedDate),
                    ("made_on", try row.value("made_on", as: LocalDate.self) == promise.madeOn),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "promise", key: promise.id, field: difference.name)
                }
                return
            }
            try await connection.execute(
                """
                INSERT INTO promises (org_id, promise_id, customer_id, amount_minor, currency, promised_date,
                    made_on, channel, promised_by)
                VALUES (\(organisationID), \(promise.id), \(customerID), \(promise.amount.minorUnits),
                    \(promise.amount.currency.code), \(promise.promisedDate), \(promise.madeOn),
                    \(promise.channel?.rawValue), \(promise.promisedBy))
                """, logger: logger)
            try await connection.execute(
                """
                INSERT INTO promise_invoices (org_id, promise_id, position, invoice_number)
                SELECT \(organisationID), \(promise.id), n.position - 1, n.number
                FROM unnest(\(promise.invoiceNumbers)::text[]) WITH ORDINALITY AS n (number, position)
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(.promiseRecorded(promise, customerID: customerID), connection)
            try await timeline.flush(connection)
        }
    }

    /// Records a payment plan; recording a proposed plan again with an acceptance date accepts it. The plan's row is
    /// locked before it is compared, so of two acceptances at once one accepts and the other finds it accepted.
    public func recordPlan(_ plan: PaymentPlan, organisationID: String, context: RecordingContext) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            guard !plan.instalments.isEmpty, plan.instalments.allSatisfy({ $0.amount.minorUnits > 0 }) else {
                throw StoreError.invalid("plan '\(plan.id)': it needs instalments, each of more than zero")
            }
            let customerID = try await Self.customerOwning(
                plan.invoiceNumbers, "plan", plan.id, organisationID, connection, logger)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            if let row = try await connection.row(
                """
                SELECT accepted_on FROM payment_plans WHERE org_id = \(organisationID) AND plan_id = \(plan.id)
                FOR UPDATE
                """, logger: logger)
            {
                let storedAcceptedOn: LocalDate? = try row.optional("accepted_on")
                let stored = try await Self.loadPlan(
                    plan.id, acceptedOn: storedAcceptedOn, organisationID, connection, logger)
                let fields: [(name: String, same: Bool)] = [
                    ("invoices", stored.invoiceNumbers == plan.invoiceNumbers),
                    ("instalments", stored.instalments == plan.instalments),
                    // Only an acceptance may be added to a recorded plan.
                    ("accepted_on", storedAcceptedOn == nil || storedAcceptedOn == plan.acceptedOn),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "plan", key: plan.id, field: difference.name)
                }
                guard storedAcceptedOn == nil, let acceptedOn = plan.acceptedOn else { return }
                try await connection.execute(
                    """
                    UPDATE payment_plans SET accepted_on = \(acceptedOn)
                    WHERE org_id = \(organisationID) AND plan_id = \(plan.id)
                    """, logger: logger)
                try await timeline.append(.planRecorded(plan, customerID: customerID, on: context.date), connection)
                try await timeline.flush(connection)
                return
            }
            try await connection.execute(
                """
                INSERT INTO payment_plans (org_id, plan_id, customer_id, accepted_on, proposed_by)
                VALUES (\(organisationID), \(plan.id), \(customerID), \(plan.acceptedOn), \(plan.proposedBy.rawValue))
                """, logger: logger)
            try await connection.execute(
                """
                INSERT INTO plan_invoices (org_id, plan_id, position, invoice_number)
                SELECT \(organisationID), \(plan.id), n.position - 1, n.number
                FROM unnest(\(plan.invoiceNumbers)::text[]) WITH ORDINALITY AS n (number, position)
                """, logger: logger)
            try await connection.execute(
                """
                INSERT INTO plan_instalments (org_id, plan_id, position, due_date, amount_minor, currency)
                SELECT \(organisationID), \(plan.id), i.position - 1, i.due_date, i.amount_minor, i.currency
                FROM unnest(\(plan.instalments.map(\.dueDate))::date[],
                    \(plan.instalments.map(\.amount.minorUnits))::bigint[],
                    \(plan.instalments.map(\.amount.currency.code))::text[])
                    WITH ORDINALITY AS i (due_date, amount_minor, currency, position)
                """, logger: logger)
            try await timeline.append(.planRecorded(plan, customerID: customerID, on: context.date), connection)
            try await timeline.flush(connection)
        }
    }

    /// Records that the client refused to pay on `context.date`; a second refusal the same day changes nothing.
    public func recordRefusal(
        customerID: String, note: String?, organisationID: String, context: RecordingContext
    ) async throws {
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await Self.requireCustomer(customerID, organisationID, connection, logger)
            try await connection.lockCustomer(organisationID: organisationID, customerID: customerID, logger: logger)
            let inserted = try await connection.row(
                """
                INSERT INTO refusals (org_id, customer_id, date, note)
                VALUES (\(organisationID), \(customerID), \(context.date), \(note))
                ON CONFLICT (org_id, customer_id, date) DO NOTHING
                RETURNING 1 AS inserted
                """, logger: logger)
            guard inserted != nil else { return }
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(.paymentRefused(customerID: customerID, on: context.date, note: note), connection)
            try await timeline.flush(connection)
        }
    }

    // MARK: - Rows

    /// One invoice with its balance, or nil.
    static func invoiceBalance(
        _ number: String, _ organisationID: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> InvoiceBalance? {
        guard
            let row = try await connection.row(
                """
                SELECT \(unescaped: invoiceColumns) FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = \(number)
                """, logger: logger)
        else { return nil }
        var currencies = CurrencyCache()
        return try balance(from: row, &currencies)
    }

    /// Refuses a customer the organisation does not have.
    static func requireCustomer(
        _ customerID: String, _ organisationID: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard
            try await connection.row(
                "SELECT 1 AS known FROM customers WHERE org_id = \(organisationID) AND customer_id = \(customerID)",
                logger: logger) != nil
        else { throw StoreError.customerNotFound(customerID) }
    }

    // A promise or plan covers invoices of one customer: that customer, or an error naming what is wrong (the first
    // unknown number, in the order given).
    private static func customerOwning(
        _ invoiceNumbers: [String], _ kind: String, _ id: String, _ organisationID: String,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> String {
        guard !invoiceNumbers.isEmpty else { throw StoreError.invalid("\(kind) '\(id)' covers no invoice") }
        guard Set(invoiceNumbers).count == invoiceNumbers.count else {
            throw StoreError.invalid("\(kind) '\(id)' lists an invoice twice")
        }
        var owners: [String: String] = [:]
        for row in try await connection.rows(
            """
            SELECT invoice_number, customer_id FROM invoices
            WHERE org_id = \(organisationID) AND invoice_number = ANY(\(invoiceNumbers)::text[])
            """, logger: logger)
        {
            owners[try row.value("invoice_number")] = try row.value("customer_id", as: String.self)
        }
        var owner: String?
        for number in invoiceNumbers {
            guard let customerID = owners[number] else { throw StoreError.invoiceNotFound(number) }
            if let owner, owner != customerID {
                throw StoreError.invalid("\(kind) '\(id)' covers invoices of two customers")
            }
            owner = customerID
        }
        return owner!
    }

    /// A plan as stored, its invoices and instalments in their order.
    static func loadPlan(
        _ planID: String, acceptedOn: LocalDate?, _ organisationID: String, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> PaymentPlan {
        let invoices = try await connection.rows(
            """
            SELECT invoice_number FROM plan_invoices WHERE org_id = \(organisationID) AND plan_id = \(planID)
            ORDER BY position
            """, logger: logger
        ).map { try $0.value("invoice_number", as: String.self) }
        let instalments = try await connection.rows(
            """
            SELECT due_date, amount_minor, currency FROM plan_instalments
            WHERE org_id = \(organisationID) AND plan_id = \(planID) ORDER BY position
            """, logger: logger
        ).map { PaymentPlan.Instalment(dueDate: try $0.value("due_date"), amount: try $0.money("amount_minor")) }
        return PaymentPlan(id: planID, invoiceNumbers: invoices, instalments: instalments, acceptedOn: acceptedOn)
    }
}
