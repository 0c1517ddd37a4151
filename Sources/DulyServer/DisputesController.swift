import DulyCore
import DulyStore
import Hummingbird

/// Disputes: listed oldest first with their age and outcome (`GET /disputes`, as `duly dispute list`), opened on an
/// invoice (`POST /invoices/{invoice_number}/disputes`, as `duly dispute open`) and resolved
/// (`POST /disputes/{dispute_id}/resolution`, as `duly dispute resolve`). A collector opens them and rejects them;
/// upholding one (a credit) or settling one (money waived) is a manager's.
struct DisputesController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] { ["reason_code", "reason", "amount", "owner", "dispute_id"] }

    func add(to group: RouterGroup<APIContext>) {
        group.get("disputes", use: list)
        group.post("invoices/{invoice_number}/disputes") { request, context in
            let number = try context.parameters.require("invoice_number")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await open(number, bytes, identity: identity)
            }
        }
        group.post("disputes/{dispute_id}/resolution") { request, context in
            let id = try context.parameters.require("dispute_id")
            return try await api.post.answer(request, context: context, role: .collector) { bytes, identity in
                try await resolve(id, bytes, identity: identity)
            }
        }
    }

    /// Disputes oldest first, of one customer with `customer_id`, only the open ones with `open=true`.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let query = request.uri.queryParameters
        var openOnly = false
        if let text = query.get("open") {
            guard let flag = Bool(text) else {
                throw Problem(.badRequest, "'\(text)' is not true or false", field: "open")
            }
            openOnly = flag
        }
        let today = api.clock.today(organisation.timeZone)
        var disputes: [(account: Account, dispute: Dispute)] = []
        for account in try await api.store.accountsWithCommitments(
            organisationID: organisation.id, customerID: query.get("customer_id"))
        {
            for dispute in account.disputes where !openOnly || dispute.isOpen(on: today) {
                disputes.append((account, dispute))
            }
        }
        disputes.sort { ($0.dispute.openedOn, $0.dispute.id) < ($1.dispute.openedOn, $1.dispute.id) }
        let items = disputes.map { account, dispute in
            CommitmentJSON.dispute(
                dispute, customerID: account.customer.id,
                currency: Self.currency(of: dispute, in: account) ?? organisation.baseCurrency,
                on: today)
        }
        return .json(try Page.positional(items, request).json)
    }

    func open(_ number: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        guard let balance = try await api.store.invoice(organisationID: organisationID, number: number) else {
            throw Problem.notFound("invoice '\(number)'")
        }
        let body = try BodyFields(bytes, allowed: Self.fields)
        let reason = try body.required("reason")
        let reasonCode = try body.choice("reason_code", default: DisputeReason.other) ?? .other
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let dispute = try await Problem.recording(field: "dispute_id") {
            try await api.store.openDispute(
                invoiceNumber: number, amount: { try body.money("amount", currency: $0) }, reasonCode: reasonCode,
                reason: reason, owner: try body.string("owner"), id: try body.string("dispute_id"),
                organisationID: organisationID, context: context)
        }
        return .json(
            CommitmentJSON.dispute(
                dispute, customerID: balance.invoice.customerID, currency: balance.invoice.currency, on: context.date),
            status: .created)
    }

    /// Ends a dispute: `rejected` (the chase resumes and the client is told), `upheld` (the disputed amount is
    /// credited) or `settled` (for `agreed_amount`; the rest is waived with the caller as approver).
    func resolve(_ id: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        guard let dispute = try await api.store.dispute(organisationID: organisationID, id: id) else {
            throw Problem.notFound("dispute '\(id)'")
        }
        let body = try BodyFields(bytes, allowed: ["outcome", "agreed_amount", "note"])
        let chosen: DisputeOutcome? = try body.choice("outcome", default: nil)
        guard let outcome = chosen else { throw Problem(.unprocessableContent, "is required", field: "outcome") }
        // Crediting an invoice or waiving part of it is a manager's decision.
        if outcome != .rejected && identity.role < .manager { throw Problem.forbidden(.manager, have: identity.role) }
        if outcome == .settled && body.object["agreed_amount"] == nil {
            throw Problem(.unprocessableContent, "a settled dispute needs the agreed amount", field: "agreed_amount")
        }
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let resolved = try await Problem.recording(field: outcome == .settled ? "agreed_amount" : "outcome") {
            try await api.store.resolve(
                dispute, outcome: outcome, agreedAmount: { try body.money("agreed_amount", currency: $0) },
                note: try body.string("note"), approvedBy: outcome == .settled ? identity.email : nil,
                organisationID: organisationID, context: context)
        }
        guard let balance = try await api.store.invoice(organisationID: organisationID, number: dispute.invoiceNumber)
        else { throw StoreError.invoiceNotFound(dispute.invoiceNumber) }
        return .json(
            CommitmentJSON.dispute(
                resolved.dispute, customerID: balance.invoice.customerID, currency: balance.invoice.currency,
                on: context.date))
    }

    // The currency of the dispute's invoice (an account's invoices are all there, closed ones too).
    private static func currency(of dispute: Dispute, in account: Account) -> Currency? {
        account.invoices.first { $0.invoice.number == dispute.invoiceNumber }?.invoice.currency
            ?? dispute.amount?.currency
    }
}
