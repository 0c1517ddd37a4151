import DulyStoreTesting
import Testing

/// The worklist part of the storage contract, on a fresh migrated PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct WorklistContractTests {
    @Test("The PostgreSQL store keeps the worklist contract", arguments: WorklistContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: WorklistContract.allCases) { $0 }
    }
}
