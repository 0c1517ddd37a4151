import DulyCore

// The collector's and the manager's records (promises, plans, disputes, calls, settlements and write-offs) as one
// set of rules over the store: `duly promise`, `duly plan`, `duly dispute`, `duly log-call`, `duly settle`,
// `duly write-off` and the API's routes for them record through these, so that both refuse the same things with the
// same words. Each way in parses its own input: an amount arrives as a function from the currency of the invoices it
// is about (which only the store knows) to the amount, throwing the caller's own error naming its option or field.

/// Why a record was refused; nothing was written. `field` names the input at fault, as the API names it
/// (`invoice_numbers`, `agreed_amount`); the command line says the same words about its options.
public enum CommitmentRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such record in the organisation: `what` is "invoice 'INV-1'" or "customer 'C1' with invoices".
    case notFound(String, field: String)
    /// The request breaks a rule.
    case invalid(String, field: String)
    /// The record is no longer in a state that allows it.
    case conflict(String, field: String?)

    public var description: String {
        switch self {
        case .notFound(let what, _): return "no \(what)"
        case .invalid(let message, _), .conflict(let message, _): return message
        }
    }

    public var field: String? {
        switch self {
        case .notFound(_, let field), .invalid(_, let field): return field
        case .conflict(_, let field): return field
        }
    }

    /// The broken `CommitmentRules` in one line, naming `dateField` when the date is at fault and the amount's
    /// field otherwise.
    static func rules(_ problems: [CommitmentError], amountField: String, dateField: String? = nil) -> Self? {
        guard let first = problems.first else { return nil }
        var field = amountField
        if case .promiseDatedBeforeRecording = first, let dateField { field = dateField }
        return .invalid(problems.map(\.description).joined(separator: "; "), field: field)
    }
}

/// What a call or meeting came to (`duly log-call --outcome`, the API's `outcome`).
public enum CallOutcome: String, CaseIterable, Sendable {
    case reached, voicemail
    case wrongNumber = "wrong-number"
    case promise, dispute, refused
    case callBack = "call-back"

    /// What the outcome needs besides itself: a promise and a call-back a date, a dispute the client's reason.
    public func refusal(date: LocalDate?, reason: String?) -> CommitmentRefusal? {
        if [.promise, .callBack].contains(self) && date == nil {
            return .invalid("outcome \(rawValue) needs a date", field: "date")
        }
        if self == .dispute && (reason ?? "").isEmpty {
            return .invalid("outcome dispute needs the client's reason", field: "reason")
        }
        return nil
    }
}

/// A call's outcome as recorded: the words on the timeline and what it started.
public struct LoggedCall: Sendable {
    /// `promised to pay EUR 100.00 by 2026-04-01`, `left a voicemail`.
    public var summary: String
    public var promise: PromiseToPay?
    public var disputes: [Dispute]
}

/// An invoice ended for less: the credit note booked, and what is still chased (nil: nothing).
public struct EndedInvoice: Sendable {
    public var note: CreditNote
    public var stillChased: Money?
}

extension CollectorStore {
    /// The customer's invoices with these numbers, all in one currency: what a promise or a plan covers.
    public func commitmentInvoices(
        customerID: String, numbers: [String], organisationID: String
    ) async throws -> [InvoiceBalance] {
        let all = try await invoices(organisationID: organisationID, customerID: customerID, openOnly: false)
        guard !all.isEmpty else {
            throw CommitmentRefusal.notFound("customer '\(customerID)' with invoices", field: "customer_id")
        }
        guard !numbers.isEmpty else {
            throw CommitmentRefusal.invalid("name at least one invoice", field: "invoice_numbers")
        }
        var found: [InvoiceBalance] = []
        for number in numbers {
            guard let balance = all.first(where: { $0.invoice.number == number }) else {
                throw CommitmentRefusal.invalid(
                    "customer '\(customerID)' has no invoice '\(number)'", field: "invoice_numbers")
            }
            found.append(balance)
        }
        guard Set(found.map(\.invoice.currency)).count == 1 else {
            throw CommitmentRefusal.invalid(
                "the invoices are in different currencies; record one commitment per currency",
                field: "invoice_numbers")
        }
        return found
    }

    /// Records a customer's promise to pay `amount` (default: all that is open on the invoices) by `promisedDate`,
    /// on `context.date`, under `id` or the next `PRM-CUSTOMER-DATE-N`.
    public func addPromise(
        customerID: String, invoiceNumbers: [String], amount: (Currency) throws -> Money?, promisedDate: LocalDate,
        channel: Channel?, promisedBy: String?, id: String?, organisationID: String, context: RecordingContext
    ) async throws -> PromiseToPay {
        let covered = try await commitmentInvoices(
            customerID: customerID, numbers: invoiceNumbers, organisationID: organisationID)
        let open = covered.dropFirst().reduce(covered[0].open) { $0 + $1.open }
        let promised = try amount(open.currency) ?? open
        if let refusal = CommitmentRefusal.rules(
            CommitmentRules.problems(
                promising: promised, by: promisedDate, recordedOn: context.date, open: open,
                invoiceNumbers: invoiceNumbers),
            amountField: "amount", dateField: "promised_date")
        {
            throw refusal
        }
        // Withdrawn promises keep their ids: count them too, so a new default id never reuses one.
        let recorded =
            try await accountsWithCommitments(organisationID: organisationID, customerID: customerID)
            .first?.promises.count ?? 0
        let withdrawn = try await withdrawnPromises(organisationID: organisationID, customerID: customerID).count
        let promise = PromiseToPay(
            id: id ?? PromiseToPay.id(customerID: customerID, madeOn: context.date, sequence: recorded + withdrawn + 1),
            invoiceNumbers: invoiceNumbers, amount: promised, promisedDate: promisedDate, madeOn: context.date,
            channel: channel, promisedBy: promisedBy)
        try await recordPromise(promise, organisationID: organisationID, context: context)
        return promise
    }

    /// Records a payment plan for a customer's invoices, proposed on `context.date` (and accepted then when
    /// `accepted`), under `id` or `PLN-CUSTOMER-DATE`. Returns it with what is open on its invoices, which its
    /// instalments need not add up to.
    public func proposePlan(
        customerID: String, invoiceNumbers: [String], instalments: (Currency) throws -> [PaymentPlan.Instalment],
        proposedBy: PaymentPlan.Proposer, accepted: Bool, id: String?, organisationID: String,
        context: RecordingContext
    ) async throws -> (plan: PaymentPlan, open: Money) {
        let covered = try await commitmentInvoices(
            customerID: customerID, numbers: invoiceNumbers, organisationID: organisationID)
        let open = covered.dropFirst().reduce(covered[0].open) { $0 + $1.open }
        let parsed = try instalments(open.currency)
        guard !parsed.isEmpty else {
            throw CommitmentRefusal.invalid("a plan needs at least one instalment", field: "instalments")
        }
        let plan = PaymentPlan(
            id: id ?? PaymentPlan.id(customerID: customerID, proposedOn: context.date), invoiceNumbers: invoiceNumbers,
            instalments: parsed, acceptedOn: accepted ? context.date : nil, proposedBy: proposedBy)
        try await recordPlan(plan, organisationID: organisationID, context: context)
        return (plan, open)
    }

    /// Accepts a proposed plan on `context.date`: from then its instalments replace the chase of its invoices.
    public func acceptPlan(
        _ plan: PaymentPlan, organisationID: String, context: RecordingContext
    ) async throws -> PaymentPlan {
        if let acceptedOn = plan.acceptedOn {
            throw CommitmentRefusal.conflict("plan '\(plan.id)' was accepted on \(acceptedOn)", field: nil)
        }
        var accepted = plan
        accepted.acceptedOn = context.date
        try await recordPlan(accepted, organisationID: organisationID, context: context)
        return accepted
    }

    /// Opens a dispute on an invoice, or on `amount` of it, on `context.date`, under `id` or
    /// `DSP-INVOICE-DATE`: the disputed amount is not chased until it is resolved.
    public func openDispute(
        invoiceNumber: String, amount: (Currency) throws -> Money?, reasonCode: DisputeReason, reason: String,
        owner: String?, id: String?, organisationID: String, context: RecordingContext
    ) async throws -> Dispute {
        guard let balance = try await invoice(organisationID: organisationID, number: invoiceNumber) else {
            throw CommitmentRefusal.notFound("invoice '\(invoiceNumber)'", field: "invoice_number")
        }
        let part = try amount(balance.invoice.currency)
        if let refusal = CommitmentRefusal.rules(
            CommitmentRules.problems(disputing: part, of: invoiceNumber, open: balance.open), amountField: "amount")
        {
            throw refusal
        }
        let dispute = Dispute(
            id: id ?? Dispute.id(invoiceNumber: invoiceNumber, openedOn: context.date), invoiceNumber: invoiceNumber,
            openedOn: context.date, reasonCode: reasonCode, reason: reason, amount: part, owner: owner)
        try await recordDispute(dispute, organisationID: organisationID, context: context)
        return dispute
    }

    /// Ends an open dispute (`resolveDispute`), reading a settlement's agreed amount in the invoice's currency.
    /// Returns the dispute as it now stands and the amount agreed.
    public func resolve(
        _ dispute: Dispute, outcome: DisputeOutcome, agreedAmount: (Currency) throws -> Money?, note: String?,
        approvedBy: String?, organisationID: String, context: RecordingContext
    ) async throws -> (dispute: Dispute, agreed: Money?) {
        var agreed: Money?
        if outcome == .settled {
            guard let balance = try await invoice(organisationID: organisationID, number: dispute.invoiceNumber) else {
                throw CommitmentRefusal.notFound("invoice '\(dispute.invoiceNumber)'", field: "invoice_number")
            }
            agreed = try agreedAmount(balance.invoice.currency)
        }
        try await resolveDispute(
            id: dispute.id, outcome: outcome, agreedAmount: agreed, note: note, approvedBy: approvedBy,
            organisationID: organisationID, context: context)
        return (try await self.dispute(organisationID: organisationID, id: dispute.id) ?? dispute, agreed)
    }

    /// Ends an open invoice for less, on `context.date`: a write-off waives all that is open; a settlement waives
    /// what is open less `agreed` (nil: all of it), and the agreed amount is then chased. Needs a reason and who
    /// approved it.
    public func endInvoice(
        _ kind: CreditNote.Kind, invoiceNumber: String, agreed: (Currency) throws -> Money?, reason: String,
        approvedBy: String, organisationID: String, context: RecordingContext
    ) async throws -> EndedInvoice {
        guard let balance = try await invoice(organisationID: organisationID, number: invoiceNumber) else {
            throw CommitmentRefusal.notFound("invoice '\(invoiceNumber)'", field: "invoice_number")
        }
        if let end = balance.endState {
            throw CommitmentRefusal.conflict("invoice '\(invoiceNumber)' is closed (\(end.rawValue))", field: nil)
        }
        let keep = try agreed(balance.invoice.currency)
        if let keep, keep.minorUnits >= balance.open.minorUnits {
            throw CommitmentRefusal.invalid(
                "the agreed amount must be less than the \(balance.open) open", field: "agreed_amount")
        }
        let note = CreditNote(
            id: "\(kind.rawValue)-\(invoiceNumber)-\(context.date)", invoiceNumber: invoiceNumber, date: context.date,
            amount: balance.open - (keep ?? .zero(balance.invoice.currency)), kind: kind, reason: reason,
            approvedBy: approvedBy)
        try await recordCreditNote(note, organisationID: organisationID, context: context)
        return EndedInvoice(note: note, stillChased: keep)
    }

    /// Records what a call (or meeting) came to, on `context.date`, and what follows from it: a promise pauses the
    /// chase of the call's invoices, a dispute pauses each of them, a refusal moves the account to non-payment, a
    /// call-back is a call of its own on `date`. `call` is how the way in names the action, in the ids of what the
    /// call starts: its row id on the command line, its public id in the API.
    public func logCall(
        _ stored: StoredAction, named call: String, outcome: CallOutcome, date: LocalDate?,
        amount: (Currency) throws -> Money?,
        reason: String?, reasonCode: DisputeReason, promisedBy: String?, note: String?, organisationID: String,
        context: RecordingContext
    ) async throws -> LoggedCall {
        if let refusal = outcome.refusal(date: date, reason: reason) { throw refusal }
        let channel = stored.action.channel
        guard channel == .call || channel == .meeting else {
            throw CommitmentRefusal.conflict(
                "the action is \(channel == .email ? "an" : "a") \(channel.rawValue), not a call or meeting",
                field: nil)
        }
        guard [.planned, .approved].contains(stored.action.status) else {
            let status = stored.action.status.rawValue.split(separator: "_").joined(separator: " ")
            throw CommitmentRefusal.conflict("the call is already \(status)", field: nil)
        }
        let numbers = stored.action.invoiceNumbers
        let actionID = stored.id
        var logged = LoggedCall(summary: "", promise: nil, disputes: [])
        switch outcome {
        case .reached: logged.summary = "reached"
        case .voicemail: logged.summary = "left a voicemail"
        case .wrongNumber: logged.summary = "wrong number"
        case .refused: logged.summary = "refused to pay"
        case .callBack: logged.summary = "asked to be called back on \(date!)"
        case .dispute: logged.summary = "disputes \(numbers.joined(separator: ", ")): \(reason!)"
        case .promise:
            let covered = try await invoices(
                organisationID: organisationID, customerID: stored.customerID, openOnly: false
            ).filter { numbers.contains($0.invoice.number) }
            guard let currency = covered.first?.invoice.currency else {
                throw CommitmentRefusal.invalid("the call covers no invoice", field: "outcome")
            }
            let open = covered.filter { $0.invoice.currency == currency }.reduce(.zero(currency)) { $0 + $1.open }
            let promised = try amount(currency) ?? open
            if let refusal = CommitmentRefusal.rules(
                CommitmentRules.problems(
                    promising: promised, by: date!, recordedOn: context.date, open: open, invoiceNumbers: numbers),
                amountField: "amount", dateField: "date")
            {
                throw refusal
            }
            logged.summary = "promised to pay \(promised) by \(date!)"
            logged.promise = PromiseToPay(
                id: PromiseToPay.id(madeOnCall: call), invoiceNumbers: numbers, amount: promised,
                promisedDate: date!, madeOn: context.date, channel: stored.action.channel, promisedBy: promisedBy)
        }
        // A voicemail reached nobody: it is not a contact made before an escalation.
        try await completeTask(
            organisationID: organisationID, actionID: actionID, status: outcome == .wrongNumber ? .failed : .done,
            outcome: logged.summary, note: note, clientReached: outcome != .voicemail,
            context: context)
        switch outcome {
        case .promise:
            try await recordPromise(logged.promise!, organisationID: organisationID, context: context)
        case .dispute:
            for number in numbers {
                let dispute = Dispute(
                    id: Dispute.id(raisedOnCall: call, invoiceNumber: number), invoiceNumber: number,
                    openedOn: context.date, reasonCode: reasonCode, reason: reason!)
                try await recordDispute(dispute, organisationID: organisationID, context: context)
                logged.disputes.append(dispute)
            }
        case .refused:
            try await recordRefusal(
                customerID: stored.customerID, note: note, organisationID: organisationID, context: context)
        case .callBack:
            // A call of its own on the asked day; it takes no new rung of the ladder.
            var callBack = stored.action
            callBack.date = date!
            callBack.stepID = "call_back"
            callBack.status = .planned
            callBack.note = "asked to be called back"
            callBack.steps = callBack.steps.map { InvoiceStep(invoiceNumber: $0.invoiceNumber, stepID: "call_back") }
            callBack.idempotencyKey = "call-back-\(call)-\(date!)"
            _ = try await commitRun(
                actions: [callBack], cancellations: [], organisationID: organisationID, context: context)
        default:
            break
        }
        return logged
    }
}
