import DulyCore
import DulyStore
import DulyStoreTesting
import Foundation
import Testing

@testable import DulyStoreSQLite

/// What only the SQLite file shows of a streamed import (`BatchedImportStore`): the rows and indexes one batch
/// would write. What the protocol shows (summaries, refusals, nothing written when refused) is
/// `BatchedImportContract`'s.
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

    // A first load sets indexes aside and builds them after the rows (`DeferredIndexes`), which only the file shows: a
    // refused streamed import must leave every one of them in place.
    @Test func aRefusedStreamedImportLeavesEveryIndexInPlace() async throws {
        try await TemporaryStore.with { store, _ in
            try await FirstLoadTests.seedCustomers(store, organisationID: "acme")
            let before = try await FirstLoadTests.indexes(store)
            var invoices = FirstLoadTests.invoices()
            invoices[39].customerID = "C9"
            let feed = Feed(invoices, batch: 7, refusesAtTheEnd: true)
            await #expect(throws: Feed<Invoice>.Refused.self) {
                try await store.importInvoices(from: feed, organisationID: "acme", context: Self.context)
            }
            #expect(try await FirstLoadTests.indexes(store) == before)
        }
    }
}
