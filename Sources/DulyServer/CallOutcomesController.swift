import DulyCore
import DulyStore
import Hummingbird

/// `POST /actions/{action_id}/outcome`: what a call or meeting came to, as `duly log-call` records it
/// (`CollectorStore.logCall`): a promise pauses the chase, a dispute pauses the invoices, a refusal moves the account
/// to non-payment, a call-back plans a call on the day asked.
struct CallOutcomesController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] { ["outcome", "date", "amount", "reason", "reason_code", "promised_by", "note"] }

    func add(to group: RouterGroup<APIContext>) {
        group.post("actions/{action_id}/outcome") { request, context in
            let id = try context.parameters.require("action_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await record(id, bytes, identity: identity)
            }
        }
    }

    func record(_ text: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        let stored = try await api.storedAction(text, organisationID: organisationID)
        let body = try BodyFields(bytes, allowed: Self.fields)
        let chosen: CallOutcome? = try body.choice("outcome", default: nil)
        guard let outcome = chosen else {
            throw Problem(.unprocessableContent, "is required", field: "outcome")
        }
        let date = try body.date("date")
        let reasonCode = try body.choice("reason_code", default: DisputeReason.other) ?? .other
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let logged = try await Problem.recording(field: "outcome") {
            try await api.store.logCall(
                stored, named: PublicID.action.id(stored.id), outcome: outcome, date: date,
                amount: { try body.money("amount", currency: $0) },
                reason: try body.string("reason"), reasonCode: reasonCode, promisedBy: try body.string("promised_by"),
                note: try body.string("note"), organisationID: organisationID, context: context)
        }
        let actions = ActionsController(api: api)
        let currency = logged.promise?.amount.currency ?? organisation.baseCurrency
        let account = try await api.commitmentAccount(stored.customerID, organisationID: organisationID)
        let grace = try await servedPlaybook(for: organisation, in: api.store).promiseGraceDays
        let object: JSONObject = [
            "action": try actions.json(
                try await api.storedAction(text, organisationID: organisationID), organisationID: organisationID),
            "summary": .string(logged.summary),
            "promise": logged.promise.map {
                CommitmentJSON.promise($0, in: account, on: context.date, graceDays: grace)
            } ?? .null,
            "disputes": .array(
                try await logged.disputes.asyncMap { dispute in
                    let invoice = try await api.store.invoice(
                        organisationID: organisationID, number: dispute.invoiceNumber)
                    return CommitmentJSON.dispute(
                        dispute, customerID: stored.customerID, currency: invoice?.invoice.currency ?? currency,
                        on: context.date)
                }),
        ]
        return .json(object, status: .created)
    }
}

extension Array {
    /// The elements transformed in order, one at a time.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
