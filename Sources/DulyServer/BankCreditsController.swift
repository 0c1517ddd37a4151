import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// `/bank-credits`: money the bank says arrived, one credit at a time, matched to open invoices by the matcher
/// `duly import statement` uses; credits it could not match wait on the queue (`duly worklist`, `duly match`) and
/// are listed by `GET /bank-credits?status=unmatched`.
struct BankCreditsController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    static var fields: [String] {
        [
            "credit_id", "account", "booking_date", "value_date", "currency", "amount", "debtor_name", "debtor_iban",
            "reference", "end_to_end_id", "remittance",
        ]
    }
    func add(to group: RouterGroup<APIContext>) {
        group.get("bank-credits", use: list)
        group.post("bank-credits") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: create)
        }
    }

    /// The credits waiting for a person, oldest first (`status=unmatched`, the only list there is).
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let status = request.uri.queryParameters.get("status") ?? "unmatched"
        guard status == "unmatched" else {
            throw Problem(
                .badRequest, "'\(status)' is not a list of credits; the list is status=unmatched", field: "status")
        }
        let queued = try await store.unmatchedCredits(organisationID: identity.organisationID)
        let items: [JSONNode] = queued.map {
            .object(
                Self.json($0.record)
                    + [
                        ("id", .string(PublicID.bankCredit.id($0.id)))
                    ])
        }
        return .json(Page(items: items, nextCursor: nil).json)
    }

    /// Records a credit and answers what matching made of it: `matched` with the invoices it paid, or `unmatched`
    /// with the reason and candidates (and its queue `id`). The same `credit_id` posted again answers 200 with
    /// `recorded: false` and changes nothing.
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes, allowed: Self.fields)
        let organisation = try await api.organisation(identity)
        let recording = api.recording(organisation)
        let (key, account, credit) = try Self.credit(body, today: recording.date)
        let (records, _) = try await store.matchAndRecord(
            [StatementCredit(key: key, statementID: "api", account: account, credit: credit)],
            organisationID: organisation.id, context: recording)
        guard let record = records.first ?? nil else {
            return .json(["credit_id": .string(String(key.dropFirst(4))), "recorded": .bool(false)] as JSONObject)
        }
        return .json(
            try await answer(record, organisationID: organisation.id) + [("recorded", .bool(true))], status: .created)
    }

    /// A recorded credit as the API answers it: the credit, its match, and its queue id when it waits there.
    func answer(_ record: StatementCreditRecord, organisationID: String) async throws -> JSONObject {
        var object = Self.json(record)
        var id: JSONNode = .null
        if record.match.key == nil,
            let queued = try await store.unmatchedCredits(organisationID: organisationID).first(where: {
                $0.record.key == record.key
            })
        {
            id = .string(PublicID.bankCredit.id(queued.id))
        }
        object.members.append(("id", id))
        return object
    }

    // MARK: - Body and JSON

    // The credit's key is `api/` and the client's id: the same id posted twice is one credit.
    private static func credit(
        _ body: BodyFields, today: LocalDate
    ) throws -> (key: String, account: String, credit: BankCredit) {
        var errors: [Problem.FieldError] = []
        func required(_ name: String) throws -> String {
            guard let text = try body.string(name), !text.isEmpty else {
                errors.append(.init(field: name, detail: "required"))
                return ""
            }
            return text
        }
        func date(_ name: String, _ text: String?) -> LocalDate? {
            guard let text, !text.isEmpty else { return nil }
            guard let date = LocalDate(iso: text) else {
                errors.append(.init(field: name, detail: "'\(text)' is not a date in the form YYYY-MM-DD"))
                return nil
            }
            return date
        }
        let creditID = try required("credit_id")
        if creditID.count > 200 { errors.append(.init(field: "credit_id", detail: "at most 200 characters")) }
        let booking = date("booking_date", try required("booking_date"))
        let value = date("value_date", try body.string("value_date"))
        let code = try required("currency")
        let currency = Currency(code: code)
        if currency == nil && !code.isEmpty {
            errors.append(.init(field: "currency", detail: "'\(code)' is not an ISO 4217 currency code (EUR, GBP)"))
        }
        let text = try required("amount")
        var amount: Money?
        if let currency, !text.isEmpty {
            do throws(MoneyError) {
                let parsed = try Money(parsing: text, currency: currency)
                if parsed.minorUnits > 0 {
                    amount = parsed
                } else {
                    errors.append(.init(field: "amount", detail: "a credit is money received: more than zero"))
                }
            } catch {
                errors.append(.init(field: "amount", detail: error.description))
            }
        }
        // As an import refuses it: money not yet received cannot pay an invoice.
        if let booking, booking > today {
            errors.append(
                .init(
                    field: "booking_date",
                    detail: "\(booking) is after today (\(today)): money not yet received cannot pay an invoice"))
        }
        let remittance = try body.string("remittance").map { $0.split(separator: "\n").map(String.init) } ?? []
        let credit = BankCredit(
            amount: amount ?? .zero(currency ?? Currency(code: "EUR")!), bookingDate: booking ?? today,
            valueDate: value, reference: try body.string("reference"), endToEndId: try body.string("end_to_end_id"),
            debtorName: try body.string("debtor_name"), debtorIBAN: try body.string("debtor_iban"),
            remittance: remittance, entryIndex: 1, transactionIndex: 1, line: 1)
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        return ("api/" + creditID, try body.string("account") ?? "api", credit)
    }

    /// A credit with what matching made of it, named as `duly import statement --json` names it.
    static func json(_ record: StatementCreditRecord) -> JSONObject {
        let creditID = record.key.hasPrefix("api/") ? String(record.key.dropFirst(4)) : record.key
        var object: JSONObject = [
            "credit_id": .string(creditID), "account": .string(record.account),
            "booking_date": .string(record.bookingDate.description), "value_date": .text(record.valueDate?.description),
            "currency": .string(record.amount.currency.code), "amount": .string(record.amount.decimalString),
            "debtor_name": .text(record.debtorName), "debtor_iban": .text(record.debtorIBAN),
            "reference": .text(record.reference), "end_to_end_id": .text(record.endToEndId),
            "remittance": .array(record.remittance.map(JSONNode.string)),
            "notes": .array(record.match.notes.map(JSONNode.string)),
        ]
        switch record.match {
        case .matched(let customerID, let parts, let key, let confidence, _):
            object.members += [
                ("status", "matched"),
                (
                    "match",
                    .object([
                        "customer_id": .string(customerID), "key": .string(key.rawValue),
                        "confidence": .string(confidence.rawValue),
                        "invoices": .array(
                            parts.map {
                                .object([
                                    "invoice_number": .string($0.invoiceNumber),
                                    "amount": .string($0.amount.decimalString),
                                ])
                            }),
                    ])
                ),
                ("reason", .null), ("candidates", .array([])),
            ]
        case .unmatched(let reason, let candidates, _):
            object.members += [
                ("status", "unmatched"), ("match", .null), ("reason", .string(reason)),
                (
                    "candidates",
                    .array(
                        candidates.map {
                            .object([
                                "invoice_number": .string($0.invoiceNumber), "customer_id": .string($0.customerID),
                                "open": .string($0.open.decimalString), "currency": .string($0.open.currency.code),
                                "why": .string($0.why),
                            ])
                        })
                ),
            ]
        }
        return object
    }
}
