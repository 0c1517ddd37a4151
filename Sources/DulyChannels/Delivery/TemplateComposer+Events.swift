import DulyCore

extension TemplateComposer {
    /// The context with what the messages about events and offers speak of, taken from the account and the step:
    ///
    /// - the accepted payment plan that covers the action's invoices, judged on the message's day with the
    ///   playbook's grace days (instalment reminders and follow-ups);
    /// - the rejected disputes about those invoices, the latest per invoice, with what the organisation found (the
    ///   dispute-rejected note);
    /// - for a thank-you, the payment that settled the invoices: its day and what came in that day;
    /// - the settlement the action offers (as recorded with it, else as its playbook step makes it).
    func withEventFacts(_ context: MessageContext, account: Account, action: PlannedAction) -> MessageContext {
        var context = context
        let covered = action.invoiceNumbers
        let grace = playbook.promiseGraceDays

        // Several plans could cover the invoices (an old one replaced by a new one): the one with an instalment
        // still to come speaks, else the latest accepted.
        let plans = account.plans.compactMap { plan in
            covered.contains(where: plan.invoiceNumbers.contains)
                ? PlanFacts(plan: plan, receipts: account.receipts, asOf: context.asOf, graceDays: grace)
                    .map { (plan, $0) } : nil
        }
        let byAcceptance = plans.sorted { ($0.0.acceptedOn!, $0.0.id) > ($1.0.acceptedOn!, $1.0.id) }
        context.plan = (byAcceptance.first { $0.1.next != nil } ?? byAcceptance.first)?.1

        context.disputes = covered.compactMap { number in
            account.disputes.filter { dispute in
                dispute.invoiceNumber == number && dispute.outcome == .rejected
                    && dispute.resolvedOn.map { $0 <= context.asOf } == true
            }.max { ($0.resolvedOn!, $0.openedOn, $0.id) < ($1.resolvedOn!, $1.openedOn, $1.id) }
                .map { DisputeFacts($0, note: $0.findings) }
        }

        if action.stepID == Playbook.thankYouStepID {
            context.received = PaymentReceived(account.receipts.filter { covered.contains($0.invoiceNumber) })
        }

        // The offer recorded with the action is the one the store honours when the money comes in; the playbook's
        // step is the fallback for actions planned before offers were recorded.
        context.offer =
            action.offer.map { SettlementOfferTerms(basisPoints: $0.shareBasisPoints, deadline: $0.deadline) }
            ?? playbook.step(action.stepID).flatMap { SettlementOfferTerms(step: $0, madeOn: action.date) }

        // The note to the manager states what was tried to reach the client, and nothing it cannot show.
        if action.escalatesTo == .manager {
            context.contactHistory = EscalationReview.attempts(about: Set(covered), in: account.history)
        }
        return context
    }
}
