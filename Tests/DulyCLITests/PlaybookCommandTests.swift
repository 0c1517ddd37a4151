import Foundation
import Testing

/// Issue 13: the playbook an organisation adopts is the one every command plans with.
@Suite struct PlaybookCommandTests {
    @Test func anAdoptedPlaybookIsWhatTheRunPlansWithAndIsKeptAsAVersion() throws {
        // Given one client with an invoice due 31 January, and a playbook that writes letters
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let file = try duly.write("letters.yaml", TestPlaybook.letters)
        #expect(try duly.run(["playbook", "history"]).output.contains("plans with the built-in one"))

        // When it is adopted
        let adopted = try duly.run(["playbook", "adopt", file, "--by", "mia", "--as-of", "2026-03-01"])
        #expect(adopted.status == 0, "\(adopted.errors)")
        #expect(adopted.output.contains("Adopted playbook 'letters' as version 1"))

        // Then the run plans its letter, `playbook show` prints it as adopted, and the history keeps it
        let run = try duly.run(["run", "--as-of", "2026-03-02"])
        #expect(run.output.contains("first_follow_up by letter"), "\(run.output)")
        #expect(try duly.run(["playbook", "show"]).output == TestPlaybook.letters)
        let history = try duly.run(["playbook", "history"])
        #expect(history.output.contains("v1  2026-03-01  'letters' by mia (in force)"), "\(history.output)")
    }

    @Test func aFileIsTriedInADryRunAndARealRunRefusesItSayingHowToAdoptIt() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let file = try duly.write("letters.yaml", TestPlaybook.letters)
        let refused = try duly.run(["run", "--as-of", "2026-03-02", "--playbook", file])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--playbook is for a dry run (and duly simulate): adopt the file with"))
        let tried = try duly.run(["run", "--dry-run", "--as-of", "2026-03-02", "--playbook", file])
        #expect(tried.output.contains("first_follow_up by letter"), "\(tried.output)")
        // The dry run wrote nothing, and the built-in playbook still plans by email.
        #expect(try duly.run(["run", "--as-of", "2026-03-02"]).output.contains("by email"))
    }

    @Test func aFileThatDoesNotReadIsNotAdoptedAndNothingChanges() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let broken = try duly.write("broken.yaml", "name: broken\nsteps:\n  - id: x\n    stage: later\n")
        let refused = try duly.run(["playbook", "adopt", broken])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("broken.yaml"))
        #expect(try duly.run(["playbook", "history"]).output.contains("plans with the built-in one"))
    }

    @Test func templatesAreCheckedAgainstTheStepsOfTheAdoptedPlaybook() throws {
        // Given a script for a call that offers no way forward of its own (the collector is on the phone)
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let script = try duly.write("script.txt", "Ask about {{invoice_numbers}} and note what they say.\n")
        let set = ["templates", "set", "second_follow_up", "--language", "en", "--text", script]

        // As the built-in playbook leaves it, a message to the client, it is refused for want of a way forward
        let refused = try duly.run(set)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("no way forward"), "\(refused.errors)")

        // Once the adopted playbook makes it a call script, the same template is accepted
        let playbook = try duly.write(
            "calls.yaml",
            """
            name: calls
            steps:
              - id: second_follow_up
                stage: delayed
                offset_days: 3
                channel: call

            """)
        try #require(try duly.run(["playbook", "adopt", playbook]).status == 0)
        let accepted = try duly.run(set)
        #expect(accepted.status == 0, "\(accepted.errors)")
    }
}
