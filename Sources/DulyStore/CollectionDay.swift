import DulyCore
import Foundation
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
    /// Batches a writing run reads while it plans one (a dry run, with no writer, reads two). Reading, planning and
    /// writing are each about a third of the day's work; on two cores, a reader running beside the planner and the
    /// writer took the writer's core about a quarter of the time, and the writer is the day's bottleneck. So with
    /// two cores or fewer nothing is read while a batch is planned: the next batch is read once it is planned, and
    /// the writer keeps a core (BENCHMARKS.md, "The writer keeps a core").
    public var readsWhilePlanning = ProcessInfo.processInfo.activeProcessorCount > 2 ? 2 : 0
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
    /// several batches; returns whether a write finished the run. The writer runs beside the planner and takes
    /// whatever is planned the moment it is free (`WriteQueue`); transactions are written in order, and `onBatch`
    /// sees batches in the order they were handed out. The next batch is read while this one is planned, or, with
    /// no core to spare for it (`readsWhilePlanning` 0), once this one is planned, while the writer writes.
    @discardableResult
    private func work(
        _ day: Day, into report: inout CollectionDayReport, _ onBatch: (CollectionBatch) throws -> Void,
        next: () async throws -> RunBatch?
    ) async throws -> Bool {
        let (store, organisationID) = (self.store, organisation.id)
        let (planner, watch, context) = (day.planner, day.watch, day.context)
        // Once `next` has no batch, it is not asked again in this pass (a claim is a write transaction).
        var exhausted = false
        var reading: [Task<(RunBatch, [ReviewedAccount]), any Error>] = []
        defer { for task in reading { task.cancel() } }
        func read() async throws {
            guard !exhausted, let batch = try await next() else {
                exhausted = true
                return
            }
            reading.append(
                Task {
                    (
                        batch,
                        try await store.accountsForReview(
                            organisationID: organisationID, customerIDs: batch.customerIDs)
                    )
                })
        }
        let readsWhilePlanning = day.dryRun ? 2 : self.readsWhilePlanning
        for _ in 0..<max(1, readsWhilePlanning) { try await read() }
        let queue = WriteQueue(accountsPerTransaction: accountsPerTransaction)
        let webhooks = self.webhooks
        let writer =
            day.dryRun ? nil : Task { try await Self.writeAll(from: queue, store, webhooks, organisationID, context) }
        do {
            while !reading.isEmpty {
                let (claimed, accounts) = try await reading.removeFirst().value
                if readsWhilePlanning > 0 { try await read() }
                var batch = CollectionBatch(accounts: 0, actions: [], cancellations: [], deferrals: [])
                var write = PendingWrite()
                for reviewed in accounts {
                    let account = reviewed.account
                    if CollectionDay.hasSomethingToChase(account) { batch.accounts += 1 }
                    let plan = planner.plan(account, asOf: context.date)
                    batch.actions += plan.actions
                    batch.cancellations += plan.cancellations
                    batch.deferrals += plan.deferrals
                    guard !day.dryRun else { continue }
                    write.reviews.append(
                        CustomerReview(
                            customerID: account.customer.id, changes: reviewed.changes,
                            nextReview: planner.nextReview(
                                of: account, after: plan, on: context.date, announcingStages: watch.stageChanges),
                            held: plan.deferrals.filter(\.reason.needsPerson)))
                    if watch.isWatching {
                        write.observations.observe(
                            account, planner: planner, promiseGraceDays: playbook.promiseGraceDays,
                            asOf: context.date, watch: watch)
                    }
                }
                if reading.isEmpty { try await read() }
                guard !day.dryRun else {
                    try finish(batch, into: &report, onBatch)
                    continue
                }
                write.batches = [batch]
                write.claimed = [claimed]
                try await queue.add(write)
                for written in queue.takeWritten() { try finish(written, into: &report, onBatch) }
            }
        } catch let planning {
            // What is planned but not taken is dropped; the transaction in flight ends before the error goes up, so
            // that a release of the claimed batches comes after it.
            queue.close(abandoning: true)
            let writing = await writer?.result
            if planning is WriteQueue.WriterStopped, case .failure(let failure)? = writing { throw failure }
            throw planning
        }
        guard let writer else { return false }
        queue.close(abandoning: false)
        let finished = try await writer.value
        for written in queue.takeWritten() { try finish(written, into: &report, onBatch) }
        return finished
    }

    // The writer's side of `work`: one transaction for whatever the queue holds each time it is free, until the
    // queue is closed and empty. Returns whether a write finished the run.
    private static func writeAll(
        from queue: WriteQueue, _ store: Store, _ webhooks: (any WebhookStore)?, _ organisationID: String,
        _ context: RecordingContext
    ) async throws -> Bool {
        var finished = false
        do {
            while let write = await queue.next() {
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
                if let run = write.claimed.first?.run {
                    finished =
                        try await store.completeRunBatches(
                            organisationID: organisationID, run: run, batches: write.claimed.map(\.index))
                        || finished
                }
                queue.written(write.batches)
            }
        } catch {
            queue.stop()
            throw error
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

// Planned batches not yet written, with their reviews and webhook observations.
private struct PendingWrite {
    var batches: [CollectionBatch] = []
    /// The claimed batches they came from, marked done once written.
    var claimed: [RunBatch] = []
    var reviews: [CustomerReview] = []
    var observations = RunObservations()

    mutating func append(_ other: PendingWrite) {
        batches += other.batches
        claimed += other.claimed
        reviews += other.reviews
        observations.stages += other.observations.stages
        observations.brokenPromises += other.observations.brokenPromises
    }
}

// Planned batches on their way to the writer, the day's bottleneck: the writer takes whatever is planned the moment
// it is free, and the planner waits only while a transaction's worth of accounts is already waiting.
private final class WriteQueue: Sendable {
    /// Thrown to the planner when the writer stopped on an error (its task holds that error).
    struct WriterStopped: Error {}

    private struct State {
        var pending = PendingWrite()
        var written: [CollectionBatch] = []
        var closed = false
        var writerStopped = false
        var waitingWriter: CheckedContinuation<PendingWrite?, Never>?
        // Resumed with false when the writer stopped instead of taking.
        var waitingPlanner: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    private let accountsPerTransaction: Int

    init(accountsPerTransaction: Int) {
        self.accountsPerTransaction = accountsPerTransaction
    }

    /// Hands a planned batch to the writer; waits while a transaction's worth is still waiting for it.
    func add(_ write: PendingWrite) async throws {
        let mustWait = try state.withLock { state in
            guard !state.writerStopped else { throw WriterStopped() }
            state.pending.append(write)
            if let writer = state.waitingWriter {
                state.waitingWriter = nil
                writer.resume(returning: state.pending)
                state.pending = PendingWrite()
                return false
            }
            return state.pending.reviews.count >= accountsPerTransaction
        }
        guard mustWait else { return }
        let writerTook = await withCheckedContinuation { (planner: CheckedContinuation<Bool, Never>) in
            state.withLock { state in
                if state.writerStopped {
                    planner.resume(returning: false)
                } else if state.pending.reviews.count < accountsPerTransaction {
                    planner.resume(returning: true)
                } else {
                    state.waitingPlanner = planner
                }
            }
        }
        guard writerTook else { throw WriterStopped() }
    }

    /// Everything planned since the writer last took, once there is something; nil once the queue is closed and
    /// nothing is left.
    func next() async -> PendingWrite? {
        await withCheckedContinuation { (writer: CheckedContinuation<PendingWrite?, Never>) in
            state.withLock { state in
                if !state.pending.batches.isEmpty {
                    writer.resume(returning: state.pending)
                    state.pending = PendingWrite()
                    state.waitingPlanner?.resume(returning: true)
                    state.waitingPlanner = nil
                } else if state.closed {
                    writer.resume(returning: nil)
                } else {
                    state.waitingWriter = writer
                }
            }
        }
    }

    /// Batches the writer has written, for the planner to report in order.
    func written(_ batches: [CollectionBatch]) {
        state.withLock { $0.written += batches }
    }

    /// The batches written since the planner last asked, in order.
    func takeWritten() -> [CollectionBatch] {
        state.withLock { state in
            defer { state.written = [] }
            return state.written
        }
    }

    /// No more batches: the writer ends once it has written what is waiting, or at once when `abandoning` it.
    func close(abandoning: Bool) {
        state.withLock { state in
            state.closed = true
            if abandoning { state.pending = PendingWrite() }
            // A writer waits only while nothing is waiting.
            state.waitingWriter?.resume(returning: nil)
            state.waitingWriter = nil
        }
    }

    /// The writer stopped on an error: a planner waiting for room learns it at once.
    func stop() {
        state.withLock { state in
            state.writerStopped = true
            state.waitingPlanner?.resume(returning: false)
            state.waitingPlanner = nil
        }
    }
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
