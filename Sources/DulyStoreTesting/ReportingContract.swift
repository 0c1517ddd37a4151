import DulyCore
import DulyStore

/// The reporting reads of the storage contract (`ReportingStore`), as cases any test framework can run.
///
/// Each case receives a fresh, migrated, empty store and throws a `ContractViolation` when the store misbehaves.
public enum ReportingContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any ReportingStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("historiesCarryTheDatedAllocationsAndCreditNotes", historiesCarryTheDatedAllocationsAndCreditNotes),
        ("historiesComeInPagesInTheStoresOrder", historiesComeInPagesInTheStoresOrder),
        ("promiseHistoriesCarryTheReceiptsOnTheirInvoices", promiseHistoriesCarryTheReceiptsOnTheirInvoices),
        (
            "collectionFactsHoldThePeriodsMoneyAndTheContactsAboutIt",
            collectionFactsHoldThePeriodsMoneyAndTheContactsAboutIt
        ),
        ("timelinePagesWalkEveryAccountInOrder", timelinePagesWalkEveryAccountInOrder),
        ("reportsNeverCrossOrganisations", reportsNeverCrossOrganisations),
    ]

    /// Allocations and credit notes come with their dates; `through` leaves out what happened or was issued later;
    /// and the whole history adds up to the balance the store keeps.
    public static func historiesCarryTheDatedAllocationsAndCreditNotes(_ store: any ReportingStore) async throws {
        try await Fixture.ledger(store)
        // P1 clears 60 of INV-1 (oldest first); P2 the other 40 and 30 of INV-2; a credit note takes 10 off INV-3.
        _ = try await store.importPayments(
            [
                Fixture.payment("P1", "C1", amount: 60_00, date: "2026-04-10"),
                Fixture.payment("P2", "C1", amount: 70_00, date: "2026-04-20"),
            ], organisationID: "acme", context: Fixture.on("2026-04-20"))
        try await store.recordCreditNote(
            CreditNote(id: "CN-1", invoiceNumber: "INV-3", date: Fixture.day("2026-04-15"), amount: Fixture.eur(10_00)),
            organisationID: "acme", context: Fixture.on("2026-04-15"))

        let all = try await store.invoiceHistories(
            organisationID: "acme", customerID: nil, through: nil, after: nil, limit: 100)
        try check(all.map(\.invoice.number) == ["INV-1", "INV-2", "INV-3", "INV-GBP"], "order: customer, due date")
        let first = all[0].allocations.map { "\($0.paymentID) \($0.amount.minorUnits) \($0.date)" }
        try check(first == ["P1 6000 2026-04-10", "P2 4000 2026-04-20"], "INV-1's allocations, got \(first)")
        try check(all[1].allocations.map(\.amount.minorUnits) == [30_00], "INV-2's allocation")
        try check(
            all[2].creditNotes == [
                CreditNote(
                    id: "CN-1", invoiceNumber: "INV-3", date: Fixture.day("2026-04-15"), amount: Fixture.eur(10_00))
            ], "INV-3's credit note")
        let balances = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        for history in all {
            let kept = balances.first { $0.invoice.number == history.invoice.number }
            try check(history.balance() == kept, "\(history.invoice.number): the history adds up to the balance")
        }

        // Through 04-15: P2 and nothing after; the credit note of that day is in; INV-GBP was issued that day.
        let midApril = try await store.invoiceHistories(
            organisationID: "acme", customerID: nil, through: Fixture.day("2026-04-15"), after: nil, limit: 100)
        try check(midApril.count == 4, "four invoices issued by 04-15")
        try check(midApril[0].allocations.map(\.paymentID) == ["P1"], "only P1 by 04-15")
        try check(midApril[1].allocations.isEmpty, "nothing on INV-2 by 04-15")
        try check(midApril[2].creditNotes.count == 1, "the credit note dated 04-15")
        let march = try await store.invoiceHistories(
            organisationID: "acme", customerID: nil, through: Fixture.day("2026-03-31"), after: nil, limit: 100)
        try check(march.map(\.invoice.number) == ["INV-1", "INV-2", "INV-3"], "INV-GBP is issued 04-15")
    }

    /// Pages of any size put together give the whole list, in order; a customer filter keeps to that customer.
    public static func historiesComeInPagesInTheStoresOrder(_ store: any ReportingStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2", "C3"])
        var invoices: [Invoice] = []
        for index in 0..<7 {
            invoices.append(
                Fixture.invoice("INV-\(index)", "C\(index % 3 + 1)", due: "2026-0\(7 - index)-10", total: 10_00))
        }
        // The same due date twice for C1: the number breaks the tie.
        invoices.append(Fixture.invoice("INV-0b", "C1", due: "2026-07-10", total: 10_00))
        _ = try await store.importInvoices(invoices, organisationID: "acme", context: Fixture.on("2026-01-01"))
        let whole = try await store.invoiceHistories(
            organisationID: "acme", customerID: nil, through: nil, after: nil, limit: 100)
        let expected = invoices.sorted {
            ($0.customerID, $0.dueDate, $0.number) < ($1.customerID, $1.dueDate, $1.number)
        }.map(\.number)
        try check(whole.map(\.invoice.number) == expected, "one page: \(whole.map(\.invoice.number))")
        for size in [1, 2, 3] {
            var paged: [String] = []
            var after: InvoicePageKey?
            while true {
                let page = try await store.invoiceHistories(
                    organisationID: "acme", customerID: nil, through: nil, after: after, limit: size)
                paged += page.map(\.invoice.number)
                guard let last = page.last else { break }
                try check(page.count <= size, "a page of at most \(size)")
                after = InvoicePageKey(last.invoice)
            }
            try check(paged == expected, "pages of \(size): \(paged)")
        }
        let second = try await store.invoiceHistories(
            organisationID: "acme", customerID: "C2", through: nil, after: nil, limit: 100)
        try check(second.map(\.invoice.number) == ["INV-4", "INV-1"], "C2's invoices by due date")
    }

    /// A promise comes with its customer and the allocations to its invoices up to the date asked for.
    public static func promiseHistoriesCarryTheReceiptsOnTheirInvoices(_ store: any ReportingStore) async throws {
        try await Fixture.ledger(store)
        let promise = PromiseToPay(
            id: "PRM-1", invoiceNumbers: ["INV-1", "INV-2"], amount: Fixture.eur(150_00),
            promisedDate: Fixture.day("2026-04-20"), madeOn: Fixture.day("2026-04-05"))
        try await store.recordPromise(promise, organisationID: "acme", context: Fixture.on("2026-04-05"))
        let later = PromiseToPay(
            id: "PRM-2", invoiceNumbers: ["INV-3"], amount: Fixture.eur(10_00),
            promisedDate: Fixture.day("2026-05-20"), madeOn: Fixture.day("2026-04-25"))
        try await store.recordPromise(later, organisationID: "acme", context: Fixture.on("2026-04-25"))
        _ = try await store.importPayments(
            [
                Fixture.payment("P1", "C1", amount: 60_00, date: "2026-04-10"),
                Fixture.payment("P2", "C1", amount: 90_00, date: "2026-04-30"),
            ], organisationID: "acme", context: Fixture.on("2026-04-30"))
        let histories = try await store.promiseHistories(
            organisationID: "acme", customerID: nil, through: Fixture.day("2026-04-20"))
        try check(
            histories == [
                PromiseHistory(
                    customerID: "C1", promise: promise,
                    receipts: [
                        Receipt(invoiceNumber: "INV-1", date: Fixture.day("2026-04-10"), amount: Fixture.eur(60_00))
                    ])
            ], "PRM-1 with P1 only, got \(histories)")
        let all = try await store.promiseHistories(
            organisationID: "acme", customerID: "C1", through: Fixture.day("2026-05-31"))
        try check(all.map(\.promise.id) == ["PRM-1", "PRM-2"], "both promises by made-on date")
        try check(all[0].receipts.map(\.amount.minorUnits) == [60_00, 40_00, 50_00], "P1 then P2's two parts")
        try check(all[1].receipts.isEmpty, "nothing reached INV-3")
    }

    /// The period's allocations come with their invoices' due dates, and the actions that went out about those
    /// invoices come with them; pending actions and actions about other invoices do not.
    public static func collectionFactsHoldThePeriodsMoneyAndTheContactsAboutIt(
        _ store: any ReportingStore
    )
        async throws
    {
        try await Fixture.ledger(store)
        _ = try await store.commitRun(
            actions: [
                Fixture.action("C1", invoices: ["INV-1"], key: "a", date: "2026-04-05"),
                Fixture.action("C1", invoices: ["INV-2", "INV-3"], key: "b", date: "2026-04-06", channel: .call),
                Fixture.action("C1", invoices: ["INV-1"], key: "c", date: "2026-04-07", channel: .letter),
                Fixture.action("C1", invoices: ["INV-GBP"], key: "d", date: "2026-04-07"),
                Fixture.action("C1", invoices: ["INV-1"], key: "e", date: "2026-05-02"),
            ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-05"))
        let ids = Dictionary(
            uniqueKeysWithValues: try await store.actions(organisationID: "acme", customerID: nil).map {
                ($0.action.idempotencyKey, $0.id)
            })
        for (key, status) in [("a", ActionStatus.sent), ("b", .done), ("d", .sent), ("e", .sent)] {
            try await store.updateActionStatus(
                id: ids[key]!, to: status, organisationID: "acme", context: Fixture.on("2026-04-07"))
        }
        _ = try await store.importPayments(
            [
                Fixture.payment("P0", "C1", amount: 20_00, date: "2026-03-15"),
                Fixture.payment("P1", "C1", amount: 100_00, date: "2026-04-10"),
            ], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let april = ReportPeriod(from: Fixture.day("2026-04-01"), to: Fixture.day("2026-04-30"))!
        let facts = try await store.collectionFacts(organisationID: "acme", period: april)
        let collected = facts.collections.map {
            "\($0.allocation.paymentID) \($0.allocation.invoiceNumber) \($0.allocation.amount.minorUnits) "
                + "\($0.allocation.date) due \($0.dueDate) \($0.customerID)"
        }
        try check(
            collected == [
                "P1 INV-1 8000 2026-04-10 due 2026-03-31 C1", "P1 INV-2 2000 2026-04-10 due 2026-04-15 C1",
            ], "April's allocations, got \(collected)")
        let contacts = facts.contacts.map {
            "\($0.id == ids["a"] ? "a" : $0.id == ids["b"] ? "b" : "?") \($0.status.rawValue) \($0.channel.rawValue) "
                + "\($0.date) \($0.steps.map(\.invoiceNumber).joined(separator: ","))"
        }
        try check(
            contacts == ["a sent email 2026-04-05 INV-1", "b done call 2026-04-06 INV-2,INV-3"],
            "the contacts that went out about INV-1 and INV-2 by April's end, got \(contacts)")
    }

    /// Timeline pages of any size walk every account's entries, customer by customer, in sequence.
    public static func timelinePagesWalkEveryAccountInOrder(_ store: any ReportingStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2"])
        _ = try await store.importInvoices(
            [
                Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 10_00),
                Fixture.invoice("INV-2", "C2", due: "2026-03-31", total: 10_00),
            ], organisationID: "acme", context: Fixture.on("2026-03-02"))
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C2", amount: 10_00)], organisationID: "acme", context: Fixture.on("2026-04-10"))
        var expected: [TimelineEntry] = []
        for customer in ["C1", "C2"] {
            expected += try await store.timeline(organisationID: "acme", customerID: customer)
        }
        for size in [1, 2, 100] {
            var paged: [TimelineEntry] = []
            var after: TimelinePageKey?
            while true {
                let page = try await store.timelineEntries(
                    organisationID: "acme", customerID: nil, after: after, limit: size)
                paged += page
                guard let last = page.last else { break }
                after = TimelinePageKey(customerID: last.customerID, sequence: last.sequence)
            }
            try check(paged == expected, "pages of \(size) give every entry once, in order")
        }
        let second = try await store.timelineEntries(organisationID: "acme", customerID: "C2", after: nil, limit: 100)
        try check(second == (try await store.timeline(organisationID: "acme", customerID: "C2")), "C2's entries only")
    }

    /// Another organisation's invoices, promises, payments, actions and timelines never show in a report.
    public static func reportsNeverCrossOrganisations(_ store: any ReportingStore) async throws {
        for id in ["acme", "globex"] {
            try await Fixture.ledger(store, id)
            try await store.recordPromise(
                PromiseToPay(
                    id: "PRM-1", invoiceNumbers: ["INV-1"], amount: Fixture.eur(10_00),
                    promisedDate: Fixture.day("2026-04-20"), madeOn: Fixture.day("2026-04-05")),
                organisationID: id, context: Fixture.on("2026-04-05"))
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k", date: "2026-04-05")], cancellations: [],
                organisationID: id, context: Fixture.on("2026-04-05"))
        }
        let sent = try await store.actions(organisationID: "globex", customerID: nil)[0].id
        try await store.updateActionStatus(
            id: sent, to: .sent, organisationID: "globex", context: Fixture.on("2026-04-05"))
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 30_00, date: "2026-04-10")], organisationID: "globex",
            context: Fixture.on("2026-04-10"))
        let histories = try await store.invoiceHistories(
            organisationID: "acme", customerID: nil, through: nil, after: nil, limit: 100)
        try check(histories.count == 4 && histories.allSatisfy { $0.allocations.isEmpty }, "acme's own invoices")
        let promises = try await store.promiseHistories(
            organisationID: "acme", customerID: nil, through: Fixture.day("2026-12-31"))
        try check(promises.count == 1 && promises[0].receipts.isEmpty, "acme's promise, without globex's money")
        let april = ReportPeriod(from: Fixture.day("2026-04-01"), to: Fixture.day("2026-04-30"))!
        let facts = try await store.collectionFacts(organisationID: "acme", period: april)
        try check(facts.collections.isEmpty && facts.contacts.isEmpty, "nothing collected or sent at acme")
        let globexFacts = try await store.collectionFacts(organisationID: "globex", period: april)
        try check(globexFacts.collections.count == 1 && globexFacts.contacts.count == 1, "globex's own")
        let entries = try await store.timelineEntries(organisationID: "acme", customerID: nil, after: nil, limit: 1000)
        try check(!entries.contains { $0.timelineKind == .paymentRecorded }, "acme's timeline has no globex payment")
    }

    private static func check(_ condition: Bool, _ what: String) throws {
        guard condition else { throw ContractViolation("expected: \(what)") }
    }
}
