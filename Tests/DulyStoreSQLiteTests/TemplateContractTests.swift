import DulyStoreTesting
import Testing

/// The template-override part of the storage contract, run against a real SQLite file per case.
@Suite struct TemplateContractTests {
    @Test("The SQLite store keeps the template contract", arguments: TemplateContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: TemplateContract.allCases) { $0 }
    }
}
