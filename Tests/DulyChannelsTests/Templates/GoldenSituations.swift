import DulyChannels
import DulyCore

/// The situation each built-in template is written for, as its golden file shows it (issue 11, part 1): a reminder
/// before the due date lists invoices not yet due, a follow-up invoices overdue by the step's days, a final notice
/// invoices long overdue with interest, a thank-you invoices paid in full.
enum GoldenSituations {
    /// The states a message can present an invoice in, as the message context gives them: by `daysPastDue`, and
    /// settled when nothing is left open.
    enum InvoiceState: String, CaseIterable, Sendable {
        case notYetDue = "not yet due"
        case dueToday = "due today"
        case overdue
        case settled = "paid in full"

        init(_ invoice: InvoiceFacts) {
            if invoice.open.isZero && invoice.disputed == nil {
                self = .settled
            } else if invoice.daysPastDue < 0 {
                self = .notYetDue
            } else {
                self = invoice.daysPastDue == 0 ? .dueToday : .overdue
            }
        }
    }

    /// What each template's words speak to: "before the due date" lists what is not yet due, the due-day notice
    /// what falls due today and in the coming days, every message after the due date what is overdue (the plan and
    /// dispute messages too: their invoice is past due), the thank-you what is paid.
    static func statesSpokenTo(by template: String) -> Set<InvoiceState> {
        switch template {
        case "pre_due_reminder": return [.notYetDue]
        case "due_day_notice": return [.dueToday, .notYetDue]
        case "thank_you": return [.settled]
        default: return [.overdue]
        }
    }

    private typealias F = TemplateFixtures

    /// Issued 5 March 2026 on net 14: due 19 March.
    static let upcoming = InvoiceBalance(
        invoice: Invoice(
            number: "INV-2026-016", customerID: "ACME", issueDate: F.day("2026-03-05"), dueDate: F.day("2026-03-19"),
            total: F.euros(860_00), terms: .net(days: 14),
            paymentReference: CreditorReference.forInvoice(number: "INV-2026-016")))

    /// Issued 13 February 2026 on net 14: due 27 February.
    static let secondOverdue = InvoiceBalance(
        invoice: Invoice(
            number: "INV-2026-011", customerID: "ACME", issueDate: F.day("2026-02-13"), dueDate: F.day("2026-02-27"),
            total: F.euros(950_00), terms: .net(days: 14),
            paymentReference: CreditorReference.forInvoice(number: "INV-2026-011")))

    /// The day each template is rendered on and the invoices it is about: the day the standard playbook's step
    /// falls for INV-2026-009 (due 24 February), or for the messages about a plan or a dispute the fixtures' day.
    static func situation(of template: String) -> (asOf: String, invoices: [InvoiceBalance]) {
        let overdue = [F.overdue, secondOverdue]
        switch template {
        case "pre_due_reminder": return ("2026-03-05", [F.discounted, upcoming])
        case "due_day_notice": return ("2026-03-19", [upcoming])
        case "first_follow_up": return ("2026-02-27", [F.overdue])
        case "second_follow_up": return ("2026-03-06", overdue)
        case "call_offer_plan": return ("2026-03-10", overdue)
        case "solution_offer": return ("2026-03-17", overdue)
        case "settlement_offer": return ("2026-03-24", [F.overdue])
        case "manager_escalation": return ("2026-04-06", overdue)
        case "escalation_email": return ("2026-04-08", overdue)
        case "final_notice": return ("2026-04-13", overdue)
        case "agency_handover": return ("2026-04-27", overdue)
        case "thank_you": return ("2026-03-12", [settled(F.overdue), settled(secondOverdue)])
        default: return ("2026-03-10", [F.overdue])
        }
    }

    /// The sender as a careful organisation sets it up: how to pay in each of the four languages (German its own),
    /// without a line of its own about what to quote, since each message gives the invoice's RF reference.
    static let sender: SenderIdentity = {
        var sender = F.sender
        let account = "Berliner Bank, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX"
        sender.paymentInstructions = "Überweisung an Northwind Studio GmbH\n" + account
        sender.translatedPaymentInstructions = [
            "en": "Bank transfer to Northwind Studio GmbH\n" + account,
            "fr": "Virement à Northwind Studio GmbH\n" + account,
            "nl": "Overschrijving naar Northwind Studio GmbH\n" + account,
        ]
        return sender
    }()

    /// The client, whose contact Anna Berger the books address as Frau (Ms, Madame, mevrouw).
    static let customer: Customer = {
        var customer = F.customer
        customer.title = "Frau"
        return customer
    }()

    private static func settled(_ balance: InvoiceBalance) -> InvoiceBalance {
        InvoiceBalance(invoice: balance.invoice, paid: balance.invoice.total)
    }

    /// The context a template's golden file is rendered from: its situation, the sender and client above, and for
    /// the messages that state
    /// interest (the final notice and the agency hand-over) the statutory interest of a German creditor, 9
    /// percentage points over a base rate of 2.27 %, with EUR 40 per invoice (§ 288 Abs. 2 and 5 BGB).
    static func context(template: String) -> MessageContext {
        let (day, invoices) = situation(of: template)
        let asOf = F.day(day)
        var interest: InterestFigures?
        if template == "final_notice" || template == "agency_handover" {
            interest = InterestFigures(
                annualRateBasisPoints: 1_127, legalBasis: "§ 288 Abs. 2 BGB", compensationBasis: "§ 288 Abs. 5 BGB",
                calculatedTo: asOf,
                items: invoices.map { balance in
                    let days = balance.invoice.dueDate.days(until: asOf)
                    return .init(
                        invoiceNumber: balance.invoice.number, days: days,
                        interest: F.euros(balance.open.minorUnits * 1_127 * days / (10_000 * 365)),
                        compensation: F.euros(40_00))
                })
        }
        // The senior contact is written to by name; the billing contact's title is not theirs.
        let senior = Contact(role: .senior, name: "Petra Hoffmann", email: "p.hoffmann@acme.example")
        var context = F.context(
            template: template, customer: template == "escalation_email" ? F.customer : customer,
            contact: template == "escalation_email" ? senior : F.contact, invoices: invoices, asOf: asOf,
            interest: interest, sender: sender)
        // The thank-you acknowledges what arrived and when; the hand-over names the agency and how to reach it.
        if template == "thank_you" {
            context.received = PaymentReceived(
                invoices.map { Receipt(invoiceNumber: $0.invoice.number, date: F.day("2026-03-11"), amount: $0.paid) })
        }
        context.agency = CollectionAgency(
            name: "Hansa Forderungsmanagement GmbH",
            contact: ["Große Elbstraße 12, 22767 Hamburg", "service@hansa-fm.example", "+49 40 555 0199"])
        return context
    }
}
