import DulyStoreTesting
import Testing

@Suite(.enabled(if: TestServer.configured)) struct StatementContractTests {
    @Test("The PostgreSQL store keeps the statement contract", arguments: StatementContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: StatementContract.allCases) { $0 }
    }
}
