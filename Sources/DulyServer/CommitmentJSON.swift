import DulyCore
import DulyStore
import Hummingbird

// What the collector's and the manager's routes share: reading amounts and dates from a body, answering a refusal
// of the store's rules (`CommitmentRecording`) as problem details, a list paged by position, and the JSON of
// promises, plans, disputes and credit notes.

extension BodyFields {
    /// The member as an amount in `currency`: a decimal string, more than zero; nil when absent or null.
    func money(_ name: String, currency: Currency) throws -> Money? {
        guard let text = try string(name) else { return nil }
        let amount: Money
        do {
            amount = try Money(parsing: text, currency: currency)
        } catch {
            throw Problem(.unprocessableContent, "'\(text)' is not an amount: \(error)", field: name)
        }
        guard amount.minorUnits > 0 else {
            throw Problem(.unprocessableContent, CommitmentError.amountNotPositive(amount).description, field: name)
        }
        return amount
    }

    /// The member as a date (YYYY-MM-DD); nil when absent or null.
    func date(_ name: String) throws -> LocalDate? {
        guard let text = try string(name) else { return nil }
        guard let date = LocalDate(iso: text) else {
            throw Problem(.unprocessableContent, "'\(text)' is not a date; write it as YYYY-MM-DD", field: name)
        }
        return date
    }

    /// The member as a string that must be there and not blank.
    func required(_ name: String) throws -> String {
        guard let text = try string(name), !text.allSatisfy(\.isWhitespace) else {
            throw Problem(.unprocessableContent, "is required", field: name)
        }
        return text
    }

    /// The member as one of an enumeration's raw values; `default` when absent or null.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default value: Value?) throws -> Value?
    where Value.RawValue == String {
        guard let text = try string(name) else { return value }
        guard let chosen = Value(rawValue: text) else {
            let values = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.unprocessableContent, "'\(text)' is not one of \(values)", field: name)
        }
        return chosen
    }

    /// The member as an array of strings; empty when absent or null.
    func strings(_ name: String) throws -> [String] {
        switch object[name] {
        case nil, .null: return []
        case .array(let items):
            return try items.map { item in
                guard case .string(let text) = item else {
                    throw Problem(.unprocessableContent, "must be an array of strings", field: name)
                }
                return text
            }
        case .some(let other):
            throw Problem(.unprocessableContent, "must be an array of strings, not \(other.kind)", field: name)
        }
    }
}

extension Problem {
    /// A refusal of the store's rules, naming its field: a rule broken is a 422, a record no longer in a state to
    /// allow it a 409. A record the request names in its body and the organisation lacks is a 422 too: a path's
    /// record is looked up, and answered 404, before the rules are asked.
    init(_ refusal: CommitmentRefusal) {
        switch refusal {
        case .notFound, .invalid: self.init(.unprocessableContent, refusal.description, field: refusal.field)
        case .conflict: self.init(.conflict, refusal.description, field: refusal.field)
        }
    }

    /// Runs a record through the store's rules, answering its refusals as problems; `StoreError.invalid` (a rule
    /// the store checks as it writes) names `field`.
    static func recording<Value>(field: String, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let refusal as CommitmentRefusal {
            throw Problem(refusal)
        } catch StoreError.invalid(let message) {
            throw Problem(.unprocessableContent, message, field: field)
        } catch StoreError.conflict(let kind, let key, let conflicting) {
            throw Problem(
                .conflict,
                "\(kind.replacingOccurrences(of: "_", with: " ")) '\(key)' is recorded with another "
                    + "\(conflicting); give another id", field: conflicting)
        }
    }
}

extension Page {
    /// A page of a list made whole for each request: the cursor is a position in it.
    static func positional(_ items: [JSONNode], _ request: Request) throws -> Page {
        let limit = try Page.limit(request)
        var start = 0
        if let key = try Page.cursor(request, parts: 1) {
            guard let position = Int(key[0]), position >= 0 else {
                throw Problem(.badRequest, "not a cursor this list gave", field: "cursor")
            }
            start = position
        }
        let end = min(items.count, start + limit)
        return Page(
            items: start < end ? Array(items[start..<end]) : [], nextCursor: end < items.count ? [String(end)] : nil)
    }
}

/// The JSON of the collector's records, with fields named as `duly … list --json` and the CSV files name them.
enum CommitmentJSON {
    static func promise(
        _ promise: PromiseToPay, customerID: String, state: String, received: Money?,
        withdrawal: PromiseWithdrawal? = nil
    ) -> JSONNode {
        .object([
            "promise_id": .string(promise.id), "customer_id": .string(customerID),
            "invoice_numbers": .array(promise.invoiceNumbers.map(JSONNode.string)),
            "amount": .string(promise.amount.decimalString), "currency": .string(promise.amount.currency.code),
            "promised_date": .string(promise.promisedDate.description), "made_on": .string(promise.madeOn.description),
            "channel": .text(promise.channel?.rawValue), "promised_by": .text(promise.promisedBy),
            "state": .string(state), "received": .text(received?.decimalString),
            "withdrawn_on": .text(withdrawal?.withdrawnOn.description), "withdrawn_by": .text(withdrawal?.withdrawnBy),
            "withdrawal_reason": .text(withdrawal?.reason),
        ])
    }

    /// A promise as it stands on `date` in its account.
    static func promise(_ promise: PromiseToPay, in account: Account, on date: LocalDate, graceDays: Int) -> JSONNode {
        self.promise(
            promise, customerID: account.customer.id,
            state: promise.state(on: date, graceDays: graceDays, receipts: account.receipts).rawValue,
            received: promise.received(on: date, graceDays: graceDays, receipts: account.receipts))
    }

    /// A plan as it stands on `date` in its account: `proposed` until accepted.
    static func plan(_ plan: PaymentPlan, in account: Account, on date: LocalDate, graceDays: Int) -> JSONNode {
        let next = plan.nextInstalment(on: date, graceDays: graceDays, receipts: account.receipts)
        return .object([
            "plan_id": .string(plan.id), "customer_id": .string(account.customer.id),
            "invoice_numbers": .array(plan.invoiceNumbers.map(JSONNode.string)),
            "instalments": .array(
                plan.instalments.map {
                    .object(["due_date": .string($0.dueDate.description), "amount": .string($0.amount.decimalString)])
                }),
            "total": .string(plan.total.decimalString), "currency": .string(plan.total.currency.code),
            "proposed_by": .string(plan.proposedBy.rawValue), "accepted_on": .text(plan.acceptedOn?.description),
            "state": .string(
                plan.acceptedOn == nil
                    ? "proposed" : plan.state(on: date, graceDays: graceDays, receipts: account.receipts).rawValue),
            "next_due_date": .text(next?.dueDate.description), "next_amount": .text(next?.amount.decimalString),
        ])
    }

    /// A dispute as it stands on `date`: one resolved later is still open then.
    static func dispute(_ dispute: Dispute, customerID: String, currency: Currency, on date: LocalDate) -> JSONNode {
        let resolved = dispute.resolvedOn.map { $0 <= date } ?? false
        return .object([
            "dispute_id": .string(dispute.id), "customer_id": .string(customerID),
            "invoice_number": .string(dispute.invoiceNumber), "opened_on": .string(dispute.openedOn.description),
            "reason_code": .string(dispute.reasonCode.rawValue), "reason": .string(dispute.reason),
            "amount": .text(dispute.amount?.decimalString), "currency": .string(currency.code),
            "owner": .text(dispute.owner), "age_days": .integer(dispute.age(on: date)),
            "outcome": .text(resolved ? dispute.outcome?.rawValue : nil),
            "resolved_on": .text(resolved ? dispute.resolvedOn?.description : nil),
            "findings": .text(resolved ? dispute.findings : nil),
        ])
    }

    static func creditNote(_ note: CreditNote) -> JSONNode {
        .object([
            "credit_note_id": .string(note.id), "invoice_number": .string(note.invoiceNumber),
            "date": .string(note.date.description), "amount": .string(note.amount.decimalString),
            "currency": .string(note.amount.currency.code), "kind": .string(note.kind.rawValue),
            "reason": .text(note.reason), "approved_by": .text(note.approvedBy),
        ])
    }
}

extension API {
    /// The customer's account with its commitments and receipts, as the planner sees it; 404 for a customer the
    /// organisation lacks.
    func commitmentAccount(_ customerID: String, organisationID: String) async throws -> Account {
        guard let account = try await store.account(organisationID: organisationID, customerID: customerID) else {
            throw Problem.notFound("customer '\(customerID)'")
        }
        return account
    }

    /// The action a public id names in the caller's organisation; 404 for any other id, another organisation's too.
    func storedAction(_ text: String, organisationID: String) async throws -> StoredAction {
        guard
            let id = PublicID.action.number(in: text)
                ?? legacyIDs.number(in: text, organisationID: organisationID, kind: .action),
            let action = try await store.action(organisationID: organisationID, id: id)
        else { throw Problem.notFound("action '\(text)'") }
        return action
    }
}
