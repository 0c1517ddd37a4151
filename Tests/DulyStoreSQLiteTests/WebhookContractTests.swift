import DulyStoreTesting
import Testing

/// The webhook part of the storage contract, run against a real SQLite file per case.
@Suite struct WebhookContractTests {
    @Test("The SQLite store keeps the webhook contract", arguments: WebhookContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: WebhookContract.allCases) { $0 }
    }
}
