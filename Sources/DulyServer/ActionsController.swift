import DulyCore
import DulyStore
import Hummingbird

/// `/actions`: what the collection day planned and what became of it, by public id (`PublicIDs`).
struct ActionsController<Store: ServerStore> {
    let api: API<Store>

    func add(to group: RouterGroup<APIContext>) {
        group.get("actions", use: list)
        group.get("actions/{action_id}", use: get)
    }

    /// Lists actions oldest first, optionally of one customer.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisationID = identity.organisationID
        let limit = try Page.limit(request)
        var after: Int64?
        if let key = try Page.cursor(request, parts: 1) {
            guard let id = api.ids.decode(key[0], organisationID: organisationID) else {
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
                ? shown.last.map { [api.ids.encode($0.id, organisationID: organisationID)] } : nil)
        return .json(page.json)
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let text = try context.parameters.require("action_id")
        guard let id = api.ids.decode(text, organisationID: identity.organisationID),
            let action = try await api.store.action(organisationID: identity.organisationID, id: id)
        else { throw Problem.notFound("action '\(text)'") }
        return .json(try json(action, organisationID: identity.organisationID))
    }

    private func json(_ stored: StoredAction, organisationID: String) throws -> JSONNode {
        let id = api.ids.encode(stored.id, organisationID: organisationID)
        return try JSONNode(encoding: ActionJSON(stored.action, id: id))
    }
}
