import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: CorrectionStore {
    public func withdrawActions(
        _ ids: [Int64], by person: String, reason: String, organisationID: String, context: RecordingContext
    ) async throws -> ActionWithdrawal {
        guard !person.isEmpty else { throw StoreError.invalid("a cancellation needs the name of who cancels") }
        guard !reason.isEmpty else { throw StoreError.invalid("a cancellation needs a reason") }
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            // The actions' customers locked first (in id order, as every timeline write takes them), then the actions'
            // rows, against a delivery begun at the same moment (docs/ARCHITECTURE.md, "Isolation").
            let customers = try await connection.rows(
                """
                SELECT DISTINCT customer_id FROM actions
                WHERE org_id = \(organisationID) AND number = ANY(\(ids)::bigint[])
                """, logger: logger
            ).map { try $0.value("customer_id", as: String.self) }
            try await connection.lockCustomers(organisationID: organisationID, customerIDs: customers, logger: logger)
            var states = try await Self.actionStates(ids, organisationID, connection, logger: logger)
            var deliveries: [Int64: String] = [:]
            for row in try await connection.rows(
                """
                SELECT a.number, d.state FROM deliveries d JOIN actions a ON a.org_id = d.org_id AND a.id = d.action_id
                WHERE a.org_id = \(organisationID) AND a.number = ANY(\(ids)::bigint[])
                """, logger: logger)
            {
                deliveries[try row.value("number", as: Int64.self)] = try row.value("state", as: String.self)
            }
            var result = ActionWithdrawal()
            var withdrawn: [(id: Int64, customerID: String)] = []
            for id in ids {
                guard let state = states[id] else { throw StoreError.actionNotFound(id) }
                guard state.status.isPending else {
                    result.refused.append(
                        WithdrawalRefusal(
                            actionID: id,
                            reason:
                                "it is already \(state.status.rawValue.split(separator: "_").joined(separator: " "))"))
                    continue
                }
                // Once the deliverer committed to sending, the message may be on its way: it can no longer be undone.
                if let delivery = deliveries[id], ["sending", "committed", "sent"].contains(delivery) {
                    result.refused.append(WithdrawalRefusal(actionID: id, reason: "it is being delivered"))
                    continue
                }
                states[id] = (state.customerID, .cancelled)
                withdrawn.append((id, state.customerID))
                result.withdrawn.append(id)
            }
            guard !withdrawn.isEmpty else { return result }
            try await connection.execute(
                """
                UPDATE actions SET status = 'cancelled', note = \("cancelled by \(person): \(reason)"),
                    idempotency_key = idempotency_key || ':withdrawn:' || number
                WHERE org_id = \(organisationID) AND number = ANY(\(withdrawn.map(\.id))::bigint[])
                """, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            for action in withdrawn {
                try await timeline.append(
                    .actionWithdrawn(
                        id: action.id, customerID: action.customerID, by: person, reason: reason, on: context.date),
                    connection)
            }
            try await timeline.flush(connection)
            return result
        }
    }
}
