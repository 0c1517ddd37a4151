import DulyCore
import DulyStore
import DulyStorePostgres
import DulyStoreTesting
import Testing

/// The run's writes started at once on several connections, as several nodes would (docs/ARCHITECTURE.md,
/// "Isolation"): what `ConcurrencyContract` checks once the PostgreSQL store is a whole `StoreBackend`.
@Suite(.enabled(if: TestServer.configured)) struct RunIsolationTests {
    static let euro = Currency(code: "EUR")!

    static func context(_ day: String) -> RecordingContext {
        RecordingContext(date: LocalDate(iso: day)!, recordedAt: "\(day)T09:00:00Z")
    }

    /// An organisation whose customers C1…Cn each owe one invoice, INV-Cn.
    static func ledger(_ store: PostgresStore, customers: Int) async throws {
        try await store.saveOrganisation(
            Organisation(
                id: "acme", name: "Acme", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam",
                holidays: []))
        let ids = (1...customers).map { "C\($0)" }
        _ = try await store.importCustomers(
            ids.map { CustomerRecord(customer: Customer(id: $0, name: "Customer \($0)"), contacts: []) },
            organisationID: "acme", context: context("2026-03-01"))
        _ = try await store.importInvoices(
            ids.map {
                Invoice(
                    number: "INV-\($0)", customerID: $0, issueDate: LocalDate(iso: "2026-03-01")!,
                    dueDate: LocalDate(iso: "2026-03-31")!, total: Money(minorUnits: 100_00, currency: euro))
            }, organisationID: "acme", context: context("2026-03-01"))
    }

    static func action(_ customerID: String, key: String) -> PlannedAction {
        PlannedAction(
            customerID: customerID, date: LocalDate(iso: "2026-04-10")!, channel: .email, stage: .delayed,
            stepID: "reminder", template: "reminder", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-\(customerID)", stepID: "reminder")], status: .planned,
            idempotencyKey: key)
    }

    @Test func batchesWrittenAtOnceNumberTheirActionsWithoutGapsOrTwins() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await Self.ledger(store, customers: 8)
                // Given eight batches of three actions, each batch twice (a node retrying another's batch)
                try await withThrowingTaskGroup(of: RunCommitSummary.self) { group in
                    for customer in 1...8 {
                        for _ in 1...2 {
                            group.addTask {
                                try await store.commitRun(
                                    actions: (1...3).map { Self.action("C\(customer)", key: "C\(customer)-\($0)") },
                                    cancellations: [], organisationID: "acme", context: Self.context("2026-04-10"))
                            }
                        }
                    }
                    // Then each key is written once, by one of the two
                    var planned = 0
                    for try await summary in group { planned += summary.planned }
                    #expect(planned == 24)
                }
                let actions = try await store.actions(organisationID: "acme", customerID: nil)
                #expect(actions.count == 24)
                #expect(Set(actions.map(\.id)) == Set(1...24))
                #expect(Set(actions.map(\.action.idempotencyKey)).count == 24)
                try await StoreContract.verifyTimelines(store, "acme")
            }
        }
    }

    @Test func aStatusSetTwiceAtOnceIsRecordedOnce() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await Self.ledger(store, customers: 1)
                _ = try await store.commitRun(
                    actions: [Self.action("C1", key: "k")], cancellations: [], organisationID: "acme",
                    context: Self.context("2026-04-10"))
                let id = try #require(try await store.actions(organisationID: "acme", customerID: "C1").first?.id)
                // When two deliverers record the same send at once
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 1...2 {
                        group.addTask {
                            try await store.updateActionStatus(
                                id: id, to: .sent, organisationID: "acme", context: Self.context("2026-04-10"))
                        }
                    }
                    try await group.waitForAll()
                }
                // Then one entry says so
                let sent = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
                    $0.timelineKind == .actionSent
                }
                #expect(sent.count == 1)
                #expect(try await store.action(organisationID: "acme", id: id)?.action.status == .sent)
                try await StoreContract.verifyTimelines(store, "acme")
            }
        }
    }

    @Test func aPlanAcceptedTwiceAtOnceIsAcceptedOnce() async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await Self.ledger(store, customers: 1)
                let proposed = PaymentPlan(
                    id: "PLN-1", invoiceNumbers: ["INV-C1"],
                    instalments: [
                        .init(
                            dueDate: LocalDate(iso: "2026-05-01")!,
                            amount: Money(minorUnits: 100_00, currency: Self.euro))
                    ], acceptedOn: nil)
                try await store.recordPlan(proposed, organisationID: "acme", context: Self.context("2026-04-10"))
                var acceptance = proposed
                acceptance.acceptedOn = LocalDate(iso: "2026-04-11")
                let accepted = acceptance
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 1...2 {
                        group.addTask {
                            try await store.recordPlan(
                                accepted, organisationID: "acme", context: Self.context("2026-04-11"))
                        }
                    }
                    try await group.waitForAll()
                }
                let entries = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
                    $0.timelineKind == .planRecorded
                }
                #expect(entries.count == 2, "proposed, then accepted once")
                try await StoreContract.verifyTimelines(store, "acme")
            }
        }
    }
}
