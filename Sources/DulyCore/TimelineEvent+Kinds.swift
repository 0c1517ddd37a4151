// The events every store records, built in one place so that both backends write the same words and details.
extension TimelineEvent {
    /// A customer appeared in the books (first import).
    public static func customerAdded(_ customer: Customer, on date: LocalDate) -> TimelineEvent {
        TimelineEvent(
            customerID: customer.id, date: date, kind: .customerAdded, summary: "Customer \(customer.name) added",
            details: ["name": customer.name])
    }

    /// A customer's details changed on a later import.
    public static func customerUpdated(_ customer: Customer, on date: LocalDate) -> TimelineEvent {
        TimelineEvent(
            customerID: customer.id, date: date, kind: .customerUpdated,
            summary: "Customer details updated", details: ["name": customer.name])
    }

    /// Invoices added in one import: one entry per customer and import, listing them.
    public static func invoicesAdded(customerID: String, _ invoices: [Invoice], on date: LocalDate) -> TimelineEvent {
        invoicesAdded(customerID: customerID, invoices.map { ($0.number, $0.total, $0.dueDate) }, on: date)
    }

    /// Invoices added by one import, given by what the entry names of each (a large import keeps no more).
    public static func invoicesAdded(
        customerID: String, _ invoices: [(number: String, total: Money, dueDate: LocalDate)], on date: LocalDate
    ) -> TimelineEvent {
        let list = invoices.map { "\($0.number) \($0.total) due \($0.dueDate)" }
        return TimelineEvent(
            customerID: customerID, date: date, kind: .invoicesAdded,
            summary: invoices.count == 1
                ? "Invoice \(list[0])" : "\(invoices.count) invoices: \(list.joined(separator: "; "))",
            details: ["invoices": invoices.map(\.number).joined(separator: ","), "count": String(invoices.count)])
    }

    /// The chase of a customer paused until a date, by a member of the team or at the client's word.
    public static func chasePaused(_ pause: ChasePause, customerID: String) -> TimelineEvent {
        let asker = pause.byClient ? "the client (\(pause.requestedBy))" : pause.requestedBy
        return TimelineEvent(
            customerID: customerID, date: pause.setOn, kind: .chasePaused,
            summary: "Chase paused until \(pause.until) at the request of \(asker): \(pause.reason)",
            details: [
                "until": pause.until.description, "reason": pause.reason, "by": pause.requestedBy,
                "by_client": pause.byClient ? "true" : "false",
            ])
    }

    /// A pause withdrawn before its last day: the chase resumes at the next run.
    public static func chasePauseEnded(
        _ pause: ChasePause, customerID: String, by person: String, on date: LocalDate
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: .chasePauseEnded,
            summary: "Pause until \(pause.until) withdrawn by \(person); the chase resumes",
            details: ["until": pause.until.description, "by": person])
    }

    /// A payment and where it went.
    public static func paymentRecorded(
        _ payment: Payment, allocations: [Allocation], unallocated: Money
    )
        -> TimelineEvent
    {
        TimelineEvent(
            customerID: payment.customerID, date: payment.date, kind: .paymentRecorded,
            summary: paymentSummary(payment, allocations: allocations, unallocated: unallocated),
            details: [
                "payment": payment.id, "amount": payment.amount.description,
                "allocations": allocations.map { "\($0.invoiceNumber)=\($0.amount.decimalString)" }
                    .joined(separator: ","),
                "unallocated": unallocated.decimalString,
            ])
    }

    // What `paymentRecorded` says of a payment.
    private static func paymentSummary(_ payment: Payment, allocations: [Allocation], unallocated: Money) -> String {
        var summary = ""
        appendPaymentSummary(payment, allocations: allocations, unallocated: unallocated, to: &summary)
        return summary
    }

    // `paymentSummary`, appended part by part: a first load lists 670,000 payments, and interpolating and joining
    // the parts made a dozen strings for each.
    private static func appendPaymentSummary(
        _ payment: Payment, allocations: [Allocation], unallocated: Money, to summary: inout String
    ) {
        summary += "Payment "
        summary += payment.id
        summary += " of "
        summary += payment.amount.description
        summary += " received "
        summary += payment.date.description
        for (index, allocation) in allocations.enumerated() {
            summary += index == 0 ? ", applied to " : ", "
            summary += allocation.invoiceNumber
            summary += " ("
            summary += allocation.amount.decimalString
            summary += ")"
        }
        guard !unallocated.isZero else { return }
        summary += "; "
        summary += unallocated.description
        summary += " left as a credit"
    }

    /// Payments from one customer recorded in one import: a single payment reads as `paymentRecorded`, several
    /// are listed in one entry dated the import's day.
    public static func paymentsRecorded(
        customerID: String, _ received: [PaymentReceived], on date: LocalDate
    )
        -> TimelineEvent
    {
        if received.count == 1 {
            return .paymentRecorded(
                received[0].payment, allocations: received[0].allocations, unallocated: received[0].unallocated)
        }
        // Each payment reads as its own entry would, without building that entry: a first load lists 670,000.
        var summary = String(received.count) + " payments: "
        var allocations = ""
        for (index, one) in received.enumerated() {
            if index > 0 { summary += "; " }
            appendPaymentSummary(one.payment, allocations: one.allocations, unallocated: one.unallocated, to: &summary)
            for allocation in one.allocations {
                if !allocations.isEmpty { allocations += "," }
                allocations += allocation.paymentID
                allocations += ":"
                allocations += allocation.invoiceNumber
                allocations += "="
                allocations += allocation.amount.decimalString
            }
        }
        return TimelineEvent(
            customerID: customerID, date: date, kind: .paymentsRecorded, summary: summary,
            sortedDetails: [
                TimelineDetail("allocations", allocations), TimelineDetail("count", String(received.count)),
                TimelineDetail("payments", received.map(\.payment.id).joined(separator: ",")),
            ])
    }

    /// A bank credit matched to a customer's invoices (a statement import): what it paid, by which key, how surely,
    /// and the payments it became.
    public static func paymentMatched(
        customerID: String, creditKey: String, amount: Money, invoices: [MatchedInvoice], key: MatchKey,
        confidence: MatchConfidence, paymentIDs: [String], on date: LocalDate
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: .paymentMatched,
            summary: "Bank credit of \(amount) matched to "
                + invoices.map(\.invoiceNumber).joined(separator: ", ") + " by \(key.rawValue)",
            details: [
                "credit": creditKey, "amount": amount.description, "match_key": key.rawValue,
                "confidence": confidence.rawValue, "invoices": invoices.map(\.invoiceNumber).joined(separator: ","),
                "payments": paymentIDs.joined(separator: ","),
            ])
    }

    /// A credit note reduced an invoice.
    public static func creditNoteRecorded(
        id: String, customerID: String, invoiceNumber: String, amount: Money, on date: LocalDate
    ) -> TimelineEvent {
        adjustmentRecorded(
            CreditNote(id: id, invoiceNumber: invoiceNumber, date: date, amount: amount), customerID: customerID)
    }

    /// An invoice asks for less: a credit note, an early-payment discount, a settlement or a write-off.
    public static func adjustmentRecorded(_ note: CreditNote, customerID: String) -> TimelineEvent {
        var details = ["credit_note": note.id, "invoice": note.invoiceNumber, "amount": note.amount.description]
        let summary: String
        switch note.kind {
        case .creditNote:
            summary = "Credit note \(note.id) of \(note.amount) on \(note.invoiceNumber)"
        case .discount:
            summary = "Early-payment discount of \(note.amount) on \(note.invoiceNumber)"
        case .settlement:
            summary = "Settlement on \(note.invoiceNumber): \(note.amount) waived"
        case .writeOff:
            summary = "\(note.invoiceNumber) written off: \(note.amount)"
        }
        if note.kind != .creditNote { details["kind"] = note.kind.rawValue }
        if let reason = note.reason { details["reason"] = reason }
        if let approver = note.approvedBy { details["approved_by"] = approver }
        return TimelineEvent(
            customerID: customerID, date: note.date,
            kind: .recorded(note.kind),
            summary: summary + (note.reason.map { " (\($0))" } ?? ""), details: details)
    }

    /// A manager decided on an action awaiting approval.
    public static func approvalDecided(
        id: Int64, customerID: String, approved: Bool, by manager: String, note: String?, on date: LocalDate
    ) -> TimelineEvent {
        var details = ["action": String(id), "status": approved ? "approved" : "cancelled", "by": manager]
        if let note { details["note"] = note }
        return TimelineEvent(
            customerID: customerID, date: date, kind: approved ? .actionApproved : .actionRejected,
            summary: "Action \(id) \(approved ? "approved" : "rejected") by \(manager)"
                + (note.map { ": \($0)" } ?? ""),
            details: details)
    }

    /// A dispute ended.
    public static func disputeResolved(_ dispute: Dispute, customerID: String, note: String?) -> TimelineEvent {
        let outcome = dispute.outcome?.rawValue ?? "resolved"
        var details = ["dispute": dispute.id, "invoice": dispute.invoiceNumber, "outcome": outcome]
        if let note { details["note"] = note }
        return TimelineEvent(
            customerID: customerID, date: dispute.resolvedOn ?? dispute.openedOn, kind: .disputeResolved,
            summary: "Dispute on \(dispute.invoiceNumber) \(outcome)" + (note.map { ": \($0)" } ?? ""),
            details: details)
    }

    /// The collection day planned an action.
    public static func actionPlanned(_ action: PlannedAction, id: Int64) -> TimelineEvent {
        let what = action.status == .skipped ? "Skipped" : "Planned"
        let invoiceNumbers = action.invoiceNumbers
        var summary =
            "\(what) \(action.stepID) by \(action.channel.rawValue) for \(invoiceNumbers.joined(separator: ", "))"
        if action.status == .awaitingApproval { summary += " (awaiting approval)" }
        if let note = action.note { summary += ": \(note)" }
        // In key order: a run writes one of these for each of a hundred thousand actions.
        return TimelineEvent(
            customerID: action.customerID, date: action.date, kind: .action(action.status),
            summary: summary,
            sortedDetails: [
                TimelineDetail("action", String(id)), TimelineDetail("channel", action.channel.rawValue),
                TimelineDetail("invoices", invoiceNumbers.joined(separator: ",")),
                TimelineDetail("key", action.idempotencyKey), TimelineDetail("stage", action.stage.rawValue),
                TimelineDetail("status", action.status.rawValue), TimelineDetail("step", action.stepID),
            ])
    }

    /// A pending action was withdrawn.
    public static func actionCancelled(
        id: Int64, customerID: String, reason: String, on date: LocalDate
    )
        -> TimelineEvent
    {
        TimelineEvent(
            customerID: customerID, date: date, kind: .actionCancelled, summary: "Action \(id) cancelled: \(reason)",
            details: ["action": String(id), "reason": reason])
    }

    /// A person withdrew an action that had not gone out (a mistaken run): who, and why.
    public static func actionWithdrawn(
        id: Int64, customerID: String, by person: String, reason: String, on date: LocalDate
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: .actionCancelled,
            summary: "Action \(id) cancelled by \(person): \(reason)",
            details: ["action": String(id), "reason": reason, "by": person])
    }

    /// An action moved on (approved, sent, done, failed).
    public static func actionStatusChanged(
        id: Int64, customerID: String, to status: ActionStatus, on date: LocalDate
    )
        -> TimelineEvent
    {
        TimelineEvent(
            customerID: customerID, date: date, kind: .action(status),
            summary: "Action \(id) \(status.rawValue.split(separator: "_").joined(separator: " "))",
            details: ["action": String(id), "status": status.rawValue])
    }

    /// The client contested an invoice.
    public static func disputeOpened(_ dispute: Dispute, customerID: String) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: dispute.openedOn, kind: .disputeOpened,
            summary: "Dispute on \(dispute.invoiceNumber) (\(dispute.reasonCode.rawValue)): \(dispute.reason)",
            details: [
                "dispute": dispute.id, "invoice": dispute.invoiceNumber, "reason": dispute.reason,
                "reason_code": dispute.reasonCode.rawValue, "owner": dispute.owner ?? "",
                "amount": dispute.amount?.description ?? "whole invoice",
            ])
    }

    /// The client promised to pay.
    public static func promiseRecorded(_ promise: PromiseToPay, customerID: String) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: promise.madeOn, kind: .promiseRecorded,
            summary: "Promise to pay \(promise.amount) by \(promise.promisedDate) for "
                + promise.invoiceNumbers.joined(separator: ", "),
            details: [
                "promise": promise.id, "amount": promise.amount.description,
                "date": promise.promisedDate.description, "invoices": promise.invoiceNumbers.joined(separator: ","),
                "channel": promise.channel?.rawValue ?? "", "promised_by": promise.promisedBy ?? "",
            ])
    }

    /// A payment plan was agreed.
    public static func planRecorded(_ plan: PaymentPlan, customerID: String, on date: LocalDate) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: plan.acceptedOn ?? date, kind: .planRecorded,
            summary: "Payment plan of \(plan.instalments.count) instalments for "
                + plan.invoiceNumbers.joined(separator: ", ")
                + (plan.acceptedOn == nil ? ", proposed by the \(plan.proposedBy.rawValue)" : ", accepted"),
            details: [
                "plan": plan.id, "invoices": plan.invoiceNumbers.joined(separator: ","),
                "instalments": plan.instalments.map { "\($0.dueDate)=\($0.amount.decimalString)" }
                    .joined(separator: ","),
                "accepted_on": plan.acceptedOn?.description ?? "", "proposed_by": plan.proposedBy.rawValue,
            ])
    }

    /// A message left (or a letter was produced) for an action.
    public static func messageSent(
        actionID: Int64, customerID: String, channel: Channel, messageID: String, to recipient: String,
        confirmed: Bool, on date: LocalDate
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: .messageSent,
            summary: "\(channel == .letter ? "Letter" : "Message") for action \(actionID) sent to \(recipient)"
                + (confirmed ? "" : " (the server's confirmation was not received)"),
            details: [
                "action": String(actionID), "channel": channel.rawValue, "message_id": messageID, "to": recipient,
                "confirmed": confirmed ? "yes" : "no",
            ])
    }

    /// A delivery attempt failed; `permanent` failures end the action.
    public static func deliveryFailed(
        actionID: Int64, customerID: String, error: String, permanent: Bool, on date: LocalDate
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: permanent ? .deliveryFailed : .deliveryDeferred,
            summary: "Action \(actionID) "
                + (permanent ? "could not be delivered: " : "not delivered yet, will retry: ")
                + error,
            details: ["action": String(actionID), "error": error, "permanent": permanent ? "yes" : "no"])
    }

    /// A due message waits for a later delivery day without having failed (one voice a day, the contact cap).
    public static func deliveryHeld(
        actionID: Int64, customerID: String, reason: String, on date: LocalDate
    )
        -> TimelineEvent
    {
        TimelineEvent(
            customerID: customerID, date: date, kind: .deliveryHeld,
            summary: "Action \(actionID) waits for a later day: \(reason)",
            details: ["action": String(actionID), "reason": reason])
    }

    /// A person carried out a call or meeting and recorded how it went.
    public static func taskCompleted(
        actionID: Int64, customerID: String, channel: Channel, outcome: String, note: String?, on date: LocalDate
    ) -> TimelineEvent {
        var summary = "\(channel == .call ? "Call" : "Meeting") (action \(actionID)): \(outcome)"
        if let note, !note.isEmpty { summary += " — \(note)" }
        return TimelineEvent(
            customerID: customerID, date: date, kind: .logged(channel), summary: summary,
            details: ["action": String(actionID), "outcome": outcome, "note": note ?? ""])
    }

    /// The client said they will not pay.
    public static func paymentRefused(customerID: String, on date: LocalDate, note: String?) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: date, kind: .paymentRefused,
            summary: "The client refused to pay" + (note.map { ": \($0)" } ?? ""), details: ["note": note ?? ""])
    }
}
