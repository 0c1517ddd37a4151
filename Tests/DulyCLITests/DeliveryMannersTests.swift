import Foundation
import Testing

// Issue 9, item 9 (delivery side): on any day a client hears one voice, and the 7-day contact cap is checked again,
// against what was actually sent, when an action approved late goes out. Item 15: the Date header is the delivery
// day's.
@Suite("What the client hears on the day of sending")
struct DeliveryMannersTests {
    // A friendly reminder a week before the due date, then a follow-up three days late that a manager approves
    // (the final notice letter; an email here, so the case does not depend on postal addresses).
    private static let playbook = """
        name: late-approval
        max_contacts_per_7_days: 2
        steps:
          - id: pre_due_reminder
            stage: pre_due
            offset_days: -7
            channel: email
          - id: second_follow_up
            stage: delayed
            offset_days: 3
            channel: email
            requires_approval: true

        """

    /// Client C1 with one invoice per due date.
    private func ledger(dues: [String]) throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
            ]).status == 0)
        let customers =
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
            + "C1,Acme,ap@acme.example,,NL,en,Europe/Amsterdam,Ann,\n"
        try #require(try duly.run(["import", "customers", try duly.write("c.csv", customers)]).status == 0)
        let invoices = dues.enumerated().map { "INV-\($0 + 1),C1,2026-01-05,\($1),EUR,100.00,,\n" }.joined()
        let header = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
        let imported = try duly.run(["import", "invoices", try duly.write("i.csv", header + invoices)])
        try #require(imported.status == 0, "\(imported.errors)")
        _ = try duly.write("playbook.yaml", Self.playbook)
        try #require(try duly.run(["playbook", "adopt", "playbook.yaml"]).status == 0)
        return duly
    }

    private func run(_ duly: DulyProcess, on date: String) throws {
        let planned = try duly.run(["run", "--as-of", date])
        try #require(planned.status == 0, "\(planned.errors)")
    }

    private func deliver(_ duly: DulyProcess, on date: String) throws -> DulyProcess.Outcome {
        try duly.run(["deliver", "--as-of", date, "--transport", "file:outbox"])
    }

    private func worklist(_ duly: DulyProcess, on date: String, kind: String) throws -> [[String: Any]] {
        try duly.run(["worklist", "--as-of", date, "--json"]).lines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == kind }
    }

    private func approveTheFollowUp(_ duly: DulyProcess, on date: String) throws {
        let approval = try #require(try worklist(duly, on: date, kind: "approval").first?["action_id"] as? Int)
        let approved = try duly.run(["approve", String(approval), "--by", "Sam", "--as-of", date])
        try #require(approved.status == 0, "\(approved.errors)")
    }

    private func emails(_ duly: DulyProcess) throws -> [String] {
        let outbox = duly.folder.appendingPathComponent("outbox")
        return try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { String(decoding: try Data(contentsOf: outbox.appendingPathComponent($0)), as: UTF8.self) }
    }

    @Test func twoMessagesDueOnOneDayGoOneADayTheMostAdvancedFirst() throws {
        // Given a follow-up planned on Thursday and approved on Monday, when a pre-due reminder is due too
        let duly = try ledger(dues: ["2026-03-02", "2026-03-16"])
        try run(duly, on: "2026-03-05")
        try run(duly, on: "2026-03-09")
        try approveTheFollowUp(duly, on: "2026-03-09")

        // When Monday's mail goes out
        let monday = try deliver(duly, on: "2026-03-09")

        // Then only the follow-up reaches the client; the friendly note waits, and says why
        #expect(monday.status == 0, "\(monday.errors)")
        #expect(monday.output.contains("1 sent, 1 waiting for a later day"), "\(monday.output)")
        #expect(monday.output.contains("one message a day: second follow up"))
        #expect(try emails(duly).count == 1)
        #expect(try emails(duly).first?.contains("INV-1") == true)
        let waiting = try worklist(duly, on: "2026-03-09", kind: "waiting_delivery")
        #expect(waiting.compactMap { $0["step"] as? String } == ["pre_due_reminder"])
        #expect((waiting.first?["note"] as? String)?.hasPrefix("one message a day") == true)

        // And it goes on the next delivery day
        #expect(try deliver(duly, on: "2026-03-10").output.contains("1 sent."))
        #expect(try emails(duly).count == 2)
        #expect(try worklist(duly, on: "2026-03-10", kind: "waiting_delivery").isEmpty)
    }

    @Test func aLateApprovedMessageWaitsWhileTheContactCapIsReached() throws {
        // Given a follow-up planned on 23 February, awaiting approval while two reminders went out on 2 and 5 March
        let duly = try ledger(dues: ["2026-02-20", "2026-03-09", "2026-03-12"])
        for date in ["2026-02-23", "2026-03-02", "2026-03-05"] {
            try run(duly, on: date)
            _ = try deliver(duly, on: date)
        }
        #expect(try emails(duly).count == 2)

        // When it is approved and delivered on 6 March
        try approveTheFollowUp(duly, on: "2026-03-06")
        let friday = try deliver(duly, on: "2026-03-06")

        // Then it would be the third contact in five days: it waits, with the cap as the reason
        #expect(friday.status == 0)
        #expect(friday.output.contains("0 sent, 1 waiting for a later day"), "\(friday.output)")
        #expect(
            friday.output.contains(
                "contact cap: 2 contacts with the client in the 7 days to 2026-03-06, the playbook allows 2"))
        #expect(try emails(duly).count == 2)

        // And it goes once the week has room again
        #expect(try deliver(duly, on: "2026-03-09").output.contains("1 sent."))
        #expect(try emails(duly).count == 3)
    }

    @Test func theDateHeaderIsTheDeliveryDayInTheOrganisationsTimeZone() throws {
        let duly = try ledger(dues: ["2026-03-16"])
        try run(duly, on: "2026-03-09")
        #expect(try deliver(duly, on: "2026-03-09").output.contains("1 sent."))
        let email = try #require(try emails(duly).first)
        // 09:00 in Amsterdam in winter time, whatever the day the test runs.
        #expect(
            email.contains("\r\nDate: Mon, 9 Mar 2026 09:00:00 +0100\r\n")
                || email.hasPrefix("Date: Mon, 9 Mar 2026 09:00:00 +0100\r\n"))
    }
}
