import DulyStoreTesting
import Testing

/// The collector part of the storage contract, on a fresh migrated PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct CollectorContractTests {
    @Test("The PostgreSQL store keeps the collector contract", arguments: CollectorContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: CollectorContract.allCases) { $0 }
    }
}
