import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: CorrectionStore {
    public func withdrawActions(
        _ ids: [Int64], by person: String, reason: String, organisationID: String, context: RecordingContext
    ) async throws -> ActionWithdrawal {
        guard !person.isEmpty else { throw StoreError.invalid("a cancellation needs the name of who cancels") }
        guard !reason.isEmpty else { throw StoreError.invalid("a cancellation needs a reason") }
        return try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var result = ActionWithdrawal()
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            for id in ids {
                let (customerID, status) = try SQLiteStore.actionState(id, organisationID, db)
                guard status.isPending else {
                    result.refused.append(
                        WithdrawalRefusal(
                            actionID: id,
                            reason: "it is already \(status.rawValue.split(separator: "_").joined(separator: " "))"))
                    continue
                }
                let delivery = try String.fetchOne(
                    db,
                    sql: """
                        SELECT d.state FROM deliveries d JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                        WHERE a.org_id = ? AND a.number = ?
                        """,
                    arguments: [organisationID, id])
                // Once the deliverer committed to sending, the message may be on its way: it can no longer be undone.
                if let delivery, ["sending", "committed", "sent"].contains(delivery) {
                    result.refused.append(WithdrawalRefusal(actionID: id, reason: "it is being delivered"))
                    continue
                }
                try db.execute(
                    sql: """
                        UPDATE actions SET status = 'cancelled', note = ?,
                            idempotency_key = idempotency_key || ':withdrawn:' || number
                        WHERE org_id = ? AND number = ?
                        """,
                    arguments: ["cancelled by \(person): \(reason)", organisationID, id])
                try timeline.append(
                    .actionWithdrawn(id: id, customerID: customerID, by: person, reason: reason, on: context.date), db)
                result.withdrawn.append(id)
            }
            return result
        }
    }
}
