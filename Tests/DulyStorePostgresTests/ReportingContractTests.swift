import DulyStoreTesting
import Testing

@Suite(.enabled(if: TestServer.configured)) struct ReportingContractTests {
    @Test("The PostgreSQL store keeps the reporting contract", arguments: ReportingContract.allCases.map(\.name))
    func contractCase(_ name: String) async throws {
        try await TestServer.contractCase(name, of: ReportingContract.allCases) { $0 }
    }
}
