import DulyCore
import DulyStore
import Hummingbird

/// `/actions`: what the collection day planned and what became of it, by public id (`act_N`, `PublicID`), and a manager's
/// decision on one awaiting approval.
struct ActionsController<Store: ServerStore> {
    let api: API<Store>

    func add(to group: RouterGroup<APIContext>) {
        group.get("actions", use: list)
        group.get("actions/{action_id}", use: get)
        group.post("actions/{action_id}/decision") { request, context in
            let id = try context.parameters.require("action_id")
            return try await api.post.answer(request, context: context, role: .manager) { bytes, identity in
                try await decide(id, bytes, identity: identity)
            }
        }
    }

    /// Lists actions oldest first, optionally of one customer.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisationID = identity.organisationID
        let limit = try Page.limit(request)
        var after: Int64?
        if let key = try Page.cursor(request, parts: 1) {
            guard let id = PublicID.action.number(in: key[0]) else {
                throw Problem(.badRequest, "not a cursor this list gave", field: "cursor")
            }
            after = id
        }
        let actions = try await api.store.actionPage(
            organisationID: organisationID, customerID: request.uri.queryParameters.get("customer_id"), after: after,
            limit: limit + 1)
        let shown = actions.prefix(limit)
        let page = Page(
            items: try shown.map { try json($0, organisationID: organisationID) },
            nextCursor: actions.count > limit
                ? shown.last.map { [PublicID.action.id($0.id)] } : nil)
        return .json(page.json)
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let action = try await find(try context.parameters.require("action_id"), identity: identity)
        return .json(try json(action, organisationID: identity.organisationID))
    }

    /// Approves (`"decision": "approve"`: the action goes out) or rejects (`"reject"`: it is cancelled) an action
    /// awaiting approval, as `duly approve` does, with the caller as the one who decided and `note` on the timeline.
    func decide(_ text: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let stored = try await find(text, identity: identity)
        let body = try BodyFields(bytes, allowed: ["decision", "note"])
        let approve: Bool
        switch try body.string("decision") {
        case "approve": approve = true
        case "reject": approve = false
        case let other:
            let given = other.map { "'\($0)' is not a decision; " } ?? ""
            throw Problem(.unprocessableContent, given + "give approve or reject", field: "decision")
        }
        let organisation = try await api.organisation(identity)
        do {
            try await api.store.decide(
                stored, approve: approve, by: identity.email, note: try body.string("note"),
                playbook: try await servedPlaybook(for: organisation, in: api.store),
                organisationID: organisation.id, context: api.recording(organisation))
        } catch let refusal as ApprovalRefusal {
            switch refusal {
            case .notAwaitingApproval: throw Problem(.conflict, "the action \(refusal)")
            case .externalCapReached: throw Problem(.conflict, refusal.description)
            }
        }
        return .json(try json(try await find(text, identity: identity), organisationID: organisation.id))
    }

    // The action a public id names in the caller's organisation; 404 for any other id, another organisation's too.
    private func find(_ text: String, identity: TokenIdentity) async throws -> StoredAction {
        try await api.storedAction(text, organisationID: identity.organisationID)
    }

    func json(_ stored: StoredAction, organisationID: String) throws -> JSONNode {
        let id = PublicID.action.id(stored.id)
        return try JSONNode(encoding: ActionJSON(stored.action, id: id))
    }
}
