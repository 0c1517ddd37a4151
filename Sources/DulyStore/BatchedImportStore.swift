import DulyCore

/// Imports too large to hold in memory: the records arrive batch by batch, and all of them are one transaction.
public protocol BatchedImportStore: DulyStore {
    /// Inserts invoices batch by batch in one transaction, calling `next` for each batch until it returns nil.
    ///
    /// The rules are `importInvoices`'s: identical invoices are unchanged, a number already present with other values
    /// is a conflict, unknown customers are an error; any refusal (or an error thrown by `next`) rolls everything
    /// back. One timeline entry per customer lists its new invoices.
    func importInvoiceBatches(
        organisationID: String, context: RecordingContext, next: @escaping @Sendable () throws -> [Invoice]?
    ) async throws -> ImportSummary

    /// Checks and inserts invoices batch by batch in one transaction, in one pass over a file of any size.
    ///
    /// Each batch's refusals (an unknown customer, a number stored with other values) go to `feed.refuse` and the rest
    /// is written, until `feed.writes` says the import is refused anyway; the feed rolls everything back by throwing
    /// from `next`. Otherwise the rules are `importInvoices`'s, one timeline entry per customer included.
    func importInvoices(
        from feed: some ImportFeed<Invoice>, organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary

    /// Checks and inserts payments batch by batch in one transaction, then allocates them customer by customer.
    ///
    /// Refusals are `importRefusals(payments:)`'s and go to the feed, as for invoices. What the payments did comes
    /// back in totals; every payment's outcome only when `keepingOutcomes` (a million outcomes take most of a
    /// gigabyte).
    func importPayments(
        from feed: some ImportFeed<Payment>, organisationID: String, context: RecordingContext,
        keepingOutcomes: Bool
    ) async throws -> PaymentImport
}

/// A whole ledger loaded at once into an organisation with no invoices or payments yet: each row written once, in its
/// table's key order, the payments allocated in memory before any invoice is written (README, "A first load").
public protocol LedgerLoadStore: BatchedImportStore {
    /// Imports the customers, invoices and payments the feeds give, in one transaction: what the three imports
    /// in turn would leave (rows, cached sums, allocations, discounts, timeline entries), or nothing at all. The feeds'
    /// refusals are the batched imports'; an organisation that already has invoices or payments is refused
    /// (`StoreError.invalid`) before anything is read.
    func loadLedger(
        customers: some ImportFeed<CustomerRecord>, invoices: some ImportFeed<Invoice>,
        payments: some ImportFeed<Payment>, organisationID: String, context: RecordingContext
    ) async throws -> LedgerLoad
}

/// What a ledger load did, file by file.
public struct LedgerLoad: Hashable, Sendable {
    public var customers: ImportSummary
    public var invoices: ImportSummary
    public var payments: PaymentImport

    public init(customers: ImportSummary, invoices: ImportSummary, payments: PaymentImport) {
        self.customers = customers
        self.invoices = invoices
        self.payments = payments
    }
}

/// The records of a streamed import, batch by batch, and where the store's refusals go. Lives on the store's writer
/// while the import runs.
public protocol ImportFeed<Record>: AnyObject, Sendable {
    associatedtype Record: Sendable
    /// The next batch, or nil when there is no more. Throwing rolls the whole import back: a feed told of a refusal
    /// throws once the file is done, unless the refused records are to be skipped.
    func next() throws -> [Record]?
    /// Records of the batch `next` returned last that the import refuses, by their index in it; they are not written.
    func refuse(_ refusals: [ImportRefusal])
    /// False once the import will be refused whatever follows: the store then only checks the batches left.
    var writes: Bool { get }
}

/// What a streamed payments import did.
public struct PaymentImport: Hashable, Sendable {
    public var summary: ImportSummary
    public var totals: PaymentTotals

    public init(summary: ImportSummary, totals: PaymentTotals) {
        self.summary = summary
        self.totals = totals
    }
}

/// Where a payments import's money went, in totals: the summary line and the payments that need a word, without the
/// outcome of every payment.
public struct PaymentTotals: Hashable, Sendable {
    /// Minor units allocated to invoices, per currency.
    public var allocated: [Currency: Int] = [:]
    /// Minor units left as unallocated credit, per currency.
    public var credit: [Currency: Int] = [:]
    /// Invoices that received money.
    public var invoicesPaid = 0
    /// New payments allocated.
    public var payments = 0
    /// The outcomes with notes (why a payment did not go, or not all, where it said), in the order given.
    public var noted: [PaymentOutcome] = []
    /// Every new payment's outcome in the order given, when asked for.
    public var outcomes: [PaymentOutcome]?

    public init() {}

    /// The totals of these outcomes (which keeps them all).
    public init(_ outcomes: [PaymentOutcome]) {
        var invoices = Set<String>()
        for outcome in outcomes {
            add(outcome)
            invoices.formUnion(outcome.allocations.map(\.invoiceNumber))
            if !outcome.notes.isEmpty { noted.append(outcome) }
        }
        invoicesPaid = invoices.count
        self.outcomes = outcomes
    }

    /// Adds one payment's money to the totals (not to `noted`, `outcomes` or `invoicesPaid`).
    public mutating func add(_ outcome: PaymentOutcome) {
        payments += 1
        for allocation in outcome.allocations {
            allocated[allocation.amount.currency, default: 0] += allocation.amount.minorUnits
        }
        if outcome.credit.minorUnits > 0 {
            credit[outcome.credit.currency, default: 0] += outcome.credit.minorUnits
        }
    }
}
