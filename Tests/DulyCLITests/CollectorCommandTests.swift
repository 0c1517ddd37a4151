import Foundation
import Testing

/// The collector's tools end to end: promises, plans, disputes, settlements, write-offs and approvals, each
/// through the `duly` binary on a real SQLite file.
@Suite struct CollectorCommandTests {
    /// One client with three overdue invoices of 100.00.
    func ledger(_ duly: DulyProcess) throws {
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let more = try duly.write(
            "more.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "INV-2,C1,2026-01-01,2026-01-31,EUR,100.00,net 30,\n"
                + "INV-3,C1,2026-01-01,2026-01-31,EUR,100.00,net 30,\n")
        try #require(try duly.run(["import", "invoices", more]).status == 0)
    }

    func jsonLines(_ outcome: DulyProcess.Outcome) throws -> [[String: Any]] {
        try outcome.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func openAmounts(_ duly: DulyProcess, asOf: String) throws -> [String: String] {
        let listed = try duly.run(["invoices", "--json", "--as-of", asOf])
        var amounts: [String: String] = [:]
        for line in try jsonLines(listed) {
            amounts[line["invoice_number"] as? String ?? "?"] = "\(line["open"] ?? "?") \(line["stage"] ?? "?")"
        }
        return amounts
    }

    @Test func promisesPlansDisputesAndEndStatesDriveTheChase() throws {
        let duly = try DulyProcess()
        try ledger(duly)

        // A promise made on a call, broken: the list says so and the client's kept rate is 0 %.
        let promised = try duly.run([
            "promise", "add", "C1", "--invoice", "INV-1", "--amount", "100.00", "--date", "2026-03-06",
            "--channel", "call", "--promised-by", "Ann", "--as-of", "2026-03-02",
        ])
        #expect(promised.status == 0, "\(promised.errors)")
        let live = try jsonLines(try duly.run(["promise", "list", "--json", "--as-of", "2026-03-04"]))
        #expect(live.map { $0["state"] as? String } == ["live"])
        #expect(live.first?["promised_by"] as? String == "Ann")
        // A part payment counts for what it is; only the whole amount keeps the promise.
        let part = try duly.write(
            "part.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\nPAY-1,C1,2026-03-05,EUR,40.00,,INV-1\n"
        )
        #expect(try duly.run(["import", "payments", part]).status == 0)
        let partial = try jsonLines(try duly.run(["promise", "list", "--json", "--as-of", "2026-03-16"]))
        #expect(partial.first?["received"] as? String == "40.00")
        #expect(partial.first?["state"] as? String == "broken")
        let broken = try duly.run(["promise", "list", "--as-of", "2026-03-16"])
        #expect(broken.output.contains("broken"))
        #expect(broken.output.contains("C1: 0 % (0 kept, 1 broken)"))

        // A dispute on part of INV-2 shows on the worklist with its age, then is settled at an agreed amount.
        let disputed = try duly.run([
            "dispute", "open", "INV-2", "--reason-code", "quality", "--reason", "scratched panels", "--amount",
            "30.00", "--owner", "sam", "--as-of", "2026-03-02",
        ])
        #expect(disputed.status == 0, "\(disputed.errors)")
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-09"])
        let disputeLine = try #require(worklist.lines.first { $0.hasPrefix("DSP-INV-2-2026-03-02") })
        #expect(disputeLine.contains("quality: scratched panels"))
        #expect(disputeLine.contains(" 7 "))
        let disputeTask = try #require(
            try jsonLines(try duly.run(["worklist", "--json", "--as-of", "2026-03-09"])).first {
                $0["kind"] as? String == "dispute"
            })
        #expect(disputeTask["age_days"] as? Int == 7)
        #expect(disputeTask["invoice_numbers"] as? [String] == ["INV-2"])
        let settleWithoutApprover = try duly.run([
            "dispute", "resolve", "DSP-INV-2-2026-03-02", "--outcome", "settled", "--agreed-amount", "80.00",
        ])
        #expect(settleWithoutApprover.status != 0)
        #expect(settleWithoutApprover.errors.contains("--approved-by"))
        let settled = try duly.run([
            "dispute", "resolve", "DSP-INV-2-2026-03-02", "--outcome", "settled", "--agreed-amount", "80.00",
            "--approved-by", "mia", "--note", "met halfway", "--as-of", "2026-03-10",
        ])
        #expect(settled.status == 0, "\(settled.errors)")
        #expect(try openAmounts(duly, asOf: "2026-03-10")["INV-2"]?.hasPrefix("80.00") == true)

        // A plan proposed by the client pauses nothing until accepted; accepted, its dates drive the reminders.
        let proposed = try duly.run([
            "plan", "propose", "C1", "--invoice", "INV-3", "--instalment", "2026-04-01=50.00", "--instalment",
            "2026-05-01=50.00", "--proposed-by", "client", "--as-of", "2026-03-10",
        ])
        #expect(proposed.status == 0, "\(proposed.errors)")
        #expect(try openAmounts(duly, asOf: "2026-03-11")["INV-3"]?.hasSuffix("on_plan") == false)
        #expect(try duly.run(["plan", "accept", "PLN-C1-2026-03-10", "--as-of", "2026-03-11"]).status == 0)
        #expect(try openAmounts(duly, asOf: "2026-03-12")["INV-3"]?.hasSuffix("on_plan") == true)
        #expect(try duly.run(["plan", "accept", "PLN-C1-2026-03-10", "--as-of", "2026-03-12"]).status != 0)
        // Monday 30 March is within three days of the first instalment (Wednesday 1 April), but INV-1 and INV-2 are
        // chased that day: the client hears one voice, and the reminder follows on Tuesday.
        let run = try jsonLines(try duly.run(["run", "--as-of", "2026-03-30", "--json"]))
        #expect(!run.isEmpty && !run.contains { ($0["step"] as? String) == "instalment_reminder" })
        let tuesday = try jsonLines(try duly.run(["run", "--as-of", "2026-03-31", "--json"]))
        let reminder = try #require(tuesday.first { ($0["step"] as? String) == "instalment_reminder" })
        #expect(reminder["invoice_numbers"] as? [String] == ["INV-3"])

        // A write-off needs a reason and an approver, and ends the invoice.
        #expect(try duly.run(["write-off", "INV-1", "--reason", "insolvent"]).status != 0)
        let writtenOff = try duly.run([
            "write-off", "INV-1", "--reason", "insolvent", "--approved-by", "mia", "--as-of", "2026-03-31",
        ])
        #expect(writtenOff.status == 0, "\(writtenOff.errors)")
        #expect(try openAmounts(duly, asOf: "2026-03-31")["INV-1"] == "0.00 written_off")
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
    }

    @Test func externalHandOversWaitForAManagerWhoSeesWhyAndAMonthlyCap() throws {
        let duly = try DulyProcess.studio(
            customers: [
                "C1,Acme,ap@acme.example,+31 20 111 1111,NL,en,Europe/Amsterdam,Ann,",
                "C2,Bolt,ap@bolt.example,+31 20 222 2222,NL,en,Europe/Amsterdam,Bob,",
            ],
            invoices: [
                "A-1,C1,2026-01-01,2026-01-31,EUR,700.00,net 30,", "B-1,C2,2026-01-01,2026-01-31,EUR,900.00,net 30,",
            ])
        // An email, a call, then a hand-over to a lawyer: short, so the test walks it in three days.
        let playbook = try duly.write("short.yaml", TestPlaybook.lawyerHandOver)
        try #require(try duly.run(["playbook", "adopt", playbook]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-03-02"]).status == 0)
        try #require(try duly.run(["deliver", "--as-of", "2026-03-02"]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-03-03"]).status == 0)
        for task in try jsonLines(try duly.run(["worklist", "--json", "--as-of", "2026-03-03"]))
        where task["kind"] as? String == "call" {
            let id = try #require(task["action_id"] as? Int)
            try #require(
                try duly.run(["log-call", String(id), "--outcome", "reached", "--as-of", "2026-03-03"]).status == 0)
        }
        try #require(try duly.run(["run", "--as-of", "2026-03-04"]).status == 0)

        let queue = try jsonLines(
            try duly.run(["approvals", "--json", "--as-of", "2026-03-04"]))
        #expect(queue.count == 2)
        let first = try #require(queue.first)
        #expect(first["escalates_to"] as? String == "lawyer")
        #expect(first["contacts_made"] as? Int == 2)
        #expect(first["channels_used"] as? [String] == ["email", "call"])
        #expect(first["last_resort_met"] as? Bool == true)
        #expect(first["external_escalations_cap"] as? Int == 1)
        let readable = try duly.run(["approvals", "--as-of", "2026-03-04"])
        #expect(readable.output.contains("last resort: met"))

        let ids = try queue.map { try #require($0["action_id"] as? Int) }
        let approved = try duly.run([
            "approve", String(ids[0]), "--by", "mia", "--note", "two contacts, no answer", "--as-of", "2026-03-04",

        ])
        #expect(approved.status == 0, "\(approved.errors)")
        // The cap of one a month is used: the second waits, and says why.
        let capped = try duly.run([
            "approve", String(ids[1]), "--by", "mia", "--as-of", "2026-03-05",
        ])
        #expect(capped.status != 0)
        #expect(capped.errors.contains("1 of at most 1"))
        // A rejection is always possible, and next month the cap is fresh.
        #expect(
            try duly.run(["approve", String(ids[1]), "--by", "mia", "--as-of", "2026-04-01"])
                .status == 0)
        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.output.contains("approved by mia: two contacts, no answer"))
    }
}

/// Escalations need a client actually reached, and a rejected one waits for something to change.
@Suite struct EscalationCommandTests {
    @Test func aRejectedEscalationIsNotProposedAgainUntilThePlaybooksWaitIsOver() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let playbook = try duly.write("short.yaml", TestPlaybook.emailFinalNoticeAwaitingApproval)
        try #require(try duly.run(["playbook", "adopt", playbook]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-03-02"]).status == 0)
        try #require(try duly.run(["deliver", "--as-of", "2026-03-02"]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-03-03"]).status == 0)
        let queue = try duly.run(["approvals", "--json", "--as-of", "2026-03-03"])
        let line = try #require(
            try queue.lines.first.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                ?? nil)
        #expect(line["contacts_made"] as? Int == 1)
        #expect((line["attempts"] as? [String])?.first == "2026-03-02 email first_follow_up: sent")
        let id = try #require(line["action_id"] as? Int)
        let rejected = try duly.run([
            "approve", String(id), "--reject", "--by", "mia", "--note", "never reached them", "--as-of", "2026-03-03",
        ])
        #expect(rejected.status == 0, "\(rejected.errors)")

        // The next working day the same notice is not proposed again, and the worklist says why.
        let nextDay = try duly.run(["run", "--as-of", "2026-03-04"])
        #expect(nextDay.output.contains("0 awaiting approval"), "\(nextDay.output)")
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-04"])
        #expect(worklist.output.contains("Escalations held back"))
        #expect(worklist.output.contains("rejected by a manager"))
        // After the playbook's wait (30 days by default) it may be proposed again.
        let later = try duly.run(["run", "--as-of", "2026-04-02"])
        #expect(later.output.contains("1 awaiting approval"), "\(later.output)")
    }
}

/// A letter needs a postal address: without one it is not planned, and the worklist says so.
@Suite struct LetterCommandTests {
    @Test func aLetterToAClientWithoutAPostalAddressGoesToTheWorklistInstead() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let playbook = try duly.write("letters.yaml", TestPlaybook.letters)
        try #require(try duly.run(["playbook", "adopt", playbook]).status == 0)
        let run = try duly.run(["run", "--as-of", "2026-03-02"])
        #expect(run.output.contains("skipped: no postal address"), "\(run.output)")
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-02"])
        #expect(worklist.output.contains("Not sent this week"))
        #expect(worklist.output.contains("no postal address"))
    }
}

/// `duly simulate` replays without writing: its first day is what `run --dry-run` plans, and nothing changes.
@Suite struct SimulateCommandTests {
    @Test func theSimulationStartsWithWhatTheRunWouldPlanAndWritesNothing() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let dryRun = try duly.run(["run", "--as-of", "2026-03-02", "--dry-run", "--json"])
        let simulated = try duly.run(["simulate", "--from", "2026-03-02", "--to", "2026-04-30", "--json"])
        #expect(simulated.status == 0, "\(simulated.errors)")
        #expect(simulated.lines.first == dryRun.lines.first)
        #expect(simulated.lines.count > 3)
        // A gentler playbook with no escalation tried on the same ledger: its own steps only.
        let gentle = try duly.write(
            "gentle.yaml",
            """
            name: gentle
            steps:
              - id: first_follow_up
                stage: delayed
                offset_days: 3
                channel: email
              - id: second_follow_up
                stage: delayed
                offset_days: 17
                channel: email

            """)
        let tried = try duly.run(["simulate", "--playbook", gentle, "--from", "2026-03-02", "--to", "2026-04-30"])
        #expect(tried.output.contains("Simulated gentle from 2026-03-02 to 2026-04-30"))
        #expect(tried.output.contains("second_follow_up"))
        #expect(!tried.output.contains("final_notice"))
        // Nothing was written: the real run still plans the first step.
        #expect(try duly.run(["run", "--as-of", "2026-03-02", "--dry-run", "--json"]).lines == dryRun.lines)
        #expect(try duly.run(["simulate", "--from", "2026-03-02", "--to", "2026-03-01"]).status != 0)
    }
}
