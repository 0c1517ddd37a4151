import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// Records a dispute; recording it again with a resolution date resolves it.
    public func recordDispute(_ dispute: Dispute, organisationID: String, context: RecordingContext) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            guard let balance = try SQLiteStore.invoiceBalance(dispute.invoiceNumber, organisationID, db) else {
                throw StoreError.invoiceNotFound(dispute.invoiceNumber)
            }
            if let amount = dispute.amount {
                guard amount.minorUnits > 0, amount.currency == balance.invoice.currency else {
                    throw StoreError.invalid(
                        "dispute '\(dispute.id)': the disputed amount must be more than zero, in "
                            + "\(balance.invoice.currency)")
                }
            }
            let customerID = balance.invoice.customerID
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT invoice_number, opened_on, reason, amount_minor, currency, resolved_on
                    FROM disputes WHERE org_id = ? AND dispute_id = ?
                    """,
                arguments: [organisationID, dispute.id])
            {
                let storedResolvedOn: String? = row["resolved_on"]
                let fields: [(name: String, same: Bool)] = [
                    ("invoice_number", (row["invoice_number"] as String) == dispute.invoiceNumber),
                    ("opened_on", (row["opened_on"] as String) == dispute.openedOn.description),
                    ("reason", (row["reason"] as String) == dispute.reason),
                    ("amount", (row["amount_minor"] as Int?) == dispute.amount?.minorUnits),
                    // Only a resolution may be added to a recorded dispute; a recorded one never changes.
                    ("resolved_on", storedResolvedOn == nil || storedResolvedOn == dispute.resolvedOn?.description),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "dispute", key: dispute.id, field: difference.name)
                }
                guard storedResolvedOn == nil, let resolvedOn = dispute.resolvedOn else { return }
                try db.execute(
                    sql: "UPDATE disputes SET resolved_on = ? WHERE org_id = ? AND dispute_id = ?",
                    arguments: [resolvedOn.description, organisationID, dispute.id])
                try db.execute(
                    sql: "UPDATE disputes SET outcome = ? WHERE org_id = ? AND dispute_id = ?",
                    arguments: [dispute.outcome?.rawValue, organisationID, dispute.id])
                try timeline.append(.disputeResolved(dispute, customerID: customerID, note: nil), db)
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO disputes (org_id, dispute_id, customer_id, invoice_number, opened_on, reason,
                        amount_minor, currency, resolved_on, reason_code, owner, outcome)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, dispute.id, customerID, dispute.invoiceNumber, dispute.openedOn.description,
                    dispute.reason, dispute.amount?.minorUnits, dispute.amount?.currency.code,
                    dispute.resolvedOn?.description, dispute.reasonCode.rawValue, dispute.owner,
                    dispute.outcome?.rawValue,
                ])
            try timeline.append(.disputeOpened(dispute, customerID: customerID), db)
        }
    }

    /// Records a promise to pay; recording the same promise again changes nothing.
    public func recordPromise(_ promise: PromiseToPay, organisationID: String, context: RecordingContext) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            guard promise.amount.minorUnits > 0 else {
                throw StoreError.invalid("promise '\(promise.id)': the amount must be more than zero")
            }
            let customerID = try SQLiteStore.customerOwning(
                promise.invoiceNumbers, "promise", promise.id, organisationID, db)
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT amount_minor, currency, promised_date, made_on FROM promises
                    WHERE org_id = ? AND promise_id = ?
                    """,
                arguments: [organisationID, promise.id])
            {
                let invoices = try String.fetchAll(
                    db,
                    sql: """
                        SELECT invoice_number FROM promise_invoices WHERE org_id = ? AND promise_id = ?
                        ORDER BY position
                        """,
                    arguments: [organisationID, promise.id])
                let fields: [(name: String, same: Bool)] = [
                    ("invoices", invoices == promise.invoiceNumbers),
                    ("amount", (row["amount_minor"] as Int) == promise.amount.minorUnits),
                    ("currency", (row["currency"] as String) == promise.amount.currency.code),
                    ("promised_date", (row["promised_date"] as String) == promise.promisedDate.description),
                    ("made_on", (row["made_on"] as String) == promise.madeOn.description),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "promise", key: promise.id, field: difference.name)
                }
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO promises (org_id, promise_id, customer_id, amount_minor, currency, promised_date,
                        made_on, channel, promised_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, promise.id, customerID, promise.amount.minorUnits, promise.amount.currency.code,
                    promise.promisedDate.description, promise.madeOn.description, promise.channel?.rawValue,
                    promise.promisedBy,
                ])
            for (position, number) in promise.invoiceNumbers.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO promise_invoices (org_id, promise_id, position, invoice_number)
                        VALUES (?, ?, ?, ?)
                        """,
                    arguments: [organisationID, promise.id, position, number])
            }
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(.promiseRecorded(promise, customerID: customerID), db)
        }
    }

    /// Records a payment plan; recording a proposed plan again with an acceptance date accepts it.
    public func recordPlan(_ plan: PaymentPlan, organisationID: String, context: RecordingContext) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            guard !plan.instalments.isEmpty, plan.instalments.allSatisfy({ $0.amount.minorUnits > 0 }) else {
                throw StoreError.invalid("plan '\(plan.id)': it needs instalments, each of more than zero")
            }
            let customerID = try SQLiteStore.customerOwning(plan.invoiceNumbers, "plan", plan.id, organisationID, db)
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            if let row = try Row.fetchOne(
                db, sql: "SELECT accepted_on FROM payment_plans WHERE org_id = ? AND plan_id = ?",
                arguments: [organisationID, plan.id])
            {
                let storedAcceptedOn: String? = row["accepted_on"]
                let stored = try SQLiteStore.loadPlan(plan.id, acceptedOn: storedAcceptedOn, organisationID, db)
                let fields: [(name: String, same: Bool)] = [
                    ("invoices", stored.invoiceNumbers == plan.invoiceNumbers),
                    ("instalments", stored.instalments == plan.instalments),
                    // Only an acceptance may be added to a recorded plan.
                    ("accepted_on", storedAcceptedOn == nil || storedAcceptedOn == plan.acceptedOn?.description),
                ]
                if let difference = fields.first(where: { !$0.same }) {
                    throw StoreError.conflict(kind: "plan", key: plan.id, field: difference.name)
                }
                guard storedAcceptedOn == nil, let acceptedOn = plan.acceptedOn else { return }
                try db.execute(
                    sql: "UPDATE payment_plans SET accepted_on = ? WHERE org_id = ? AND plan_id = ?",
                    arguments: [acceptedOn.description, organisationID, plan.id])
                try timeline.append(.planRecorded(plan, customerID: customerID, on: context.date), db)
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO payment_plans (org_id, plan_id, customer_id, accepted_on, proposed_by)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, plan.id, customerID, plan.acceptedOn?.description, plan.proposedBy.rawValue,
                ])
            for (position, number) in plan.invoiceNumbers.enumerated() {
                try db.execute(
                    sql: "INSERT INTO plan_invoices (org_id, plan_id, position, invoice_number) VALUES (?, ?, ?, ?)",
                    arguments: [organisationID, plan.id, position, number])
            }
            for (position, instalment) in plan.instalments.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO plan_instalments (org_id, plan_id, position, due_date, amount_minor, currency)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        organisationID, plan.id, position, instalment.dueDate.description,
                        instalment.amount.minorUnits, instalment.amount.currency.code,
                    ])
            }
            try timeline.append(.planRecorded(plan, customerID: customerID, on: context.date), db)
        }
    }

    // MARK: - Rows

    // A promise or plan covers invoices of one customer: that customer, or an error naming what is wrong.
    private static func customerOwning(
        _ invoiceNumbers: [String], _ kind: String, _ id: String, _ organisationID: String, _ db: Database
    ) throws -> String {
        guard !invoiceNumbers.isEmpty else { throw StoreError.invalid("\(kind) '\(id)' covers no invoice") }
        guard Set(invoiceNumbers).count == invoiceNumbers.count else {
            throw StoreError.invalid("\(kind) '\(id)' lists an invoice twice")
        }
        let statement = try db.cachedStatement(
            sql: "SELECT customer_id FROM invoices WHERE org_id = ? AND invoice_number = ?")
        var owner: String?
        for number in invoiceNumbers {
            guard let customerID = try String.fetchOne(statement, arguments: [organisationID, number]) else {
                throw StoreError.invoiceNotFound(number)
            }
            if let owner, owner != customerID {
                throw StoreError.invalid("\(kind) '\(id)' covers invoices of two customers")
            }
            owner = customerID
        }
        return owner!
    }

    static func loadPlan(
        _ planID: String, acceptedOn: String?, _ organisationID: String, _ db: Database
    )
        throws -> PaymentPlan
    {
        let invoices = try String.fetchAll(
            db, sql: "SELECT invoice_number FROM plan_invoices WHERE org_id = ? AND plan_id = ? ORDER BY position",
            arguments: [organisationID, planID])
        let instalments = try Row.fetchAll(
            db,
            sql: """
                SELECT due_date, amount_minor, currency FROM plan_instalments
                WHERE org_id = ? AND plan_id = ? ORDER BY position
                """,
            arguments: [organisationID, planID]
        ).map {
            PaymentPlan.Instalment(
                dueDate: try Decode.date($0["due_date"]), amount: try Decode.money($0["amount_minor"], $0["currency"]))
        }
        return PaymentPlan(
            id: planID, invoiceNumbers: invoices, instalments: instalments,
            acceptedOn: try Decode.optionalDate(acceptedOn))
    }
}
