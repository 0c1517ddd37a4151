import DulyCore
import DulyStore

/// The streamed-import part of the storage contract (`BatchedImportStore`): whatever the batches, a streamed import
/// stores what one call stores, reports every refusal, and writes nothing when it is refused. As cases any test
/// framework can run.
public enum BatchedImportContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any BatchedImportStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("streamedInvoicesAreStoredAsOneCallStoresThem", streamedInvoicesAreStoredAsOneCallStoresThem),
        ("streamedPaymentsAllocateAsOneCallDoes", streamedPaymentsAllocateAsOneCallDoes),
        ("aRefusalInTheLastBatchIsReportedAndNothingIsWritten", aRefusalInTheLastBatchIsReportedAndNothingIsWritten),
        ("batchesAfterARefusalAreCheckedButNotWritten", batchesAfterARefusalAreCheckedButNotWritten),
        ("invoiceBatchesAreOneTransaction", invoiceBatchesAreOneTransaction),
    ]

    /// Invoices streamed in batches of three into one organisation and imported in one call into another come back
    /// the same, with the same summary and one timeline entry per customer.
    public static func streamedInvoicesAreStoredAsOneCallStoresThem(_ store: any BatchedImportStore) async throws {
        try await seed(store, "streamed")
        try await seed(store, "whole")
        let feed = Feed(invoices(), batch: 3)
        let streamed = try await store.importInvoices(
            from: feed, organisationID: "streamed", context: Fixture.on("2026-03-02"))
        let whole = try await store.importInvoices(
            invoices(), organisationID: "whole", context: Fixture.on("2026-03-02"))
        try check(streamed == whole && streamed == ImportSummary(inserted: 40), "the summaries, got \(streamed)")
        try check(feed.refused.isEmpty, "nothing refused, got \(feed.refused)")
        try check(
            try await ledger(store, "streamed") == ledger(store, "whole"),
            "the invoices and their balances are the same")
        for customer in customers {
            let entries = try await store.timeline(organisationID: "streamed", customerID: customer).count
            let expected = try await store.timeline(organisationID: "whole", customerID: customer).count
            try check(entries == expected, "\(customer)'s timeline has \(entries) entries, one call writes \(expected)")
        }
        let again = try await store.importInvoices(
            from: Feed(invoices(), batch: 7), organisationID: "streamed", context: Fixture.on("2026-03-03"))
        try check(again == ImportSummary(unchanged: 40), "streamed again, nothing changes; got \(again)")
    }

    /// Payments streamed in batches allocate as one call allocates them, and their totals are those of every
    /// payment's outcome.
    public static func streamedPaymentsAllocateAsOneCallDoes(_ store: any BatchedImportStore) async throws {
        for organisation in ["streamed", "whole"] {
            try await seed(store, organisation)
            _ = try await store.importInvoices(
                invoices(), organisationID: organisation, context: Fixture.on("2026-03-02"))
        }
        // Payments that pay in full, in part, earn a discount, and one far more than is open.
        let payments =
            payments(paying: invoices()) + [Fixture.payment("P-ALL", "C1", amount: 1_000_000_00, invoice: "INV-1")]
        let streamed = try await store.importPayments(
            from: Feed(payments, batch: 5), organisationID: "streamed", context: Fixture.on("2026-03-02"),
            keepingOutcomes: false)
        let whole = try await store.importPayments(
            payments, organisationID: "whole", context: Fixture.on("2026-03-02"))
        try check(streamed.summary.inserted == whole.inserted, "as many payments stored")
        try check(
            try await ledger(store, "streamed") == ledger(store, "whole"), "every invoice paid as one call pays it")
        var expected = PaymentTotals(whole.payments)
        expected.outcomes = nil
        try check(streamed.totals == expected, "the totals are those of the outcomes, got \(streamed.totals)")
        try check(!expected.noted.isEmpty && !expected.credit.isEmpty, "some payments need a word, one left credit")
    }

    /// A refusal in the very last record of the last batch is reported by its place in that batch, and the feed
    /// refusing at the end leaves no invoice and no timeline entry.
    public static func aRefusalInTheLastBatchIsReportedAndNothingIsWritten(
        _ store: any BatchedImportStore
    ) async throws {
        try await seed(store, "acme")
        let entries = try await timelineCount(store)
        var invoices = invoices()
        invoices[39].customerID = "C9"
        let feed = Feed(invoices, batch: 7, refusesAtTheEnd: true)
        do {
            _ = try await store.importInvoices(from: feed, organisationID: "acme", context: Fixture.on("2026-03-02"))
            throw ContractViolation("an import the feed refused was kept")
        } catch is Feed<Invoice>.Refused {}
        try check(feed.refused.map(\.index) == [39 % 7], "the last record of the last batch, got \(feed.refused)")
        try check(feed.refused.map(\.kind) == [.unknownCustomer], "refused as an unknown customer")
        try check(feed.batchesAfterRefusal == 0, "no batch after the last")
        try check(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).isEmpty,
            "no invoice written")
        try check(try await timelineCount(store) == entries, "no timeline entry written")
    }

    /// Once a batch is refused, the batches after it are still checked, so every refusal is reported, and nothing
    /// is written.
    public static func batchesAfterARefusalAreCheckedButNotWritten(_ store: any BatchedImportStore) async throws {
        try await seed(store, "acme")
        _ = try await store.importInvoices(invoices(), organisationID: "acme", context: Fixture.on("2026-03-02"))
        var payments = payments(paying: invoices())
        payments[0].invoiceNumber = "INV-404"
        payments[11].invoiceNumber = invoices()[0].number
        payments[11].customerID = "C4"
        let feed = Feed(payments, batch: 4, refusesAtTheEnd: true)
        do {
            _ = try await store.importPayments(
                from: feed, organisationID: "acme", context: Fixture.on("2026-03-02"), keepingOutcomes: false)
            throw ContractViolation("a payments import the feed refused was kept")
        } catch is Feed<Payment>.Refused {}
        try check(
            feed.refused.map(\.kind) == [.unknownInvoice, .unknownInvoice],
            "both refusals, from the first batch and the last; got \(feed.refused)")
        try check(feed.batchesAfterRefusal == 2, "the two batches after the refusal are read")
        let paid = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
            .filter { $0.paid.minorUnits != 0 }
        try check(paid.isEmpty, "no payment written, got \(paid.map(\.invoice.number)) paid")
    }

    /// Batches handed to `importInvoiceBatches` are one transaction: an error reading the third batch leaves nothing of
    /// the first two; without it, all are stored, and once only.
    public static func invoiceBatchesAreOneTransaction(_ store: any BatchedImportStore) async throws {
        try await seed(store, "acme")
        let broken = Feed(invoices(), batch: 10, failingAt: 3)
        do {
            _ = try await store.importInvoiceBatches(
                organisationID: "acme", context: Fixture.on("2026-03-02"), next: { try broken.next() })
            throw ContractViolation("batches whose source failed were kept")
        } catch let violation as ContractViolation {
            throw violation
        } catch {
            // How the source's error comes back is the backend's to choose; that it comes back is the contract.
        }
        try check(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).isEmpty,
            "nothing of the batches before the failure")
        let feed = Feed(invoices(), batch: 10)
        let first = try await store.importInvoiceBatches(
            organisationID: "acme", context: Fixture.on("2026-03-02"), next: { try feed.next() })
        try check(first == ImportSummary(inserted: 40), "every batch stored, got \(first)")
        let again = Feed(invoices(), batch: 10)
        let second = try await store.importInvoiceBatches(
            organisationID: "acme", context: Fixture.on("2026-03-03"), next: { try again.next() })
        try check(second == ImportSummary(unchanged: 40), "stored once, got \(second)")
    }

    // MARK: - A small ledger

    static let customers = ["C1", "C2", "C3", "C4"]

    private static func seed(_ store: any BatchedImportStore, _ organisationID: String) async throws {
        try await Fixture.seed(store, organisationID, customers: customers)
    }

    /// Forty invoices of four customers, some with an early-payment discount.
    static func invoices() -> [Invoice] {
        let discount = PaymentTerms.earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30)
        return (0..<40).map { index in
            Fixture.invoice(
                index == 0 ? "INV-1" : "INV-\(1000 - index)", customers[index % 4],
                due: Fixture.day("2026-03-02").adding(days: -30 + index).description, total: 100_00 + index * 10_00,
                terms: index % 5 == 0 ? discount : .net(days: 30))
        }
    }

    /// Twelve payments of every third invoice of `invoices`' first 34: they name their invoice or none, pay too much,
    /// or earn a 2% discount. Shared with the SQLite tests' own ledger.
    public static func payments(paying invoices: [Invoice]) -> [Payment] {
        (0..<12).map { index in
            let invoice = invoices[index * 3]
            let amount = index % 4 == 0 ? invoice.total.minorUnits * 98 / 100 : invoice.total.minorUnits + index
            return Fixture.payment(
                "P\(100 - index)", invoice.customerID, amount: amount, currency: invoice.total.currency,
                date: invoice.issueDate.adding(days: 5).description, reference: "Payment \(invoice.number)",
                invoice: index % 3 == 0 ? nil : invoice.number)
        }
    }

    /// Every invoice with what was paid and credited on it, by number.
    private static func ledger(_ store: any BatchedImportStore, _ organisationID: String) async throws -> [String] {
        try await store.invoices(organisationID: organisationID, customerID: nil, openOnly: false)
            .map { "\($0.invoice) paid \($0.paid.minorUnits) credited \($0.credited.minorUnits)" }.sorted()
    }

    private static func timelineCount(_ store: any BatchedImportStore) async throws -> Int {
        var count = 0
        for customer in customers {
            count += try await store.timeline(organisationID: "acme", customerID: customer).count
        }
        return count
    }
}

/// An array handed out in batches of `batch`, remembering what the store refused. With `refusesAtTheEnd` it throws
/// `Refused` once the records run out if anything was refused, as the CLI does; with `failingAt` it throws `Failed`
/// when asked for that batch (1-based), as a file that cannot be read further would.
public final class Feed<Record: Sendable>: ImportFeed, @unchecked Sendable {
    /// Thrown at the end when a record was refused.
    public struct Refused: Error {}
    /// Thrown when asked for the batch `failingAt`.
    public struct Failed: Error {}

    private var records: ArraySlice<Record>
    private let batch: Int
    private let refusesAtTheEnd: Bool
    private let failingAt: Int?
    private var handedOut = 0
    /// What the store refused, in the order it said so.
    public private(set) var refused: [ImportRefusal] = []
    /// The batches handed out after the first refusal.
    public private(set) var batchesAfterRefusal = 0

    /// A feed of `records` in batches of `batch`.
    public init(_ records: [Record], batch: Int, refusesAtTheEnd: Bool = false, failingAt: Int? = nil) {
        self.records = records[...]
        self.batch = batch
        self.refusesAtTheEnd = refusesAtTheEnd
        self.failingAt = failingAt
    }

    public func next() throws -> [Record]? {
        handedOut += 1
        if handedOut == failingAt { throw Failed() }
        guard !records.isEmpty else {
            if refusesAtTheEnd && !refused.isEmpty { throw Refused() }
            return nil
        }
        if !refused.isEmpty { batchesAfterRefusal += 1 }
        defer { records = records.dropFirst(batch) }
        return Array(records.prefix(batch))
    }

    public func refuse(_ refusals: [ImportRefusal]) { refused += refusals }

    public var writes: Bool { refused.isEmpty }
}
