import DulyStoreTesting
import Testing

/// The payment providers' part of the storage contract, run against a real SQLite file per case.
@Suite struct PaymentProviderContractTests {
    @Test(
        "The SQLite store keeps the payment providers' contract",
        arguments: PaymentProviderContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: PaymentProviderContract.allCases) { $0 }
    }
}
