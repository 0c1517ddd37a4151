import Foundation
import Testing

/// Item 7 of issue 9: with no reference rate for the current half-year, a final notice states no interest figures;
/// `status`, `approvals` and `deliver` say so, with the rate-file line that fixes it.
@Suite("Interest figures that would vanish")
struct MissingRateTests {
    /// An NL organisation (ECB rate, per half-year: the built-in rates end at 2026 H1) and one invoice due
    /// 2026-05-31, non-payment from July 2026.
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-05-01", due: "2026-05-31")
        return duly
    }

    /// A follow-up email, then a final notice by email that waits for a manager.
    private func playbook(_ duly: DulyProcess) throws -> String {
        try duly.write("short.yaml", TestPlaybook.emailFinalNoticeAwaitingApproval)
    }

    private func jsonLines(_ outcome: DulyProcess.Outcome) throws -> [[String: Any]] {
        try outcome.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func statusSaysWhichRateIsMissingAndTheLineToAdd() throws {
        let duly = try ledger()
        let status = try duly.run(["status", "--as-of", "2026-07-06"])
        #expect(status.status == 0, "\(status.errors)")
        #expect(
            status.output.contains(
                "Interest: the ECB main refinancing rate for 2026 H2 (the rate in force on 2026-07-01) is missing"))
        #expect(
            status.output.contains("(final notices, hand-overs) for INV-1 state no interest or compensation figures"))
        #expect(status.output.contains("`ECB,2026-07-01,RATE`"))
        #expect(status.output.contains("--rates"))
    }

    @Test func statusIsQuietOnceTheRateFileHasTheHalfYear() throws {
        let duly = try ledger()
        let rates = try duly.write("my-rates.csv", "reference,valid_from,rate_percent\nECB,2026-07-01,2.15\n")
        let status = try duly.run(["status", "--as-of", "2026-07-06", "--rates", rates])
        #expect(status.status == 0, "\(status.errors)")
        #expect(!status.output.contains("Interest:"))
    }

    @Test func statusIsQuietWhileNothingIsInNonPayment() throws {
        let duly = try ledger()
        let status = try duly.run(["status", "--as-of", "2026-06-10", "--json"])
        let object = try #require(try jsonLines(status).first)
        #expect(object["warnings"] as? [String] == [])
    }

    @Test func approvalsAndDeliverSayTheFinalNoticeHasNoInterestFigures() throws {
        // Given a follow-up sent, then a final notice awaiting approval in July 2026
        let duly = try ledger()
        try #require(try duly.run(["playbook", "adopt", try playbook(duly)]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-06-03"]).status == 0)
        try #require(try duly.run(["deliver", "--as-of", "2026-06-03"]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-07-01"]).status == 0)

        // When the manager looks at the queue, the escalation says its letter will claim no interest
        let queue = try jsonLines(try duly.run(["approvals", "--json", "--as-of", "2026-07-01"]))
        let notice = try #require(queue.first { $0["step"] as? String == "final_notice" })
        let warnings = try #require(notice["interest_warnings"] as? [String])
        #expect(
            warnings.first?.contains(
                "the ECB main refinancing rate for 2026 H2 (the rate in force on 2026-07-01) is missing") == true)
        let readable = try duly.run(["approvals", "--as-of", "2026-07-01"])
        #expect(
            readable.output.contains(
                "Interest: the ECB main refinancing rate for 2026 H2 (the rate in force on 2026-07-01) is missing"))
        #expect(readable.output.contains("`ECB,2026-07-01,RATE`"))

        // Then, approved and delivered, the summary says the message went out without figures
        let id = try #require(notice["action_id"] as? Int)
        try #require(try duly.run(["approve", String(id), "--by", "mia", "--as-of", "2026-07-01"]).status == 0)
        let delivered = try duly.run(["deliver", "--as-of", "2026-07-01"])
        #expect(delivered.status == 0, "\(delivered.errors)")
        #expect(
            delivered.output.contains("1 non-payment message went out without interest figures (1 invoice concerned)"))
        #expect(delivered.output.contains("`ECB,2026-07-01,RATE`"))
    }
}
