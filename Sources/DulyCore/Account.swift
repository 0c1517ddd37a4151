/// Everything the planner needs to know about one customer on one day: the ledger slice, the commitments and the
/// history of actions. The planner is a pure function of this, the playbook and the date.
public struct Account: Hashable, Sendable {
    public var customer: Customer
    public var contacts: [Contact]
    /// Open invoices, plus closed ones still covered by a pending action (so the action can be cancelled).
    public var invoices: [InvoiceBalance]
    /// The customer's actions (pending and past), newest last.
    public var history: [ActionRecord]
    public var disputes: [Dispute]
    public var promises: [PromiseToPay]
    public var plans: [PaymentPlan]
    /// Money received on the invoices that promises and plans cover.
    public var receipts: [Receipt]
    /// Invoices paid in full since they were chased, not yet thanked for.
    public var thanksDue: [InvoiceBalance]
    /// Days the client refused to pay (recorded from a call): each moves the overdue invoices to `non_payment`.
    public var refusals: [LocalDate]
    /// The customer's pause of the chase, if one was set (it may have ended: see `pause(on:)`).
    public var pause: ChasePause?

    public init(
        customer: Customer, contacts: [Contact] = [], invoices: [InvoiceBalance] = [], history: [ActionRecord] = [],
        disputes: [Dispute] = [], promises: [PromiseToPay] = [], plans: [PaymentPlan] = [], receipts: [Receipt] = [],
        refusals: [LocalDate] = [], thanksDue: [InvoiceBalance] = [], pause: ChasePause? = nil
    ) {
        self.customer = customer
        self.contacts = contacts
        self.invoices = invoices
        self.history = history
        self.disputes = disputes
        self.promises = promises
        self.plans = plans
        self.receipts = receipts
        self.refusals = refusals
        self.thanksDue = thanksDue
        self.pause = pause
    }
}

/// A change to record on an account's timeline; the store chains it (see `TimelineEntry`).
public struct TimelineEvent: Hashable, Sendable {
    public var customerID: String
    public var date: LocalDate
    public var kind: TimelineKind
    public var summary: String
    /// The details sorted by key, as the entry hashes and stores them (`TimelineEntry.link`).
    public private(set) var sortedDetails: [TimelineDetail]

    /// The details by key.
    public var details: [String: String] {
        get { Dictionary(uniqueKeysWithValues: sortedDetails.lazy.map { ($0.key, $0.value) }) }
        set { sortedDetails = TimelineDetail.sorted(newValue) }
    }

    public init(
        customerID: String, date: LocalDate, kind: TimelineKind, summary: String, details: [String: String] = [:]
    ) {
        self.init(
            customerID: customerID, date: date, kind: kind, summary: summary,
            sortedDetails: TimelineDetail.sorted(details))
    }

    // For the events written a hundred thousand at a time (an action planned): the details given already in key
    // order, each key once, so that no dictionary is built, hashed and sorted for each.
    init(customerID: String, date: LocalDate, kind: TimelineKind, summary: String, sortedDetails: [TimelineDetail]) {
        assert(
            zip(sortedDetails, sortedDetails.dropFirst()).allSatisfy { $0.key < $1.key },
            "details in key order, each key once")
        self.customerID = customerID
        self.date = date
        self.kind = kind
        self.summary = summary
        self.sortedDetails = sortedDetails
    }
}
