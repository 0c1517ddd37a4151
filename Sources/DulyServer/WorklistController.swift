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

    /// Tasks in the worklist's order, then open disputes, oldest first; a page at a time, each read through its
    /// own index from where the cursor says (`Worklist.page`), so the first page of a large ledger costs what a
    /// small one's does.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let limit = try Page.limit(request)
        let cursor = try Page.cursor(request, parts: 3).map(WorklistPosition.init)
        guard cursor != .some(nil) else {
            throw Problem(.badRequest, "not a cursor this list gave", field: "cursor")
        }
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        var items: [JSONNode] = []
        var next: WorklistPosition?
        var disputesAfter: DisputePageKey?
        switch cursor {
        case .some(.some(.dispute(let key))): disputesAfter = key
        default:
            var after: WorklistCursor?
            if case .some(.some(.task(let position))) = cursor { after = position }
            let page = try await Worklist.page(
                store: api.store, organisation: organisation, on: today, after: after, limit: limit)
            items = page.tasks.map { task in
                .object([
                    "kind": .string(task.kind),
                    "action_id": .text(task.actionID.map { api.ids.encode($0, organisationID: organisation.id) }),
                    "customer_id": .string(task.customerID), "date": .string(task.date.description),
                    "step": .text(task.step), "channel": .text(task.channel?.rawValue),
                    "invoice_numbers": .array(task.invoiceNumbers.map(JSONNode.string)), "note": .text(task.note),
                    "dispute_id": .null, "age_days": .null,
                ])
            }
            next = page.next.map(WorklistPosition.task)
        }
        if next == nil {
            // One more than the page holds, to know whether another page follows.
            let disputes = try await api.store.openDisputes(
                organisationID: organisation.id, on: today, after: disputesAfter, limit: limit - items.count + 1)
            var lastGiven = disputesAfter
            for found in disputes {
                let dispute = found.dispute
                if items.count == limit {
                    next = .dispute(lastGiven)
                    break
                }
                items.append(
                    .object([
                        "kind": "dispute", "action_id": .null, "customer_id": .string(found.customerID),
                        "date": .string(dispute.openedOn.description), "step": .null, "channel": .null,
                        "invoice_numbers": .array([.string(dispute.invoiceNumber)]),
                        "note": .string("\(dispute.reasonCode.rawValue): \(dispute.reason)"),
                        "dispute_id": .string(dispute.id), "age_days": .integer(dispute.age(on: today)),
                    ]))
                lastGiven = DisputePageKey(openedOn: dispute.openedOn, id: dispute.id)
            }
        }
        return .json(Page(items: items, nextCursor: next?.key).json)
    }
}

/// Where a worklist page starts, as its cursor carries it: three strings, the section first.
enum WorklistPosition: Equatable {
    case task(WorklistCursor)
    /// After this dispute; nil: from the first.
    case dispute(DisputePageKey?)

    /// Nil when the key is not one a page gave.
    init?(key: [String]) {
        switch key[0] {
        case "a":
            guard let id = Int64(key[1]) else { return nil }
            self = .task(.action(id))
        case "h":
            guard let index = Int(key[2]), index >= 0 else { return nil }
            self = .task(.heldEscalation(customerID: key[1], index: index))
        case "d" where key[1].isEmpty:
            self = .dispute(nil)
        case "d":
            guard let openedOn = LocalDate(iso: key[1]) else { return nil }
            self = .dispute(DisputePageKey(openedOn: openedOn, id: key[2]))
        default:
            return nil
        }
    }

    var key: [String] {
        switch self {
        case .task(.action(let id)): return ["a", String(id), ""]
        case .task(.heldEscalation(let customerID, let index)): return ["h", customerID, String(index)]
        case .dispute(let key): return ["d", key?.openedOn.description ?? "", key?.id ?? ""]
        }
    }
}
