import DulyCore

/// How one node holds the shared work it claims (a batch of the collection day, a customer's due messages): under
/// its own name, for a while, renewed as it goes. A node that dies stops renewing, and once its claims lapse the other
/// nodes take the work over (docs/ARCHITECTURE.md, "Many nodes").
///
/// The store never reads the clock: a lease brings its own, and a way to wait for another node's claim to lapse.
public struct WorkLease: Sendable {
    /// Who holds the claims: unique to one process's pass (`host:pid:random`), so two passes never share one.
    public var holder: String
    /// How long a claim lasts unless renewed or finished.
    public var seconds: Int64
    /// Now, in Unix seconds.
    public let now: @Sendable () -> Int64
    /// Waits about `seconds` (less when work may have come free); throws `CancellationError` when cancelled.
    public let wait: @Sendable (_ seconds: Int64) async throws -> Void

    public init(
        holder: String, seconds: Int64, now: @escaping @Sendable () -> Int64,
        wait: @escaping @Sendable (_ seconds: Int64) async throws -> Void
    ) {
        self.holder = holder
        self.seconds = seconds
        self.now = now
        self.wait = wait
    }

    /// When a claim taken now lapses.
    public var expiry: Int64 { now() + seconds }

    /// A lease for work done in one process with nothing else on the database (tests, a simulation): its clock
    /// stands still, so its claims never lapse while it runs, and it never waits for another node (it says so).
    public static func solo(_ holder: String = "solo") -> WorkLease {
        WorkLease(
            holder: holder, seconds: 3600, now: { 0 },
            wait: { _ in throw StoreError.invalid("another node holds part of the work: run with a real clock") })
    }
}

/// The organisation's collection day as the nodes that share it see it: started by the first, joined by the others.
public struct CollectionRunTicket: Sendable, Equatable {
    /// The run, numbered per organisation.
    public var run: Int64
    /// How many customers the organisation had when the run began.
    public var customers: Int
    /// How many of them the run looks at (the rest are unchanged and not due).
    public var selected: Int
    /// The batches the selected customers were cut into.
    public var batches: Int
    /// Whether this call started the run (false: it joined one in progress for the same day and settings).
    public var started: Bool

    public init(run: Int64, customers: Int, selected: Int, batches: Int, started: Bool) {
        self.run = run
        self.customers = customers
        self.selected = selected
        self.batches = batches
        self.started = started
    }

    /// A run this call started, over `selection` cut into `batches`.
    public init(startedAs run: Int64, selection: ReviewSelection, batches: Int) {
        self.init(
            run: run, customers: selection.customers, selected: selection.customerIDs.count, batches: batches,
            started: true)
    }
}

/// One batch of a collection day's customers, claimed by one node.
public struct RunBatch: Sendable, Equatable {
    public var run: Int64
    /// From 0, in customer id order.
    public var index: Int
    /// In id order.
    public var customerIDs: [String]

    public init(run: Int64, index: Int, customerIDs: [String]) {
        self.run = run
        self.index = index
        self.customerIDs = customerIDs
    }
}

/// What a node finds when it asks for the next batch of a collection day.
public enum RunBatchClaim: Sendable, Equatable {
    /// These batches (at least one, in index order) are now this node's until its lease lapses.
    case claimed([RunBatch])
    /// Every batch left is held by other nodes (`batches` of them); the first of their claims lapses at `until`
    /// (Unix seconds).
    case heldByOthers(batches: Int, until: Int64)
    /// Nothing to claim or wait for: every batch is written or held by this holder (or the run was replaced).
    case noneLeft
}

/// What a store needs for several nodes to share one organisation's collection day without doing a batch twice.
///
/// The first node to begin a day cuts the customers to review into batches and records them; each node then claims
/// a few batches at a time, writes them through `commitRun`, and marks them done. A batch whose claim lapsed (its node
/// died) is claimed again by another. A batch done twice after a lapse writes nothing twice: `commitRun` skips
/// actions it already has (idempotency keys) under the customers' locks; the claims save the work, not correctness.
public protocol CollectionRunStore {
    /// Begins the organisation's collection day for `date` under `fingerprint`, or joins the one in progress for the
    /// same day and fingerprint. A run in progress for another day or fingerprint is replaced (its batches are
    /// dropped; what it wrote stays). The customers to review (`DulyStore.customersToReview`) are cut into batches
    /// of `batchSize`. A run with nothing to review is finished at once, and its reviews recorded.
    ///
    /// Isolation: one node at a time begins or joins (a lock per organisation on beginning), so nodes starting at
    /// once share one run.
    func beginCollectionRun(
        organisationID: String, on date: LocalDate, fingerprint: String, batchSize: Int
    ) async throws -> CollectionRunTicket

    /// Claims up to `limit` of the lowest batches of the run that nobody holds (or whose claim lapsed at `now`) for
    /// `holder` until `until`.
    ///
    /// Isolation: claims taken at once never take the same batch (a row lock, skipping rows another claim holds).
    func claimRunBatches(
        organisationID: String, run: Int64, holder: String, now: Int64, until: Int64, limit: Int
    ) async throws -> RunBatchClaim

    /// Marks batches written. When none is left, the run is finished and the organisation's reviews recorded as
    /// standing under the run's fingerprint as of its day (`customersToReview` then looks only at what changed).
    /// Returns whether this call finished the run. A batch already done (by a node that took it over) is passed over.
    ///
    /// Isolation: the run's row is locked first, so of two nodes finishing their last batches at once exactly one
    /// finishes the run.
    func completeRunBatches(organisationID: String, run: Int64, batches: [Int]) async throws -> Bool

    /// Lets go of the batches `holder` claimed in the run and did not complete: another node (or this one, started
    /// again) may claim them at once rather than after the lease. A node that fails calls it before it stops.
    func releaseRunBatches(organisationID: String, run: Int64, holder: String) async throws
}

/// The customers one deliverer claimed, and where its sweep through the outbox has got to.
public struct DeliveryClaim: Sendable, Equatable {
    /// Customers with messages due, now this holder's, in id order.
    public var customerIDs: [String]
    /// The last customer the claim looked at (claimed here or held by another node): the next claim starts after it.
    /// Nil when no customer after `after` has messages due: the sweep is over.
    public var lastConsidered: String?
    /// When the first claim other deliverers hold lapses (Unix seconds), nil when they hold none: among the customers
    /// this claim passed over (after `after`, up to `lastConsidered`), or among all customers once the sweep is over.
    /// A sweep that passed over held customers looks again from the start, for a holder may have died meanwhile.
    public var othersHoldUntil: Int64?

    public init(customerIDs: [String], lastConsidered: String?, othersHoldUntil: Int64?) {
        self.customerIDs = customerIDs
        self.lastConsidered = lastConsidered
        self.othersHoldUntil = othersHoldUntil
    }
}

/// What a store needs for several deliverers to share an organisation's outbox without sending a message twice.
///
/// A deliverer claims customers, not messages: "one message a day" and the contact cap are decided per customer, so
/// one node must see all of a customer's due messages. It sweeps the customers in id order, claiming a few at a
/// time, renews a customer's claim before it begins that customer's messages, and releases the claims when done. A claim
/// another node took over after a lapse fails the renewal, and the message is left to that node.
public protocol DeliveryClaimStore {
    /// Claims up to `limit` customers after `after` (in id order) that have messages due as `dueDeliveries` selects
    /// them (`dueBy`, `now`) and that no other holder keeps (or whose claim lapsed at `leaseNow`), for `holder` until
    /// `until`.
    ///
    /// Isolation: two deliverers claiming at once never both get a customer (the claim row's key decides; a claim
    /// that lost the race is passed over).
    func claimDeliveryCustomers(
        organisationID: String, channels: Set<Channel>, dueBy: LocalDate, now: Int64, after: String?,
        holder: String, leaseNow: Int64, until: Int64, limit: Int
    ) async throws -> DeliveryClaim

    /// Extends `holder`'s claim on a customer to `until`; false when the holder no longer has it (it lapsed and
    /// another deliverer took it).
    func renewDeliveryClaim(
        organisationID: String, customerID: String, holder: String, until: Int64
    ) async throws -> Bool

    /// Gives up `holder`'s claims on these customers.
    func releaseDeliveryClaims(organisationID: String, customerIDs: [String], holder: String) async throws
}
