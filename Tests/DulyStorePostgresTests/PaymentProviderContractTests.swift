import DulyStoreTesting
import Testing

/// The payment providers' part of the storage contract, on a fresh PostgreSQL database per case.
@Suite(.enabled(if: TestServer.configured)) struct PaymentProviderContractTests {
    @Test(
        "The PostgreSQL store keeps the payment providers' contract",
        arguments: PaymentProviderContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: PaymentProviderContract.allCases) { $0 }
    }
}
