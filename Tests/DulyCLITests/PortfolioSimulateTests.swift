import Foundation
import Testing

/// `duly simulate --portfolio`: the default playbook against the naive ladder on a generated portfolio, with no
/// database.
@Suite struct PortfolioSimulateTests {
    @Test func thePortfolioComparisonNeedsNoDatabaseAndReportsBothWaysAndTheTarget() throws {
        let duly = try DulyProcess()
        let result = try duly.run(["simulate", "--portfolio", "--seed", "1", "--customers", "60", "--json"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: duly.folder.appendingPathComponent("duly.sqlite").path))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["seed"] as? Int == 1)
        #expect(object["customers"] as? Int == 60)
        let outcomes = try #require(object["outcomes"] as? [[String: Any]])
        #expect(outcomes.map { $0["strategy"] as? String } == ["standard", "naive ladder"])
        let recovered = try #require(outcomes[0]["recovered_by_day"] as? [String: String])
        #expect(Set(recovered.keys) == ["30", "60", "90", "120"])
        #expect(outcomes[0]["contacts_during_disputes"] as? Int == 0)
        let target = try #require(object["target"] as? [String: Any])
        #expect(target["met"] is Bool)
    }

    @Test func theTextTableEndsWithWhetherTheTargetWasMet() throws {
        let duly = try DulyProcess()
        let result = try duly.run(["simulate", "--portfolio", "--seed", "1", "--customers", "60"], database: false)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("contacts during a live dispute"))
        #expect(result.lines.last?.hasPrefix("Target: at least as much by day 60:") == true, "\(result.output)")
    }

    @Test func aPortfolioHasNoLedgerOptions() throws {
        let duly = try DulyProcess()
        let result = try duly.run(["simulate", "--portfolio", "--customer", "C1"], database: false)
        #expect(result.status != 0)
        #expect(result.errors.contains("leave out --to and --customer"))
    }
}
