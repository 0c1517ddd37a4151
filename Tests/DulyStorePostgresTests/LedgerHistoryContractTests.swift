import DulyStoreTesting
import Testing

@Suite(.enabled(if: TestServer.configured)) struct LedgerHistoryContractTests {
    @Test(
        "The PostgreSQL store keeps the ledger-history contract", arguments: LedgerHistoryContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: LedgerHistoryContract.allCases) { $0 }
    }
}
