/// A rehearsal of a playbook: the planner replayed day by day over accounts as they stand, before the playbook is
/// adopted (`duly simulate`).
///
/// Nothing is written and nothing is sent. The replay assumes what a collector would want to see: every message
/// goes out on its day, every call is made, every approval is given, and no payment, promise or dispute arrives
/// that is not already on the account. Actions already pending on the account are taken as carried out.
public enum WhatIf {
    /// Everything the planner would do for `account` from `from` to `to`, both included, in date order.
    public static func replay(_ account: Account, planner: Planner, from: LocalDate, to: LocalDate) -> [PlannedAction] {
        var account = account
        // What is pending now goes out as planned; the rehearsal starts from there.
        for index in account.history.indices where account.history[index].status.isPending {
            account.history[index].status = carriedOut(account.history[index].channel)
        }
        var nextID = (account.history.map(\.id).max() ?? 0) + 1
        var planned: [PlannedAction] = []
        var date = from
        while date <= to {
            let plan = planner.plan(account, asOf: date)
            for cancellation in plan.cancellations {
                if let index = account.history.firstIndex(where: { $0.id == cancellation.actionID }) {
                    account.history[index].status = .cancelled
                }
            }
            for action in plan.actions {
                planned.append(action)
                account.history.append(
                    ActionRecord(
                        id: nextID, date: action.date, channel: action.channel,
                        status: action.status == .skipped ? .skipped : carriedOut(action.channel),
                        escalatesTo: action.escalatesTo, steps: action.steps))
                nextID += 1
            }
            date = date.adding(days: 1)
        }
        return planned
    }

    // Messages are sent; calls and meetings are done.
    private static func carriedOut(_ channel: Channel) -> ActionStatus {
        channel == .call || channel == .meeting ? .done : .sent
    }
}
