import DulyCore
import DulyStore
import Hummingbird

/// `GET /worklist`: what needs a person today, as `duly worklist --json` lists it (bank credits that matched no
/// invoice are not in it yet: they have no public id).
struct WorklistController<Store: ServerStore> {
    let api: API<Store>

    func add(to group: RouterGroup<APIContext>) {
        group.get("worklist", use: list)
    }

    /// Tasks in the worklist's order, then open disputes, oldest first; a page at a time. The list is made anew
    /// for each page, so a cursor is a position in it.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        let tasks = try await Worklist.tasks(
            store: api.store, organisation: organisation,
            playbook: try await servedPlaybook(for: organisation, in: api.store), on: today)
        var items: [JSONNode] = tasks.map { task in
            .object([
                "kind": .string(task.kind),
                "action_id": .text(task.actionID.map { api.ids.encode($0, organisationID: organisation.id) }),
                "customer_id": .string(task.customerID), "date": .string(task.date.description),
                "step": .text(task.step), "channel": .text(task.channel?.rawValue),
                "invoice_numbers": .array(task.invoiceNumbers.map(JSONNode.string)), "note": .text(task.note),
                "dispute_id": .null, "age_days": .null,
            ])
        }
        let accounts = try await api.store.accountsWithCommitments(organisationID: organisation.id, customerID: nil)
        let disputes = accounts.flatMap { account in
            account.disputes.filter { $0.isOpen(on: today) }.map { (customerID: account.customer.id, dispute: $0) }
        }.sorted { ($0.dispute.openedOn, $0.dispute.id) < ($1.dispute.openedOn, $1.dispute.id) }
        items += disputes.map { customerID, dispute in
            .object([
                "kind": "dispute", "action_id": .null, "customer_id": .string(customerID),
                "date": .string(dispute.openedOn.description), "step": .null, "channel": .null,
                "invoice_numbers": .array([.string(dispute.invoiceNumber)]),
                "note": .string("\(dispute.reasonCode.rawValue): \(dispute.reason)"),
                "dispute_id": .string(dispute.id), "age_days": .integer(dispute.age(on: today)),
            ])
        }
        return .json(try Page.positional(items, request).json)
    }
}
