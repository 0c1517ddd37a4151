import DulyStoreTesting
import Testing

@Suite(.enabled(if: TestServer.configured)) struct PlaybookContractTests {
    @Test("The PostgreSQL store keeps the playbook contract", arguments: PlaybookContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: PlaybookContract.allCases) { $0 }
    }
}
