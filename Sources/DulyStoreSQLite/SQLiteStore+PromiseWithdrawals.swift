import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    @discardableResult
    public func withdrawPromise(
        _ withdrawal: PromiseWithdrawal, organisationID: String, context: RecordingContext
    ) async throws -> PromiseToPay {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            if let problem = withdrawal.problem { throw StoreError.invalid(problem) }
            guard let found = try SQLiteStore.promise(withdrawal.promiseID, organisationID, db) else {
                throw StoreError.invalid("no promise '\(withdrawal.promiseID)': see `duly promise list` for the ids")
            }
            if let on = try String.fetchOne(
                db,
                sql: "SELECT withdrawn_on FROM promise_withdrawals WHERE org_id = ? AND promise_id = ?",
                arguments: [organisationID, withdrawal.promiseID])
            {
                throw StoreError.invalid("promise '\(withdrawal.promiseID)' was withdrawn on \(on) already")
            }
            try db.execute(
                sql: """
                    INSERT INTO promise_withdrawals (org_id, promise_id, withdrawn_on, withdrawn_by, reason)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, withdrawal.promiseID, withdrawal.withdrawnOn.description, withdrawal.withdrawnBy,
                    withdrawal.reason,
                ])
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try timeline.append(
                .promiseWithdrawn(withdrawal, promise: found.promise, customerID: found.customerID), db)
            return found.promise
        }
    }

    public func withdrawnPromises(organisationID: String, customerID: String?) async throws -> [WithdrawnPromise] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT w.promise_id, w.withdrawn_on, w.withdrawn_by, w.reason
                    FROM promise_withdrawals w
                    JOIN promises p ON p.org_id = w.org_id AND p.promise_id = w.promise_id
                    WHERE w.org_id = ? AND (? IS NULL OR p.customer_id = ?)
                    ORDER BY p.customer_id, w.promise_id
                    """,
                arguments: [organisationID, customerID, customerID])
            return try rows.compactMap { row -> WithdrawnPromise? in
                guard let found = try SQLiteStore.promise(row["promise_id"], organisationID, db) else { return nil }
                return WithdrawnPromise(
                    customerID: found.customerID, promise: found.promise,
                    withdrawal: PromiseWithdrawal(
                        promiseID: row["promise_id"], withdrawnOn: try Decode.date(row["withdrawn_on"]),
                        withdrawnBy: row["withdrawn_by"], reason: row["reason"]))
            }
        }
    }

    // One promise as recorded, with its customer.
    private static func promise(
        _ id: String, _ organisationID: String, _ db: Database
    ) throws -> (customerID: String, promise: PromiseToPay)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT customer_id, amount_minor, currency, promised_date, made_on, channel, promised_by
                    FROM promises WHERE org_id = ? AND promise_id = ?
                    """,
                arguments: [organisationID, id])
        else { return nil }
        let invoices = try String.fetchAll(
            db,
            sql: "SELECT invoice_number FROM promise_invoices WHERE org_id = ? AND promise_id = ? ORDER BY position",
            arguments: [organisationID, id])
        var currencies = CurrencyCache()
        return (
            row["customer_id"],
            PromiseToPay(
                id: id, invoiceNumbers: invoices,
                amount: Money(minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"])),
                promisedDate: try Decode.date(row["promised_date"]), madeOn: try Decode.date(row["made_on"]),
                channel: (row["channel"] as String?).flatMap(Channel.init(rawValue:)), promisedBy: row["promised_by"])
        )
    }
}
