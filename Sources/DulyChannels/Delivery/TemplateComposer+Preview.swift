import DulyCore
import DulyStore

extension TemplateComposer {
    /// What `template` would say to `account` on `date`, composed as `compose` composes a message: the contact it
    /// would go to, the invoices still open, the account's disputes, plans and promises, the collector who signs, in
    /// `language` (the template editor's, which previews the version being edited), else the customer's. Nothing is
    /// recorded.
    ///
    /// The step is the first of the playbook that uses the template (its stage, channel and escalation), else an
    /// email in the template's own stage.
    ///
    /// - Throws: `TemplateError`, the tone guard's findings in the message as filled in among them.
    public func preview(
        template: String, language: TemplateLanguage? = nil, account: Account, on date: LocalDate
    ) throws(TemplateError) -> RenderedMessage {
        let step = playbook.steps.first { $0.template == template }
        let stepID = step?.id ?? template
        let open = account.invoices.filter { !$0.isClosed }
        let action = PlannedAction(
            customerID: account.customer.id, date: date, channel: step?.channel ?? .email,
            stage: step?.stage ?? library.stage(of: template), stepID: stepID, template: template,
            requiresApproval: false, escalatesTo: step?.escalatesTo,
            steps: open.map { InvoiceStep(invoiceNumber: $0.invoice.number, stepID: stepID) }, status: .planned,
            idempotencyKey: "preview")
        // As `compose` builds the message's context, so that the preview says what delivery would.
        let figures =
            action.stage == .nonPayment
            ? interest?.figures(for: open, disputes: account.disputes, on: date) : nil
        var context = MessageContext(
            organisation: organisation, sender: sender, customer: account.customer,
            contact: TemplateComposer.contact(for: action, in: account), action: action, invoices: open,
            disputes: account.disputes, asOf: date, portalLink: nil, interest: figures)
        context.signingCollector = account.customer.collector.flatMap { collectors[$0] }
        let filled = withEventFacts(context, account: account, action: action)
        if let language { return try library.render(template: template, language: language, context: filled) }
        return try library.render(
            template: template,
            language: action.escalatesTo == .manager ? organisation.language : account.customer.language,
            context: filled)
    }
}
