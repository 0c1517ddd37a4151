import DulyChannels
import DulyCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The fixed data every built-in template is rendered against: two EUR invoices, one on 2/10 net 30.
enum TemplateFixtures {
    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static let euro = Currency(code: "EUR")!
    static func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }

    static let organisation = Organisation(
        id: "northwind", name: "Northwind Studio", baseCurrency: euro, country: "DE", timeZone: "Europe/Berlin")

    static let sender = SenderIdentity(
        name: "Northwind Studio Accounts", fromAddress: "accounts@northwind.example",
        replyTo: "collections@northwind.example", signature: "Mara Lind\nAccounts, Northwind Studio\n+49 30 1234567",
        paymentInstructions: "Bank: Berliner Bank\nIBAN: DE89 3704 0044 0532 0130 00\nBIC: COBADEFFXXX\n"
            + "Please quote the invoice number.",
        postalAddress: ["Northwind Studio GmbH", "Lindenstraße 5", "10969 Berlin"], phone: "+49 30 1234567")

    static let customer = Customer(
        id: "ACME", name: "Acme Trading GmbH", country: "DE", language: "de", collector: "Jonas Weber",
        address: PostalAddress(line1: "Hafenweg 3", postalCode: "20457", city: "Hamburg"))

    static let contact = Contact(role: .billing, name: "Anna Berger", email: "anna@acme.example")

    /// Issued 2 March 2026 on 2/10 net 30: due 1 April, 2 % off until 12 March.
    static let discounted = InvoiceBalance(
        invoice: Invoice(
            number: "INV-2026-014", customerID: "ACME", issueDate: day("2026-03-02"), dueDate: day("2026-04-01"),
            total: euros(1_250_00),
            terms: .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30),
            poNumber: "PO-7781", paymentReference: CreditorReference.forInvoice(number: "INV-2026-014")))

    /// Issued 10 February 2026 on net 14: due 24 February, partly paid.
    static let overdue = InvoiceBalance(
        invoice: Invoice(
            number: "INV-2026-009", customerID: "ACME", issueDate: day("2026-02-10"), dueDate: day("2026-02-24"),
            total: euros(4_800_00), terms: .net(days: 14),
            paymentReference: CreditorReference.forInvoice(number: "INV-2026-009")),
        paid: euros(1_800_00))

    static let asOf = day("2026-03-10")
    static let portalLink = "https://pay.northwind.example/p/abc123?lang=de&ref=ACME"

    /// A settlement offer after the standard ladder's last `delayed` step: 90 %, open for 14 days.
    static let offerStep = PlaybookStep(
        id: "settlement_offer", stage: .delayed, offsetDays: 28, gapDays: 7, channel: .email,
        settlementOfferBasisPoints: 9000, offerValidDays: 14)

    /// The standard playbook with the settlement offer in its place, before `non_payment`.
    static let playbook: Playbook = {
        var playbook = Playbook.standard
        playbook.steps.insert(offerStep, at: playbook.steps.firstIndex { $0.stage == .nonPayment }!)
        return playbook
    }()

    /// The plan agreed on 26 February for INV-2026-009 (3,800.00 open then): 800.00 on 2 March, paid that day,
    /// then 1,500.00 on 13 March and 1,500.00 on 13 April. On 10 March the next instalment is three days off.
    static let plan = PaymentPlan(
        id: "PLAN-1", invoiceNumbers: ["INV-2026-009"],
        instalments: [
            .init(dueDate: day("2026-03-02"), amount: euros(800_00)),
            .init(dueDate: day("2026-03-13"), amount: euros(1_500_00)),
            .init(dueDate: day("2026-04-13"), amount: euros(1_500_00)),
        ], acceptedOn: day("2026-02-26"))

    /// The same plan with its second instalment on 9 March: on 10 March it is a day late, inside the grace days.
    static let missedPlan = PaymentPlan(
        id: "PLAN-1", invoiceNumbers: ["INV-2026-009"],
        instalments: [
            .init(dueDate: day("2026-03-02"), amount: euros(800_00)),
            .init(dueDate: day("2026-03-09"), amount: euros(1_500_00)),
            .init(dueDate: day("2026-04-09"), amount: euros(1_500_00)),
        ], acceptedOn: day("2026-02-26"))

    /// What reached INV-2026-009 under the plan: the first instalment.
    static let planReceipts = [Receipt(invoiceNumber: "INV-2026-009", date: day("2026-03-02"), amount: euros(800_00))]

    /// A query about the hours billed on INV-2026-009, looked into and rejected on 9 March. Without the client's
    /// words, the reason is named in the message's language.
    static let dispute = Dispute(
        id: "DSP-1", invoiceNumber: "INV-2026-009", openedOn: day("2026-02-26"), reasonCode: .quantity, reason: "",
        resolvedOn: day("2026-03-09"), outcome: .rejected)

    /// The templates of messages about one plan, one dispute or one offer: about INV-2026-009 alone.
    static let eventTemplates = ["instalment_reminder", "instalment_missed", "dispute_rejected", "settlement_offer"]

    /// The context for one template, as the planner would hand it over; the messages about events and offers get
    /// the plan, dispute or offer the composer would find on the account.
    static func context(
        template: String, customer: Customer = customer, contact: Contact? = contact,
        invoices: [InvoiceBalance]? = nil, asOf: LocalDate = asOf, interest: InterestFigures? = nil,
        disputes: [Dispute] = [], sender: SenderIdentity = sender, organisation: Organisation = organisation
    ) -> MessageContext {
        let invoices = invoices ?? (eventTemplates.contains(template) ? [overdue] : [overdue, discounted])
        let step = playbook.steps.first { $0.template == template }
        let isEvent = Playbook.eventStepIDs.contains(template) && template != Playbook.thankYouStepID
        let action = PlannedAction(
            customerID: customer.id, date: asOf, channel: step?.channel ?? .email,
            stage: step?.stage ?? (isEvent ? .delayed : .preDue),
            stepID: step?.id ?? template, template: template, requiresApproval: step?.requiresApproval ?? false,
            escalatesTo: step?.escalatesTo,
            steps: invoices.map { InvoiceStep(invoiceNumber: $0.invoice.number, stepID: step?.id ?? template) },
            status: .planned, idempotencyKey: "key")
        var context = MessageContext(
            organisation: organisation, sender: sender, customer: customer, contact: contact, action: action,
            invoices: invoices, disputes: disputes, asOf: asOf, portalLink: portalLink, interest: interest)
        switch template {
        case "instalment_reminder":
            context.plan = PlanFacts(plan: plan, receipts: planReceipts, asOf: asOf, graceDays: 3)
        case "instalment_missed":
            context.plan = PlanFacts(plan: missedPlan, receipts: planReceipts, asOf: asOf, graceDays: 3)
        case "dispute_rejected":
            context.disputes = [DisputeFacts(dispute)]
        default:
            context.offer = step.flatMap { SettlementOfferTerms(step: $0, madeOn: asOf) }
        }
        return context
    }

    /// Every built-in template name: the standard playbook's, the two it no longer uses since issue 10 (kept for
    /// playbooks of one's own), the messages about events and the settlement offer.
    static let builtInTemplates =
        Playbook.standard.steps.map(\.template) + [
            "pre_due_reminder", "second_follow_up", "thank_you", "instalment_reminder", "instalment_missed",
            "dispute_rejected", "settlement_offer", "escalation_email", "invoice_copy", "statement_of_account",
        ]

    static var goldenDirectory: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Golden"
    }
}
