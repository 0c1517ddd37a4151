import DulyStore
import DulyStorePostgres
import DulyStoreTesting
import Testing

/// What every backend must keep when writes meet (docs/ARCHITECTURE.md, "Isolation"), on PostgreSQL's many writers.
@Suite(.enabled(if: TestServer.configured)) struct ConcurrencyContractTests {
    @Test("The PostgreSQL store keeps the concurrency contract", arguments: ConcurrencyContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: ConcurrencyContract.allCases) { $0 }
    }
}
