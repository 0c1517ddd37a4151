import DulyCore
import DulyStore
import Hummingbird

/// Promises to pay: listed with where each stands (`GET /promises`, as `duly promise list`), recorded for a customer
/// (`POST /customers/{customer_id}/promises`, as `duly promise add`) and withdrawn when recorded by mistake
/// (`POST /promises/{promise_id}/withdrawal`, as `duly promise withdraw`).
struct PromisesController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] {
        ["invoice_numbers", "amount", "promised_date", "channel", "promised_by", "promise_id"]
    }

    func add(to group: RouterGroup<APIContext>) {
        group.get("promises", use: list)
        group.post("customers/{customer_id}/promises") { request, context in
            let customerID = try context.parameters.require("customer_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await create(customerID, bytes, identity: identity)
            }
        }
        group.post("promises/{promise_id}/withdrawal") { request, context in
            let id = try context.parameters.require("promise_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await withdraw(id, bytes, identity: identity)
            }
        }
    }

    /// Every promise (or one customer's), by customer, with its state today; withdrawn ones after, for the record.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let customerID = request.uri.queryParameters.get("customer_id")
        let today = api.clock.today(organisation.timeZone)
        let grace = try await servedPlaybook(for: organisation, in: api.store).promiseGraceDays
        var items: [JSONNode] = []
        for account in try await api.store.accountsWithCommitments(
            organisationID: organisation.id, customerID: customerID)
        {
            items += account.promises.map { CommitmentJSON.promise($0, in: account, on: today, graceDays: grace) }
        }
        for withdrawn in try await api.store.withdrawnPromises(organisationID: organisation.id, customerID: customerID)
        {
            items.append(
                CommitmentJSON.promise(
                    withdrawn.promise, customerID: withdrawn.customerID, state: "withdrawn", received: nil,
                    withdrawal: withdrawn.withdrawal))
        }
        return .json(try Page.positional(items, request).json)
    }

    /// Records a promise: the chase of its invoices waits until the date plus the playbook's grace days.
    func create(_ customerID: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        _ = try await api.commitmentAccount(customerID, organisationID: organisationID)
        let body = try BodyFields(bytes, allowed: Self.fields)
        guard let promisedDate = try body.date("promised_date") else {
            throw Problem(.unprocessableContent, "is required", field: "promised_date")
        }
        let channel = try body.choice("channel", default: Channel?.none)
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let promise = try await Problem.recording(field: "promise_id") {
            try await api.store.addPromise(
                customerID: customerID, invoiceNumbers: try body.strings("invoice_numbers"),
                amount: { try body.money("amount", currency: $0) }, promisedDate: promisedDate, channel: channel,
                promisedBy: try body.string("promised_by"), id: try body.string("promise_id"),
                organisationID: organisationID, context: context)
        }
        let account = try await api.commitmentAccount(customerID, organisationID: organisationID)
        let grace = try await servedPlaybook(for: organisation, in: api.store).promiseGraceDays
        return .json(CommitmentJSON.promise(promise, in: account, on: context.date, graceDays: grace), status: .created)
    }

    /// Withdraws a promise recorded by mistake, with the caller as who withdrew it and `reason` on the timeline.
    func withdraw(_ id: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        let withdrawn = try await api.store.withdrawnPromises(organisationID: organisationID, customerID: nil)
        if let earlier = withdrawn.first(where: { $0.promise.id == id }) {
            throw Problem(.conflict, "promise '\(id)' was withdrawn on \(earlier.withdrawal.withdrawnOn) already")
        }
        let accounts = try await api.store.accountsWithCommitments(organisationID: organisationID, customerID: nil)
        guard let account = accounts.first(where: { $0.promises.contains { $0.id == id } }) else {
            throw Problem.notFound("promise '\(id)'")
        }
        let body = try BodyFields(bytes, allowed: ["reason"])
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let withdrawal = PromiseWithdrawal(
            promiseID: id, withdrawnOn: context.date, withdrawnBy: identity.email, reason: try body.required("reason"))
        let promise = try await Problem.recording(field: "reason") {
            try await api.store.withdrawPromise(withdrawal, organisationID: organisationID, context: context)
        }
        return .json(
            CommitmentJSON.promise(
                promise, customerID: account.customer.id, state: "withdrawn", received: nil, withdrawal: withdrawal))
    }
}
