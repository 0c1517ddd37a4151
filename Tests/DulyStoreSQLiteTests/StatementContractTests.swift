import DulyStoreTesting
import Testing

/// The statement part of the storage contract, run against a real SQLite file per case.
@Suite struct StatementContractTests {
    @Test("The SQLite store keeps the statement contract", arguments: StatementContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: StatementContract.allCases) { $0 }
    }
}
