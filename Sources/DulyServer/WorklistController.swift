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

    /// Tasks in the worklist's order, then open disputes, oldest first, then bank credits that matched no invoice,
    /// oldest first; a page at a time, tasks and disputes each read through their own index from where the cursor
    /// says (`Worklist.page`), so the first page of a large ledger costs what a small one's does. (The unmatched
    /// queue is read whole: a person empties it day by day.)
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
        var creditsAfter: Int64?
        var disputesDone = false
        switch cursor {
        case .some(.some(.dispute(let key))): disputesAfter = key
        case .some(.some(.credit(let id))):
            creditsAfter = id
            disputesDone = true
        default:
            var after: WorklistCursor?
            if case .some(.some(.task(let position))) = cursor { after = position }
            let page = try await Worklist.page(
                store: api.store, organisation: organisation, on: today, after: after, limit: limit)
            items = page.tasks.map { task in
                .object([
                    "kind": .string(task.kind),
                    "action_id": .text(task.actionID.map { PublicID.action.id($0) }),
                    "customer_id": .string(task.customerID), "date": .string(task.date.description),
                    "step": .text(task.step), "channel": .text(task.channel?.rawValue),
                    "invoice_numbers": .array(task.invoiceNumbers.map(JSONNode.string)), "note": .text(task.note),
                    "dispute_id": .null, "age_days": .null, "bank_credit_id": .null, "amount": .null,
                    "currency": .null,
                ])
            }
            next = page.next.map(WorklistPosition.task)
        }
        if next == nil && !disputesDone {
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
                        "bank_credit_id": .null, "amount": .null, "currency": .null,
                    ]))
                lastGiven = DisputePageKey(openedOn: dispute.openedOn, id: dispute.id)
            }
        }
        if next == nil {
            let queued = try await api.store.unmatchedCredits(organisationID: organisation.id)
                .filter { $0.id > (creditsAfter ?? 0) }.sorted { $0.id < $1.id }
            var lastGiven = creditsAfter
            for credit in queued {
                if items.count == limit {
                    next = .credit(lastGiven)
                    break
                }
                let record = credit.record
                var reason: String?
                if case .unmatched(let why, _, _) = record.match { reason = why }
                items.append(
                    .object([
                        "kind": "unmatched_payment", "action_id": .null, "customer_id": .null,
                        "date": .string(record.bookingDate.description), "step": .null, "channel": .null,
                        "invoice_numbers": .array([]), "note": .text(reason), "dispute_id": .null, "age_days": .null,
                        "bank_credit_id": .string(PublicID.bankCredit.id(credit.id)),
                        "amount": .string(record.amount.decimalString),
                        "currency": .string(record.amount.currency.code),
                    ]))
                lastGiven = credit.id
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
    /// After this bank credit (row id); nil: from the first.
    case credit(Int64?)

    /// Nil when the key is not one a page gave.
    init?(key: [String]) {
        switch key[0] {
        case "a":
            guard let id = Int64(key[1]) else { return nil }
            self = .task(.action(id))
        case "h":
            guard let index = Int(key[2]), index >= 0 else { return nil }
            self = .task(.heldEscalation(customerID: key[1], index: index))
        case "u" where key[1].isEmpty:
            self = .credit(nil)
        case "u":
            guard let id = Int64(key[1]) else { return nil }
            self = .credit(id)
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
        case .credit(let id): return ["u", id.map(String.init) ?? "", ""]
        }
    }
}
