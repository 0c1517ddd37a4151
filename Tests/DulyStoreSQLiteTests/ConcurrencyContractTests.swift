import DulyStoreTesting
import Testing

/// Writes that meet, run against a real SQLite file per case: the isolation each write states holds.
@Suite struct ConcurrencyContractTests {
    @Test("The SQLite store keeps the concurrency contract", arguments: ConcurrencyContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: ConcurrencyContract.allCases) { $0 }
    }
}
