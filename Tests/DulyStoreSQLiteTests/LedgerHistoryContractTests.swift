import DulyStoreTesting
import Testing

/// The ledger-history part of the storage contract, run against a real SQLite file per case.
@Suite struct LedgerHistoryContractTests {
    @Test("The SQLite store keeps the ledger-history contract", arguments: LedgerHistoryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: LedgerHistoryContract.allCases) { $0 }
    }
}
