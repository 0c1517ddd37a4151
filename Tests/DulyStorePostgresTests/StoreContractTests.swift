import DulyStoreTesting
import Testing

@Suite(.enabled(if: TestServer.configured)) struct StoreContractTests {
    @Test("The PostgreSQL store keeps the store contract", arguments: StoreContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: StoreContract.allCases) { $0 }
    }
}
