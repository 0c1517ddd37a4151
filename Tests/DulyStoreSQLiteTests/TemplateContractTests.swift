import DulyStore
import DulyStoreTesting
import Testing

@testable import DulyStoreSQLite

/// The template-override part of the storage contract, run against a real SQLite file per case.
@Suite struct TemplateContractTests {
    @Test("The SQLite store keeps the template contract", arguments: TemplateContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(TemplateContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
    }
}
