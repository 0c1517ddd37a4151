import DulyCore
import DulyStore
import Hummingbird

/// `POST /customers/{customer_id}/pause`: pause the whole chase of a customer until a date, or end the pause early,
/// as `duly pause` does (`PauseStore.pauseChase`, `endPause`).
struct PausesController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] { ["until", "reason", "by", "end"] }

    func add(to group: RouterGroup<APIContext>) {
        group.post("customers/{customer_id}/pause") { request, context in
            let customerID = try context.parameters.require("customer_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await pause(customerID, bytes, identity: identity)
            }
        }
    }

    /// Sets the pause (`until`, `reason`, `by` defaulting to the caller) or ends it (`end: true`); answers the
    /// customer's pause as it then stands.
    func pause(_ customerID: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        _ = try await api.commitmentAccount(customerID, organisationID: organisationID)
        let body = try BodyFields(bytes, allowed: Self.fields)
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let person = try body.string("by") ?? identity.email
        if try body.bool("end", default: false) {
            for field in ["until", "reason"] where try body.string(field) != nil {
                throw Problem(.unprocessableContent, "not with end: ending a pause takes no \(field)", field: field)
            }
            _ = try await api.store.endPause(
                customerID: customerID, by: person, organisationID: organisationID, context: context)
        } else {
            guard let until = try body.date("until") else {
                throw Problem(.unprocessableContent, "is required (or send end: true)", field: "until")
            }
            do {
                try await api.store.pauseChase(
                    customerID: customerID, until: until, reason: try body.string("reason") ?? "", by: person,
                    organisationID: organisationID, context: context)
            } catch let refusal as PauseRefusal {
                throw Problem(.unprocessableContent, refusal.description, field: refusal.field)
            }
        }
        let stored = try await api.store.pause(customerID: customerID, organisationID: organisationID)
        return .json(Self.json(stored, customerID: customerID, on: context.date))
    }

    /// A customer's pause as the API shows it; every field but `customer_id` and `paused` null when there is none.
    static func json(_ pause: ChasePause?, customerID: String, on date: LocalDate) -> JSONObject {
        [
            "customer_id": .string(customerID), "paused": .bool(pause?.holds(on: date) ?? false),
            "set_on": .text(pause?.setOn.description), "until": .text(pause?.until.description),
            "reason": .text(pause?.reason), "by": .text(pause?.requestedBy),
            "by_client": pause.map { .bool($0.byClient) } ?? .null,
        ]
    }
}
