import DulyCore
import Synchronization

/// One batch of a run, as it was decided (and, unless it is a dry run, written).
public struct CollectionBatch: Sendable {
    /// Accounts with something to chase that the batch looked at.
    public var accounts: Int
    public var actions: [PlannedAction]
    public var cancellations: [Cancellation]
    public var deferrals: [Deferral]
}

/// What a whole run did.
public struct CollectionDayReport: Sendable {
    public var asOf: LocalDate
    /// Accounts with something to chase (an open invoice, a pending action, a thank-you due) that the run looked at.
    public var accounts = 0
    /// Customers the run did not look at: unchanged since their last review, and their next review not yet due.
    public var unchanged = 0
    public var planned = 0
    public var awaitingApproval = 0
    public var skipped = 0
    public var cancelled = 0
    public var deferred: [Deferral.Reason: Int] = [:]
    /// The batches this node planned (and wrote), and how many the day was cut into: with other nodes on the same
    /// database, they planned the rest.
    public var batches = 0
    public var runBatches = 0
    /// Whether the day was begun by another node, and this one joined it.
    public var joined = false

    public init(asOf: LocalDate) { self.asOf = asOf }
}

/// The collection day (`duly run`): the planner over the accounts of an organisation that need it, batch by batch.
///
/// Accounts are read and planned in batches and written in transactions of several batches (a few thousand accounts:
/// each transaction rewrites the index pages it touches, so fewer, larger ones write far less). A crash loses at
/// most the transaction in flight, and since the planner reads what earlier transactions (and earlier runs) wrote,
/// running again plans nothing twice. Several nodes on one database share the day batch by batch (`run`).
///
/// Only the accounts whose review is due are read: after planning an account the run records the next day anything
/// can happen to it (`Planner.nextReview`), and every change to an account (a payment, a call, a message sent)
/// makes it due at once. Under another playbook or calendar, once a subscriber to stage changes comes or goes, or for
/// an earlier day than the last run, every account is looked at.
public struct CollectionDay<Store: DulyStore>: Sendable {
    public let store: Store
    public let organisation: Organisation
    public let playbook: Playbook
    /// Customers per batch read and planned.
    public var batchSize: Int
    /// Customers per write transaction, about at most: batches planned while the previous transaction is written wait
    /// together until they reach it; a writer that is free takes whatever is planned.
    public var accountsPerTransaction: Int
    // The store's webhook outbox, when its type has one (the initialiser for a `WebhookStore` sets it): what the
    // run notices (stage changes, broken promises) is announced through it. Chosen by the type, never by a cast.
    private let webhooks: (any WebhookStore)?

    /// A run over a store without a webhook outbox: nothing the run notices is announced.
    public init(
        store: Store, organisation: Organisation, playbook: Playbook, batchSize: Int = 500,
        accountsPerTransaction: Int = 5000
    ) {
        self.init(
            store: store, webhooks: nil, organisation: organisation, playbook: playbook, batchSize: batchSize,
            accountsPerTransaction: accountsPerTransaction)
    }

    fileprivate init(
        store: Store, webhooks: (any WebhookStore)?, organisation: Organisation, playbook: Playbook, batchSize: Int,
        accountsPerTransaction: Int
    ) {
        self.store = store
        self.webhooks = webhooks
        self.organisation = organisation
        self.playbook = playbook
        self.batchSize = batchSize
        self.accountsPerTransaction = accountsPerTransaction
    }

    /// Runs the day. `onBatch` sees each batch after it is committed (or decided, in a dry run), in order.
    ///
    /// A real run shares the day with every other node running it on the same database (`CollectionRunStore`): it
    /// begins the day or joins it, claims batches under `lease` until none is left, and waits while other nodes hold
    /// the last ones, taking over any whose claim lapses. It returns once the whole day is written, by whichever
    /// nodes; the report counts what this node did. A dry run claims nothing and looks at every batch itself.
    public func run(
        asOf: LocalDate, recordedAt: String, dryRun: Bool, lease: WorkLease = .solo(),
        onBatch: (CollectionBatch) throws -> Void = { _ in }
    ) async throws -> CollectionDayReport {
        let planner = Planner(playbook: playbook, organisation: organisation)
        let organisationID = organisation.id
        var report = CollectionDayReport(asOf: asOf)
        // Webhooks: one probe per run; with no subscriber for date-derived events the run is what it was. A dry run
        // announces nothing but selects its accounts as the real run would.
        let watch = try await webhooks?.webhookRunWatch(organisationID: organisationID) ?? .nothing
        let fingerprint = planner.fingerprint(announcingStages: watch.stageChanges)
        let day = Day(
            planner: planner, watch: watch, context: RecordingContext(date: asOf, recordedAt: recordedAt),
            dryRun: dryRun)

        guard !dryRun else {
            let selection = try await store.customersToReview(
                organisationID: organisationID, on: asOf, fingerprint: fingerprint)
            report.unchanged = selection.customers - selection.customerIDs.count
            var chunks = selection.batches(of: batchSize).enumerated().map {
                RunBatch(run: 0, index: $0.offset, customerIDs: $0.element)
            }[...]
            report.runBatches = chunks.count
            try await work(day, into: &report, onBatch) { chunks.popFirst() }
            return report
        }

        let ticket = try await store.beginCollectionRun(
            organisationID: organisationID, on: asOf, fingerprint: fingerprint, batchSize: batchSize)
        report.unchanged = ticket.customers - ticket.selected
        report.runBatches = ticket.batches
        report.joined = !ticket.started
        // A claim takes a transaction's worth of batches (each claim is a write transaction of its own), or one when a
        // transaction holds less than two.
        let batchesPerClaim = max(1, accountsPerTransaction / max(1, batchSize))
        @Sendable func claim() async throws -> RunBatchClaim {
            try await store.claimRunBatches(
                organisationID: organisationID, run: ticket.run, holder: lease.holder, now: lease.now(),
                until: lease.expiry, limit: batchesPerClaim)
        }
        // The next claim, taken while the batches of the last one are planned: a claim waits for the write in flight,
        // and a planner that waited for it sat idle with a batch read and ready.
        var upcoming: Task<RunBatchClaim, any Error>?
        do {
            while true {
                var outcome = RunBatchClaim.noneLeft
                var claimed: ArraySlice<RunBatch> = []
                let finished = try await work(day, into: &report, onBatch) {
                    if claimed.isEmpty {
                        if let ahead = upcoming {
                            outcome = try await ahead.value
                            upcoming = nil
                        } else {
                            outcome = try await claim()
                        }
                        guard case .claimed(let batches) = outcome else { return nil }
                        claimed = batches[...]
                        // Taken ahead only while there were batches to take: a pass ends on the claim that got none.
                        upcoming = Task { try await claim() }
                    }
                    return claimed.popFirst()
                }
                guard !finished, case .heldByOthers = outcome else { return report }
                // Other nodes hold what is left: look again in a moment, for they usually finish long before their
                // claims lapse, and a node that waits should end soon after the day is written.
                try await lease.wait(Self.pollSeconds)
            }
        } catch {
            // A node that fails lets its unwritten batches go at once, so that another node, or this one started
            // again once the cause is mended, does not wait for the lease. Its own error is what it reports. A claim
            // still being taken ahead ends first, so that what it takes goes back too.
            _ = try? await upcoming?.value
            try? await store.releaseRunBatches(organisationID: organisationID, run: ticket.run, holder: lease.holder)
            throw error
        }
    }

    /// How long a node waits, in seconds, before it looks again at batches other nodes hold.
    static var pollSeconds: Int64 { 1 }

    // What every batch of one run is planned with.
    private struct Day {
        var planner: Planner
        var watch: WebhookRunWatch
        var context: RecordingContext
        var dryRun: Bool
    }

    /// Plans the batches `next` hands out until it has none, writing them (unless a dry run) in transactions of
    /// several batches; returns whether a write finished the run. Reading runs two batches ahead of planning, each
    /// on its own reader connection: reading a batch takes longer than planning it, and with one read in flight the
    /// planner waited for it about a third of the time. While batches are planned, the previous transaction is
    /// written, and the next takes what was planned meanwhile; transactions are written in order, and `onBatch` sees
    /// batches in the order they were handed out.
    @discardableResult
    private func work(
        _ day: Day, into report: inout CollectionDayReport, _ onBatch: (CollectionBatch) throws -> Void,
        next: () async throws -> RunBatch?
    ) async throws -> Bool {
        let (store, webhooks, organisationID) = (self.store, self.webhooks, organisation.id)
        let (planner, watch, context) = (day.planner, day.watch, day.context)
        // Once `next` has no batch, it is not asked again in this pass (a claim is a write transaction).
        var exhausted = false
        func read() async throws -> Task<(RunBatch, [ReviewedAccount]), any Error>? {
            guard !exhausted, let batch = try await next() else {
                exhausted = true
                return nil
            }
            return Task {
                (
                    batch,
                    try await store.accountsForReview(organisationID: organisationID, customerIDs: batch.customerIDs)
                )
            }
        }
        var reading: [Task<(RunBatch, [ReviewedAccount]), any Error>] = []
        defer { for task in reading { task.cancel() } }
        let readAhead = 2
        for _ in 0..<readAhead {
            guard let task = try await read() else { break }
            reading.append(task)
        }
        // Whole batches waiting to be written together, and the write in flight with the batches it holds.
        var pending = PendingWrite()
        var writing: (task: Task<Bool, any Error>, batches: [CollectionBatch], ended: EndSignal)?
        var finished = false

        while !reading.isEmpty {
            let (claimed, accounts) = try await reading.removeFirst().value
            if let next = try await read() { reading.append(next) }
            var batch = CollectionBatch(accounts: 0, actions: [], cancellations: [], deferrals: [])
            for reviewed in accounts {
                let account = reviewed.account
                if CollectionDay.hasSomethingToChase(account) { batch.accounts += 1 }
                let plan = planner.plan(account, asOf: context.date)
                batch.actions += plan.actions
                batch.cancellations += plan.cancellations
                batch.deferrals += plan.deferrals
                guard !day.dryRun else { continue }
                pending.reviews.append(
                    CustomerReview(
                        customerID: account.customer.id, changes: reviewed.changes,
                        nextReview: planner.nextReview(
                            of: account, after: plan, on: context.date, announcingStages: watch.stageChanges),
                        held: plan.deferrals.filter(\.reason.needsPerson)))
                if watch.isWatching {
                    pending.observations.observe(
                        account, planner: planner, promiseGraceDays: playbook.promiseGraceDays, asOf: context.date,
                        watch: watch)
                }
            }
            guard !day.dryRun else {
                try finish(batch, into: &report, onBatch)
                continue
            }
            pending.batches.append(batch)
            pending.claimed.append(claimed)
            // The writer is the day's bottleneck: the moment it is free it takes whatever is planned, so it never
            // waits for a whole transaction's worth (the first transaction is the first batch); while it writes,
            // batches wait, up to a transaction's worth.
            let writerIsFree = writing?.ended.isRaised ?? true
            guard pending.reviews.count >= accountsPerTransaction || reading.isEmpty || writerIsFree else { continue }
            // The previous write ends before this one starts: transactions are written in order.
            if let previous = writing {
                finished = try await previous.task.value || finished
                for written in previous.batches { try finish(written, into: &report, onBatch) }
            }
            let write = pending
            pending = PendingWrite()
            let ended = EndSignal()
            writing = (
                Task {
                    defer { ended.raise() }
                    let actions = write.batches.flatMap(\.actions)
                    let cancellations = write.batches.flatMap(\.cancellations)
                    if let webhooks, !write.observations.isEmpty {
                        _ = try await webhooks.commitRun(
                            actions: actions, cancellations: cancellations, reviews: write.reviews,
                            observations: write.observations, organisationID: organisationID, context: context)
                    } else {
                        _ = try await store.commitRun(
                            actions: actions, cancellations: cancellations, reviews: write.reviews,
                            organisationID: organisationID, context: context)
                    }
                    // Done once written: a node that dies between the two leaves the batches to be taken over, and
                    // planned again they write nothing twice.
                    guard let run = write.claimed.first?.run else { return false }
                    return try await store.completeRunBatches(
                        organisationID: organisationID, run: run, batches: write.claimed.map(\.index))
                }, write.batches, ended
            )
        }
        if let previous = writing {
            finished = try await previous.task.value || finished
            for written in previous.batches { try finish(written, into: &report, onBatch) }
        }
        return finished
    }

    private func finish(
        _ batch: CollectionBatch, into report: inout CollectionDayReport, _ onBatch: (CollectionBatch) throws -> Void
    ) throws {
        report.batches += 1
        report.accounts += batch.accounts
        for action in batch.actions {
            switch action.status {
            case .awaitingApproval: report.awaitingApproval += 1
            case .skipped: report.skipped += 1
            default: report.planned += 1
            }
        }
        report.cancelled += batch.cancellations.count
        for deferral in batch.deferrals { report.deferred[deferral.reason, default: 0] += 1 }
        try onBatch(batch)
    }

    // What `accountsForRun` selects: an open invoice, a pending action or a thank-you due.
    private static func hasSomethingToChase(_ account: Account) -> Bool {
        !account.invoices.isEmpty || !account.thanksDue.isEmpty || account.history.contains { $0.status.isPending }
    }
}

// Raised once by a write task when it ends, however it ends; read by the planner without waiting.
private final class EndSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .releasing) }

    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

// Planned batches not yet written, with their reviews and webhook observations.
private struct PendingWrite {
    var batches: [CollectionBatch] = []
    /// The claimed batches they came from, marked done once written.
    var claimed: [RunBatch] = []
    var reviews: [CustomerReview] = []
    var observations = RunObservations()
}

extension CollectionDay where Store: WebhookStore {
    /// A run over a store with a webhook outbox: the stage changes and broken promises it notices are announced to
    /// the organisation's subscribers, in the transactions that write the batches.
    public init(
        store: Store, organisation: Organisation, playbook: Playbook, batchSize: Int = 500,
        accountsPerTransaction: Int = 5000
    ) {
        self.init(
            store: store, webhooks: store, organisation: organisation, playbook: playbook, batchSize: batchSize,
            accountsPerTransaction: accountsPerTransaction)
    }
}
