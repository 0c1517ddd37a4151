/// A business whose receivables Duly chases (a tenant; every record belongs to exactly one).
/// A member of the team who owns accounts (`Customer.collector` holds the name) and signs the messages to them.
public struct Collector: Hashable, Sendable {
    /// The name as the customers name the collector (`Jonas Weber`).
    public var name: String
    public var email: String?
    /// A direct number clients may call: messages then give it in place of the organisation's.
    public var phone: String?

    public init(name: String, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// A document an email to the client carries, as a PDF.
public enum MessageAttachment: String, CaseIterable, Hashable, Sendable, Comparable {
    /// A copy of each invoice the message is about, from the invoice's data.
    case invoice
    /// The statement of account, every open item, on follow-ups after the due date.
    case statement

    public static func < (lhs: MessageAttachment, rhs: MessageAttachment) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A collection agency as the hand-over letter names it.
public struct CollectionAgency: Hashable, Sendable {
    public var name: String
    /// How the client reaches it: address lines, an email address, a phone number; may be empty.
    public var contact: [String]

    public init(name: String, contact: [String] = []) {
        self.name = name
        self.contact = contact
    }
}

public struct Organisation: Hashable, Sendable {
    /// A short stable id (`default`, `acme`).
    public var id: String
    public var name: String
    public var baseCurrency: Currency
    /// ISO 3166-1 alpha-2; decides which late-payment law applies.
    public var country: String
    /// IANA time zone (`Europe/Amsterdam`); "today" for a run is the date there.
    public var timeZone: String
    /// Days nothing goes out, besides the playbook's non-working weekdays.
    public var holidays: Set<LocalDate>
    /// Who messages come from and how clients pay; nil until configured (`duly init --from-address …`).
    public var sender: SenderIdentity?
    /// The language the team reads (ISO 639-1): internal notes are written in it, and untagged payment
    /// instructions are in it. Derived from the country unless set (`duly init --language`).
    public var language: String
    /// The collection agency accounts are handed to as a last resort, named in the hand-over letter; nil until set
    /// (`duly init --agency-name`).
    public var agency: CollectionAgency?
    /// The documents emails to clients carry as PDF (`duly init --attach`); none unless set.
    public var attachments: Set<MessageAttachment> = []

    public init(
        id: String, name: String, baseCurrency: Currency, country: String, timeZone: String,
        holidays: Set<LocalDate> = [], sender: SenderIdentity? = nil, language: String? = nil
    ) {
        self.id = id
        self.name = name
        self.baseCurrency = baseCurrency
        self.country = country
        self.timeZone = timeZone
        self.holidays = holidays
        self.sender = sender
        self.language = language ?? Organisation.defaultLanguage(country: country)
    }

    /// The language a business in `country` (ISO 3166-1 alpha-2) works in by default: DE and AT German, FR and BE
    /// French, NL Dutch, anywhere else English.
    public static func defaultLanguage(country: String) -> String {
        switch country.uppercased() {
        case "DE", "AT": "de"
        case "FR", "BE": "fr"
        case "NL": "nl"
        default: "en"
        }
    }
}

/// The account being chased.
public struct Customer: Hashable, Sendable, Codable {
    /// The customer's reference in the organisation's books (`customer_id` in the CSV).
    public var id: String
    public var name: String
    public var country: String?
    /// ISO 639-1 (`en`, `de`); picks the templates' language.
    public var language: String?
    public var timeZone: String?
    /// The collector who owns the account.
    public var collector: String?
    public var tags: Set<String>
    /// Channels the customer asked not to be contacted on.
    public var optedOut: Set<Channel>
    /// Where letters go; nil when the books hold no postal address, and then no letter is planned.
    public var address: PostalAddress?
    /// The contact's title for a formal salutation (`Dr.`, `Mme`), when the books give one.
    public var title: String?

    public init(
        id: String, name: String, country: String? = nil, language: String? = nil, timeZone: String? = nil,
        collector: String? = nil, tags: Set<String> = [], optedOut: Set<Channel> = [], address: PostalAddress? = nil,
        title: String? = nil
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.language = language
        self.timeZone = timeZone
        self.collector = collector
        self.tags = tags
        self.optedOut = optedOut
        self.address = address
        self.title = title
    }
}

/// A postal address as the books give it: the lines a letter's address window prints above the country.
public struct PostalAddress: Hashable, Sendable, Codable {
    public var line1: String
    public var line2: String?
    public var postalCode: String?
    public var city: String
    public var region: String?

    public init(line1: String, line2: String? = nil, postalCode: String? = nil, city: String, region: String? = nil) {
        self.line1 = line1
        self.line2 = line2
        self.postalCode = postalCode
        self.city = city
        self.region = region
    }
}

/// A person at the customer, and how to reach them.
public struct Contact: Hashable, Sendable, Codable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Receives invoices and reminders.
        case billing
        case primary
        /// The senior person an escalation goes to.
        case senior
    }

    public var role: Role
    public var name: String?
    public var email: String?
    public var phone: String?
    public var preferredChannel: Channel?
    /// The address bounced permanently: no email goes there until it is repaired.
    public var emailBouncing: Bool
    /// Channels this person asked not to be contacted on.
    public var optedOut: Set<Channel>

    public init(
        role: Role, name: String? = nil, email: String? = nil, phone: String? = nil, preferredChannel: Channel? = nil,
        emailBouncing: Bool = false, optedOut: Set<Channel> = []
    ) {
        self.role = role
        self.name = name
        self.email = email
        self.phone = phone
        self.preferredChannel = preferredChannel
        self.emailBouncing = emailBouncing
        self.optedOut = optedOut
    }
}

/// An invoice as issued. Its balance is never stored on it: see `InvoiceBalance`.
public struct Invoice: Hashable, Sendable {
    /// Unique within the organisation.
    public var number: String
    public var customerID: String
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var total: Money
    public var terms: PaymentTerms?
    public var poNumber: String?
    /// The RF creditor reference Duly issued for the invoice (`RF18539007547034`, unspaced), set by the store when
    /// it reads the invoice; nil on an invoice not yet stored. See `CreditorReference.forInvoice(number:attempt:)`.
    public var paymentReference: String?
    /// Where the client can pay the invoice online (a payment provider's page, `https://pay.example/inv-1`): an
    /// absolute https or http URL, shown as a Pay button in messages and on the portal; nil when there is none.
    public var paymentURL: String?

    public init(
        number: String, customerID: String, issueDate: LocalDate, dueDate: LocalDate, total: Money,
        terms: PaymentTerms? = nil, poNumber: String? = nil, paymentReference: String? = nil, paymentURL: String? = nil
    ) {
        self.number = number
        self.customerID = customerID
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.total = total
        self.terms = terms
        self.poNumber = poNumber
        self.paymentReference = paymentReference
        self.paymentURL = paymentURL
    }

    public var currency: Currency { total.currency }
}

/// Money received from a customer, allocated to invoices by `Allocation`.
public struct Payment: Hashable, Sendable {
    public var id: String
    public var customerID: String
    public var date: LocalDate
    public var amount: Money
    public var reference: String?
    /// The invoice the payer named, if any.
    public var invoiceNumber: String?

    public init(
        id: String, customerID: String, date: LocalDate, amount: Money, reference: String? = nil,
        invoiceNumber: String? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.date = date
        self.amount = amount
        self.reference = reference
        self.invoiceNumber = invoiceNumber
    }
}

/// A part of a payment applied to one invoice.
public struct Allocation: Hashable, Sendable {
    public var paymentID: String
    public var invoiceNumber: String
    public var amount: Money
    public var date: LocalDate

    public init(paymentID: String, invoiceNumber: String, amount: Money, date: LocalDate) {
        self.paymentID = paymentID
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.date = date
    }
}

/// An invoice with what has been paid and credited against it.
public struct InvoiceBalance: Hashable, Sendable {
    public var invoice: Invoice
    public var paid: Money
    /// Every non-cash reduction: credit notes, discounts, settlements, write-offs.
    public var credited: Money
    /// Set when a settlement or a write-off was booked: the end state the invoice reaches once closed.
    public var adjustedAs: EndState?

    public init(invoice: Invoice, paid: Money? = nil, credited: Money? = nil, adjustedAs: EndState? = nil) {
        self.invoice = invoice
        self.paid = paid ?? .zero(invoice.currency)
        self.credited = credited ?? .zero(invoice.currency)
        self.adjustedAs = adjustedAs
    }

    /// What is still owed; never below zero (an over-payment is left unallocated, as a credit).
    public var open: Money {
        let rest = invoice.total - paid - credited
        return rest.minorUnits > 0 ? rest : .zero(invoice.currency)
    }

    public var isClosed: Bool { open.isZero }

    /// Paid or credited, once closed.
    public var endState: EndState? {
        guard isClosed else { return nil }
        if let adjustedAs { return adjustedAs }
        return credited.minorUnits >= invoice.total.minorUnits ? .credited : .paid
    }
}

/// How an invoice's life ended.
public enum EndState: String, Codable, Sendable, CaseIterable {
    case paid, credited, settled
    case writtenOff = "written_off"
}

/// Applies payments to invoices.
public enum Allocator {
    /// Splits `payment` over the customer's open invoices.
    ///
    /// A payment that names one of them goes there first; whatever is left (or all of it, when it names none) goes
    /// oldest first: earliest due date, then earliest issue date, then invoice number. Only invoices in the
    /// payment's currency take part. What no invoice can take stays unallocated, a credit on the account.
    /// - Returns: the allocations and the unallocated rest.
    public static func allocate(
        _ payment: Payment, to balances: [InvoiceBalance]
    ) -> (
        allocations: [Allocation], unallocated: Money
    ) {
        var remaining = payment.amount
        var allocations: [Allocation] = []
        // Positions rather than copies: an import allocates hundreds of thousands of payments, and copying each
        // candidate balance (strings and all) per payment cost more than the allocation itself.
        let candidates = balances.indices.filter {
            balances[$0].invoice.customerID == payment.customerID
                && balances[$0].invoice.currency == payment.amount.currency && !balances[$0].isClosed
        }
        let named = candidates.filter { balances[$0].invoice.number == payment.invoiceNumber }
        let others = candidates.filter { balances[$0].invoice.number != payment.invoiceNumber }.sorted {
            (balances[$0].invoice.dueDate, balances[$0].invoice.issueDate, balances[$0].invoice.number)
                < (balances[$1].invoice.dueDate, balances[$1].invoice.issueDate, balances[$1].invoice.number)
        }
        for position in named + others where remaining.minorUnits > 0 {
            let balance = balances[position]
            let take = min(balance.open.minorUnits, remaining.minorUnits)
            guard take > 0 else { continue }
            allocations.append(
                Allocation(
                    paymentID: payment.id, invoiceNumber: balance.invoice.number,
                    amount: Money(minorUnits: take, currency: remaining.currency), date: payment.date))
            remaining.minorUnits -= take
        }
        return (allocations, remaining)
    }
}

/// A customer with its contacts, as imported.
public struct CustomerRecord: Hashable, Sendable {
    public var customer: Customer
    public var contacts: [Contact]

    public init(customer: Customer, contacts: [Contact]) {
        self.customer = customer
        self.contacts = contacts
    }
}

/// A reduction of what an invoice asks for that is not cash: a credit note, an early-payment discount, a
/// settlement or a write-off. Each lowers the open amount the same way; they differ in why, and in the end state
/// they give the invoice.
public struct CreditNote: Hashable, Sendable {
    /// Why the invoice asks for less.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// The business credited the invoice (a dispute upheld, a correction).
        case creditNote = "credit_note"
        /// Paid inside the terms' discount period: the difference is the discount the terms promised.
        case discount
        /// An amount agreed with the client: the rest is waived. Needs a reason and an approval.
        case settlement
        /// Given up as uncollectable. Needs a reason and an approval.
        case writeOff = "write_off"

        /// Waiving money the client owes is a decision a manager signs off, with a reason on the record.
        public var needsApproval: Bool { self == .settlement || self == .writeOff }
    }

    public var id: String
    public var invoiceNumber: String
    public var date: LocalDate
    public var amount: Money
    public var kind: Kind
    public var reason: String?
    /// The manager who approved a settlement or write-off.
    public var approvedBy: String?

    public init(
        id: String, invoiceNumber: String, date: LocalDate, amount: Money, kind: Kind = .creditNote,
        reason: String? = nil, approvedBy: String? = nil
    ) {
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.date = date
        self.amount = amount
        self.kind = kind
        self.reason = reason
        self.approvedBy = approvedBy
    }
}

extension InvoiceBalance {
    /// The early-payment discount a payment on `date` earns, if it earns one: the terms have a discount, the date
    /// is inside the period, and what has been paid (with any credit) leaves exactly the discount open. A payment
    /// of any other amount earns nothing, and the rest is chased as usual.
    public func discountEarned(paidOn date: LocalDate) -> Money? {
        guard let terms = invoice.terms, let deadline = terms.discountDeadline(issuedOn: invoice.issueDate),
            date <= deadline, !paid.isZero, let discount = terms.discount(on: invoice.total - credited),
            !discount.isZero
        else { return nil }
        return open == discount ? discount : nil
    }
}

/// A payment with what it settled and what it left as a credit: what the timeline records.
public struct PaymentReceived: Hashable, Sendable {
    public var payment: Payment
    public var allocations: [Allocation]
    public var unallocated: Money

    public init(payment: Payment, allocations: [Allocation], unallocated: Money) {
        self.payment = payment
        self.allocations = allocations
        self.unallocated = unallocated
    }
}

/// Who messages come from, and how the client pays: printed on every reminder and letter.
public struct SenderIdentity: Hashable, Sendable {
    /// The display name on messages (`Northwind Studio Accounts`).
    public var name: String
    /// The From address (`accounts@northwind.example`).
    public var fromAddress: String
    /// Where replies go: the collections mailbox, so a client's answer reaches a person.
    public var replyTo: String?
    /// The closing lines of every message, plain text, may span lines.
    public var signature: String
    /// How to pay, in the organisation's language: bank, IBAN, reference to quote; plain text, may span lines.
    /// Empty when not configured: messages then leave the block out.
    public var paymentInstructions: String
    /// The same instructions in other languages, by ISO 639-1 code (`de`), for clients who read those.
    public var translatedPaymentInstructions: [String: String]
    /// Postal address lines for letters.
    public var postalAddress: [String]
    /// The number clients may call; "call us" is printed only when there is one.
    public var phone: String?
    /// The account clients pay into (upper case, no spaces), for the payment code letters print; nil prints none.
    public var iban: String?
    /// The bank's BIC, which the payment code carries when given.
    public var bic: String?

    public init(
        name: String, fromAddress: String, replyTo: String? = nil, signature: String, paymentInstructions: String,
        postalAddress: [String] = [], phone: String? = nil, translatedPaymentInstructions: [String: String] = [:],
        iban: String? = nil, bic: String? = nil
    ) {
        self.iban = iban
        self.bic = bic
        self.name = name
        self.fromAddress = fromAddress
        self.replyTo = replyTo
        self.signature = signature
        self.paymentInstructions = paymentInstructions
        self.postalAddress = postalAddress
        self.phone = phone
        self.translatedPaymentInstructions = translatedPaymentInstructions
    }

    /// The instructions a message in `language` (ISO 639-1, or a tag like `fr-BE`) prints: that language's text
    /// when there is one, else the organisation's, whole; never a mix of both.
    public func paymentInstructions(in language: String?) -> String {
        guard let language else { return paymentInstructions }
        let code = String(language.lowercased().prefix { $0 != "-" && $0 != "_" })
        if let text = translatedPaymentInstructions[code], !text.isEmpty { return text }
        return paymentInstructions
    }
}
