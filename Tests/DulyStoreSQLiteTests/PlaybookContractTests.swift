import DulyStoreTesting
import Testing

/// The adopted playbook's part of the storage contract, run against a real SQLite file per case.
@Suite struct PlaybookContractTests {
    @Test("The SQLite store keeps the playbook contract", arguments: PlaybookContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: PlaybookContract.allCases) { $0 }
    }
}
