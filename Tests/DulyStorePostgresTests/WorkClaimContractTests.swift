import DulyStore
import DulyStorePostgres
import DulyStoreTesting
import Testing

/// Work shared by several nodes on one PostgreSQL database (docs/ARCHITECTURE.md, "Many nodes").
@Suite(.enabled(if: TestServer.configured)) struct WorkClaimContractTests {
    @Test("The PostgreSQL store keeps the work-claim contract", arguments: WorkClaimContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: WorkClaimContract.allCases) { $0 }
    }
}
