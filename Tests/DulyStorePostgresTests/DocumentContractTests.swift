import DulyStoreTesting
import Testing

/// The document part of the storage contract, on a fresh migrated PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct DocumentContractTests {
    @Test("The PostgreSQL store keeps the document contract", arguments: DocumentContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: DocumentContract.allCases) { $0 }
    }
}
