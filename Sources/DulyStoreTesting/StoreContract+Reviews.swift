import DulyCore
import DulyStore

// The collection day looks only at the accounts that need it (README, "The collection day"): what a store must keep
// for that to miss nothing.
extension StoreContract {
    /// A second run looks at nobody; a payment makes its customer due at once; another playbook looks at everyone.
    public static func theCollectionDayLooksOnlyAtAccountsThatChangedOrAreDue(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2", "C3"])
        _ = try await store.importInvoices(
            [
                Fixture.invoice("INV-1", "C1", due: "2026-03-20", total: 100_00),
                Fixture.invoice("INV-2", "C2", due: "2026-03-20", total: 100_00),
                Fixture.invoice("INV-3", "C3", due: "2026-06-30", total: 100_00),
            ], organisationID: "acme", context: Fixture.on("2026-03-02"))
        let organisation = Fixture.organisation("acme")
        func run(_ date: String, _ playbook: Playbook = .standard) async throws -> CollectionDayReport {
            try await collectionDay(store, organisation, playbook, on: Fixture.day(date))
        }

        let first = try await run("2026-03-25")
        try expectEqual(first.accounts, 3, "the first run looks at every account with something to chase")
        try expectEqual(first.planned, 2, "and plans the two overdue invoices' first follow-ups")
        let again = try await run("2026-03-25")
        try expectEqual(again.accounts, 0, "the same day again looks at nobody")
        try expectEqual(again.unchanged, 3, "every customer is unchanged and not due")

        _ = try await store.importPayments(
            [Fixture.payment("P-2", "C2", amount: 100_00, date: "2026-03-25", invoice: "INV-2")],
            organisationID: "acme", context: Fixture.on("2026-03-25"))
        let afterPayment = try await run("2026-03-25")
        try expectEqual(afterPayment.accounts, 1, "a payment makes its customer due at once, and only that one")
        try expectEqual(afterPayment.cancelled, 1, "so the paid invoice's reminder is withdrawn the same day")

        var other = Playbook.standard
        other.maxContactsPerSevenDays = 3
        let underAnotherPlaybook = try await run("2026-03-25", other)
        try expectEqual(underAnotherPlaybook.unchanged, 0, "another playbook looks at every customer again")
    }

    /// Day after day, with payments, deliveries, calls, disputes and promises in between, a full look at every
    /// account after each run finds nothing the run left undone.
    public static func anIncrementalRunMissesNothingAFullRunWouldPlan(_ store: any DulyStore) async throws {
        let ids = (1...8).map { "C\($0)" }
        try await Fixture.seed(store, "acme", customers: ids)
        var invoices: [Invoice] = []
        for (index, id) in ids.enumerated() {
            invoices.append(
                Fixture.invoice(
                    "INV-\(id)-A", id, due: Fixture.day("2026-03-02").adding(days: index * 3).description,
                    total: 100_00))
            invoices.append(
                Fixture.invoice(
                    "INV-\(id)-B", id, due: Fixture.day("2026-03-20").adding(days: index * 4).description,
                    total: 250_00))
        }
        _ = try await store.importInvoices(invoices, organisationID: "acme", context: Fixture.on("2026-03-01"))
        let organisation = Fixture.organisation("acme")
        let planner = Planner(playbook: .standard, organisation: organisation)
        var looked = 0
        var full = 0
        for offset in 0..<60 {
            let today = Fixture.day("2026-03-02").adding(days: offset)
            let context = RecordingContext(date: today, recordedAt: "\(today)T08:00:00Z")
            // What happens between runs: a payment, a dispute, a promise, a refusal.
            switch offset {
            case 12:
                _ = try await store.importPayments(
                    [Fixture.payment("P-1", "C1", amount: 100_00, date: today.description, invoice: "INV-C1-A")],
                    organisationID: "acme", context: context)
            case 20:
                try await store.recordDispute(
                    Dispute(id: "D-3", invoiceNumber: "INV-C3-B", openedOn: today, reason: "not delivered"),
                    organisationID: "acme", context: context)
            case 25:
                try await store.recordPromise(
                    PromiseToPay(
                        id: "PR-4", invoiceNumbers: ["INV-C4-A"], amount: Fixture.eur(100_00),
                        promisedDate: today.adding(days: 5), madeOn: today),
                    organisationID: "acme", context: context)
            case 33:
                try await store.recordRefusal(customerID: "C5", note: nil, organisationID: "acme", context: context)
            default:
                break
            }
            let report = try await collectionDay(store, organisation, .standard, on: today)
            looked += report.accounts
            // The team's day: every message due goes out, every call due is made and reaches someone.
            for stored in try await store.actions(organisationID: "acme", customerID: nil)
            where stored.action.status == .planned && stored.action.date <= today {
                let done: ActionStatus = [.call, .meeting].contains(stored.action.channel) ? .done : .sent
                try await store.updateActionStatus(
                    id: stored.id, to: done, organisationID: "acme", context: context)
            }
            // A full look at every account after the run: nothing left to plan or withdraw today.
            var after: String?
            while true {
                let batch = try await store.accountsForRun(organisationID: "acme", after: after, limit: 3)
                guard let last = batch.last else { break }
                after = last.customer.id
                for account in batch {
                    full += 1
                    let plan = planner.plan(account, asOf: today)
                    try expect(
                        plan.actions.isEmpty && plan.cancellations.isEmpty,
                        "on \(today) the run left \(plan.actions.map(\.stepID)) and \(plan.cancellations.count) "
                            + "cancellations undone for \(account.customer.id)")
                }
            }
        }
        // Every message sent is a change, so a busy ledger like this one is looked at often; still not every day.
        try expect(looked < full, "the runs looked at \(looked) accounts, a full look every day at \(full)")
    }

    // A real run of the collection day (the existential opened for the generic `CollectionDay`), in small batches
    // and transactions, so that reading, planning and writing overlap even on a few customers.
    private static func collectionDay<Store: DulyStore>(
        _ store: Store, _ organisation: Organisation, _ playbook: Playbook, on date: LocalDate
    ) async throws -> CollectionDayReport {
        try await CollectionDay(
            store: store, organisation: organisation, playbook: playbook, batchSize: 2, accountsPerTransaction: 3
        ).run(asOf: date, recordedAt: "\(date)T08:00:00Z", dryRun: false)
    }
}
