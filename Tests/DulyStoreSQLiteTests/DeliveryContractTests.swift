import DulyStore
import DulyStoreTesting
import Testing

@testable import DulyStoreSQLite

/// The outbox's part of the storage contract, run against a real SQLite file per case.
@Suite struct DeliveryContractTests {
    @Test("The SQLite store keeps the delivery contract", arguments: DeliveryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        let contractCase = try #require(DeliveryContract.allCases.first { $0.name == name })
        try await TemporaryStore.with { store, _ in
            do {
                try await contractCase.run(store)
            } catch let violation as ContractViolation {
                Issue.record("\(name): \(violation.message)")
            }
        }
    }
}
