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

/// Where a page of the worklist starts: after this task.
public enum WorklistCursor: Hashable, Sendable {
    /// After this action (row id).
    case action(Int64)
    /// After the held escalation at `index` (from 0) of this customer's.
    case heldEscalation(customerID: String, index: Int)
}

/// What needs a person: `duly worklist`, the API's worklist and the web's read it from here.
///
/// Actions first, oldest first; then the escalations the last collection day held back, customer by customer. Both
/// are read a page at a time through indexes made for them, so a page costs its own rows: the held escalations are
/// the ones the planner gave at the customer's last review (the collection day writes them), not worked out anew.
public enum Worklist {
    /// Every task on `date`, page after page.
    public static func tasks(
        store: some CollectorStore, organisation: Organisation, on date: LocalDate
    ) async throws -> [WorklistTask] {
        var tasks: [WorklistTask] = []
        var cursor: WorklistCursor?
        repeat {
            let page = try await self.page(
                store: store, organisation: organisation, on: date, after: cursor, limit: 500)
            tasks += page.tasks
            cursor = page.next
        } while cursor != nil
        return tasks
    }

    /// Up to `limit` tasks after `cursor`, and where the next page starts (nil after the last task).
    public static func page(
        store: some CollectorStore, organisation: Organisation, on date: LocalDate, after cursor: WorklistCursor?,
        limit: Int
    ) async throws -> (tasks: [WorklistTask], next: WorklistCursor?) {
        var tasks: [WorklistTask] = []
        var afterAction: Int64? = nil
        var heldFrom: (customerID: String, skip: Int)? = nil
        switch cursor {
        case .action(let id): afterAction = id
        case .heldEscalation(let customerID, let index): heldFrom = (customerID, index + 1)
        case nil: break
        }
        if heldFrom == nil {
            while true {
                let wanted = limit - tasks.count
                let read = try await store.worklistActions(
                    organisationID: organisation.id, on: date, after: afterAction, limit: wanted)
                for candidate in read {
                    guard let task = task(for: candidate, on: date) else { continue }
                    tasks.append(task)
                    if tasks.count == limit { return (tasks, .action(candidate.stored.id)) }
                }
                // Fewer than asked: none are left.
                guard read.count == wanted, let last = read.last else { break }
                afterAction = last.stored.id
            }
        }
        // Escalations the planner holds until a person acts: a client never reached, a rejection standing. One
        // more than the page holds is read, to know whether another page follows.
        let skip = heldFrom?.skip ?? 0
        let held = try await store.heldEscalations(
            organisationID: organisation.id, from: heldFrom?.customerID, limit: limit - tasks.count + skip + 1)
        var index = 0
        var previous: String?
        var last: (customerID: String, index: Int)?
        for deferral in held {
            index = deferral.customerID == previous ? index + 1 : 0
            previous = deferral.customerID
            if deferral.customerID == heldFrom?.customerID && index < skip { continue }
            if tasks.count == limit, let last {
                return (tasks, .heldEscalation(customerID: last.customerID, index: last.index))
            }
            tasks.append(
                WorklistTask(
                    kind: "held_escalation", actionID: nil, customerID: deferral.customerID, date: date,
                    step: deferral.stepID, channel: nil, invoiceNumbers: [deferral.invoiceNumber],
                    note: deferral.reason.explanation))
            last = (deferral.customerID, index)
        }
        return (tasks, nil)
    }

    /// What an action asks of a person on `date`, if anything.
    static func task(for candidate: WorklistAction, on date: LocalDate) -> WorklistTask? {
        let stored = candidate.stored
        let action = stored.action
        if let reason = candidate.holdReason, action.status == .planned || action.status == .approved {
            // Not failed, not for a person to fix: it goes on a later delivery day by itself; shown so nobody
            // wonders why the client has not had it yet.
            return WorklistTask(
                kind: "waiting_delivery", actionID: stored.id, customerID: stored.customerID, date: action.date,
                step: action.stepID, channel: action.channel, invoiceNumbers: action.invoiceNumbers, note: reason)
        }
        let kind: String
        switch (action.status, action.channel) {
        case (.planned, .call), (.approved, .call), (.planned, .meeting), (.approved, .meeting):
            guard action.date <= date else { return nil }
            kind = action.channel == .call ? "call" : "meeting"
        case (.awaitingApproval, _):
            kind = "approval"
        case (.failed, _):
            kind = "failed_delivery"
        case (.skipped, _):
            // A step that could not reach the client (no postal address, no number) this past week: a person
            // completes the customer's details before the next rung comes.
            guard action.date <= date && action.date > date.adding(days: -7) else { return nil }
            kind = "skipped"
        default:
            return nil
        }
        return WorklistTask(
            kind: kind, actionID: stored.id, customerID: stored.customerID, date: action.date, step: action.stepID,
            channel: action.channel, invoiceNumbers: action.invoiceNumbers.sorted(by: NaturalOrder.precedes),
            note: action.note)
    }
}
