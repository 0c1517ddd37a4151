import DulyStoreTesting
import Testing

/// The webhook part of the storage contract, on a fresh PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct WebhookContractTests {
    @Test("The PostgreSQL store keeps the webhook contract", arguments: WebhookContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: WebhookContract.allCases) { $0 }
    }
}
