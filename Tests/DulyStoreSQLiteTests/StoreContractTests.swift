import DulyStore
import DulyStoreTesting
import Testing

@testable import DulyStoreSQLite

/// The shared storage contract, run against a real SQLite file per case.
@Suite struct StoreContractTests {
    @Test("The SQLite store keeps the storage contract", arguments: StoreContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(StoreContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
            // Whatever the case did, the cached balance columns still equal the sums they cache.
            let drifted = try await store.rawValue(SQLiteStoreTests.driftedBalancesSQL, as: Int.self)
            #expect(drifted == 0, "\(name): invoices whose cached paid or credited amount differs from the sums")
        }
    }
}
