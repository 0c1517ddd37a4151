import DulyCore

/// One action awaiting a manager's approval, with its account and why the account qualifies.
public struct AwaitingApproval: Sendable {
    public var stored: StoredAction
    public var account: Account
    public var review: EscalationReview
}

/// What a manager decides on (`duly approvals`, `GET /approvals`): the escalations and offers awaiting approval, and
/// how many hand-overs to an agency or a lawyer the month has used of the playbook's cap.
public struct ApprovalQueue: Sendable {
    /// Oldest first.
    public var waiting: [AwaitingApproval]
    /// Hand-overs approved in the calendar month of the day asked about.
    public var externalApproved: Int
    /// `max_external_escalations_per_month` in the playbook.
    public var externalCap: Int
}

extension CollectorStore {
    /// The approval queue on `date`, each action reviewed under `playbook` as the planner sees its account then.
    public func approvalQueue(
        organisation: Organisation, playbook: Playbook, on date: LocalDate
    ) async throws -> ApprovalQueue {
        let planner = Planner(playbook: playbook, organisation: organisation)
        let month = date.calendarMonth
        let used = try await externalEscalationsApproved(
            organisationID: organisation.id, from: month.first, to: month.last)
        var waiting: [AwaitingApproval] = []
        for stored in try await actionsAwaitingApproval(organisationID: organisation.id) {
            guard let account = try await account(organisationID: organisation.id, customerID: stored.customerID),
                let review = EscalationReview(actionID: stored.id, account: account, planner: planner, asOf: date)
            else { continue }
            waiting.append(AwaitingApproval(stored: stored, account: account, review: review))
        }
        return ApprovalQueue(
            waiting: waiting, externalApproved: used, externalCap: playbook.maxExternalEscalationsPerMonth)
    }
}
