import DulyStoreTesting
import Testing

/// The document part of the storage contract, run against a real SQLite file per case.
@Suite struct DocumentContractTests {
    @Test("The SQLite store keeps the document contract", arguments: DocumentContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: DocumentContract.allCases) { $0 }
    }
}
