import DulyCore
import DulyStore
import Hummingbird

/// Payment plans: listed with where each stands (`GET /plans`, as `duly plan list`), proposed for a customer
/// (`POST /customers/{customer_id}/plans`, as `duly plan propose`) and accepted by a manager
/// (`POST /plans/{plan_id}/acceptance`, as `duly plan accept`): from then its instalments replace the chase.
struct PlansController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] { ["invoice_numbers", "instalments", "proposed_by", "accepted", "plan_id"] }

    func add(to group: RouterGroup<APIContext>) {
        group.get("plans", use: list)
        group.post("customers/{customer_id}/plans") { request, context in
            let customerID = try context.parameters.require("customer_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await propose(customerID, bytes, identity: identity)
            }
        }
        group.post("plans/{plan_id}/acceptance") { request, context in
            let id = try context.parameters.require("plan_id")
            return try await api.post.answer(request, context: context, role: .manager) { bytes, identity in
                try await accept(id, identity: identity)
            }
        }
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        let grace = try await servedPlaybook(for: organisation, in: api.store).promiseGraceDays
        var items: [JSONNode] = []
        for account in try await api.store.accountsWithCommitments(
            organisationID: organisation.id, customerID: request.uri.queryParameters.get("customer_id"))
        {
            items += account.plans.map { CommitmentJSON.plan($0, in: account, on: today, graceDays: grace) }
        }
        return .json(try Page.positional(items, request).json)
    }

    /// Proposes a plan (it pauses nothing until accepted); `accepted: true` records both sides' agreement today,
    /// which is a manager's to give.
    func propose(_ customerID: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        _ = try await api.commitmentAccount(customerID, organisationID: organisationID)
        let body = try BodyFields(bytes, allowed: Self.fields)
        let accepted = try body.bool("accepted", default: false)
        if accepted && identity.role < .manager { throw Problem.forbidden(.manager, have: identity.role) }
        let proposedBy = try body.choice("proposed_by", default: PaymentPlan.Proposer.collector) ?? .collector
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let (plan, _) = try await Problem.recording(field: "plan_id") {
            try await api.store.proposePlan(
                customerID: customerID, invoiceNumbers: try body.strings("invoice_numbers"),
                instalments: { try Self.instalments(body, currency: $0) }, proposedBy: proposedBy,
                accepted: accepted, id: try body.string("plan_id"), organisationID: organisationID, context: context)
        }
        return try await answer(plan, customerID: customerID, organisation: organisation, status: .created)
    }

    func accept(_ id: String, identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        guard let plan = try await api.store.paymentPlan(organisationID: organisationID, id: id) else {
            throw Problem.notFound("plan '\(id)'")
        }
        let organisation = try await api.organisation(identity)
        let accepted = try await Problem.recording(field: "plan_id") {
            try await api.store.acceptPlan(plan, organisationID: organisationID, context: api.recording(organisation))
        }
        // A plan covers one customer's invoices: its first invoice says whose, by key.
        var customerID = ""
        if let number = plan.invoiceNumbers.first,
            let invoice = try await api.store.invoice(organisationID: organisationID, number: number)
        {
            customerID = invoice.invoice.customerID
        }
        return try await answer(accepted, customerID: customerID, organisation: organisation, status: .ok)
    }

    private func answer(
        _ plan: PaymentPlan, customerID: String, organisation: Organisation, status: HTTPResponse.Status
    ) async throws -> APIResponse {
        let account = try await api.commitmentAccount(customerID, organisationID: organisation.id)
        let grace = try await servedPlaybook(for: organisation, in: api.store).promiseGraceDays
        return .json(
            CommitmentJSON.plan(plan, in: account, on: api.clock.today(organisation.timeZone), graceDays: grace),
            status: status)
    }

    // `instalments`: an array of `{"due_date": "2026-04-15", "amount": "150.00"}`.
    private static func instalments(_ body: BodyFields, currency: Currency) throws -> [PaymentPlan.Instalment] {
        guard case .array(let items) = body.object["instalments"] ?? .null else {
            throw Problem(
                .unprocessableContent, "give an array of {\"due_date\": \"YYYY-MM-DD\", \"amount\": \"150.00\"}",
                field: "instalments")
        }
        return try items.enumerated().map { index, item in
            let field = "instalments[\(index)]"
            guard case .object(let object) = item else {
                throw Problem(.unprocessableContent, "must be an object with due_date and amount", field: field)
            }
            // The instalment's own members are named under it: `instalments[1].amount`.
            do {
                let fields = try BodyFields(JSONBody.encode(object), allowed: ["due_date", "amount"])
                guard let date = try fields.date("due_date") else {
                    throw Problem(.unprocessableContent, "is required", field: "due_date")
                }
                guard let amount = try fields.money("amount", currency: currency) else {
                    throw Problem(.unprocessableContent, "is required", field: "amount")
                }
                return PaymentPlan.Instalment(dueDate: date, amount: amount)
            } catch let problem as Problem {
                throw Problem(problem.status, problem.detail, field: "\(field).\(problem.field ?? "")")
            }
        }
    }
}
