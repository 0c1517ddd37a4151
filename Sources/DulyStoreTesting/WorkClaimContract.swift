import DulyCore
import DulyStore

/// What every backend must keep for several nodes to share one database's work (docs/ARCHITECTURE.md, "Many
/// nodes"): a batch of the collection day or a customer's due messages goes to one node at a time, a claim that
/// lapses is taken over, and the day ends once. Claims are taken at once, as nodes take them. Each case gets a fresh,
/// migrated, empty store.
public enum WorkClaimContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any StoreBackend) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("nodesBeginningTheDayAtOnceShareOneRunAndEachBatchGoesToOneNode", nodesShareOneRun),
        ("aNodeClaimsSeveralBatchesAtOnceTheLowestFree", severalBatchesClaimedAtOnce),
        ("aBatchWhoseClaimLapsedIsTakenOverAndNoOtherIs", lapsedBatchTakenOver),
        ("batchesAFailedNodeReleasedAreClaimedAtOnceAndNoOthers", releasedBatchesClaimedAtOnce),
        ("aDayThatFailsLetsItsBatchesGoAndTheNextRunEndsItWithoutWaiting", failedDayLetsItsBatchesGo),
        ("ofNodesWritingTheLastBatchesAtOnceExactlyOneFinishesTheDay", oneNodeFinishesTheDay),
        ("twoNodesRunningTheDayAtOncePlanWhatOneWouldEachActionOnce", twoNodesPlanWhatOneWould),
        ("aDayWritesTheSameWhetherItReadsWhilePlanningOrNot", sameWritesWhateverTheReading),
        ("deliverersClaimingAtOnceNeverShareACustomer", deliverersNeverShareACustomer),
        ("aDelivererWhoseClaimWasTakenOverCannotRenewIt", takenOverClaimCannotBeRenewed),
        ("aClaimSaysWhenTheClaimsItPassedOverLapse", claimSaysWhenPassedOverClaimsLapse),
    ]

    /// Twelve customers, each with an overdue invoice the collection day chases on 2026-03-25.
    private static func ledger(_ store: any StoreBackend, organisationID: String = "acme") async throws -> [String] {
        let ids = (1...12).map { "C\($0 < 10 ? "0" : "")\($0)" }
        try await Fixture.seed(store, organisationID, customers: ids)
        _ = try await store.importInvoices(
            ids.map { Fixture.invoice("INV-\($0)", $0, due: "2026-03-10", total: 100_00) },
            organisationID: organisationID, context: Fixture.on("2026-03-02"))
        return ids
    }

    private static let day = Fixture.day("2026-03-25")
    // The settings a run is begun under, as `Planner.fingerprint` writes them (a SHA-256 in hex).
    private static let fingerprint = String(repeating: "5e", count: 32)

    /// Runs `bodies` at once and returns what each returned, in order.
    private static func atOnce<T: Sendable>(_ bodies: [@Sendable () async throws -> T]) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, body) in bodies.enumerated() { group.addTask { (index, try await body()) } }
            var results: [(Int, T)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Four nodes begin the day at once: one cuts it into batches, three join it. Then each claims batches at once
    /// until none is left: every batch went to exactly one node, and together they cover every selected customer.
    public static func nodesShareOneRun(_ store: any StoreBackend) async throws {
        let ids = try await ledger(store)
        let tickets = try await atOnce(
            (0..<4).map { _ in
                {
                    try await store.beginCollectionRun(
                        organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 3)
                }
            })
        try check(Set(tickets.map(\.run)).count == 1, "the nodes share one run: \(tickets.map(\.run))")
        try check(tickets.filter(\.started).count == 1, "exactly one node started it: \(tickets.map(\.started))")
        try check(tickets[0].batches == 4 && tickets[0].selected == 12, "12 customers in 4 batches: \(tickets[0])")

        let run = tickets[0].run
        let claimed = try await atOnce(
            (0..<4).map { node in
                {
                    // Each node claims as many batches at a time as its number: one, two, three or four.
                    var mine: [RunBatch] = []
                    while case .claimed(let batches) = try await store.claimRunBatches(
                        organisationID: "acme", run: run, holder: "node-\(node)", now: 0, until: 600, limit: node + 1)
                    {
                        mine += batches
                    }
                    return mine
                }
            }
        ).flatMap { $0 }
        try check(
            claimed.map(\.index).sorted() == [0, 1, 2, 3], "each batch claimed once: \(claimed.map(\.index).sorted())")
        try check(claimed.flatMap(\.customerIDs).sorted() == ids, "the batches cover every customer once")
    }

    /// A node claims several batches at once: the lowest free ones, as many as it asks for and as are free; the next
    /// node gets the ones after them, and once none is free it learns how many others hold.
    public static func severalBatchesClaimedAtOnce(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let run = try await store.beginCollectionRun(
            organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 2
        ).run
        let first = try await store.claimRunBatches(
            organisationID: "acme", run: run, holder: "a", now: 0, until: 600, limit: 4)
        try check(
            first == .claimed((0..<4).map { RunBatch(run: run, index: $0, customerIDs: batch($0)) }),
            "the first node gets the four lowest batches, whole: \(first)")
        let second = try await store.claimRunBatches(
            organisationID: "acme", run: run, holder: "b", now: 0, until: 610, limit: 4)
        try check(
            second == .claimed([4, 5].map { RunBatch(run: run, index: $0, customerIDs: batch($0)) }),
            "the second node gets the two left: \(second)")
        let third = try await store.claimRunBatches(
            organisationID: "acme", run: run, holder: "c", now: 1, until: 601, limit: 4)
        try check(third == .heldByOthers(batches: 6, until: 600), "the third learns that others hold all six: \(third)")

        // Customers C01 to C12, two to a batch.
        func batch(_ index: Int) -> [String] {
            [2 * index + 1, 2 * index + 2].map { "C\($0 < 10 ? "0" : "")\($0)" }
        }
    }

    /// A claim lasts until its lease lapses: before then nobody else gets the batch (and is told when it lapses),
    /// after then the next node takes it.
    public static func lapsedBatchTakenOver(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let run = try await store.beginCollectionRun(
            organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 6
        ).run
        guard
            case .claimed(let first) = try await claimOne(
                store, organisationID: "acme", run: run, holder: "dies", now: 100, until: 160)
        else { throw ContractViolation("the first node gets a batch") }
        guard
            case .claimed(let second) = try await claimOne(
                store, organisationID: "acme", run: run, holder: "lives", now: 110, until: 170),
            second.index != first.index
        else { throw ContractViolation("the second node gets the other batch") }
        try await check(
            claimOne(store, organisationID: "acme", run: run, holder: "lives", now: 159, until: 219)
                == .heldByOthers(batches: 1, until: 160),
            "before the lease lapses the batch stays its node's, and the others learn when it lapses")
        _ = try await store.completeRunBatches(organisationID: "acme", run: run, batches: [second.index])
        guard
            case .claimed(let takenOver) = try await claimOne(
                store, organisationID: "acme", run: run, holder: "lives", now: 160, until: 220)
        else { throw ContractViolation("once the lease lapsed, another node takes the batch") }
        try check(takenOver == first, "the batch taken over is the one whose node died, whole")
        try await check(
            claimOne(store, organisationID: "acme", run: run, holder: "lives", now: 161, until: 221) == .noneLeft,
            "with every batch written or held by the asking node, nothing is left for it")
    }

    /// A node that fails lets its batches go: another node claims them at once, long before their lease would have
    /// lapsed, while another node's claim and the batches already written stay as they were.
    public static func releasedBatchesClaimedAtOnce(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let run = try await store.beginCollectionRun(
            organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 3
        ).run
        var claimed: [String: [Int]] = [:]
        for holder in ["fails", "fails", "fails", "works"] {
            guard
                case .claimed(let batch) = try await claimOne(
                    store, organisationID: "acme", run: run, holder: holder, now: 100, until: 700)
            else { throw ContractViolation("\(holder) gets a batch") }
            claimed[holder, default: []].append(batch.index)
        }
        _ = try await store.completeRunBatches(organisationID: "acme", run: run, batches: [claimed["fails"]![0]])
        try await store.releaseRunBatches(organisationID: "acme", run: run, holder: "fails")
        var again: [Int] = []
        while case .claimed(let batch) = try await claimOne(
            store, organisationID: "acme", run: run, holder: "again", now: 101, until: 701)
        {
            again.append(batch.index)
        }
        try check(
            again == Array(claimed["fails"]!.dropFirst()),
            "the failed node's unwritten batches, and only they, are claimed at once: \(again) of \(claimed)")
        try await check(
            claimOne(store, organisationID: "acme", run: run, holder: "again", now: 102, until: 702)
                == .heldByOthers(batches: 1, until: 700),
            "the other node's claim still holds")
    }

    /// A collection day that fails after its first batch lets the batches it claimed go: run again at once (a lease
    /// whose clock stands still, which refuses to wait for another node), the day ends, every action written once.
    public static func failedDayLetsItsBatchesGo(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let organisation = Fixture.organisation("acme")
        struct Failure: Error {}
        do {
            // A transaction a batch: the first is written, then the day fails (the writer may have taken the next
            // batch meanwhile, and that transaction ends first).
            _ = try await collectionDay(
                store, organisation, dryRun: false, lease: .solo("fails"), accountsPerTransaction: 2
            ) { _ in throw Failure() }
            throw ContractViolation("the day that fails after its first batch fails")
        } catch is Failure {}
        // A batch is two customers, a reminder each.
        let writtenByTheFirst = try await store.actions(organisationID: "acme", customerID: nil).count / 2
        try check(
            (1...2).contains(writtenByTheFirst), "the failed day wrote its first batch: \(writtenByTheFirst) batches")
        let again = try await collectionDay(store, organisation, dryRun: false, lease: .solo("again"))
        try check(
            again.joined && again.batches == 6 - writtenByTheFirst,
            "the day is joined and its other batches written: \(again), after \(writtenByTheFirst)")
        let actions = try await store.actions(organisationID: "acme", customerID: nil)
        try check(
            actions.count == 12 && Set(actions.map(\.action.idempotencyKey)).count == 12,
            "a reminder per customer, each once: \(actions.count)")
    }

    /// The same ledger in two organisations, one day read batch by batch after planning (as on two cores) and the
    /// other read two batches ahead (as with cores to spare): each writes a reminder per customer, each once, in all
    /// its batches.
    public static func sameWritesWhateverTheReading(_ store: any StoreBackend) async throws {
        var written: [[String]] = []
        for (organisationID, reads) in [("acme", 0), ("globex", 2)] {
            _ = try await ledger(store, organisationID: organisationID)
            let report = try await collectionDay(
                store, Fixture.organisation(organisationID), dryRun: false, lease: .solo(), readsWhilePlanning: reads)
            try check(
                report.planned == 12 && report.batches == 6,
                "\(organisationID), reading \(reads) while planning: \(report)")
            let actions = try await store.actions(organisationID: organisationID, customerID: nil)
            try check(
                Set(actions.map(\.action.idempotencyKey)).count == 12,
                "\(organisationID): a reminder per customer, each once: \(actions.count)")
            written.append(actions.map { "\($0.customerID) \($0.action.stepID) \($0.action.invoiceNumbers)" }.sorted())
        }
        try check(written[0] == written[1], "both readings write the same: \(written)")
    }

    /// Two nodes write their last batches at once: the day is finished exactly once, and a node beginning the same
    /// day afterwards starts a new run rather than joining the finished one.
    public static func oneNodeFinishesTheDay(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let ticket = try await store.beginCollectionRun(
            organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 6)
        for node in ["a", "b"] {
            guard
                case .claimed = try await claimOne(
                    store, organisationID: "acme", run: ticket.run, holder: node, now: 0, until: 600)
            else { throw ContractViolation("node \(node) gets a batch") }
        }
        let finished = try await atOnce(
            [0, 1].map { batch in
                { try await store.completeRunBatches(organisationID: "acme", run: ticket.run, batches: [batch]) }
            })
        try check(finished.filter { $0 }.count == 1, "exactly one node finished the day: \(finished)")
        let next = try await store.beginCollectionRun(
            organisationID: "acme", on: day, fingerprint: fingerprint, batchSize: 6)
        try check(next.started && next.run == ticket.run + 1, "the next run of the day is a new one: \(next)")
    }

    /// Two nodes run the whole collection day at once, in small batches: between them they plan exactly what one
    /// node alone plans (a dry run says what that is), every action once, and each wrote its share of the batches.
    public static func twoNodesPlanWhatOneWould(_ store: any StoreBackend) async throws {
        _ = try await ledger(store)
        let organisation = Fixture.organisation("acme")
        let alone = try await collectionDay(store, organisation, dryRun: true, lease: .solo())
        try check(alone.planned == 12, "one node alone would plan a reminder per customer: \(alone.planned)")
        let reports = try await atOnce(
            ["a", "b"].map { node in
                {
                    // A clock that stands still, and a wait that lets the other node go on.
                    let lease = WorkLease(holder: node, seconds: 600, now: { 0 }, wait: { _ in await Task.yield() })
                    return try await collectionDay(store, organisation, dryRun: false, lease: lease)
                }
            })
        let planned = reports.map { $0.planned + $0.awaitingApproval }.reduce(0, +)
        try check(planned == alone.planned, "together they planned \(planned), one node alone \(alone.planned)")
        try check(
            reports.map(\.batches).reduce(0, +) == reports[0].runBatches,
            "each batch was written by one node: \(reports.map(\.batches)) of \(reports[0].runBatches)")
        let actions = try await store.actions(organisationID: "acme", customerID: nil)
        try check(actions.count == alone.planned, "every action is in the store once: \(actions.count)")
        try check(
            Set(actions.map(\.action.idempotencyKey)).count == actions.count, "no action is written twice")
    }

    /// Three deliverers sweep the outbox at once, two customers at a time: each customer with a message due goes to
    /// exactly one of them.
    public static func deliverersNeverShareACustomer(_ store: any StoreBackend) async throws {
        let ids = try await outbox(store)
        let claimed = try await atOnce(
            (0..<3).map { node in
                {
                    // One sweep, keeping every claim (nothing is released, so a customer claimed twice shows).
                    var mine: [String] = []
                    var after: String?
                    repeat {
                        let claim = try await claim(store, holder: "node-\(node)", after: after, leaseNow: 0)
                        mine += claim.customerIDs
                        after = claim.lastConsidered
                    } while after != nil
                    return mine
                }
            })
        let all = claimed.flatMap { $0 }
        try check(all.sorted() == ids, "each customer claimed by exactly one deliverer: \(claimed)")
    }

    /// A deliverer whose claim lapsed and was taken over by another cannot renew it (so it leaves the customer's
    /// messages alone); the one that took it over can, and once it releases the claim another may claim again.
    public static func takenOverClaimCannotBeRenewed(_ store: any StoreBackend) async throws {
        _ = try await outbox(store)
        let first = try await claim(store, holder: "slow", after: nil, leaseNow: 0, limit: 1)
        try check(first.customerIDs == ["C01"], "the first deliverer claims the first customer: \(first)")
        let meanwhile = try await claim(store, holder: "quick", after: nil, leaseNow: 10, limit: 1)
        try check(meanwhile.customerIDs == ["C02"], "while the claim holds, the next one gets another: \(meanwhile)")
        let later = try await claim(store, holder: "quick", after: nil, leaseNow: 61, limit: 1)
        try check(later.customerIDs == ["C01"], "once it lapsed, another deliverer takes it over: \(later)")
        try await check(
            !store.renewDeliveryClaim(organisationID: "acme", customerID: "C01", holder: "slow", until: 200),
            "the deliverer that lost it cannot renew it")
        try await check(
            store.renewDeliveryClaim(organisationID: "acme", customerID: "C01", holder: "quick", until: 200),
            "the one that took it over can")
        try await store.releaseDeliveryClaims(organisationID: "acme", customerIDs: ["C01", "C02"], holder: "quick")
        let again = try await claim(store, holder: "slow", after: nil, leaseNow: 62, limit: 2)
        try check(again.customerIDs == ["C01", "C02"], "released claims are free at once: \(again)")
    }

    /// A claim that passes over customers another deliverer holds says when the first of those claims lapses (the
    /// deliverer comes back for them, for their holder may have died); one that passed over none says nothing.
    public static func claimSaysWhenPassedOverClaimsLapse(_ store: any StoreBackend) async throws {
        _ = try await outbox(store)
        let other = try await claim(store, holder: "other", after: "C01", leaseNow: 0, limit: 1)
        try check(other.customerIDs == ["C02"], "another deliverer holds C02 until 60: \(other)")
        let first = try await claim(store, holder: "mine", after: nil, leaseNow: 10)
        try check(
            first.customerIDs == ["C01", "C03"] && first.lastConsidered == "C03" && first.othersHoldUntil == 60,
            "the claim passes over C02 and says its claim lapses at 60: \(first)")
        let next = try await claim(store, holder: "mine", after: "C03", leaseNow: 10)
        try check(
            next.customerIDs == ["C04", "C05"] && next.othersHoldUntil == nil,
            "the next claim passed over nobody's: \(next)")
    }

    /// A node's claim of one batch (`claimRunBatches` with a limit of one), as the cases read it.
    private enum OneClaim: Equatable {
        case claimed(RunBatch)
        case heldByOthers(batches: Int, until: Int64)
        case noneLeft
    }

    private static func claimOne(
        _ store: any StoreBackend, organisationID: String, run: Int64, holder: String, now: Int64, until: Int64
    ) async throws -> OneClaim {
        switch try await store.claimRunBatches(
            organisationID: organisationID, run: run, holder: holder, now: now, until: until, limit: 1)
        {
        case .claimed(let batches):
            guard batches.count == 1 else { throw ContractViolation("a claim of one batch got \(batches.count)") }
            return .claimed(batches[0])
        case .heldByOthers(let batches, let until): return .heldByOthers(batches: batches, until: until)
        case .noneLeft: return .noneLeft
        }
    }

    // The twelve customers' reminders, planned for 2026-03-25 by email.
    private static func outbox(_ store: any StoreBackend) async throws -> [String] {
        let ids = try await ledger(store)
        _ = try await store.commitRun(
            actions: ids.map { Fixture.action($0, invoices: ["INV-\($0)"], key: "reminder-\($0)", date: "2026-03-25") },
            cancellations: [], organisationID: "acme", context: Fixture.on("2026-03-25"))
        return ids
    }

    // One claim of customers with emails due on 2026-03-25, lasting 60 seconds from `leaseNow`.
    private static func claim(
        _ store: any StoreBackend, holder: String, after: String?, leaseNow: Int64, limit: Int = 2
    ) async throws -> DeliveryClaim {
        try await store.claimDeliveryCustomers(
            organisationID: "acme", channels: [.email], dueBy: day, now: 0, after: after, holder: holder,
            leaseNow: leaseNow, until: leaseNow + 60, limit: limit)
    }

    // A collection day in small batches and transactions (the existential opened for the generic `CollectionDay`).
    private static func collectionDay<Store: DulyStore>(
        _ store: Store, _ organisation: Organisation, dryRun: Bool, lease: WorkLease, accountsPerTransaction: Int = 3,
        readsWhilePlanning: Int? = nil, onBatch: (CollectionBatch) throws -> Void = { _ in }
    ) async throws -> CollectionDayReport {
        var collectionDay = CollectionDay(
            store: store, organisation: organisation, playbook: .standard, batchSize: 2,
            accountsPerTransaction: accountsPerTransaction)
        if let readsWhilePlanning { collectionDay.readsWhilePlanning = readsWhilePlanning }
        return try await collectionDay.run(
            asOf: day, recordedAt: "2026-03-25T08:00:00Z", dryRun: dryRun, lease: lease, onBatch: onBatch)
    }
}
