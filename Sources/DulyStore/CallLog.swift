import DulyCore

/// What came of a call or meeting, as `duly log-call --outcome` and the web screens take it.
public enum CallOutcome: String, CaseIterable, Sendable {
    case reached, voicemail
    case wrongNumber = "wrong-number"
    case promise, dispute, refused
    case callBack = "call-back"
}

/// A call's outcome with what the person noted: the promised or call-back date, the amount, the dispute's reason.
public struct CallReport: Sendable {
    public var outcome: CallOutcome
    /// The promised payment date, or the date to call back.
    public var date: LocalDate?
    /// The promised amount in major units (`1250.00`); nil promises all that is open on the call's invoices.
    public var amount: String?
    public var reason: String?
    public var reasonCode: DisputeReason
    public var promisedBy: String?
    public var note: String?

    public init(
        outcome: CallOutcome, date: LocalDate? = nil, amount: String? = nil, reason: String? = nil,
        reasonCode: DisputeReason = .other, promisedBy: String? = nil, note: String? = nil
    ) {
        self.outcome = outcome
        self.date = date
        self.amount = amount
        self.reason = reason
        self.reasonCode = reasonCode
        self.promisedBy = promisedBy
        self.note = note
    }

    /// What is missing for the outcome, as (field, why); nil when the report is complete.
    public static func missing(outcome: CallOutcome, hasDate: Bool, reason: String?) -> (field: String, why: String)? {
        if [.promise, .callBack].contains(outcome) && !hasDate {
            return ("date", "outcome \(outcome.rawValue) needs a date")
        }
        if outcome == .dispute && (reason ?? "").isEmpty { return ("reason", "outcome dispute needs a reason") }
        return nil
    }
}

/// Why a call's outcome cannot be recorded, naming the field at fault.
public struct CallReportError: Error, Equatable, CustomStringConvertible {
    /// `date`, `amount`, `reason`, or `action`.
    public var field: String
    public var description: String

    public init(field: String, _ description: String) {
        self.field = field
        self.description = description
    }
}

extension DeliveryStore {
    /// Records a call's outcome and what follows from it: a promise pauses the chase of the call's invoices, a
    /// dispute pauses each invoice, a refusal moves the account to `non_payment`, a call-back is a call of its own
    /// on the asked day. `duly log-call` and the web screens both record a call through this.
    /// - Returns: what happened, in a few words (`promised to pay EUR 300.00 by 2026-03-27`).
    @discardableResult
    public func logCall(
        _ report: CallReport, on stored: StoredAction, organisationID: String, context: RecordingContext
    ) async throws -> String {
        if let missing = CallReport.missing(outcome: report.outcome, hasDate: report.date != nil, reason: report.reason)
        {
            throw CallReportError(field: missing.field, missing.why)
        }
        let action = stored.id
        let invoices = try await invoices(
            organisationID: organisationID, customerID: stored.customerID, openOnly: false
        ).filter { stored.action.invoiceNumbers.contains($0.invoice.number) }
        let today = context.date
        var summary: String
        switch report.outcome {
        case .reached: summary = "reached"
        case .voicemail: summary = "left a voicemail"
        case .wrongNumber: summary = "wrong number"
        case .refused: summary = "refused to pay"
        case .callBack: summary = "asked to be called back on \(report.date!)"
        case .dispute:
            summary = "disputes \(stored.action.invoiceNumbers.joined(separator: ", ")): \(report.reason!)"
        case .promise:
            guard let currency = invoices.first?.invoice.currency else {
                throw CallReportError(field: "action", "the call covers no invoice")
            }
            let open = invoices.filter { $0.invoice.currency == currency }.reduce(.zero(currency)) { $0 + $1.open }
            var promised = open
            if let amount = report.amount {
                do { promised = try Money(parsing: amount, currency: currency) } catch {
                    throw CallReportError(field: "amount", "\(error)")
                }
                guard promised.minorUnits > 0 else {
                    throw CallReportError(field: "amount", "\(CommitmentError.amountNotPositive(promised))")
                }
            }
            let problems = CommitmentRules.problems(
                promising: promised, by: report.date!, recordedOn: today, open: open,
                invoiceNumbers: stored.action.invoiceNumbers)
            guard problems.isEmpty else {
                throw CallReportError(field: "date", problems.map(\.description).joined(separator: "; "))
            }
            summary = "promised to pay \(promised) by \(report.date!)"
            try await completeTask(
                organisationID: organisationID, actionID: action, status: .done, outcome: summary, note: report.note,
                context: context)
            try await recordPromise(
                PromiseToPay(
                    id: PromiseToPay.id(madeOnCall: action), invoiceNumbers: stored.action.invoiceNumbers,
                    amount: promised, promisedDate: report.date!, madeOn: today, channel: stored.action.channel,
                    promisedBy: report.promisedBy),
                organisationID: organisationID, context: context)
            return summary
        }
        try await completeTask(
            organisationID: organisationID, actionID: action, status: report.outcome == .wrongNumber ? .failed : .done,
            // A voicemail reached nobody: it is not a contact made before an escalation.
            outcome: summary, note: report.note, clientReached: report.outcome != .voicemail, context: context)
        switch report.outcome {
        case .dispute:
            for number in stored.action.invoiceNumbers {
                try await recordDispute(
                    Dispute(
                        id: Dispute.id(raisedOnCall: action, invoiceNumber: number), invoiceNumber: number,
                        openedOn: today, reasonCode: report.reasonCode, reason: report.reason!),
                    organisationID: organisationID, context: context)
            }
        case .refused:
            try await recordRefusal(
                customerID: stored.customerID, note: report.note, organisationID: organisationID, context: context)
        case .callBack:
            // A call of its own on the asked day; it takes no new rung of the ladder.
            let when = report.date!
            var callBack = stored.action
            callBack.date = when
            callBack.stepID = "call_back"
            callBack.status = .planned
            callBack.note = "asked to be called back"
            callBack.steps = callBack.steps.map { InvoiceStep(invoiceNumber: $0.invoiceNumber, stepID: "call_back") }
            callBack.idempotencyKey = "call-back-\(action)-\(when)"
            _ = try await commitRun(
                actions: [callBack], cancellations: [], organisationID: organisationID, context: context)
        default:
            break
        }
        return summary
    }
}
