import DulyCore

/// Everything a template may say about one message, computed from domain values.
///
/// It holds facts (amounts as `Money`, dates as `LocalDate`), not text: a `TemplateLibrary` writes them out in the
/// language it renders in, so an English fallback never shows German number formats. The fields a template sees are
/// listed in `MessageContext.fieldNames` and documented on `TemplateLibrary`.
public struct MessageContext: Hashable, Sendable {
    /// The organisation's name (`Northwind Studio`).
    public var organisationName: String
    /// Who the message is from, the signature and the payment instructions.
    public var sender: SenderIdentity
    /// The client's name.
    public var customerName: String
    /// The client's reference in the organisation's books.
    public var customerReference: String
    /// The collector who owns the account, for internal notes.
    public var collector: String?
    /// The person addressed, when known.
    public var contactName: String?
    /// The customer's title for a formal salutation (`Dr.`), when the books give one.
    public var customerTitle: String?
    /// A note to the team (the manager's escalation), not a message to the client: written in the organisation's
    /// language, and speaking of the client in the third person.
    public var isInternal = false
    /// The customer's language tag as stored (`de`, `fr-BE`); nil means the organisation's default.
    public var languageTag: String?
    /// The stage of the step the message speaks for.
    public var stage: Stage
    /// The playbook step (`first_follow_up`).
    public var stepID: String
    /// The template the step names.
    public var template: String
    public var channel: Channel
    /// The day the message is written for.
    public var asOf: LocalDate
    /// The invoices covered, in the action's order.
    public var invoices: [InvoiceFacts]
    /// The link to the customer portal, or a placeholder the deliverer replaces with a signed link.
    public var portalLink: String?
    /// Statutory interest and compensation, for non-payment messages; nil when no regime applies or nothing is late.
    public var interest: InterestFigures?
    /// Days a final notice gives to pay or answer, counted from `asOf` (the `respond_by` field).
    public var responseDays = 14
    /// The organisation's working days: a `respond_by` date on a day off (a weekend, a public holiday) rolls to
    /// the next working day. Nil keeps the date as counted.
    public var workingCalendar: WorkingCalendar?
    /// The payment plan an instalment reminder or follow-up is about; nil for other messages.
    public var plan: PlanFacts?
    /// The disputes a dispute-rejected note answers, in the action's invoice order; empty for other messages.
    public var disputes: [DisputeFacts] = []
    /// What was tried to reach the client about the invoices, for the internal note to the manager
    /// (`contact_history`); nil when not given, and then the note says none is on record.
    public var contactHistory: [EscalationReview.Attempt]?
    /// The settlement a step offers (`settlement_offer_percent`); nil when it offers none.
    public var offer: SettlementOfferTerms?
    /// The payment a thank-you acknowledges; nil for other messages, or when no payment closed the invoices.
    public var received: PaymentReceived?
    /// The account's collector, when their details are kept: they sign the messages to the client and give their
    /// direct line (`duly collector set`).
    public var signingCollector: Collector?
    /// The collection agency a hand-over names; nil when the organisation has not set one.
    public var agency: CollectionAgency?
    /// Days a follow-up gives to pay, counted from `asOf` (the `payment_requested_by` field).
    public var paymentDays = 7

    /// A stand-in for the portal link when the message is rendered before the link is signed: pass it as
    /// `portalLink` and have the deliverer replace it with the signed link (it survives HTML escaping unchanged).
    public static let portalLinkPlaceholder = "%%PORTAL_LINK%%"

    /// Builds the context for one planned action.
    ///
    /// - Parameters:
    ///   - invoices: balances of the customer's invoices; those the action covers are taken, in the action's order
    ///     (all of them when the action lists none, as for a thank-you).
    ///   - portalLink: the portal link, if already signed; nil leaves the field out.
    ///   - disputes: the customer's disputes; what is under an open one on `asOf` is not asked for.
    public init(
        organisation: Organisation, sender: SenderIdentity, customer: Customer, contact: Contact?,
        action: PlannedAction, invoices: [InvoiceBalance], disputes: [Dispute] = [], asOf: LocalDate,
        portalLink: String?, interest: InterestFigures? = nil
    ) {
        let byNumber = Dictionary(invoices.map { ($0.invoice.number, $0) }, uniquingKeysWith: { first, _ in first })
        let covered: [InvoiceBalance]
        if action.steps.isEmpty {
            covered = invoices
        } else {
            var seen: Set<String> = []
            covered = action.invoiceNumbers.compactMap { seen.insert($0).inserted ? byNumber[$0] : nil }
        }
        self.init(
            organisationName: organisation.name, sender: sender, customerName: customer.name,
            customerReference: customer.id, collector: customer.collector, contactName: contact?.name,
            languageTag: customer.language, stage: action.stage, stepID: action.stepID, template: action.template,
            channel: action.channel, asOf: asOf,
            invoices: covered.map { InvoiceFacts($0, disputes: disputes, asOf: asOf) },
            portalLink: portalLink, interest: interest)
        self.workingCalendar = WorkingCalendar(country: organisation.country, extraHolidays: organisation.holidays)
        self.agency = organisation.agency
        self.customerTitle = customer.title.flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }
        self.isInternal = action.escalatesTo == .manager
    }

    /// Builds a context from its parts (tests, previews, the template editor).
    public init(
        organisationName: String, sender: SenderIdentity, customerName: String, customerReference: String,
        collector: String? = nil, contactName: String? = nil, languageTag: String? = nil, stage: Stage,
        stepID: String, template: String? = nil, channel: Channel = .email, asOf: LocalDate, invoices: [InvoiceFacts],
        portalLink: String? = nil, interest: InterestFigures? = nil
    ) {
        self.organisationName = organisationName
        self.sender = sender
        self.customerName = customerName
        self.customerReference = customerReference
        self.collector = collector
        self.contactName = contactName.flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }
        self.languageTag = languageTag
        self.stage = stage
        self.stepID = stepID
        self.template = template ?? stepID
        self.channel = channel
        self.asOf = asOf
        self.invoices = invoices
        self.portalLink = portalLink
        self.interest = interest
    }

    /// The language the customer reads, when Duly has templates for it.
    public var preferredLanguage: TemplateLanguage? { TemplateLanguage(tag: languageTag) }

    /// What is open, one amount per currency, in the order the currencies first appear among the invoices.
    public var totals: [Money] { Money.totals(invoices.map(\.open)) }
}

/// One invoice as a message describes it.
public struct InvoiceFacts: Hashable, Sendable {
    public var number: String
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var total: Money
    /// What is still owed and asked for: the open amount less what the client disputes.
    public var open: Money
    /// What of the open amount is under an open dispute, so not asked for; nil when nothing is.
    public var disputed: Money?
    public var terms: PaymentTerms?
    public var poNumber: String?
    /// What was paid or credited: neither asked for nor disputed.
    public var paid: Money { total - open - (disputed ?? .zero(total.currency)) }
    /// Days from the due date to the message's date: positive when overdue, negative before the due date.
    public var daysPastDue: Int
    /// What paying the open amount by the discount deadline saves, when the terms have a discount and the deadline
    /// has not passed. Computed on the open amount: a discount applies to what is paid within the period.
    public var earlyPaymentSaving: Money?
    /// The last day the saving applies.
    public var earlyPaymentDeadline: LocalDate?
    /// The RF creditor reference to quote when paying (unspaced; templates print it in groups of four).
    public var paymentReference: String?
    /// Where the client pays the invoice online, shown as a Pay button; nil when the invoice has no payment link.
    public var paymentURL: String?

    /// Takes the facts from a balance on a given day; what `disputes` open that day cover is left out of `open`.
    public init(_ balance: InvoiceBalance, disputes: [Dispute] = [], asOf: LocalDate) {
        let invoice = balance.invoice
        let disputed = balance.disputedOpen(disputes: disputes, on: asOf)
        let open = balance.open - disputed
        self.number = invoice.number
        self.issueDate = invoice.issueDate
        self.dueDate = invoice.dueDate
        self.total = invoice.total
        self.open = open
        self.disputed = disputed.isZero ? nil : disputed
        self.terms = invoice.terms
        self.poNumber = invoice.poNumber
        self.paymentReference = invoice.paymentReference
        self.paymentURL = invoice.paymentURL
        self.daysPastDue = invoice.dueDate.days(until: asOf)
        if let terms = invoice.terms, let deadline = terms.discountDeadline(issuedOn: invoice.issueDate),
            asOf <= deadline, !open.isZero, let saving = terms.discount(on: open), !saving.isZero
        {
            self.earlyPaymentSaving = saving
            self.earlyPaymentDeadline = deadline
        } else {
            self.earlyPaymentSaving = nil
            self.earlyPaymentDeadline = nil
        }
    }

    /// Days past the due date, zero before it.
    public var daysOverdue: Int { max(0, daysPastDue) }
    /// Days left until the due date, zero from it on.
    public var daysUntilDue: Int { max(0, -daysPastDue) }
}

/// Statutory interest and compensation for late payment, as a final notice states them.
///
/// `InterestSettings` computes them with the law module (rate by country, reference rate, fixed compensation per
/// invoice); a context without them has the final notice reserve the right to claim instead of stating figures.
public struct InterestFigures: Hashable, Sendable {
    /// What is claimed for one invoice.
    public struct Item: Hashable, Sendable {
        public var invoiceNumber: String
        /// Days the interest runs for.
        public var days: Int
        public var interest: Money
        /// Fixed compensation for recovery costs (EUR 40 under Directive 2011/7/EU).
        public var compensation: Money
        /// This invoice's yearly rate in basis points, when known (under the UK Act each debt keeps its own).
        public var annualRateBasisPoints: Int?

        public init(
            invoiceNumber: String, days: Int, interest: Money, compensation: Money, annualRateBasisPoints: Int? = nil
        ) {
            self.invoiceNumber = invoiceNumber
            self.days = days
            self.interest = interest
            self.compensation = compensation
            self.annualRateBasisPoints = annualRateBasisPoints
        }
    }

    /// The yearly rate in basis points (1215 is 12.15 %).
    public var annualRateBasisPoints: Int
    /// The law the claim rests on, as the letter cites it (`§ 288 BGB`).
    public var legalBasis: String
    /// The law that gives the fixed compensation for recovery costs (`§ 288 Abs. 5 BGB`), when known.
    public var compensationBasis: String?
    /// Whether the rate is the one agreed in the contract rather than the statutory one: the messages then say so in
    /// their own words instead of citing a law.
    public var isContractual: Bool
    /// The day interest is computed to.
    public var calculatedTo: LocalDate
    public var items: [Item]

    public init(
        annualRateBasisPoints: Int, legalBasis: String, compensationBasis: String? = nil, isContractual: Bool = false,
        calculatedTo: LocalDate, items: [Item]
    ) {
        self.annualRateBasisPoints = annualRateBasisPoints
        self.legalBasis = legalBasis
        self.compensationBasis = compensationBasis
        self.isContractual = isContractual
        self.calculatedTo = calculatedTo
        self.items = items
    }

    /// The interest claimed, one amount per currency.
    public var interestTotals: [Money] { Money.totals(items.map(\.interest)) }
    /// The compensation claimed, one amount per currency.
    public var compensationTotals: [Money] { Money.totals(items.map(\.compensation)) }
}

extension Money {
    /// Sums amounts per currency, in the order the currencies first appear.
    static func totals(_ amounts: [Money]) -> [Money] {
        var order: [Currency] = []
        var sums: [Currency: Money] = [:]
        for amount in amounts {
            if let sum = sums[amount.currency] {
                sums[amount.currency] = sum + amount
            } else {
                order.append(amount.currency)
                sums[amount.currency] = amount
            }
        }
        return order.map { sums[$0]! }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

extension MessageContext {
    /// Names and the client's own words, as a message may quote them: the client's name, its contact's, its
    /// references and PO numbers, the reasons it gave for a dispute; and the names of the organisation, its sender,
    /// its address, the collector and the agency. The tone guard does not read a name as wording: a firm called
    /// "Court Lane Solicitors" chases its invoices as politely as any.
    var namesAndClientsWords: [String] {
        var words = [customerName, customerReference] + invoices.map(\.number) + invoices.compactMap(\.poNumber)
        words += [organisationName, sender.name] + sender.postalAddress
        words += [signingCollector?.name, agency?.name].compactMap { $0 }
        words += disputes.map(\.reason)
        // The portal link is a signed token, not wording: its letters may happen to spell a run of capitals.
        if let portalLink { words.append(portalLink) }
        if let customerTitle { words.append(customerTitle) }
        if let contactName { words += [contactName] + contactName.split(separator: " ").map(String.init) }
        return words.filter { !$0.trimmingWhitespace.isEmpty }.sorted { $0.count > $1.count }
    }

    /// How the client can answer, as a message writes it out: the reply address, the phone number, the portal link.
    var waysToAnswer: [String] {
        [sender.replyTo ?? sender.fromAddress, phone ?? "", portalLink ?? ""].filter { !$0.isEmpty }
    }
}
