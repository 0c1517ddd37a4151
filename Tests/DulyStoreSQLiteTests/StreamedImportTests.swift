import DulyCore
import DulyStore
import Foundation
import Testing

@testable import DulyStoreSQLite

/// A streamed import checks and writes a file batch by batch in one transaction (`BatchedImportStore`): whatever
/// the batches, it must store what one batch stores, report every refusal, and write nothing when it is refused.
@Suite struct StreamedImportTests {
    static let context = FirstLoadTests.context

    @Test func aStreamedImportInBatchesOfThreeStoresExactlyWhatOneBatchStores() async throws {
        try await TemporaryStore.with { streamed, _ in
            try await TemporaryStore.with { whole, _ in
                // Given the same customers in two stores
                for store in [streamed, whole] { try await FirstLoadTests.seedCustomers(store, organisationID: "acme") }

                // When one imports the ledger in batches of three, the other in one call each
                let invoices = Feed(FirstLoadTests.invoices(), batch: 3)
                let summary = try await streamed.importInvoices(
                    from: invoices, organisationID: "acme", context: Self.context)
                let payments = Feed(FirstLoadTests.payments(), batch: 3)
                let result = try await streamed.importPayments(
                    from: payments, organisationID: "acme", context: Self.context, keepingOutcomes: false)
                let wholeSummary = try await whole.importInvoices(
                    FirstLoadTests.invoices(), organisationID: "acme", context: Self.context)
                let wholePayments = try await whole.importPayments(
                    FirstLoadTests.payments(), organisationID: "acme", context: Self.context)

                // Then every row is the same, and so are the indexes and the figures
                for sql in FirstLoadTests.tables {
                    #expect(try await FirstLoadTests.dump(streamed, sql) == FirstLoadTests.dump(whole, sql), "\(sql)")
                }
                #expect(try await FirstLoadTests.indexes(streamed) == FirstLoadTests.indexes(whole))
                #expect(summary == wholeSummary)
                #expect(result.summary.inserted == wholePayments.inserted)
                #expect(invoices.refused.isEmpty && payments.refused.isEmpty)
            }
        }
    }

    @Test func theTotalsOfAStreamedPaymentsImportAreThoseOfEveryPaymentsOutcome() async throws {
        try await TemporaryStore.with { streamed, _ in
            try await TemporaryStore.with { whole, _ in
                for store in [streamed, whole] {
                    try await FirstLoadTests.seedCustomers(store, organisationID: "acme")
                    _ = try await store.importInvoices(
                        FirstLoadTests.invoices(), organisationID: "acme", context: Self.context)
                }
                // Given payments that pay in full, in part, earn a discount, and one far more than is open
                let payments =
                    FirstLoadTests.payments() + [
                        Payment(
                            id: "P-ALL", customerID: "C1", date: FirstLoadTests.day,
                            amount: Money(minorUnits: 1_000_000_00, currency: FirstLoadTests.euro),
                            invoiceNumber: "INV-1")
                    ]

                // When one store keeps no outcome and the other every one
                let result = try await streamed.importPayments(
                    from: Feed(payments, batch: 5), organisationID: "acme", context: Self.context,
                    keepingOutcomes: false)
                let outcomes = try await whole.importPayments(
                    payments, organisationID: "acme", context: Self.context
                ).payments

                // Then the totals, and the payments that need a word, are the same
                var expected = PaymentTotals(outcomes)
                expected.outcomes = nil
                #expect(result.totals == expected)
                #expect(!expected.noted.isEmpty && !expected.credit.isEmpty)
            }
        }
    }

    @Test func aRefusalInTheLastBatchIsReportedAndLeavesNothingWritten() async throws {
        try await TemporaryStore.with { store, _ in
            try await FirstLoadTests.seedCustomers(store, organisationID: "acme")
            let before = try await FirstLoadTests.indexes(store)
            let entries = try await store.rawValue("SELECT COUNT(*) FROM timeline_entries", as: Int.self)
            // Given invoices whose very last one names a customer Duly does not have
            var invoices = FirstLoadTests.invoices()
            invoices[39].customerID = "C9"
            let feed = Feed(invoices, batch: 7, refusesAtTheEnd: true)

            // When it is imported, the feed refuses it once the file is done
            await #expect(throws: Feed<Invoice>.Refused.self) {
                try await store.importInvoices(from: feed, organisationID: "acme", context: Self.context)
            }

            // Then the refusal names the last record of the last batch, and nothing was written
            #expect(feed.refused.map(\.index) == [39 % 7])
            #expect(feed.refused.map(\.kind) == [.unknownCustomer])
            #expect(feed.batchesAfterRefusal == 0)
            #expect(try await store.rawValue("SELECT COUNT(*) FROM invoices", as: Int.self) == 0)
            #expect(try await store.rawValue("SELECT COUNT(*) FROM timeline_entries", as: Int.self) == entries)
            #expect(try await FirstLoadTests.indexes(store) == before)
        }
    }

    @Test func batchesAfterARefusalAreCheckedButNotWritten() async throws {
        try await TemporaryStore.with { store, _ in
            try await FirstLoadTests.seedCustomers(store, organisationID: "acme")
            _ = try await store.importInvoices(FirstLoadTests.invoices(), organisationID: "acme", context: Self.context)
            // Given payments whose first names an invoice that does not exist and whose last another customer's
            var payments = FirstLoadTests.payments()
            payments[0].invoiceNumber = "INV-404"
            payments[11].invoiceNumber = FirstLoadTests.invoices()[0].number
            payments[11].customerID = "C4"
            let feed = Feed(payments, batch: 4, refusesAtTheEnd: true)

            // When it is imported
            await #expect(throws: Feed<Payment>.Refused.self) {
                try await store.importPayments(
                    from: feed, organisationID: "acme", context: Self.context, keepingOutcomes: false)
            }

            // Then both are reported, from the first batch and the last, and no payment was written
            #expect(feed.refused.map(\.kind) == [.unknownInvoice, .unknownInvoice])
            #expect(feed.batchesAfterRefusal == 2)
            #expect(try await store.rawValue("SELECT COUNT(*) FROM payments", as: Int.self) == 0)
        }
    }
}

/// An array handed out in batches of `batch`, remembering what the store refused; with `refusesAtTheEnd`, it throws
/// once the records run out if anything was refused, as the CLI does.
final class Feed<Record: Sendable>: ImportFeed, @unchecked Sendable {
    struct Refused: Error {}

    private var records: ArraySlice<Record>
    private let batch: Int
    private let refusesAtTheEnd: Bool
    private(set) var refused: [ImportRefusal] = []
    private(set) var batchesAfterRefusal = 0

    init(_ records: [Record], batch: Int, refusesAtTheEnd: Bool = false) {
        self.records = records[...]
        self.batch = batch
        self.refusesAtTheEnd = refusesAtTheEnd
    }

    func next() throws -> [Record]? {
        guard !records.isEmpty else {
            if refusesAtTheEnd && !refused.isEmpty { throw Refused() }
            return nil
        }
        if !refused.isEmpty { batchesAfterRefusal += 1 }
        defer { records = records.dropFirst(batch) }
        return Array(records.prefix(batch))
    }

    func refuse(_ refusals: [ImportRefusal]) { refused += refusals }

    var writes: Bool { refused.isEmpty }
}
