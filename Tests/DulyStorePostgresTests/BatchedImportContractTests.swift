import DulyStoreTesting
import Testing

/// The batched-import part of the storage contract, run against a fresh PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct BatchedImportContractTests {
    @Test(
        "The PostgreSQL store keeps the batched-import contract", arguments: BatchedImportContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: BatchedImportContract.allCases) { $0 }
    }
}
