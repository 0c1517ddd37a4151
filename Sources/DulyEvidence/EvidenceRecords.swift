import DulyCore
import DulyStore

/// Everything gathered about one account for its evidence pack, as the store holds it. The pack changes nothing:
/// it lays these records out, verifies the timeline and reports what it found.
public struct EvidenceRecords: Sendable {
    public var organisation: Organisation
    public var customer: Customer
    public var contacts: [Contact]
    /// Every invoice of the customer, open or closed, with what was paid and credited.
    public var invoices: [InvoiceBalance]
    public var disputes: [Dispute]
    public var promises: [PromiseToPay]
    public var plans: [PaymentPlan]
    /// Days the client refused to pay.
    public var refusals: [LocalDate]
    /// Every message recorded for the customer, oldest first, with the exact bytes handed to the transport.
    public var communications: [EvidenceMessage]
    /// The account's whole timeline as stored, in order; verified by the pack, never repaired.
    public var timeline: [TimelineEntry]
    /// The statutory interest computation; nil until the interest module fills it (see `EvidenceInterest`).
    public var interest: EvidenceInterest?
    /// The files kept with the customer's invoices (the UBL XML they were imported from), byte for byte.
    public var documents: [InvoiceDocument]

    public init(
        organisation: Organisation, customer: Customer, contacts: [Contact] = [], invoices: [InvoiceBalance] = [],
        disputes: [Dispute] = [], promises: [PromiseToPay] = [], plans: [PaymentPlan] = [],
        refusals: [LocalDate] = [], communications: [EvidenceMessage] = [], timeline: [TimelineEntry] = [],
        interest: EvidenceInterest? = nil, documents: [InvoiceDocument] = []
    ) {
        self.organisation = organisation
        self.customer = customer
        self.contacts = contacts
        self.invoices = invoices
        self.disputes = disputes
        self.promises = promises
        self.plans = plans
        self.refusals = refusals
        self.communications = communications
        self.timeline = timeline
        self.interest = interest
        self.documents = documents
    }
}

/// A message as stored, with the channel of the action it belongs to (which decides its file's extension).
public struct EvidenceMessage: Sendable, Equatable {
    public var communication: Communication
    /// Nil when the action is no longer known; the file is then written as `.bin`.
    public var channel: Channel?

    public init(communication: Communication, channel: Channel?) {
        self.communication = communication
        self.channel = channel
    }
}

/// The statutory interest and fixed compensation claimed on the account, as the interest module computes them.
///
/// The pack only lays this out (`interest/interest.json` and a table in the index); it computes nothing itself.
/// Amounts are exact `Money`; the rate is a decimal string so that no floating point enters the evidence.
public struct EvidenceInterest: Hashable, Sendable {
    /// One invoice's interest over one period at one rate (a rate change makes a second line).
    public struct Line: Hashable, Sendable {
        public var invoiceNumber: String
        /// The amount interest runs on.
        public var principal: Money
        /// The first day interest runs (the day after the due date, by default).
        public var from: LocalDate
        /// The last day counted, included.
        public var through: LocalDate
        public var days: Int
        /// The yearly rate in percent as a decimal string (`10.15`).
        public var annualRatePercent: String
        public var interest: Money
        /// The fixed compensation for recovery costs claimed on this invoice, if any (EUR 40 under 2011/7/EU).
        public var compensation: Money?
        /// The rule applied, in words (`Art. 6:119a BW, ECB rate + 8 points`).
        public var basis: String

        public init(
            invoiceNumber: String, principal: Money, from: LocalDate, through: LocalDate, days: Int,
            annualRatePercent: String, interest: Money, compensation: Money? = nil, basis: String
        ) {
            self.invoiceNumber = invoiceNumber
            self.principal = principal
            self.from = from
            self.through = through
            self.days = days
            self.annualRatePercent = annualRatePercent
            self.interest = interest
            self.compensation = compensation
            self.basis = basis
        }
    }

    /// The law applied (`EU Directive 2011/7/EU as enacted in NL`), or `contract` for a contractual rate.
    public var regime: String
    /// The day the computation runs to.
    public var asOf: LocalDate
    public var lines: [Line]
    /// How the figures were computed: day count, rounding, sources.
    public var method: String

    public init(regime: String, asOf: LocalDate, lines: [Line], method: String) {
        self.regime = regime
        self.asOf = asOf
        self.lines = lines
        self.method = method
    }
}
