import Foundation
import Testing

/// Item 10 of issue 9: promises and disputes that cannot be true are refused in one line that says why, and a
/// negative amount is read as an amount (and refused), not as a missing value.
@Suite("Inputs that are refused")
struct RefusedInputTests {
    /// One client, INV-1 of EUR 100.00 due 2026-01-31, overdue on 2026-03-02.
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        return duly
    }

    private func promise(_ duly: DulyProcess, _ extra: [String]) throws -> DulyProcess.Outcome {
        try duly.run(["promise", "add", "C1", "--invoice", "INV-1", "--as-of", "2026-03-02"] + extra)
    }

    @Test func aPromiseDatedBeforeTheDayItIsRecordedIsRefused() throws {
        let duly = try ledger()
        let refused = try promise(duly, ["--date", "2026-03-01"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the promised date 2026-03-01 is before 2026-03-02, the day it is recorded"))
        #expect(try duly.run(["promise", "list", "--as-of", "2026-03-20"]).output.contains("No promises."))
    }

    @Test func aPromiseForTheDayItIsRecordedIsAccepted() throws {
        let duly = try ledger()
        let accepted = try promise(duly, ["--date", "2026-03-02"])
        #expect(accepted.status == 0, "\(accepted.errors)")
    }

    @Test func aPromiseLargerThanWhatIsOpenIsRefused() throws {
        let duly = try ledger()
        let refused = try promise(duly, ["--date", "2026-03-10", "--amount", "150.00"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the promise of EUR 150.00 is more than the EUR 100.00 open on INV-1"))
    }

    @Test func aDisputeLargerThanTheInvoicesOpenAmountIsRefused() throws {
        let duly = try ledger()
        let refused = try duly.run([
            "dispute", "open", "INV-1", "--reason", "too dear", "--amount", "180.00", "--as-of", "2026-03-02",
        ])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the dispute of EUR 180.00 is more than the EUR 100.00 open on INV-1"))
        #expect(try duly.run(["dispute", "list", "--as-of", "2026-03-02"]).output.contains("No disputes."))
    }

    @Test(arguments: [
        ["promise", "add", "C1", "--invoice", "INV-1", "--date", "2026-03-10", "--amount", "-100.00"],
        ["dispute", "open", "INV-1", "--reason", "too dear", "--amount", "-100.00"],
        ["settle", "INV-1", "--agreed-amount", "-100.00", "--reason", "deal", "--approved-by", "mia"],
    ])
    func aNegativeAmountIsReadAndRefusedAsNotPositive(_ arguments: [String]) throws {
        let duly = try ledger()
        let refused = try duly.run(arguments + ["--as-of", "2026-03-02"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the amount must be positive"), "\(refused.errors)")
        #expect(!refused.errors.contains("Missing value"))
    }
}

/// Item 10 of issue 9: a promise recorded by mistake has a way out, on the record.
@Suite("Withdrawing a promise")
struct PromiseWithdrawalTests {
    private func jsonLines(_ outcome: DulyProcess.Outcome) throws -> [[String: Any]] {
        try outcome.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func aWithdrawnPromiseIsNeitherKeptNorBrokenAndLeavesTheKeptRate() throws {
        // Given a promise recorded by mistake on 2 March for 6 March, never paid
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        try #require(
            try duly.run([
                "promise", "add", "C1", "--invoice", "INV-1", "--date", "2026-03-06", "--id", "PRM-X",
                "--as-of", "2026-03-02",
            ]).status == 0)

        // When it is withdrawn on 3 March
        let withdrawn = try duly.run([
            "promise", "withdraw", "PRM-X", "--by", "mia", "--reason", "recorded on the wrong client",
            "--as-of", "2026-03-03",
        ])
        #expect(withdrawn.status == 0, "\(withdrawn.errors)")

        // Then it is listed as withdrawn, counts neither way, and the timeline says who and why
        let listed = try jsonLines(try duly.run(["promise", "list", "--json", "--as-of", "2026-03-20"]))
        #expect(listed.map { $0["state"] as? String } == ["withdrawn"])
        #expect(listed.first?["withdrawn_by"] as? String == "mia")
        let readable = try duly.run(["promise", "list", "--as-of", "2026-03-20"])
        #expect(readable.lines.contains { $0.hasPrefix("PRM-X") && $0.hasSuffix("withdrawn on 2026-03-03 by mia") })
        #expect(!readable.output.contains("broken"))
        let kpi = try duly.run(["report", "promises", "--from", "2026-03-01", "--to", "2026-03-31", "--json"])
        #expect(kpi.output.contains("\"overall\":{\"broken\":0,\"kept\":0"), "\(kpi.output)")
        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.output.contains("withdrawn by mia: recorded on the wrong client"))
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
    }

    @Test func aWithdrawnPromiseNoLongerPausesTheChase() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        try #require(
            try duly.run([
                "promise", "add", "C1", "--invoice", "INV-1", "--date", "2026-03-30", "--id", "PRM-X",
                "--as-of", "2026-03-02",
            ]).status == 0)
        let paused = try duly.run(["run", "--as-of", "2026-03-03", "--dry-run", "--json"])
        try #require(
            try duly.run(["promise", "withdraw", "PRM-X", "--by", "mia", "--reason", "typo", "--as-of", "2026-03-03"])
                .status == 0)
        let resumed = try duly.run(["run", "--as-of", "2026-03-03", "--dry-run", "--json"])
        #expect(paused.output != resumed.output)
        #expect(resumed.output.contains("INV-1"))
    }

    @Test func aPromiseIsWithdrawnOnceAndOnlyWithAReason() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        try #require(
            try duly.run([
                "promise", "add", "C1", "--invoice", "INV-1", "--date", "2026-03-30", "--id", "PRM-X",
                "--as-of", "2026-03-02",
            ]).status == 0)
        let noReason = try duly.run(["promise", "withdraw", "PRM-X", "--by", "mia", "--reason", " "])
        #expect(noReason.status != 0)
        #expect(noReason.errors.contains("say why the promise is withdrawn"))
        #expect(
            try duly.run(["promise", "withdraw", "PRM-X", "--by", "mia", "--reason", "typo", "--as-of", "2026-03-03"])
                .status == 0)
        let again = try duly.run(["promise", "withdraw", "PRM-X", "--by", "mia", "--reason", "typo"])
        #expect(again.status != 0)
        #expect(again.errors.contains("was withdrawn on 2026-03-03 already"))
        let unknown = try duly.run(["promise", "withdraw", "PRM-NONE", "--by", "mia", "--reason", "typo"])
        #expect(unknown.errors.contains("no promise 'PRM-NONE'"))
    }
}
