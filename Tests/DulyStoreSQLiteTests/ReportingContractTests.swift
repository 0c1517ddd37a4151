import DulyStoreTesting
import Testing

/// The reporting reads of the storage contract, run against a real SQLite file per case.
@Suite struct ReportingContractTests {
    @Test("The SQLite store keeps the reporting contract", arguments: ReportingContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: ReportingContract.allCases) { $0 }
    }
}
