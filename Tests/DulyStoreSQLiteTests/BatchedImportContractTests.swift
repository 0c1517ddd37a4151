import DulyStoreTesting
import Testing

/// The batched-import part of the storage contract, run against a real SQLite file per case.
@Suite struct BatchedImportContractTests {
    @Test("The SQLite store keeps the batched-import contract", arguments: BatchedImportContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: BatchedImportContract.allCases) { $0 }
    }
}
