import DulyCore
import DulyStore
import Logging
import PostgresNIO

// The collector's and the manager's decisions and the listings they work from. A decision reads a record's state and
// then writes it: it takes the customer's lock (for the timeline) and then the record's row lock, in that order, as
// every timeline writer does (docs/ARCHITECTURE.md, "Isolation").
extension PostgresStore: CollectorStore {
    public func decideApproval(
        actionID: Int64, approve: Bool, by manager: String, note: String?, externalEscalationCap: Int?,
        organisationID: String, context: RecordingContext
    ) async throws {
        guard !manager.isEmpty else { throw StoreError.invalid("an approval needs the name of who decides") }
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            // The action's row lock: of two decisions at once, the second reads the first's status.
            let (customerID, current) = try await Self.lockAction(actionID, organisationID, connection, logger: logger)
            guard current == .awaitingApproval else {
                throw StoreError.invalid("action \(actionID) is \(current.rawValue), not awaiting approval")
            }
            let target = try await connection.row(
                "SELECT escalates_to FROM actions WHERE org_id = \(organisationID) AND number = \(actionID)",
                logger: logger
            )?.optional("escalates_to", as: String.self).flatMap(EscalationTarget.init(rawValue:))
            if approve, let cap = externalEscalationCap, target?.isExternal == true {
                // The month's count and this approval under one lock per organisation: two approvals at once never
                // pass the cap together.
                try await connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(organisationID), \(Self.approvalCountLockSeed)))",
                    logger: logger)
                let month = context.date.calendarMonth
                let approved = try await Self.externalEscalationsApproved(
                    organisationID, month.first, month.last, connection, logger: logger)
                if let refusal = ApprovalRefusal.externalCap(approvedThisMonth: approved, cap: cap) { throw refusal }
            }
            try await connection.execute(
                """
                UPDATE actions SET status = \((approve ? ActionStatus.approved : .cancelled).rawValue),
                    decided_by = \(manager), decided_on = \(context.date), decision_note = \(note)
                WHERE org_id = \(organisationID) AND number = \(actionID)
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .approvalDecided(
                    id: actionID, customerID: customerID, approved: approve, by: manager, note: note,
                    on: context.date),
                connection)
            try await timeline.flush(connection)
        }
    }

    // The seed of the advisory lock that serialises the approvals counted against the monthly cap on hand-overs;
    // the timeline's organisation and customer locks use seed 0, so the keys never meet.
    private static let approvalCountLockSeed = 1

    public func externalEscalationsApproved(
        organisationID: String, from: LocalDate, to: LocalDate
    ) async throws -> Int {
        let logger = self.logger
        return try await read { connection in
            try await Self.externalEscalationsApproved(organisationID, from, to, connection, logger: logger)
        }
    }

    // Hand-overs to an agency or a lawyer approved from `from` to `to`, both included.
    private static func externalEscalationsApproved(
        _ organisationID: String, _ from: LocalDate, _ to: LocalDate, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        try await connection.row(
            """
            SELECT count(*) AS approved FROM actions
            WHERE org_id = \(organisationID) AND escalates_to IN ('agency', 'lawyer')
                AND decided_on BETWEEN \(from) AND \(to) AND status IN ('approved', 'sent', 'done', 'failed')
            """, logger: logger
        )?.value("approved", as: Int.self) ?? 0
    }

    public func invoice(organisationID: String, number: String) async throws -> InvoiceBalance? {
        let logger = self.logger
        return try await read { connection in
            try await Self.invoiceBalances([number], organisationID, connection, logger: logger).first
        }
    }

    /// One dispute, read by its key.
    public func dispute(organisationID: String, id: String) async throws -> Dispute? {
        let logger = self.logger
        return try await read { connection in
            guard
                let row = try await connection.row(
                    """
                    SELECT \(unescaped: Self.disputeColumns) FROM disputes
                    WHERE org_id = \(organisationID) AND dispute_id = \(id)
                    """, logger: logger)
            else { return nil }
            var currencies = CurrencyCache()
            return try Self.dispute(from: row, &currencies)
        }
    }

    /// One payment plan, read by its key with its invoices and instalments.
    public func paymentPlan(organisationID: String, id: String) async throws -> PaymentPlan? {
        let logger = self.logger
        return try await read { connection in
            guard
                let row = try await connection.row(
                    """
                    SELECT accepted_on, proposed_by FROM payment_plans WHERE org_id = \(organisationID) AND plan_id = \(id)
                    """, logger: logger)
            else { return nil }
            var plan = try await Self.loadPlan(
                id, acceptedOn: try row.optional("accepted_on"), organisationID, connection, logger)
            plan.proposedBy = PaymentPlan.Proposer(rawValue: try row.value("proposed_by")) ?? .collector
            return plan
        }
    }

    public func accountsWithCommitments(organisationID: String, customerID: String?) async throws -> [Account] {
        let logger = self.logger
        let ids = try await read { connection in
            try await connection.rows(
                """
                SELECT customer_id FROM disputes
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                UNION SELECT customer_id FROM promises
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                UNION SELECT customer_id FROM payment_plans
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID))
                ORDER BY 1
                """, logger: logger
            ).map { try $0.value("customer_id", as: String.self) }
        }
        // The accounts as the planner reads them, in one read for all of them (in id order, as listed).
        return try await accountsForReview(organisationID: organisationID, customerIDs: ids).map(\.account)
    }

    @discardableResult
    public func withdrawPromise(
        _ withdrawal: PromiseWithdrawal, organisationID: String, context: RecordingContext
    ) async throws -> PromiseToPay {
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            if let problem = withdrawal.problem { throw StoreError.invalid(problem) }
            guard
                let found = try await Self.promises(
                    [withdrawal.promiseID], organisationID, connection, logger: logger
                ).first
            else {
                throw StoreError.invalid("no promise '\(withdrawal.promiseID)': see `duly promise list` for the ids")
            }
            // The customer's lock before the check: of two withdrawals at once, the second sees the first's row.
            try await connection.lockCustomer(
                organisationID: organisationID, customerID: found.customerID, logger: logger)
            if let earlier = try await connection.row(
                """
                SELECT withdrawn_on FROM promise_withdrawals
                WHERE org_id = \(organisationID) AND promise_id = \(withdrawal.promiseID)
                """, logger: logger)
            {
                let on = try earlier.value("withdrawn_on", as: LocalDate.self)
                throw StoreError.invalid("promise '\(withdrawal.promiseID)' was withdrawn on \(on) already")
            }
            try await connection.execute(
                """
                INSERT INTO promise_withdrawals (org_id, promise_id, withdrawn_on, withdrawn_by, reason)
                VALUES (\(organisationID), \(withdrawal.promiseID), \(withdrawal.withdrawnOn),
                    \(withdrawal.withdrawnBy), \(withdrawal.reason))
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            try await timeline.append(
                .promiseWithdrawn(withdrawal, promise: found.promise, customerID: found.customerID), connection)
            try await timeline.flush(connection)
            return found.promise
        }
    }

    public func withdrawnPromises(organisationID: String, customerID: String?) async throws -> [WithdrawnPromise] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT w.promise_id, w.withdrawn_on, w.withdrawn_by, w.reason
                FROM promise_withdrawals w
                JOIN promises p ON p.org_id = w.org_id AND p.promise_id = w.promise_id
                WHERE w.org_id = \(organisationID) AND (\(customerID)::text IS NULL OR p.customer_id = \(customerID))
                ORDER BY p.customer_id COLLATE "C", w.promise_id COLLATE "C"
                """, logger: logger)
            let ids = try rows.map { try $0.value("promise_id", as: String.self) }
            let promises = Dictionary(
                try await Self.promises(ids, organisationID, connection, logger: logger).map { ($0.promise.id, $0) },
                uniquingKeysWith: { first, _ in first })
            return try zip(rows, ids).compactMap { row, id -> WithdrawnPromise? in
                guard let found = promises[id] else { return nil }
                return WithdrawnPromise(
                    customerID: found.customerID, promise: found.promise,
                    withdrawal: PromiseWithdrawal(
                        promiseID: id, withdrawnOn: try row.value("withdrawn_on"),
                        withdrawnBy: try row.value("withdrawn_by"), reason: try row.value("reason")))
            }
        }
    }

    // Some promises as recorded, with their customers: two queries, whatever their number.
    private static func promises(
        _ ids: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [(customerID: String, promise: PromiseToPay)] {
        guard !ids.isEmpty else { return [] }
        var invoices: [String: [String]] = [:]
        for row in try await connection.rows(
            """
            SELECT promise_id, invoice_number FROM promise_invoices
            WHERE org_id = \(organisationID) AND promise_id = ANY(\(ids)::text[])
            ORDER BY promise_id, position
            """, logger: logger)
        {
            invoices[try row.value("promise_id", as: String.self), default: []].append(try row.value("invoice_number"))
        }
        var currencies = CurrencyCache()
        return try await connection.rows(
            """
            SELECT promise_id, customer_id, amount_minor, currency, promised_date, made_on, channel, promised_by
            FROM promises WHERE org_id = \(organisationID) AND promise_id = ANY(\(ids)::text[])
            """, logger: logger
        ).map { row in
            let id = try row.value("promise_id", as: String.self)
            return (
                try row.value("customer_id"),
                PromiseToPay(
                    id: id, invoiceNumbers: invoices[id] ?? [],
                    amount: Money(
                        minorUnits: try row.value("amount_minor"),
                        currency: try currencies.currency(row.value("currency"))),
                    promisedDate: try row.value("promised_date"), madeOn: try row.value("made_on"),
                    channel: try row.optional("channel", as: String.self).flatMap(DulyCore.Channel.init(rawValue:)),
                    promisedBy: try row.optional("promised_by"))
            )
        }
    }
}
