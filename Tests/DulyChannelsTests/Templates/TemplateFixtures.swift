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
        postalAddress: ["Northwind Studio GmbH", "Lindenstraße 5", "10969 Berlin"])

    static let customer = Customer(
        id: "ACME", name: "Acme Trading GmbH", country: "DE", language: "de", collector: "Jonas Weber")

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

    /// The context for one template, as the planner would hand it over.
    static func context(
        template: String, customer: Customer = customer, contact: Contact? = contact,
        invoices: [InvoiceBalance] = [overdue, discounted], asOf: LocalDate = asOf, interest: InterestFigures? = nil
    ) -> MessageContext {
        let step = Playbook.standard.steps.first { $0.template == template }
        let action = PlannedAction(
            customerID: customer.id, date: asOf, channel: step?.channel ?? .email, stage: step?.stage ?? .preDue,
            stepID: step?.id ?? template, template: template, requiresApproval: step?.requiresApproval ?? false,
            escalatesTo: step?.escalatesTo,
            steps: invoices.map { InvoiceStep(invoiceNumber: $0.invoice.number, stepID: step?.id ?? template) },
            status: .planned, idempotencyKey: "key")
        return MessageContext(
            organisation: organisation, sender: sender, customer: customer, contact: contact, action: action,
            invoices: invoices, asOf: asOf, portalLink: portalLink, interest: interest)
    }

    /// Every built-in template name: the standard playbook's and the thank-you.
    static let builtInTemplates = Playbook.standard.steps.map(\.template) + ["thank_you"]

    static var goldenDirectory: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Golden"
    }
}
