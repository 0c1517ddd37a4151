import DulyCore

/// Why a manager's decision on an action is refused. Nothing was recorded.
public enum ApprovalRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only an action awaiting approval can be approved or rejected.
    case notAwaitingApproval(ActionStatus)
    /// Approving one more hand-over to an agency or a lawyer would pass the playbook's monthly cap.
    case externalCapReached(approved: Int, cap: Int)

    public var description: String {
        switch self {
        case .notAwaitingApproval(let status):
            return "is \(status.rawValue), not awaiting approval"
        case .externalCapReached(let approved, let cap):
            return "\(approved) of at most \(cap) hand-overs to an agency or a lawyer were approved this month "
                + "already; the cap (max_external_escalations_per_month in the playbook) keeps them rare"
        }
    }
}

extension LocalDate {
    /// The first and last day of the date's calendar month: the period the external-escalation cap counts over.
    public var calendarMonth: (first: LocalDate, last: LocalDate) {
        (LocalDate(year: year, month: month, day: 1)!, endOfMonth)
    }
}

extension CollectorStore {
    /// Records a manager's decision on an action awaiting approval, on `context.date`. Hand-overs stay rare:
    /// approving one to an agency or a lawyer counts against the playbook's monthly cap, over the approvals already
    /// given. `duly approve` and the API decide through this.
    public func decide(
        _ stored: StoredAction, approve: Bool, by manager: String, note: String?, playbook: Playbook,
        organisationID: String, context: RecordingContext
    ) async throws {
        guard stored.action.status == .awaitingApproval else {
            throw ApprovalRefusal.notAwaitingApproval(stored.action.status)
        }
        if approve, stored.action.escalatesTo?.isExternal == true {
            let month = context.date.calendarMonth
            let used = try await externalEscalationsApproved(
                organisationID: organisationID, from: month.first, to: month.last)
            guard used < playbook.maxExternalEscalationsPerMonth else {
                throw ApprovalRefusal.externalCapReached(approved: used, cap: playbook.maxExternalEscalationsPerMonth)
            }
        }
        try await decideApproval(
            actionID: stored.id, approve: approve, by: manager, note: note, organisationID: organisationID,
            context: context)
    }
}
