import DulyStoreTesting
import Testing

/// The collector tools part of the storage contract, run against a real SQLite file per case.
@Suite struct CollectorContractTests {
    @Test("The SQLite store keeps the collector contract", arguments: CollectorContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: CollectorContract.allCases) { $0 }
    }
}
