import Foundation
import Testing

// `duly evidence` end to end: a real account chased through the command line, exported, unzipped and checked by
// an independent Python script (Support/check_evidence_pack.py) that recomputes the hash chain with hashlib.

private let customersCSV = """
    customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
    C1,Acme Trading,ap@acme.example,+31 20 555 0100,NL,en,Europe/Amsterdam,Anna,boss@acme.example
    C2,Globex Ltd,billing@globex.example,,GB,en,Europe/London,Grace,

    """

// INV-1 fell due on Friday 2026-02-20; INV-2 is not due until the end of March and is partly paid.
private let invoicesCSV = """
    invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
    INV-1,C1,2026-01-21,2026-02-20,EUR,1250.00,net 30,PO-7
    INV-2,C1,2026-03-01,2026-03-31,EUR,480.50,net 30,
    INV-3,C2,2026-01-21,2026-02-20,GBP,640.00,net 30,

    """

private let paymentsCSV = """
    payment_id,customer_id,date,currency,amount,reference,invoice_number
    PAY-1,C1,2026-03-05,EUR,80.50,INV-2,INV-2

    """

/// The result of the independent check.
private struct Check {
    var report: [String: Any]
    var folder: URL

    var problems: [String] { report["problems"] as? [String] ?? ["no report"] }
    var recomputed: [String: Any] { report["recomputed"] as? [String: Any] ?? [:] }
    var manifest: [String: Any] { report["manifest"] as? [String: Any] ?? [:] }
    var entries: [[String: Any]] { report["entries"] as? [[String: Any]] ?? [] }

    func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: folder.appendingPathComponent(path)), as: UTF8.self)
    }
}

@Suite("The evidence pack, end to end")
struct EvidenceCommandTests {
    /// Two reminders delivered by the file transport, then a call where the client promised to pay.
    private func chasedAccount() throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
            ]).status == 0)
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV), ("payments", paymentsCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text)])
            try #require(imported.status == 0, "\(kind): \(imported.errors)")
        }
        // The due-day notice and the first follow-up (the built-in playbook's two emails before its call).
        for date in ["2026-02-20", "2026-03-09"] {
            #expect(try duly.run(["run", "--as-of", date]).status == 0)
            let delivered = try duly.run(["deliver", "--as-of", date, "--transport", "file:outbox"])
            #expect(delivered.output.contains("2 sent"), "\(date): \(delivered.output) \(delivered.errors)")
        }
        #expect(try duly.run(["run", "--as-of", "2026-03-20"]).status == 0)
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-20", "--json"])
        let call = try #require(
            try worklist.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0?["kind"] as? String == "call" && $0?["customer_id"] as? String == "C1" } ?? nil,
            "\(worklist.output)")
        let logged = try duly.run([
            "log-call", String(try #require(call["action_id"] as? Int)), "--outcome", "promise", "--date",
            "2026-03-31", "--note", "pays at the end of the month", "--as-of", "2026-03-20",
        ])
        try #require(logged.status == 0, "\(logged.errors)")
        return duly
    }

    /// Unzips and checks `pack` with the Python script.
    private func check(_ pack: URL, _ duly: DulyProcess) throws -> Check {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/check_evidence_pack.py")
        let folder = duly.folder.appendingPathComponent("unzipped-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, pack.path, folder.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the checker failed")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Check(report: report, folder: folder)
    }

    @Test func thePackRoundTripsAndAnIndependentCheckRecomputesTheChain() throws {
        let duly = try chasedAccount()
        let pack = duly.folder.appendingPathComponent("C1-evidence.zip")
        let exported = try duly.run(["evidence", "C1", "--out", pack.path, "--as-of", "2026-03-20"])
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("chain intact"), "\(exported.output)")

        let checked = try check(pack, duly)
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        // The chain, recomputed by hashlib from timeline.jsonl as VERIFY.txt describes, holds and ends where the
        // manifest says.
        let timeline = try #require(checked.manifest["timeline"] as? [String: Any])
        let verification = try #require(checked.manifest["verification"] as? [String: Any])
        #expect(checked.recomputed["status"] as? String == "ok", "\(checked.recomputed)")
        #expect(verification["status"] as? String == "ok")
        #expect(checked.recomputed["head"] as? String == timeline["chain_head"] as? String)
        #expect(checked.recomputed["entries"] as? Int == timeline["entries"] as? Int)
        #expect(checked.entries.count > 5)
        // … and it is the store's timeline, entry for entry.
        let stored = try duly.run(["timeline", "C1", "--json"]).lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary)
        }
        let packed = checked.entries.map { entry -> NSDictionary in
            var entry = entry
            #expect(entry.removeValue(forKey: "customer_id") as? String == "C1")
            return entry as NSDictionary
        }
        #expect(packed == stored)

        // Every message is byte for byte the file the transport wrote.
        let outbox = duly.folder.appendingPathComponent("outbox")
        let sent = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }
            .map { try Data(contentsOf: outbox.appendingPathComponent($0)) }
            .filter { String(decoding: $0, as: UTF8.self).contains("ap@acme.example") }
        let communications = try #require(checked.manifest["communications"] as? [[String: Any]])
        let packedMessages = try communications.map {
            try Data(contentsOf: checked.folder.appendingPathComponent(try #require($0["file"] as? String)))
        }
        #expect(sent.count == 2)
        #expect(Set(packedMessages) == Set(sent))
        #expect(communications.allSatisfy { $0["state"] as? String == "sent" && $0["channel"] as? String == "email" })
        #expect(communications.allSatisfy { $0["sent_to"] as? String == "ap@acme.example" })

        // The ledger and the commitments, amounts as decimal strings; nothing of the other customer.
        let customer = try #require(checked.manifest["customer"] as? [String: Any])
        #expect(customer["reference"] as? String == "C1" && customer["name"] as? String == "Acme Trading")
        let invoices = try #require(checked.manifest["invoices"] as? [[String: Any]])
        #expect(invoices.map { $0["number"] as? String } == ["INV-1", "INV-2"])
        #expect(invoices[1]["paid"] as? String == "80.50" && invoices[1]["open"] as? String == "400.00")
        let promise = try #require((checked.manifest["promises"] as? [[String: Any]])?.first)
        #expect(promise["amount"] as? String == "1250.00" && promise["promised_date"] as? String == "2026-03-31")
        let note = try #require((checked.manifest["call_notes"] as? [[String: Any]])?.first)
        #expect((note["outcome"] as? String)?.contains("promised to pay EUR 1250.00 by 2026-03-31") == true)
        #expect(note["note"] as? String == "pays at the end of the month")

        // A person reads the same: the verification, the messages linked, the timeline's hashes.
        let index = try checked.text("index.html")
        #expect(index.contains("Timeline hash chain OK: all"))
        for message in communications { #expect(index.contains("href=\"\(message["file"] as! String)\"")) }
        #expect(index.contains(timeline["chain_head"] as! String))
        #expect(!index.contains("INV-3"))
        #expect(try checked.text("timeline/VERIFY.txt").contains("OK: all \(checked.entries.count) entries verified"))
    }

    @Test func aChainEditedBehindDulysBackIsExportedAsBrokenAndExitsWithTwo() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        // Someone with the database file drops the append-only trigger and rewrites history.
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
        python.arguments = ["python3", "-c", script, duly.folder.appendingPathComponent("duly.sqlite").path]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)

        let pack = duly.folder.appendingPathComponent("broken.zip")
        let exported = try duly.run(["evidence", "C1", "--out", pack.path, "--as-of", "2026-03-09"])
        #expect(exported.status == 2)
        #expect(exported.errors.contains("broken at entry 2"), "\(exported.errors)")
        #expect(exported.output.contains("chain BROKEN at entry 2"), "\(exported.output)")

        let checked = try check(pack, duly)
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        #expect(checked.recomputed["status"] as? String == "broken")
        #expect(checked.recomputed["first_bad_entry"] as? Int == 2)
        #expect(checked.recomputed["problem"] as? String == "hash")
        let verification = try #require(checked.manifest["verification"] as? [String: Any])
        #expect(verification["status"] as? String == "broken")
        #expect(verification["first_bad_entry"] as? Int == 2)
        #expect(try checked.text("timeline/VERIFY.txt").contains("BROKEN at entry 2"))
        let index = try checked.text("index.html")
        #expect(index.contains("Timeline hash chain BROKEN at entry 2"))
        #expect(index.contains("nothing happened"), "the altered entry is shown as stored")
    }

    @Test func anUnknownCustomerIsRefusedAndNothingIsWritten() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: duly.folder.path))
        let refused = try duly.run(["evidence", "C9", "--out", "C9.zip", "--as-of", "2026-03-09"])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("no customer 'C9'"), "\(refused.errors)")
        #expect(refused.errors.contains("nothing was written"))
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: duly.folder.path))
        #expect(after.subtracting(before).filter { !$0.hasPrefix("duly.sqlite") }.isEmpty, "\(after)")
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        let existing = try duly.write("C1.zip", "an earlier pack")
        let refused = try duly.run(["evidence", "C1", "--out", existing, "--as-of", "2026-03-09"])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("already exists"), "\(refused.errors)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "an earlier pack")
        let replaced = try duly.run(["evidence", "C1", "--out", existing, "--force", "--as-of", "2026-03-09"])
        #expect(replaced.status == 0, "\(replaced.errors)")
        #expect(try check(URL(fileURLWithPath: existing), duly).problems.isEmpty)
    }

    @Test func aDemoCustomerHasAVerifiedPack() throws {
        let duly = try DulyProcess()
        #expect(try duly.run(["demo", "--as-of", "2026-03-09"]).status == 0)
        // Cobalt Software BV (C010) was written to today, after two promises to pay.
        let pack = duly.folder.appendingPathComponent("demo.zip")
        let exported = try duly.run([
            "evidence", "C010", "--org", "demo", "--out", pack.path, "--as-of", "2026-03-09", "--json",
        ])
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("\"verification\":\"ok\""), "\(exported.output)")
        let checked = try check(pack, duly)
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        #expect(checked.recomputed["status"] as? String == "ok")
        #expect(!(checked.manifest["promises"] as? [Any] ?? []).isEmpty)
        let outbox = duly.folder.appendingPathComponent("outbox/demo")
        let sent = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.contains("-C010-") }
            .map { try Data(contentsOf: outbox.appendingPathComponent($0)) }
        let communications = try #require(checked.manifest["communications"] as? [[String: Any]])
        let packed = try communications.map {
            try Data(contentsOf: checked.folder.appendingPathComponent(try #require($0["file"] as? String)))
        }
        #expect(sent.count == 1)
        #expect(packed == sent)
    }
}
