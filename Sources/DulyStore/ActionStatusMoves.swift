import DulyCore

extension ActionStatus {
    /// Whether an action with this status may be moved to `next` (`DulyStore.updateActionStatus`): `planned →
    /// (awaiting_approval → approved) → sent | done | failed | skipped | cancelled`; a status reached is never left
    /// for an earlier one.
    public func mayBecome(_ next: ActionStatus) -> Bool {
        switch self {
        case .planned: return [.awaitingApproval, .sent, .done, .failed, .skipped, .cancelled].contains(next)
        case .awaitingApproval: return [.approved, .skipped, .cancelled].contains(next)
        case .approved: return [.sent, .done, .failed, .skipped, .cancelled].contains(next)
        case .sent, .done, .failed, .skipped, .cancelled: return false
        }
    }
}
