import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// `POST /payments`: records money received and allocates it exactly as `duly import payments` does.
struct PaymentsController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.post("payments") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: create)
        }
    }

    /// Records a payment with the fields of `payments.csv` and answers where its money went: the allocations, the
    /// credit left on the account, and why, when it did not all go to the invoice it named. The same payment posted
    /// again answers 200 with `recorded: false` and changes nothing; another payment under an id already taken is
    /// a conflict (409).
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes, allowed: DulyCSV.paymentColumns)
        let payment = try CSVFields.record(body, columns: DulyCSV.paymentColumns, read: DulyCSV.payments)
        let organisation = try await api.organisation(identity)
        let recording = api.recording(organisation)
        // As an import refuses it: a payment is recorded once it has arrived.
        guard payment.date <= recording.date else {
            throw Problem(
                .unprocessableContent,
                "\(payment.date) is after today (\(recording.date)); a payment is recorded once it has arrived",
                field: "date")
        }
        let refusals = try await store.importRefusals(payments: [payment], organisationID: organisation.id)
        if let refusal = refusals.first { throw Problem(refusal) }
        let summary = try await store.importPayments([payment], organisationID: organisation.id, context: recording)
        var object = JSONObject(
            [
                ("payment_id", .string(payment.id)), ("customer_id", .string(payment.customerID)),
                ("date", .string(payment.date.description)), ("currency", .string(payment.amount.currency.code)),
                ("amount", .string(payment.amount.decimalString)), ("reference", .text(payment.reference)),
                ("invoice_number", .text(payment.invoiceNumber)),
            ])
        guard let outcome = summary.payments.first else {
            // Stored before with the same data: nothing was allocated now.
            object.members += [
                ("recorded", .bool(false)), ("allocations", .null), ("credit", .null), ("notes", .array([])),
            ]
            return .json(object)
        }
        let allocations: [JSONNode] = outcome.allocations.map {
            .object(["invoice_number": .string($0.invoiceNumber), "amount": .string($0.amount.decimalString)])
        }
        let notes: [JSONNode] = outcome.notes.map {
            .object([
                "code": .string($0.code),
                "detail": .string($0.explanation(paymentCurrency: payment.amount.currency)),
            ])
        }
        object.members += [
            ("recorded", .bool(true)), ("allocations", .array(allocations)),
            ("credit", .string(outcome.credit.decimalString)), ("notes", .array(notes)),
        ]
        return .json(object, status: .created)
    }
}
