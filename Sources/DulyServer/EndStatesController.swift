import DulyCore
import DulyStore
import Hummingbird

/// What makes an invoice ask for less, a manager's to record: a settlement (`POST
/// /invoices/{invoice_number}/settlement`, as `duly settle`), a write-off (`POST /invoices/{invoice_number}/write-off`,
/// as `duly write-off`), both with the caller as approver and a reason, and a credit note the business issued
/// (`POST /credit-notes`, as a UBL credit note imports one).
struct EndStatesController<Store: ServerStore> {
    let api: API<Store>

    static var creditNoteFields: [String] { ["credit_note_id", "invoice_number", "date", "amount", "reason"] }

    func add(to group: RouterGroup<APIContext>) {
        group.post("invoices/{invoice_number}/settlement") { request, context in
            let number = try context.parameters.require("invoice_number")
            return try await api.post.answer(request, context: context, role: .manager) { bytes, identity in
                try await end(.settlement, number, bytes, identity: identity)
            }
        }
        group.post("invoices/{invoice_number}/write-off") { request, context in
            let number = try context.parameters.require("invoice_number")
            return try await api.post.answer(request, context: context, role: .manager) { bytes, identity in
                try await end(.writeOff, number, bytes, identity: identity)
            }
        }
        group.post("credit-notes") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: credit)
        }
    }

    /// Settles (what is open less `agreed_amount` is waived; the agreed amount is then chased, nothing more without
    /// it) or writes off (all that is open is waived) an open invoice.
    func end(
        _ kind: CreditNote.Kind, _ number: String, _ bytes: [UInt8], identity: TokenIdentity
    ) async throws -> APIResponse {
        let organisationID = identity.organisationID
        guard try await api.store.invoice(organisationID: organisationID, number: number) != nil else {
            throw Problem.notFound("invoice '\(number)'")
        }
        let body = try BodyFields(bytes, allowed: kind == .settlement ? ["reason", "agreed_amount"] : ["reason"])
        let reason = try body.required("reason")
        let organisation = try await api.organisation(identity)
        let ended = try await Problem.recording(field: "reason") {
            try await api.store.endInvoice(
                kind, invoiceNumber: number, agreed: { try body.money("agreed_amount", currency: $0) },
                reason: reason, approvedBy: identity.email, organisationID: organisationID,
                context: api.recording(organisation))
        }
        let object: JSONObject = [
            "credit_note": CommitmentJSON.creditNote(ended.note),
            "still_chased": .text(ended.stillChased?.decimalString),
        ]
        return .json(object, status: .created)
    }

    /// Records a credit note the business issued against an invoice: the invoice then asks for that much less.
    @Sendable func credit(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let organisationID = identity.organisationID
        let body = try BodyFields(bytes, allowed: Self.creditNoteFields)
        let id = try body.required("credit_note_id")
        let number = try body.required("invoice_number")
        guard let balance = try await api.store.invoice(organisationID: organisationID, number: number) else {
            throw Problem(.unprocessableContent, "no invoice '\(number)' in this organisation", field: "invoice_number")
        }
        guard let amount = try body.money("amount", currency: balance.invoice.currency) else {
            throw Problem(.unprocessableContent, "is required", field: "amount")
        }
        let organisation = try await api.organisation(identity)
        let context = api.recording(organisation)
        let date = try body.date("date") ?? context.date
        if date > context.date {
            throw Problem(.unprocessableContent, "\(date) is after today (\(context.date))", field: "date")
        }
        let note = CreditNote(
            id: id, invoiceNumber: number, date: date, amount: amount, kind: .creditNote,
            reason: try body.string("reason"))
        try await Problem.recording(field: "amount") {
            try await api.store.recordCreditNote(note, organisationID: organisationID, context: context)
        }
        return .json(CommitmentJSON.creditNote(note), status: .created)
    }
}
