import DulyCore

extension CollectorStore {
    /// Records a manager's decision on an action awaiting approval, on `context.date`. Hand-overs stay rare:
    /// approving one to an agency or a lawyer counts against the playbook's monthly cap, over the approvals already
    /// given, in the same transaction as the decision. `duly approve` and the API decide through this.
    public func decide(
        _ stored: StoredAction, approve: Bool, by manager: String, note: String?, playbook: Playbook,
        organisationID: String, context: RecordingContext
    ) async throws {
        guard stored.action.status == .awaitingApproval else {
            throw ApprovalRefusal.notAwaitingApproval(stored.action.status)
        }
        try await decideApproval(
            actionID: stored.id, approve: approve, by: manager, note: note,
            externalEscalationCap: playbook.maxExternalEscalationsPerMonth, organisationID: organisationID,
            context: context)
    }

    /// A decision with no monthly cap on hand-overs.
    public func decideApproval(
        actionID: Int64, approve: Bool, by manager: String, note: String?, organisationID: String,
        context: RecordingContext
    ) async throws {
        try await decideApproval(
            actionID: actionID, approve: approve, by: manager, note: note, externalEscalationCap: nil,
            organisationID: organisationID, context: context)
    }
}
