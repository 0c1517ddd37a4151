import DulyCore
import DulyStore
import Hummingbird

/// `GET /approvals`: the escalations and offers awaiting a manager's approval, each with why its account qualifies,
/// as `duly approvals` shows them (`CollectorStore.approvalQueue`). A manager decides with
/// `POST /actions/{action_id}/decision`.
struct ApprovalsController<Store: ServerStore> {
    let api: API<Store>

    func add(to group: RouterGroup<APIContext>) {
        group.get("approvals", use: list)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        let queue = try await api.store.approvalQueue(
            organisation: organisation, playbook: try await servedPlaybook(for: organisation, in: api.store),
            on: today)
        let items = queue.waiting.map { waiting in
            json(waiting, queue: queue, organisationID: organisation.id)
        }
        return .json(try Page.positional(items, request).json)
    }

    private func json(_ waiting: AwaitingApproval, queue: ApprovalQueue, organisationID: String) -> JSONNode {
        let review = waiting.review
        let action = waiting.stored.action
        let external = action.escalatesTo?.isExternal == true
        let invoices = review.invoices.sorted { NaturalOrder.precedes($0.number, $1.number) }.map { line in
            JSONNode.object([
                "invoice_number": .string(line.number), "days_overdue": .integer(line.daysOverdue),
                "open": .string(line.open.decimalString), "disputed": .text(line.disputed?.decimalString),
                "currency": .string(line.open.currency.code), "stage": .string(line.state.rawValue),
            ])
        }
        let attempts = review.attempts.map { attempt in
            JSONNode.object([
                "date": .string(attempt.date.description), "channel": .string(attempt.channel.rawValue),
                "step": .string(attempt.stepID), "outcome": .string(attempt.outcome.rawValue),
            ])
        }
        return .object([
            "action_id": .string(PublicID.action.id(waiting.stored.id)),
            "customer_id": .string(waiting.stored.customerID), "step": .string(action.stepID),
            "escalates_to": .text(action.escalatesTo?.rawValue), "invoices": .array(invoices),
            "contacts_made": .integer(review.contactsMade), "attempts": .array(attempts),
            "channels_used": .array(review.channelsUsed.map { JSONNode.string($0.rawValue) }),
            "first_contact": .text(review.firstContact?.description),
            "last_contact": .text(review.lastContact?.description),
            "broken_promises": .integer(review.brokenPromises), "refusals": .integer(review.refusals),
            "last_resort_met": .bool(review.lastResortMet),
            "external_escalations_this_month": external ? JSONNode.integer(queue.externalApproved) : .null,
            "external_escalations_cap": external ? JSONNode.integer(queue.externalCap) : .null,
        ])
    }
}
