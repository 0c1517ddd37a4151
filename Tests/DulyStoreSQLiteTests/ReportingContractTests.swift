import DulyStore
import DulyStoreTesting
import Testing

@testable import DulyStoreSQLite

/// The reporting reads of the storage contract, run against a real SQLite file per case.
@Suite struct ReportingContractTests {
    @Test("The SQLite store keeps the reporting contract", arguments: ReportingContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(ReportingContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
    }
}
