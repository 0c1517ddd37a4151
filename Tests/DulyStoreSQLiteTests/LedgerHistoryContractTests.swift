import DulyStore
import DulyStoreTesting
import Testing

@testable import DulyStoreSQLite

/// The ledger-history part of the storage contract, run against a real SQLite file per case.
@Suite struct LedgerHistoryContractTests {
    @Test("The SQLite store keeps the ledger-history contract", arguments: LedgerHistoryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(LedgerHistoryContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
    }
}
