import DulyStoreTesting
import Testing

/// The template part of the storage contract, on a fresh migrated PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct TemplateContractTests {
    @Test("The PostgreSQL store keeps the template contract", arguments: TemplateContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: TemplateContract.allCases) { $0 }
    }
}
