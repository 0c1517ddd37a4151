import DulyCore

/// One batch of a run, as it was decided (and, unless it is a dry run, written).
public struct CollectionBatch: Sendable {
    public var accounts: Int
    public var actions: [PlannedAction]
    public var cancellations: [Cancellation]
    public var deferrals: [Deferral]
    /// Invoice states on the run's date, for the summary.
    public var states: [InvoiceState: Int]
}

/// What a whole run did.
public struct CollectionDayReport: Sendable {
    public var asOf: LocalDate
    public var accounts = 0
    public var planned = 0
    public var awaitingApproval = 0
    public var skipped = 0
    public var cancelled = 0
    public var deferred: [Deferral.Reason: Int] = [:]
    public var states: [InvoiceState: Int] = [:]

    public init(asOf: LocalDate) { self.asOf = asOf }
}

/// The collection day (`duly run`): the planner over every account of an organisation, batch by batch.
///
/// Each batch is read, planned and committed in its own transaction, so a crash loses at most the batch in flight,
/// and since the planner reads what earlier batches (and earlier runs) wrote, running again plans nothing twice.
public struct CollectionDay<Store: DulyStore>: Sendable {
    public let store: Store
    public let organisation: Organisation
    public let playbook: Playbook
    /// Customers per batch (and per transaction).
    public var batchSize: Int

    public init(store: Store, organisation: Organisation, playbook: Playbook, batchSize: Int = 500) {
        self.store = store
        self.organisation = organisation
        self.playbook = playbook
        self.batchSize = batchSize
    }

    /// Runs the day. `onBatch` sees each batch after it is committed (or decided, in a dry run).
    public func run(
        asOf: LocalDate, recordedAt: String, dryRun: Bool,
        onBatch: (CollectionBatch) throws -> Void = { _ in }
    ) async throws -> CollectionDayReport {
        let planner = Planner(playbook: playbook, organisation: organisation)
        let context = RecordingContext(date: asOf, recordedAt: recordedAt)
        var report = CollectionDayReport(asOf: asOf)
        // Webhooks: one probe per run; with no subscriber for date-derived events the run is what it was.
        let webhooks = store as? any WebhookStore
        let watch = dryRun ? .nothing : try await webhooks?.webhookRunWatch(organisationID: organisation.id) ?? .nothing
        var after: String?
        while true {
            let accounts = try await store.accountsForRun(
                organisationID: organisation.id, after: after, limit: batchSize)
            guard let last = accounts.last else { break }
            after = last.customer.id
            var batch = CollectionBatch(
                accounts: accounts.count, actions: [], cancellations: [], deferrals: [], states: [:])
            var observations = RunObservations()
            for account in accounts {
                let plan = planner.plan(account, asOf: asOf, countingStatesInto: &batch.states)
                batch.actions += plan.actions
                batch.cancellations += plan.cancellations
                batch.deferrals += plan.deferrals
                if watch.isWatching {
                    observations.observe(
                        account, planner: planner, promiseGraceDays: playbook.promiseGraceDays, asOf: asOf,
                        watch: watch)
                }
            }
            if let webhooks, !observations.isEmpty {
                _ = try await webhooks.commitRun(
                    actions: batch.actions, cancellations: batch.cancellations, observations: observations,
                    organisationID: organisation.id, context: context)
            } else if !dryRun && (!batch.actions.isEmpty || !batch.cancellations.isEmpty) {
                _ = try await store.commitRun(
                    actions: batch.actions, cancellations: batch.cancellations, organisationID: organisation.id,
                    context: context)
            }
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
            for (state, count) in batch.states { report.states[state, default: 0] += count }
            try onBatch(batch)
        }
        return report
    }
}
