import DulyStoreTesting
import Testing

/// Work shared by several processes on one SQLite file: each batch of the day and each customer's messages go to one.
@Suite struct WorkClaimContractTests {
    @Test("The SQLite store keeps the work-claim contract", arguments: WorkClaimContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TemporaryStore.contractCase(name, of: WorkClaimContract.allCases) { $0 }
    }
}
