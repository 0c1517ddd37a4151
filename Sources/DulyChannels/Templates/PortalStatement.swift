import DulyCore

/// What the client portal shows one customer (README, "Client portal"), written out in their language by the same
/// rules the messages use: amounts, due dates, days overdue, the terms in words, the early-payment saving while it
/// lasts, the payment instructions and RF references, and the EPC payment code.
public struct PortalStatement {
    /// The customer's language when Duly has templates for it, else the organisation's, else English.
    public let language: TemplateLanguage
    let context: MessageContext

    /// The statement of `invoices` (the customer's open ones) on `today`; what an open dispute covers is not asked
    /// for.
    public init(
        organisation: Organisation, customer: Customer, invoices: [InvoiceBalance], disputes: [Dispute],
        on today: LocalDate
    ) {
        language = TemplateLanguage(tag: customer.language) ?? TemplateLanguage(tag: organisation.language) ?? .en
        let sender =
            organisation.sender
            ?? SenderIdentity(name: organisation.name, fromAddress: "", signature: "", paymentInstructions: "")
        var context = MessageContext(
            organisationName: organisation.name, sender: sender, customerName: customer.name,
            customerReference: customer.id, languageTag: customer.language, stage: .preDue, stepID: "portal",
            channel: .email, asOf: today,
            invoices: invoices.map { InvoiceFacts($0, disputes: disputes, asOf: today) })
        context.workingCalendar = WorkingCalendar(country: organisation.country, extraHolidays: organisation.holidays)
        self.context = context
    }

    /// The fields the message templates see (`MessageContext.fieldNames`), in the statement's language.
    public var values: [String: Any] { context.values(in: language) }

    /// The EPC payment code for everything open, as an inline SVG element; nil when there is none to show (no IBAN
    /// set, not in euros, nothing open).
    public var paymentCodeSVG: String? {
        PrintedPaymentCode(for: context)?.code.svg(moduleSize: 0.6, label: "EPC payment code")
    }

    /// The language's words for a dispute reason.
    public func words(for reason: DisputeReason) -> String { language.words(for: reason) }

    /// A date or an amount as the statement writes it.
    public func format(_ date: LocalDate) -> String { language.format(date) }
    public func format(_ money: Money) -> String { language.format(money) }
}
