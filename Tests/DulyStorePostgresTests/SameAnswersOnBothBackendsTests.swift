import DulyCore
import DulyServer
import DulyStore
import DulyStorePostgres
import DulyStoreSQLite
import Foundation
import Testing

/// One generated ledger imported into a SQLite file and a PostgreSQL database: the collection day plans the same
/// actions on both, byte for byte as `duly run --dry-run --json` prints them, and the reports give the same figures.
@Suite(.enabled(if: TestServer.configured)) struct SameAnswersOnBothBackendsTests {
    @Test func theSameLedgerPlansTheSameDayAndReportsTheSameFiguresOnBothBackends() async throws {
        // Given a few hundred invoices of sixty customers, part paid, in two currencies
        let ledger = GeneratedLedger(seed: 20_260_512, customers: 60, invoices: 400, payments: 260)
        let asOf = LocalDate(iso: "2026-05-12")!
        let april = ReportPeriod(from: LocalDate(iso: "2026-04-01")!, to: LocalDate(iso: "2026-04-30")!)!

        // When each backend imports it, plans the day as a dry run and reports on April
        let onSQLite = try await Self.withSQLite { store in
            try await ledger.load(into: store)
            return try await Answers(store, organisation: ledger.organisation, asOf: asOf, period: april)
        }
        #expect(onSQLite.actions.count > 50, "the ledger gives the day something to plan: \(onSQLite.day)")
        #expect(
            onSQLite.kpis.contains { $0.dso != nil && $0.collectionEffectivenessIndex != nil },
            "figures to compare: \(onSQLite.kpis)")
        #expect(
            !onSQLite.collections.collections.isEmpty && onSQLite.timeline.count > 100, "money and entries to compare")
        var onPostgres: Answers?
        try await TestServer.withDatabase { settings in
            onPostgres = try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await ledger.load(into: store)
                return try await Answers(store, organisation: ledger.organisation, asOf: asOf, period: april)
            }
        }
        let postgres = try #require(onPostgres)

        // Then the day is the same, action by action, and so is every figure
        #expect(postgres.actions.count == onSQLite.actions.count, "as many actions planned")
        for (index, (sqlite, postgres)) in zip(onSQLite.actions, postgres.actions).enumerated() {
            #expect(postgres == sqlite, "action \(index), byte for byte")
        }
        #expect(postgres.day == onSQLite.day, "the day's counts")
        #expect(postgres.histories == onSQLite.histories, "every invoice's dated history")
        #expect(postgres.aging == onSQLite.aging, "the aging")
        #expect(postgres.kpis == onSQLite.kpis, "DSO, CEI and the other KPIs, per currency")
        #expect(postgres.collections == onSQLite.collections, "April's collections")
        #expect(postgres.matchable == onSQLite.matchable, "the open invoices a statement is matched against, in order")
        #expect(postgres.timeline == onSQLite.timeline, "every timeline entry, hashes and all")
    }

    /// A migrated SQLite store on a file in a fresh directory, removed afterwards.
    private static func withSQLite<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "duly-same-answers-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("duly.sqlite").path)
        try await store.migrate()
        return try await body(store)
    }
}

/// What one backend answered.
private struct Answers: Sendable {
    /// The planned actions as `duly run --json` prints them, one line each, in the order planned.
    var actions: [String]
    /// The run's counts: accounts, unchanged, planned, awaiting approval, skipped, cancelled, deferred by reason.
    var day: [String]
    var histories: [InvoiceHistory]
    var aging: AgingReport
    var kpis: [CurrencyKPIs]
    var collections: CollectionFacts
    var matchable: [MatchableInvoice]
    var timeline: [TimelineEntry]

    init<Store: ReportingStore & StatementStore>(
        _ store: Store, organisation: Organisation, asOf: LocalDate, period: ReportPeriod
    ) async throws {
        // As `duly run --dry-run --json` prints them: one line per action, keys sorted.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var actions: [String] = []
        let report = try await CollectionDay(store: store, organisation: organisation, playbook: .standard).run(
            asOf: asOf, recordedAt: "2026-05-12T06:00:00Z", dryRun: true
        ) { batch in
            for action in batch.actions {
                actions.append(String(decoding: try encoder.encode(ActionJSON(action)), as: UTF8.self))
            }
        }
        self.actions = actions
        day =
            [
                "accounts \(report.accounts)", "unchanged \(report.unchanged)", "planned \(report.planned)",
                "awaiting approval \(report.awaitingApproval)", "skipped \(report.skipped)",
                "cancelled \(report.cancelled)",
            ] + report.deferred.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        histories = try await store.invoiceHistories(
            organisationID: organisation.id, customerID: nil, through: nil, after: nil, limit: 100_000)
        // As `duly report aging`, `dso` and `kpis` read them: every history through the period's end, page by page.
        var receivables = ReceivablesReport(period: period)
        try await store.scanInvoiceHistories(
            organisationID: organisation.id, through: period.to, into: &receivables, pageSize: 97)
        aging = receivables.aging
        kpis = receivables.kpis
        collections = try await store.collectionFacts(organisationID: organisation.id, period: period)
        matchable = try await store.matchingData(organisationID: organisation.id).invoices
        var timeline: [TimelineEntry] = []
        while true {
            let page = try await store.timelineEntries(
                organisationID: organisation.id, customerID: nil,
                after: timeline.last.map { TimelinePageKey(customerID: $0.customerID, sequence: $0.sequence) },
                limit: 500)
            timeline += page
            guard page.count == 500 else { break }
        }
        self.timeline = timeline
    }
}

/// A ledger made up from a seed: the same seed gives the same customers, invoices and payments.
private struct GeneratedLedger: Sendable {
    let organisation = Organisation(
        id: "same", name: "Same Answers B.V.", baseCurrency: Currency(code: "EUR")!, country: "NL",
        timeZone: "Europe/Amsterdam", holidays: [LocalDate(iso: "2026-04-27")!, LocalDate(iso: "2026-05-05")!])
    var customers: [CustomerRecord] = []
    var invoices: [Invoice] = []
    var payments: [Payment] = []

    init(seed: UInt64, customers customerCount: Int, invoices invoiceCount: Int, payments paymentCount: Int) {
        var random = SplitMix64(seed: seed)
        let euro = Currency(code: "EUR")!
        let pound = Currency(code: "GBP")!
        let countries = [
            ("NL", "nl", "Europe/Amsterdam"), ("DE", "de", "Europe/Berlin"), ("GB", "en", "Europe/London"),
        ]
        for index in 1...customerCount {
            let id = "C\(1000 + index)"
            let (country, language, zone) = countries[random.below(countries.count)]
            var contacts = [
                Contact(role: .billing, name: "Billing \(id)", email: "billing@\(id.lowercased()).example")
            ]
            if random.below(3) == 0 {
                contacts.append(Contact(role: .senior, name: "Director \(id)", phone: "+31 20 555 \(1000 + index)"))
            }
            customers.append(
                CustomerRecord(
                    customer: Customer(
                        id: id, name: "Customer \(id)", country: country, language: language, timeZone: zone),
                    contacts: contacts))
        }
        // Issued from January to early May, due 14 to 60 days later; one in ten in pounds.
        let firstIssue = LocalDate(iso: "2026-01-05")!
        for index in 1...invoiceCount {
            let customer = customers[random.below(customers.count)].customer.id
            let issued = firstIssue.adding(days: random.below(125))
            let days = [14, 30, 30, 30, 45, 60][random.below(6)]
            let currency = random.below(10) == 0 ? pound : euro
            invoices.append(
                Invoice(
                    number: "INV-\(20_000 + index)", customerID: customer, issueDate: issued,
                    dueDate: issued.adding(days: days),
                    total: Money(minorUnits: 50_00 + random.below(4_950_00), currency: currency),
                    terms: .net(days: days)))
        }
        // Payments of a whole invoice, a part of one, or a sum left to allocation; never after the day planned.
        for index in 1...paymentCount {
            let invoice = invoices[random.below(invoices.count)]
            let paid = invoice.dueDate.adding(days: random.below(50) - 20)
            let date = min(max(paid, invoice.issueDate), LocalDate(iso: "2026-05-11")!)
            let share = [100, 100, 100, 50, 30][random.below(5)]
            let amount = max(1, invoice.total.minorUnits * share / 100)
            payments.append(
                Payment(
                    id: "P-\(30_000 + index)", customerID: invoice.customerID, date: date,
                    amount: Money(minorUnits: amount, currency: invoice.currency),
                    reference: "payment \(index)", invoiceNumber: random.below(4) == 0 ? nil : invoice.number))
        }
        payments.sort { ($0.date, $0.id) < ($1.date, $1.id) }
    }

    /// Imports the ledger as `duly import` would, file by file.
    func load(into store: some DulyStore) async throws {
        let context = RecordingContext(date: LocalDate(iso: "2026-05-11")!, recordedAt: "2026-05-11T08:00:00Z")
        try await store.saveOrganisation(organisation)
        _ = try await store.importCustomers(customers, organisationID: organisation.id, context: context)
        _ = try await store.importInvoices(invoices, organisationID: organisation.id, context: context)
        _ = try await store.importPayments(payments, organisationID: organisation.id, context: context)
    }
}

/// A small, fast generator whose numbers are the same on every platform, for ledgers made up from a seed.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
