import DulyCore

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

    public init(asOf: LocalDate) { self.asOf = asOf }
}

/// The collection day (`duly run`): the planner over the accounts of an organisation that need it, batch by batch.
///
/// Accounts are read and planned in batches and written in transactions of several batches (a few thousand accounts:
/// each transaction rewrites the index pages it touches, so fewer, larger ones write far less). A crash loses at
/// most the transaction in flight, and since the planner reads what earlier transactions (and earlier runs) wrote,
/// running again plans nothing twice.
///
/// Only the accounts whose review is due are read: after planning an account the run records the next day anything
/// can happen to it (`Planner.nextReview`), and every change to an account (a payment, a call, a message sent)
/// makes it due at once. Under another playbook or calendar, once a subscriber to stage changes comes or goes, or for
/// an earlier day than the last run, every account is looked at. While one batch is planned, the next two are read and the previous transaction written.
public struct CollectionDay<Store: DulyStore>: Sendable {
    public let store: Store
    public let organisation: Organisation
    public let playbook: Playbook
    /// Customers per batch read and planned.
    public var batchSize: Int
    /// Customers per write transaction, at least: whole batches are written together until they reach it.
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
    public func run(
        asOf: LocalDate, recordedAt: String, dryRun: Bool,
        onBatch: (CollectionBatch) throws -> Void = { _ in }
    ) async throws -> CollectionDayReport {
        let planner = Planner(playbook: playbook, organisation: organisation)
        let context = RecordingContext(date: asOf, recordedAt: recordedAt)
        let organisationID = organisation.id
        let store = self.store
        var report = CollectionDayReport(asOf: asOf)
        // Webhooks: one probe per run; with no subscriber for date-derived events the run is what it was. A dry run
        // announces nothing but selects its accounts as the real run would.
        let webhooks = self.webhooks
        let watch = try await webhooks?.webhookRunWatch(organisationID: organisationID) ?? .nothing
        let fingerprint = planner.fingerprint(announcingStages: watch.stageChanges)

        let selection = try await store.customersToReview(
            organisationID: organisationID, on: asOf, fingerprint: fingerprint)
        report.unchanged = selection.customers - selection.customerIDs.count
        let chunks = stride(from: 0, to: selection.customerIDs.count, by: batchSize).map {
            Array(selection.customerIDs[$0..<min($0 + batchSize, selection.customerIDs.count)])
        }
        func read(_ index: Int) -> Task<[ReviewedAccount], any Error>? {
            guard index < chunks.count else { return nil }
            let ids = chunks[index]
            return Task { try await store.accountsForReview(organisationID: organisationID, customerIDs: ids) }
        }
        // Whole batches waiting to be written together, and the write in flight with the batches it holds.
        var pending = PendingWrite()
        var writing: (task: Task<Void, any Error>, batches: [CollectionBatch])?
        // Reading runs two batches ahead of planning, each on its own reader connection: reading a batch takes
        // longer than planning it, and with one read in flight the planner waited for it about a third of the time.
        let readAhead = 2
        var reading = (0..<readAhead).compactMap(read)
        defer { for task in reading { task.cancel() } }

        for index in chunks.indices {
            let accounts = try await reading.removeFirst().value
            if let next = read(index + readAhead) { reading.append(next) }
            var batch = CollectionBatch(accounts: 0, actions: [], cancellations: [], deferrals: [])
            for reviewed in accounts {
                let account = reviewed.account
                if CollectionDay.hasSomethingToChase(account) { batch.accounts += 1 }
                let plan = planner.plan(account, asOf: asOf)
                batch.actions += plan.actions
                batch.cancellations += plan.cancellations
                batch.deferrals += plan.deferrals
                guard !dryRun else { continue }
                pending.reviews.append(
                    CustomerReview(
                        customerID: account.customer.id, changes: reviewed.changes,
                        nextReview: planner.nextReview(
                            of: account, after: plan, on: asOf, announcingStages: watch.stageChanges),
                        held: plan.deferrals.filter(\.reason.needsPerson)))
                if watch.isWatching {
                    pending.observations.observe(
                        account, planner: planner, promiseGraceDays: playbook.promiseGraceDays, asOf: asOf,
                        watch: watch)
                }
            }
            guard !dryRun else {
                try finish(batch, into: &report, onBatch)
                continue
            }
            pending.batches.append(batch)
            guard pending.reviews.count >= accountsPerTransaction || index == chunks.count - 1 else { continue }
            // The previous write ends before this one starts: transactions are written in order.
            if let previous = writing {
                try await previous.task.value
                for written in previous.batches { try finish(written, into: &report, onBatch) }
            }
            let write = pending
            pending = PendingWrite()
            writing = (
                Task {
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
                }, write.batches
            )
        }
        if let previous = writing {
            try await previous.task.value
            for written in previous.batches { try finish(written, into: &report, onBatch) }
        }
        if !dryRun {
            try await store.finishReviews(organisationID: organisationID, fingerprint: fingerprint, on: asOf)
        }
        return report
    }

    private func finish(
        _ batch: CollectionBatch, into report: inout CollectionDayReport, _ onBatch: (CollectionBatch) throws -> Void
    ) throws {
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
