import DulyCore

// Small builders so each planner test reads as its rule: a customer, some invoices, some history, a date.

let eur = Currency(code: "EUR")!

func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

func euros(_ cents: Int) -> Money { Money(minorUnits: cents, currency: eur) }

func openInvoice(
    _ number: String, due: String, total: Int = 500_00, paid: Int = 0, customer: String = "C1",
    issued: String? = nil
) -> InvoiceBalance {
    let dueDate = day(due)
    let invoice = Invoice(
        number: number, customerID: customer, issueDate: issued.map(day) ?? dueDate.adding(days: -30),
        dueDate: dueDate, total: euros(total))
    return InvoiceBalance(invoice: invoice, paid: euros(paid))
}

/// A postal address, so that letters can be planned.
let acmeAddress = PostalAddress(line1: "1 Canal Street", postalCode: "1011 AB", city: "Amsterdam")

func reachableAccount(
    _ invoices: [InvoiceBalance], history: [ActionRecord] = [],
    customer: Customer = Customer(id: "C1", name: "Acme", address: acmeAddress)
) -> Account {
    Account(
        customer: customer,
        contacts: [
            Contact(role: .billing, name: "Ana", email: "ana@acme.example", phone: "+31 20 123 4567"),
            Contact(role: .senior, name: "Bo", email: "bo@acme.example"),
        ],
        invoices: invoices, history: history)
}

/// A past action taking `step` for each invoice number.
func taken(
    _ id: Int64, _ step: String, on date: String, _ invoices: [String] = ["INV-1"], status: ActionStatus = .sent
) -> ActionRecord {
    let playbookStep = ladderPlaybook.step(step)!
    return ActionRecord(
        id: id, date: day(date), channel: playbookStep.channel, status: status, escalatesTo: playbookStep.escalatesTo,
        steps: invoices.map { InvoiceStep(invoiceNumber: $0, stepID: step) })
}

/// The ladder the planner's rule tests are written against: the built-in playbook as it stood before issue 10 tuned
/// it on `duly simulate --portfolio` (README.md, "The default playbook"): a reminder a week before the due date, a
/// due-day notice, two follow-ups, a call, a solution, then non-payment; at most 2 contacts in 7 days. Rule tests
/// keep their own ladder so that tuning the default never changes what a rule checks; tests about the default
/// itself use `Playbook.standard`.
let ladderPlaybook = Playbook(
    name: "ladder",
    steps: [
        PlaybookStep(id: "pre_due_reminder", stage: .preDue, offsetDays: -7, gapDays: 1, channel: .email),
        PlaybookStep(id: "due_day_notice", stage: .preDue, offsetDays: 0, gapDays: 3, channel: .email),
        PlaybookStep(id: "first_follow_up", stage: .delayed, offsetDays: 3, gapDays: 3, channel: .email),
        PlaybookStep(id: "second_follow_up", stage: .delayed, offsetDays: 10, gapDays: 7, channel: .email),
        PlaybookStep(id: "call_offer_plan", stage: .delayed, offsetDays: 14, gapDays: 4, channel: .call),
        PlaybookStep(id: "solution_offer", stage: .delayed, offsetDays: 21, gapDays: 7, channel: .email),
        PlaybookStep(
            id: "manager_escalation", stage: .nonPayment, anchor: .stageEntry, offsetDays: 0, gapDays: 5,
            channel: .email, escalatesTo: .manager),
        PlaybookStep(
            id: "final_notice", stage: .nonPayment, anchor: .stageEntry, offsetDays: 7, gapDays: 7, channel: .letter,
            requiresApproval: true),
        PlaybookStep(
            id: "agency_handover", stage: .nonPayment, anchor: .stageEntry, offsetDays: 21, gapDays: 14,
            channel: .letter, requiresApproval: true, escalatesTo: .agency),
    ],
    maxContactsPerSevenDays: 2
)

let ladderPlanner = Planner(playbook: ladderPlaybook, organisationID: "org")

extension AccountPlan {
    /// (step, channel, invoices) of each action, for compact expectations.
    var summary: [String] {
        actions.map {
            "\($0.stepID) \($0.channel.rawValue) \($0.invoiceNumbers.joined(separator: ",")) \($0.status.rawValue)"
        }
    }
}
