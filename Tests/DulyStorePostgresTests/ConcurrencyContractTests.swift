import DulyStore
import DulyStorePostgres
import DulyStoreTesting
import Testing

// With every group merged the PostgreSQL store implements every store protocol; the conformance is declared here
// until the composition root takes PostgreSQL URLs (docs/POSTGRES.md, "What is being built", 2), which declares it
// in DulyStorePostgres: then this line goes.
extension PostgresStore: StoreBackend {}

/// What every backend must keep when writes meet (docs/ARCHITECTURE.md, "Isolation"), on PostgreSQL's many writers.

@Suite(.enabled(if: TestServer.configured)) struct ConcurrencyContractTests {
    @Test("The PostgreSQL store keeps the concurrency contract", arguments: ConcurrencyContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: ConcurrencyContract.allCases) { $0 }
    }
}
