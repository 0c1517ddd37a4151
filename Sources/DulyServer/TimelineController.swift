import DulyCore
import DulyStore
import Hummingbird

/// `/customers/{customer_id}/timeline`: an account's hash-chained history as `duly timeline --json` prints it, a
/// page at a time, and the check of its chain that `duly timeline --verify` makes.
struct TimelineController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.get("customers/{customer_id}/timeline", use: list)
        group.get("customers/{customer_id}/timeline/verification", use: verification)
    }

    /// The entries in chain order, as `duly timeline --json` prints them (the order `--verify` and the evidence
    /// pack use), so that a client can re-check every hash, each with the `sentence` `duly timeline` shows a person.
    /// The hashed text names actions by the organisation's own numbers; `action_id` gives the id (`act_N`) of the action an entry
    /// is about. A cursor is the page's last sequence.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let limit = try Page.limit(request)
        let customerID = try await customer(context: context, identity: identity)
        var after = 0
        if let key = try Page.cursor(request, parts: 1) {
            guard let sequence = Int(key[0]), sequence >= 0 else {
                throw Problem(.badRequest, "not a cursor this list gave", field: "cursor")
            }
            after = sequence
        }
        // The sentences need the whole timeline (an entry is worded from the one that planned its action); an
        // account's timeline is a few hundred entries at the most.
        let timeline = try await store.timeline(organisationID: identity.organisationID, customerID: customerID)
        let sentences = TimelineNarrative.sentences(timeline)
        let entries = timeline.filter { $0.sequence > after }
        let shown = entries.prefix(limit)
        let items: [JSONNode] = shown.map { entry in
            let details: [(name: String, value: JSONNode)] = entry.details.sorted { $0.key < $1.key }.map {
                ($0.key, JSONNode.string($0.value))
            }
            let action = entry.details["action"].flatMap { Int64($0) }.map { PublicID.action.id($0) }
            return .object([
                "sequence": .integer(entry.sequence), "date": .string(entry.date.description),
                "recorded_at": .string(entry.recordedAt), "kind": .string(entry.kind),
                "summary": .string(entry.summary), "sentence": .string(sentences[entry.sequence] ?? entry.summary),
                "details": .object(JSONObject(details)),
                "action_id": .text(action), "previous_hash": .string(entry.previousHash), "hash": .string(entry.hash),
            ])
        }
        let page = Page(
            items: items, nextCursor: entries.count > limit ? shown.last.map { [String($0.sequence)] } : nil)
        return .json(page.json)
    }

    /// Every entry's hash and link checked, as `duly timeline --verify` does: `intact` with the count and the last
    /// hash, or `broken` naming the first bad entry and why. A broken chain is an answer (200), not an error.
    @Sendable func verification(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let customerID = try await customer(context: context, identity: identity)
        let entries = try await store.timeline(organisationID: identity.organisationID, customerID: customerID)
        var object: JSONObject = [
            "customer_id": .string(customerID), "entries": .integer(entries.count),
            "last_hash": .text(entries.last?.hash),
        ]
        switch TimelineVerifier.verify(entries) {
        case .valid:
            object.members += [("status", "intact"), ("first_bad_entry", .null), ("reason", .null)]
        case .broken(let sequence, let reason):
            object.members += [
                ("status", "broken"), ("first_bad_entry", .integer(sequence)), ("reason", .string(reason)),
            ]
        }
        return .json(object)
    }

    // The customer asked for; one of another organisation answers 404 as a missing one does.
    private func customer(context: APIContext, identity: TokenIdentity) async throws -> String {
        let customerID = try context.parameters.require("customer_id")
        guard try await store.customer(organisationID: identity.organisationID, customerID: customerID) != nil else {
            throw Problem.notFound("customer '\(customerID)'")
        }
        return customerID
    }
}
