import DulyStoreTesting
import Testing

/// The outbox's part of the storage contract, run against a real SQLite file per case.
@Suite struct DeliveryContractTests {
    @Test("The SQLite store keeps the delivery contract", arguments: DeliveryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: DeliveryContract.allCases) { $0 }
    }
}
