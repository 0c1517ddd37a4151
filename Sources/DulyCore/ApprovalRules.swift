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

    /// The monthly cap on hand-overs to an agency or a lawyer: approving one more is refused once `approved` (those
    /// approved in the calendar month of the decision) reaches `cap`. A store asks this inside the transaction that
    /// writes the decision, so two managers approving at once cannot both pass it.
    public static func externalCap(approvedThisMonth approved: Int, cap: Int) -> ApprovalRefusal? {
        approved < cap ? nil : .externalCapReached(approved: approved, cap: cap)
    }
}

extension LocalDate {
    /// The first and last day of the date's calendar month: the period the external-escalation cap counts over.
    public var calendarMonth: (first: LocalDate, last: LocalDate) {
        (LocalDate(year: year, month: month, day: 1)!, endOfMonth)
    }
}
