import DulyStoreTesting
import Testing

/// The delivery part of the storage contract, on a fresh migrated PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct DeliveryContractTests {
    @Test("The PostgreSQL store keeps the delivery contract", arguments: DeliveryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: DeliveryContract.allCases) { $0 }
    }
}
