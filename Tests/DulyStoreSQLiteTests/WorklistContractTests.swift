import DulyStoreTesting
import Testing

/// The worklist's pages, as the storage contract asks, against a real SQLite file per case.
@Suite struct WorklistContractTests {
    @Test("The SQLite store keeps the worklist contract", arguments: WorklistContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: WorklistContract.allCases) { $0 }
    }
}
