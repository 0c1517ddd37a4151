import Foundation
import Testing

// The command line end to end: the real `duly` binary against a real SQLite file in a temporary folder.

private let customersCSV = """
    customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
    C1,Acme Trading,ap@acme.example,+31 20 555 0100,NL,nl,Europe/Amsterdam,Anna,boss@acme.example
    C2,Globex Ltd,billing@globex.example,,GB,en,Europe/London,Grace,
    C3,Initech GmbH,rechnung@initech.example,+49 30 555 0100,DE,de,Europe/Berlin,Jonas,

    """

// As of Monday 2026-03-09: INV-1 is 4 days late, INV-2 is 120 days late, INV-3 is due in a week, INV-4 is paid.
// A week later, on `runDay`, the built-in playbook has a step for each open one: INV-1 and INV-2 their first
// follow-up, INV-3 its due-day notice.
private let runDay = "2026-03-16"
private let invoicesCSV = """
    invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
    INV-1,C1,2026-02-03,2026-03-05,EUR,1250.00,net 30,PO-7
    INV-2,C1,2025-10-10,2025-11-09,EUR,99.90,net 30,
    INV-3,C2,2026-02-14,,GBP,640.00,net 30,
    INV-4,C3,2026-01-05,2026-02-04,EUR,300.00,net 30,

    """

private let paymentsCSV = """
    payment_id,customer_id,date,currency,amount,reference,invoice_number
    PAY-1,C3,2026-02-03,EUR,300.00,INV-4,INV-4

    """

@Suite("The duly command line")
struct CommandLineTests {
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
        ])
        #expect(created.status == 0, "\(created.errors)")
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV), ("payments", paymentsCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text)])
            #expect(imported.status == 0, "\(kind): \(imported.errors)")
        }
        return duly
    }

    @Test func importingTheSameFilesAgainChangesNothing() throws {
        let duly = try ledger()
        for kind in ["customers", "invoices", "payments"] {
            let again = try duly.run([
                "import", kind, duly.folder.appendingPathComponent("\(kind).csv").path, "--json",
            ])
            #expect(again.status == 0)
            #expect(again.output.contains("\"inserted\":0"), "\(kind): \(again.output)")
            #expect(again.output.contains("\"updated\":0"), "\(kind): \(again.output)")
        }
    }

    @Test func aFileWithABadRowIsRefusedWholeAndTheErrorNamesFileLineAndColumn() throws {
        let duly = try ledger()
        let bad = try duly.write(
            "bad.csv",
            """
            invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
            INV-10,C1,2026-02-01,2026-03-03,EUR,10.00,net 30,
            INV-11,C1,2026-02-30,2026-03-03,EUR,10.00,net 30,

            """)
        let outcome = try duly.run(["import", "invoices", bad])
        #expect(outcome.status == 65)
        #expect(outcome.errors.contains("bad.csv:3:3:"), "\(outcome.errors)")
        #expect(outcome.errors.contains("nothing was imported"))
        // INV-10 was good, but the file is one transaction: it is not there.
        let listed = try duly.run(["invoices", "--json", "--as-of", "2026-03-09"])
        #expect(!listed.output.contains("INV-10"))
        // With --skip-invalid the good row goes in.
        let skipping = try duly.run(["import", "invoices", bad, "--skip-invalid"])
        #expect(skipping.status == 0)
        #expect(try duly.run(["invoices", "--json", "--as-of", "2026-03-09"]).output.contains("INV-10"))
    }

    @Test func anInvoiceForAnUnknownCustomerIsRefusedWithItsLine() throws {
        let duly = try ledger()
        let file = try duly.write(
            "stray.csv",
            """
            invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
            INV-20,C1,2026-02-01,2026-03-03,EUR,10.00,net 30,
            INV-21,C9,2026-02-01,2026-03-03,EUR,10.00,net 30,

            """)
        let outcome = try duly.run(["import", "invoices", file])
        #expect(outcome.status == 65)
        #expect(outcome.errors.contains("stray.csv:3:2:"), "\(outcome.errors)")
        #expect(!(try duly.run(["invoices", "--json", "--as-of", "2026-03-09"]).output.contains("INV-20")))
    }

    @Test func runPrintsOneJSONLinePerActionAndASecondRunPrintsNone() throws {
        let duly = try ledger()
        let first = try duly.run(["run", "--as-of", runDay, "--json"])
        #expect(first.status == 0, "\(first.errors)")
        let actions = try first.lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // C1 gets one statement for both overdue invoices (the first overdue step, never a final notice);
        // C2 the due-day notice; C3 has paid and gets nothing.
        #expect(actions.count == 2)
        let acme = try #require(actions.first { $0["customer_id"] as? String == "C1" })
        #expect(acme["invoice_numbers"] as? [String] == ["INV-1", "INV-2"])
        #expect(acme["step"] as? String == "first_follow_up")
        // Each invoice's own rung, which in a consolidated message may be below the step that leads it.
        #expect(acme["invoice_steps"] as? [String: String] == ["INV-1": "first_follow_up", "INV-2": "first_follow_up"])
        #expect(acme["stage"] as? String == "delayed")
        #expect(acme["channel"] as? String == "email")
        #expect(acme["date"] as? String == runDay)
        #expect(acme["status"] as? String == "planned")
        #expect(acme["requires_approval"] as? Bool == false)
        let globex = try #require(actions.first { $0["customer_id"] as? String == "C2" })
        #expect(globex["step"] as? String == "due_day_notice")

        let second = try duly.run(["run", "--as-of", runDay, "--json"])
        #expect(second.status == 0)
        #expect(second.output.isEmpty)
    }

    @Test func aDryRunWritesNothing() throws {
        let duly = try ledger()
        let dry = try duly.run(["run", "--as-of", runDay, "--dry-run", "--json"])
        #expect(dry.lines.count == 2)
        let real = try duly.run(["run", "--as-of", runDay, "--json"])
        #expect(real.lines.count == 2)
    }

    @Test func aRealRunForADayAfterTodayIsRefusedAndADryRunMayLookAhead() throws {
        let duly = try ledger()
        // The issue's typo: a real run for 2099 would date its actions then and hold every real day back.
        let typo = try duly.run(["run", "--as-of", "2099-01-01"])
        #expect(typo.status != 0)
        #expect(typo.errors.contains("--as-of 2099-01-01 is after today"), "\(typo.errors)")
        #expect(typo.errors.contains("--dry-run"))
        #expect(try duly.run(["approvals", "--json"]).output.isEmpty)
        let look = try duly.run(["run", "--as-of", "2099-01-01", "--dry-run", "--json"])
        #expect(look.status == 0, "\(look.errors)")
        // Nothing was written: a real day still plans its actions.
        #expect(try duly.run(["run", "--as-of", runDay, "--json"]).lines.count == 2)
    }

    @Test func aMistakenRunIsCancelledOnTheRecordAndTheLadderGoesOnAsIfItHadNeverBeen() throws {
        let duly = try ledger()
        #expect(try duly.run(["run", "--as-of", runDay, "--json"]).lines.count == 2)
        let cancelled = try duly.run([
            "cancel", "--date", runDay, "--by", "Ann", "--reason", "ran with the wrong playbook",
            "--as-of", runDay,
        ])
        #expect(cancelled.status == 0, "\(cancelled.errors)")
        #expect(cancelled.output.contains("Cancelled 2 actions"))
        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.output.contains("cancelled by Ann: ran with the wrong playbook"))
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
        // Planned again, as if the cancelled actions had never been.
        #expect(try duly.run(["run", "--as-of", runDay, "--json"]).lines.count == 2)
        // Nothing dated later waits; an action no longer pending is not cancelled, and the refusal says why.
        let none = try duly.run(["cancel", "--planned-after", runDay, "--by", "Ann", "--reason", "typo"])
        #expect(none.status == 0)
        #expect(none.output.contains("No action waiting to go out"))
        let again = try duly.run(["cancel", "1", "--by", "Ann", "--reason", "typo"])
        #expect(again.status != 0)
        #expect(again.errors.contains("action act_1 was not cancelled: it is already cancelled"))
    }

    @Test func statusInvoicesAgingAndTimelineTellTheSameStory() throws {
        let duly = try ledger()
        _ = try duly.run(["run", "--as-of", "2026-03-09"])
        let status = try duly.run(["status", "--as-of", "2026-03-09", "--json"])
        #expect(status.output.contains("\"state\":\"delayed\""))
        #expect(status.output.contains("\"state\":\"non_payment\""))
        #expect(status.output.contains("\"EUR\":\"1250.00\""))

        let invoices = try duly.run(["invoices", "--customer", "C3", "--as-of", "2026-03-09", "--json"])
        #expect(invoices.output.contains("\"open\":\"0.00\""))
        #expect(invoices.output.contains("\"stage\":\"paid\""))
        let open = try duly.run(["invoices", "--open", "--as-of", "2026-03-09", "--json"])
        #expect(open.lines.count == 3)

        let aging = try duly.run(["report", "aging", "--as-of", "2026-03-09", "--csv"])
        #expect(aging.lines.first == "currency,current,1-30,31-60,61-90,90+,total")
        #expect(aging.lines.contains("EUR,0.00,1250.00,0.00,0.00,99.90,1349.90"))
        #expect(aging.lines.contains("GBP,640.00,0.00,0.00,0.00,0.00,640.00"))

        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.output.contains("first follow up"))
        let verified = try duly.run(["timeline", "C1", "--verify"])
        #expect(verified.status == 0)
        #expect(verified.output.contains("chain intact"))
    }

    @Test func verifyNamesTheFirstEntryEditedBehindDulysBack() throws {
        let duly = try ledger()
        _ = try duly.run(["run", "--as-of", "2026-03-09"])
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
        // Someone with the database file drops the append-only trigger and rewrites history.
        let database = duly.folder.appendingPathComponent("duly.sqlite").path
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("DROP TRIGGER timeline_entries_refuse_update")
            db.execute("UPDATE timeline_entries SET summary = 'nothing happened' "
                       "WHERE customer_id = 'C1' AND sequence = 2")
            db.commit()
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, database]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        let verified = try duly.run(["timeline", "C1", "--verify"])
        #expect(verified.status == 2)
        #expect(verified.errors.contains("broken at entry 2"), "\(verified.errors)")
    }

    @Test func theDemosAgencyHandOverIsOneApprovalCoveringTheCustomersInvoices() throws {
        // Given the demo, where two of one client's invoices reach the agency hand-over on different days
        let duly = try DulyProcess()
        #expect(try duly.run(["demo", "--as-of", "2026-03-09"]).status == 0)

        // When the manager looks at the approvals
        let approvals = try duly.run(["approvals", "--org", "demo", "--as-of", "2026-03-09", "--json"]).lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }

        // Then there is one decision per client and step, covering all its invoices at that step
        let keys = approvals.map { "\($0["customer_id"] as? String ?? "") \($0["step"] as? String ?? "")" }
        #expect(Set(keys).count == keys.count, "\(keys)")
        let handOver = try #require(approvals.first { $0["customer_id"] as? String == "C007" })
        let invoices = try #require(handOver["invoices"] as? [[String: Any]])
        #expect(invoices.compactMap { $0["number"] as? String } == ["NW-0988", "NW-0995"])
    }

    @Test func aCollectorWorksTheCallsOnTheWorklistAndARefusalMovesTheAccountOn() throws {
        let duly = try DulyProcess()
        #expect(try duly.run(["demo", "--as-of", "2026-03-09"]).status == 0)
        let worklist = try duly.run(["worklist", "--org", "demo", "--as-of", "2026-03-09", "--json"])
        let tasks = try worklist.lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // Sunny Days Events opted out of email: the call offering a plan is on the worklist.
        let call = try #require(
            tasks.first { $0["kind"] as? String == "call" && $0["customer_id"] as? String == "C012" })
        let id = try #require(call["action_id"] as? Int)
        // The collector reads the script before dialling: who to ask for, what is owed, what to offer.
        let script = try duly.run(["worklist", "--org", "demo", "--as-of", "2026-03-09", "--script", String(id)])
        #expect(script.status == 0, "\(script.errors)")
        #expect(script.output.contains("Call Sunny Days Events, ask for Tom Fletcher on +44 117 496 0842."))
        #expect(script.output.contains("NW-1061"))
        let logged = try duly.run([
            "log-call", String(id), "--outcome", "refused", "--note", "no budget", "--org", "demo", "--as-of",
            "2026-03-09",
        ])
        #expect(logged.status == 0, "\(logged.errors)")
        let invoices = try duly.run([
            "invoices", "--customer", "C012", "--org", "demo", "--as-of", "2026-03-09", "--json",
        ])
        #expect(invoices.output.contains("\"stage\":\"non_payment\""), "\(invoices.output)")
        let timeline = try duly.run(["timeline", "C012", "--org", "demo"]).output
        #expect(timeline.contains("refused to pay — no budget"))
        #expect(timeline.contains("The client refused to pay: no budget"))
        // The call is done: it leaves the worklist, and logging it again is refused.
        let again = try duly.run(["log-call", String(id), "--outcome", "reached", "--org", "demo"])
        #expect(again.status != 0)
        #expect(
            !(try duly.run(["worklist", "--org", "demo", "--as-of", "2026-03-09", "--json"]).output
                .contains("\"action_id\":\(id),")))
    }

    @Test func aCommandWithoutAnOrganisationSaysHowToCreateOne() throws {
        let duly = try DulyProcess()
        let outcome = try duly.run(["status"])
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("duly init"))
    }

    @Test func theDemoRunsTwiceAndLeavesOtherOrganisationsAlone() throws {
        let duly = try ledger()
        let first = try duly.run(["demo", "--as-of", "2026-03-09"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("Northwind Studio"))
        #expect(first.output.contains("Awaiting a manager's approval"))
        let second = try duly.run(["demo", "--as-of", "2026-03-09"])
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.output == first.output)
        #expect(try duly.run(["timeline", "C007", "--verify", "--org", "demo"]).status == 0)
        // The user's own organisation is untouched.
        #expect(try duly.run(["invoices", "--json", "--as-of", "2026-03-09"]).lines.count == 4)
    }
}
