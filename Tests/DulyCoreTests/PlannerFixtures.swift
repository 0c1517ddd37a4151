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
    let playbookStep = Playbook.standard.step(step)!
    return ActionRecord(
        id: id, date: day(date), channel: playbookStep.channel, status: status, escalatesTo: playbookStep.escalatesTo,
        steps: invoices.map { InvoiceStep(invoiceNumber: $0, stepID: step) })
}

let standardPlanner = Planner(playbook: .standard, organisationID: "org")

extension AccountPlan {
    /// (step, channel, invoices) of each action, for compact expectations.
    var summary: [String] {
        actions.map {
            "\($0.stepID) \($0.channel.rawValue) \($0.invoiceNumbers.joined(separator: ",")) \($0.status.rawValue)"
        }
    }
}
