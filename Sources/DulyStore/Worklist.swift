import DulyCore

/// One thing that needs a person on a day: a call or meeting to make, an approval to give, a delivery that failed
/// or waits, a step that could not reach the client, an escalation the planner holds back.
public struct WorklistTask: Hashable, Sendable {
    /// `call`, `meeting`, `approval`, `failed_delivery`, `waiting_delivery`, `skipped`, `held_escalation`.
    public var kind: String
    /// Nil for a held escalation, which no action carries yet.
    public var actionID: Int64?
    public var customerID: String
    public var date: LocalDate
    public var step: String?
    public var channel: Channel?
    public var invoiceNumbers: [String]
    public var note: String?
}

/// What needs a person: `duly worklist` and the API's worklist read it from here.
public enum Worklist {
    /// The organisation's tasks on `date`, actions first (oldest first), then the escalations the planner holds back,
    /// account by account, under `playbook`.
    public static func tasks(
        store: some CollectorStore, organisation: Organisation, playbook: Playbook, on date: LocalDate
    ) async throws -> [WorklistTask] {
        var tasks: [WorklistTask] = []
        let holds = Dictionary(
            try await store.heldDeliveries(organisationID: organisation.id).map { ($0.actionID, $0) },
            uniquingKeysWith: { first, _ in first })
        for stored in try await store.actions(organisationID: organisation.id, customerID: nil) {
            let action = stored.action
            let kind: String
            if let hold = holds[stored.id], action.status == .planned || action.status == .approved {
                // Not failed, not for a person to fix: it goes on a later delivery day by itself; shown so nobody
                // wonders why the client has not had it yet.
                tasks.append(
                    WorklistTask(
                        kind: "waiting_delivery", actionID: stored.id, customerID: stored.customerID,
                        date: action.date, step: action.stepID, channel: action.channel,
                        invoiceNumbers: action.invoiceNumbers, note: hold.reason))
                continue
            }
            switch (action.status, action.channel) {
            case (.planned, .call), (.approved, .call), (.planned, .meeting), (.approved, .meeting):
                guard action.date <= date else { continue }
                kind = action.channel == .call ? "call" : "meeting"
            case (.awaitingApproval, _):
                kind = "approval"
            case (.failed, _):
                kind = "failed_delivery"
            case (.skipped, _):
                // A step that could not reach the client (no postal address, no number) this past week: a person
                // completes the customer's details before the next rung comes.
                guard action.date <= date && action.date > date.adding(days: -7) else { continue }
                kind = "skipped"
            default:
                continue
            }
            tasks.append(
                WorklistTask(
                    kind: kind, actionID: stored.id, customerID: stored.customerID, date: action.date,
                    step: action.stepID, channel: action.channel,
                    invoiceNumbers: action.invoiceNumbers.sorted(by: NaturalOrder.precedes), note: action.note))
        }
        // Escalations the planner holds until a person acts: a client never reached, a rejection standing.
        let planner = Planner(playbook: playbook, organisation: organisation)
        var after: String?
        while true {
            let accounts = try await store.accountsForRun(organisationID: organisation.id, after: after, limit: 500)
            guard let last = accounts.last else { break }
            after = last.customer.id
            for account in accounts {
                for deferral in planner.plan(account, asOf: date).deferrals where deferral.reason.needsPerson {
                    tasks.append(
                        WorklistTask(
                            kind: "held_escalation", actionID: nil, customerID: account.customer.id, date: date,
                            step: deferral.stepID, channel: nil, invoiceNumbers: [deferral.invoiceNumber],
                            note: deferral.reason.explanation))
                }
            }
        }
        return tasks
    }
}
