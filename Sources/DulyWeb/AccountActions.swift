import Crypto
import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// What a collector or a manager records from the account page: a promise, a plan proposed or accepted, a dispute
/// opened or resolved, a settlement, a write-off; and the evidence pack to download. Each form records through the
/// store's rule that `duly promise|plan|dispute|settle|write-off` and the API's routes use (`CommitmentRecording`),
/// with the role the API asks for: a collector promises, proposes and disputes (and rejects a dispute); accepting a
/// plan, upholding or settling a dispute, settling and writing off are a manager's. A refused form comes back with
/// the values kept and the reason next to its field (422); a recorded one redirects to the page with a notice. Every
/// form carries a one-time `submission` token kept as an idempotency key: sent again (a reload, a double click, the
/// back button), it is answered with the same redirect and nothing is recorded twice.
struct AccountActions<Store: WebStore> {
    let web: WebScreens<Store>
    let screen: AccountScreen<Store>

    func add(to group: RouterGroup<WebContext>) {
        group.post("accounts/:customer/promises", use: promise)
        group.post("accounts/:customer/plans", use: plan)
        group.post("accounts/:customer/plans/:plan/acceptance", use: acceptPlan)
        group.post("accounts/:customer/disputes", use: dispute)
        group.post("accounts/:customer/disputes/:dispute/resolution", use: resolveDispute)
        group.post("accounts/:customer/settlement", use: settle)
        group.post("accounts/:customer/write-off", use: writeOff)
        group.get("accounts/:customer/evidence", use: evidence)
    }

    // MARK: - The forms

    @Sendable func promise(_ request: Request, context: WebContext) async throws -> Response {
        try await record("promise", request, context: context, role: .collector) { posted in
            guard let text = posted.form["promised_date"] else {
                throw CommitmentRefusal.invalid("give the date the client promised to pay by", field: "promised_date")
            }
            let date = try Self.date(text, field: "promised_date")
            let promise = try await web.store.addPromise(
                customerID: posted.customerID, invoiceNumbers: Self.numbers(posted.form["invoice_numbers"]),
                amount: { try Self.money(posted.form["amount"], field: "amount", currency: $0) }, promisedDate: date,
                channel: nil, promisedBy: posted.form["promised_by"], id: nil, organisationID: posted.organisation.id,
                context: posted.recording)
            return "Promise \(promise.id) recorded: \(promise.amount) by \(promise.promisedDate)."
        }
    }

    @Sendable func plan(_ request: Request, context: WebContext) async throws -> Response {
        try await record("plan", request, context: context, role: .collector) { posted in
            let accepted = posted.form["accepted"] != nil
            // Agreeing a plan on both sides at once is a manager's, as in the API.
            if accepted && posted.user.role < .manager {
                throw WebError(.forbidden, "Accepting a plan needs the manager role; propose it instead.")
            }
            let proposer = posted.form["proposed_by"].flatMap(PaymentPlan.Proposer.init(rawValue:)) ?? .collector
            let (plan, open) = try await web.store.proposePlan(
                customerID: posted.customerID, invoiceNumbers: Self.numbers(posted.form["invoice_numbers"]),
                instalments: { try Self.instalments(posted.form["instalments"], currency: $0) }, proposedBy: proposer,
                accepted: accepted, id: nil, organisationID: posted.organisation.id, context: posted.recording)
            let sum = plan.total == open ? "" : " (they add up to \(plan.total); \(open) is open on those invoices)"
            return "Plan \(plan.id) \(accepted ? "agreed" : "proposed"): \(plan.instalments.count) instalment"
                + (plan.instalments.count == 1 ? "" : "s") + sum + "."
        }
    }

    @Sendable func acceptPlan(_ request: Request, context: WebContext) async throws -> Response {
        let id = context.parameters.get("plan") ?? ""
        return try await record("accept", target: id, request, context: context, role: .manager) { posted in
            guard let plan = posted.commitments?.plans.first(where: { $0.id == id }) else { throw WebError.notFound }
            let accepted = try await web.store.acceptPlan(
                plan, organisationID: posted.organisation.id, context: posted.recording)
            return "Plan \(accepted.id) accepted: its instalments now replace the chase of "
                + "\(accepted.invoiceNumbers.joined(separator: ", "))."
        }
    }

    @Sendable func dispute(_ request: Request, context: WebContext) async throws -> Response {
        try await record("dispute", request, context: context, role: .collector) { posted in
            guard let number = posted.form["invoice_number"] else {
                throw CommitmentRefusal.invalid("choose the invoice disputed", field: "invoice_number")
            }
            // The store finds invoices by number across the organisation: this page is about one customer's.
            try await Self.requireInvoice(number, of: posted, in: web.store)
            guard let reason = posted.form["reason"] else {
                throw CommitmentRefusal.invalid("give the client's reason, in their words", field: "reason")
            }
            guard let code = DisputeReason(rawValue: posted.form["reason_code"] ?? DisputeReason.other.rawValue) else {
                throw CommitmentRefusal.invalid("choose one of the reasons listed", field: "reason_code")
            }
            let dispute = try await web.store.openDispute(
                invoiceNumber: number, amount: { try Self.money(posted.form["amount"], field: "amount", currency: $0) },
                reasonCode: code, reason: reason, owner: posted.form["owner"], id: nil,
                organisationID: posted.organisation.id, context: posted.recording)
            return "Dispute \(dispute.id) opened on \(number)"
                + (dispute.amount.map { " for \($0)" } ?? "")
                + ": the disputed amount is not chased until it is resolved."
        }
    }

    @Sendable func resolveDispute(_ request: Request, context: WebContext) async throws -> Response {
        let id = context.parameters.get("dispute") ?? ""
        return try await record("resolve", target: id, request, context: context, role: .collector) { posted in
            guard let dispute = posted.commitments?.disputes.first(where: { $0.id == id }) else {
                throw WebError.notFound
            }
            guard let outcome = posted.form["outcome"].flatMap(DisputeOutcome.init(rawValue:)) else {
                throw CommitmentRefusal.invalid("choose how the dispute ends", field: "outcome")
            }
            // Crediting an invoice or waiving part of it is a manager's decision, as in the API.
            if outcome != .rejected && posted.user.role < .manager {
                throw WebError(.forbidden, "A dispute \(outcome.rawValue) needs the manager role.")
            }
            if outcome == .settled && posted.form["agreed_amount"] == nil {
                throw CommitmentRefusal.invalid("a settled dispute needs the agreed amount", field: "agreed_amount")
            }
            let resolved = try await web.store.resolve(
                dispute, outcome: outcome,
                agreedAmount: { try Self.money(posted.form["agreed_amount"], field: "agreed_amount", currency: $0) },
                note: posted.form["note"], approvedBy: outcome == .settled ? posted.user.email : nil,
                organisationID: posted.organisation.id, context: posted.recording)
            return "Dispute \(resolved.dispute.id) resolved: \(outcome.rawValue)"
                + (resolved.agreed.map { " at \($0)" } ?? "") + "."
        }
    }

    @Sendable func settle(_ request: Request, context: WebContext) async throws -> Response {
        try await end(.settlement, "settle", request, context: context)
    }

    @Sendable func writeOff(_ request: Request, context: WebContext) async throws -> Response {
        try await end(.writeOff, "write_off", request, context: context)
    }

    private func end(
        _ kind: CreditNote.Kind, _ name: String, _ request: Request, context: WebContext
    ) async throws -> Response {
        try await record(name, request, context: context, role: .manager) { posted in
            guard let number = posted.form["invoice_number"] else {
                throw CommitmentRefusal.invalid("choose the invoice", field: "invoice_number")
            }
            try await Self.requireInvoice(number, of: posted, in: web.store)
            guard let reason = posted.form["reason"] else {
                throw CommitmentRefusal.invalid("give the reason (it goes on the timeline)", field: "reason")
            }
            let ended = try await web.store.endInvoice(
                kind, invoiceNumber: number,
                agreed: { currency in
                    guard kind == .settlement else { return nil }
                    return try Self.money(posted.form["agreed_amount"], field: "agreed_amount", currency: currency)
                },
                reason: reason, approvedBy: posted.user.email, organisationID: posted.organisation.id,
                context: posted.recording)
            let what = kind == .settlement ? "settled" : "written off"
            return "\(number) \(what): \(ended.note.amount) waived"
                + (ended.stillChased.map { "; \($0) is still chased" } ?? "") + "."
        }
    }

    /// The evidence pack `duly evidence` writes and the API serves, as a download.
    @Sendable func evidence(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let organisation = try await web.organisation(user)
        guard let customerID = context.parameters.get("customer"),
            let download = try await EvidenceDownload.make(
                store: web.store, organisation: organisation, customerID: customerID,
                on: web.clock.today(organisation.timeZone), regime: nil, contractualRate: nil, rates: web.rates,
                generatedAt: web.clock.timestamp())
        else { throw WebError.notFound }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip",
                .contentDisposition: "attachment; filename=\"\(download.fileName)\"",
                HTTPFields.Element.Name("Duly-Timeline-Verification")!: download.verification,
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: download.bytes)))
    }

    // MARK: - Recording a form once

    /// What a form's handler works with: who posted what, about which account, and today's recording context.
    struct Posted {
        var user: WebUser
        var organisation: Organisation
        var customerID: String
        var form: Form
        var commitments: Account?
        var recording: RecordingContext
    }

    /// Checks the role, the CSRF token and the account, then records the form once: the handler's words become the
    /// notice on the page it redirects to. A refusal re-renders the page with the form as sent and the reason at
    /// its field.
    private func record(
        _ name: String, target: String? = nil, _ request: Request, context: WebContext, role: Role,
        _ handler: (Posted) async throws -> String
    ) async throws -> Response {
        let user = try context.require(role)
        let form = try await web.form(request, context: context)
        let organisation = try await web.organisation(user)
        guard let customerID = context.parameters.get("customer"),
            try await web.store.customer(organisationID: organisation.id, customerID: customerID) != nil
        else { throw WebError.notFound }
        guard let submission = form["submission"] else {
            throw WebError(.badRequest, "This form is missing its submission token: reload the page and send it again.")
        }
        let key = "web-" + submission
        let back = "/accounts/\(percentEncoded(customerID))"
        switch try await web.store.claimIdempotency(
            key: key, requestHash: Self.hash(request.uri.path, form), organisationID: organisation.id,
            at: web.clock.unixTime())
        {
        case .answered(let stored):
            // Sent again: the same answer, nothing recorded a second time.
            return seeOther(String(decoding: stored.body, as: UTF8.self))
        case .differentRequest:
            throw WebError(
                .conflict, "This form was already sent with other values. Reload the account page to send a new one.")
        case .inProgress:
            throw WebError(.conflict, "This form is being recorded right now. Reload the account page in a moment.")
        case .claimed:
            break
        }
        let posted = Posted(
            user: user, organisation: organisation, customerID: customerID, form: form,
            commitments: try await web.store.accountsWithCommitments(
                organisationID: organisation.id, customerID: customerID
            ).first,
            recording: RecordingContext(
                date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp()))
        let notice: String
        do {
            notice = try await handler(posted)
        } catch {
            try await web.store.releaseIdempotency(key: key, organisationID: organisation.id)
            guard let failure = Self.failure(error, form: name, target: target, values: form) else { throw error }
            return try await screen.render(
                user: user, customerID: customerID, notice: nil, failed: failure, status: .unprocessableContent)
        }
        let location = back + "?logged=" + percentEncoded(notice)
        try await web.store.finishIdempotency(
            key: key, response: StoredResponse(status: 303, contentType: "text/uri-list", body: Array(location.utf8)),
            organisationID: organisation.id)
        return seeOther(location)
    }

    /// A refusal as the form shows it: at its field when it names one the form has, above the form otherwise; nil
    /// for what is not a refusal (a role, a missing record, a failure of the server), which answers as it is.
    static func failure(_ error: any Error, form: String, target: String?, values: Form) -> FailedForm? {
        let message: String
        let field: String?
        switch error {
        case let refusal as CommitmentRefusal:
            message = refusal.description
            field = refusal.field
        case StoreError.invalid(let text):
            message = text
            field = nil
        case StoreError.conflict(let kind, let key, let conflicting):
            message =
                "\(kind.replacingOccurrences(of: "_", with: " ")) '\(key)' is recorded with another \(conflicting)"
            field = nil
        default:
            return nil
        }
        return FailedForm(name: form, target: target, values: values.fields, field: field, message: message)
    }

    private static func hash(_ path: String, _ form: Form) -> String {
        let canonical =
            path + "\n"
            + form.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
        return Hex.encode(SHA256.hash(data: Array(canonical.utf8)))
    }

    // MARK: - Reading the fields

    static func numbers(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    static func date(_ text: String, field: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else {
            throw CommitmentRefusal.invalid("'\(text)' is not a date; write YYYY-MM-DD", field: field)
        }
        return date
    }

    /// An amount in the invoices' currency; nil when the field is empty.
    static func money(_ text: String?, field: String, currency: Currency) throws -> Money? {
        guard let text else { return nil }
        do { return try Money(parsing: text, currency: currency) } catch {
            throw CommitmentRefusal.invalid("'\(text)': \(error)", field: field)
        }
    }

    /// Instalments one per line, `DATE AMOUNT` or `DATE=AMOUNT` as `duly plan propose --instalment` takes them.
    static func instalments(_ text: String?, currency: Currency) throws -> [PaymentPlan.Instalment] {
        let lines = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return try lines.enumerated().map { index, line in
            let parts = line.split(whereSeparator: { $0 == "=" || $0 == " " || $0 == "\t" })
            guard parts.count == 2, let date = LocalDate(iso: parts[0]) else {
                throw CommitmentRefusal.invalid(
                    "line \(index + 1), '\(line)': write DATE AMOUNT, like 2026-12-15 250.00", field: "instalments")
            }
            guard let amount = try money(String(parts[1]), field: "instalments", currency: currency) else {
                throw CommitmentRefusal.invalid("line \(index + 1) has no amount", field: "instalments")
            }
            return PaymentPlan.Instalment(dueDate: date, amount: amount)
        }
    }

    /// Refuses an invoice number that is not one of this account's.
    private static func requireInvoice(_ number: String, of posted: Posted, in store: Store) async throws {
        guard let balance = try await store.invoice(organisationID: posted.organisation.id, number: number),
            balance.invoice.customerID == posted.customerID
        else {
            throw CommitmentRefusal.invalid("this account has no invoice '\(number)'", field: "invoice_number")
        }
    }
}

/// A form the store refused, to show again as it was sent: which form (and which plan or dispute it was about), its
/// values, and the reason, at `field` when the form has that field.
struct FailedForm: Sendable {
    var name: String
    var target: String?
    var values: [String: String]
    var field: String?
    var message: String
}
