import DulyStore
import Testing

@testable import DulyStoreSQLite

/// The adopted playbook's part of the storage contract, run against a real SQLite file per case.
@Suite struct PlaybookContractTests {
    @Test("The SQLite store keeps the playbook contract", arguments: PlaybookContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(PlaybookContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
    }
}
