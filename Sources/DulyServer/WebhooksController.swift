import DulyCore
import DulyStore
import Hummingbird

/// `/webhooks`: the organisation's webhook subscribers, as `duly webhooks add|list|remove` manage them; owners only.
/// A subscriber's signing secret is made up by Duly and shown once, in the answer to its creation.
struct WebhooksController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    static var fields: [String] { ["url", "events"] }

    func add(to group: RouterGroup<APIContext>) {
        group.get("webhooks", use: list)
        group.post("webhooks") { request, context in
            try await api.post.answer(request, context: context, role: .owner, handler: create)
        }
        group.delete("webhooks/{webhook_id}", use: remove)
    }

    /// The subscribers, oldest first, without their secrets. One page: an organisation has a handful.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.owner)
        let subscribers = try await store.webhookSubscribers(organisationID: identity.organisationID)
        let page = Page(items: subscribers.map { .object(json($0, identity: identity)) }, nextCursor: nil)
        return .json(page.json)
    }

    /// Adds a subscriber: `url` (http or https) and `events` (a list of event types; absent or `["all"]` for every
    /// type, present and future). Answers 201 with the subscriber and its `secret`, which is never shown again.
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes, allowed: Self.fields)
        guard let url = try body.string("url") else {
            throw Problem(.unprocessableContent, "the URL events are POSTed to is required", field: "url")
        }
        var names = ["all"]
        switch body.object["events"] {
        case nil, .null: break
        case .array(let values):
            names = try values.map { value in
                guard case .string(let name) = value else {
                    throw Problem(.unprocessableContent, "must be a list of event type names", field: "events")
                }
                return name
            }
        case .some(let other):
            throw Problem(
                .unprocessableContent, "must be a list of event type names, not \(other.kind)", field: "events")
        }
        let events: Set<WebhookEventType>?
        do throws(WebhookSubscription.Refusal) {
            try WebhookSubscription.check(url: url)
        } catch {
            throw Problem(.unprocessableContent, error.description, field: "url")
        }
        do throws(WebhookSubscription.Refusal) {
            events = try WebhookSubscription.eventTypes(names)
        } catch {
            throw Problem(.unprocessableContent, "the list \(error.description)", field: "events")
        }
        let secret = WebhookSubscription.newSecret()
        let subscriber = try await store.addWebhookSubscriber(
            url: url, events: events, secret: secret, organisationID: identity.organisationID,
            createdAt: api.clock.timestamp())
        var object = json(subscriber, identity: identity)
        object.members.append(("secret", .string(secret)))
        return .json(object, status: .created)
    }

    /// Removes a subscriber: what it was still due is cancelled, its delivery log stays. 204 on success.
    @Sendable func remove(_ request: Request, context: APIContext) async throws -> Response {
        let identity = try context.require(.owner)
        let text = try context.parameters.require("webhook_id")
        guard
            let id = PublicID.webhookSubscriber.number(in: text)
                ?? api.legacyIDs.number(in: text, organisationID: identity.organisationID, kind: .webhookSubscriber),
            try await store.removeWebhookSubscriber(
                id: id, organisationID: identity.organisationID, removedAt: api.clock.timestamp())
        else { throw Problem.notFound("webhook subscriber '\(text)'") }
        return Response(status: .noContent)
    }

    private func json(_ subscriber: WebhookSubscriber, identity: TokenIdentity) -> JSONObject {
        [
            "id": .string(PublicID.webhookSubscriber.id(subscriber.id)),
            "url": .string(subscriber.url),
            "events": .array((subscriber.events.map { $0.sorted().map(\.rawValue) } ?? ["all"]).map(JSONNode.string)),
            "created_at": .string(subscriber.createdAt),
        ]
    }
}
