import Foundation
import Testing

// Issue 10, "Delivery that hides why": a mail server that cannot be used as configured stops `duly deliver` at once,
// says why on one line with what to change, leaves every message as it was and exits 78; temporary failures are
// summarised by reason, in text and in `--json`.
@Suite("Delivery that says why")
struct DeliveryStopTests {
    /// Clients C1… at these addresses, one invoice each, all planned for a first follow-up on 2026-03-09.
    private func plannedLedger(emails: [String]) throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
            ]).status == 0)
        let customers = emails.enumerated().map { index, email in
            "C\(index + 1),Client \(index + 1),\(email),,NL,en,Europe/Amsterdam,Pat,\n"
        }.joined()
        let header = "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
        try #require(try duly.run(["import", "customers", try duly.write("c.csv", header + customers)]).status == 0)
        let invoices = emails.indices.map { "INV-\($0 + 1),C\($0 + 1),2026-01-05,2026-02-04,EUR,100.00,net 30,\n" }
            .joined()
        let invoiceHeader = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
        try #require(
            try duly.run(["import", "invoices", try duly.write("i.csv", invoiceHeader + invoices)]).status == 0)
        let planned = try duly.run(["run", "--as-of", "2026-03-09", "--json"])
        try #require(planned.lines.count == emails.count, "\(planned.errors)")
        return duly
    }

    private static let fourClients = (1...4).map { "ap\($0)@client\($0).example" }

    private func deliver(_ duly: DulyProcess, _ url: String, json: Bool = false) throws -> DulyProcess.Outcome {
        try duly.run(["deliver", "--as-of", "2026-03-09", "--transport", url] + (json ? ["--json"] : []))
    }

    /// Nothing about the messages changed: no delivery on any client's timeline, nothing failed on the worklist.
    private func expectUntouched(_ duly: DulyProcess, clients: Int) throws {
        for client in 1...clients {
            let timeline = try duly.run(["timeline", "C\(client)"]).output
            #expect(!timeline.contains("retry") && !timeline.contains("sent to"), "C\(client): \(timeline)")
        }
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-09", "--json"]).output
        #expect(!worklist.contains("failed_delivery"), "\(worklist)")
    }

    /// Delivering again on the same simulated day, once the configuration is right, sends everything: a message
    /// charged an attempt would wait for its backoff (five minutes past the day's last second) instead.
    private func expectAllGoSameDay(_ duly: DulyProcess, _ url: String, count: Int) throws {
        let fixed = try deliver(duly, url)
        #expect(fixed.status == 0, "\(fixed.errors)")
        #expect(fixed.output.contains("\(count) sent."), "\(fixed.output)")
    }

    @Test func aServerWithoutSTARTTLSStopsTheRunSaysWhyAndLeavesEveryMessageAsItWas() throws {
        let duly = try plannedLedger(emails: Self.fourClients)
        // A server that does not offer STARTTLS, and a URL that requires it (smtp:// does by default).
        let server = try LoopbackServer.smtp(folder: duly.folder.appendingPathComponent("mailbox"))
        defer { server.stop() }
        let stopped = try deliver(duly, "smtp://127.0.0.1:\(server.port)")
        #expect(stopped.status == 78)
        #expect(stopped.output.isEmpty, "\(stopped.output)")
        let lines = stopped.errors.split(separator: "\n")
        #expect(lines.count == 1, "\(stopped.errors)")
        #expect(
            stopped.errors.contains(
                "127.0.0.1:\(server.port) does not offer STARTTLS: use smtps:// on port 465, or "
                    + "?starttls=opportunistic if you accept plain text"),
            "\(stopped.errors)")
        try expectUntouched(duly, clients: 4)
        try expectAllGoSameDay(duly, "smtp://127.0.0.1:\(server.port)?starttls=never", count: 4)
    }

    @Test func aRefusedPasswordStopsTheRunSaysWhyAndLeavesEveryMessageAsItWas() throws {
        let duly = try plannedLedger(emails: Self.fourClients)
        let server = try LoopbackServer.smtp(
            folder: duly.folder.appendingPathComponent("mailbox"), options: ["--auth", "ar:right"])
        defer { server.stop() }
        let stopped = try deliver(duly, "smtp://ar:wrong@127.0.0.1:\(server.port)?starttls=never")
        #expect(stopped.status == 78)
        #expect(stopped.errors.split(separator: "\n").count == 1, "\(stopped.errors)")
        #expect(stopped.errors.contains("127.0.0.1:\(server.port) refused the user name and password (535 "))
        #expect(stopped.errors.contains("check them in the mail URL"))
        #expect(!stopped.errors.contains("wrong"), "the password is never printed: \(stopped.errors)")
        try expectUntouched(duly, clients: 4)
        try expectAllGoSameDay(duly, "smtp://ar:right@127.0.0.1:\(server.port)?starttls=never", count: 4)
    }

    @Test func nothingListeningOnTheConfiguredPortStopsTheRunAndTheMessagesGoOnceItListens() throws {
        let duly = try plannedLedger(emails: Self.fourClients)
        // Nothing listens on this port: take one from a server that has stopped.
        let gone = try LoopbackServer.smtp(folder: duly.folder.appendingPathComponent("unused"))
        let port = gone.port
        gone.stop()
        let stopped = try deliver(duly, "smtp://127.0.0.1:\(port)?starttls=never")
        #expect(stopped.status == 78)
        #expect(stopped.errors.contains("nothing accepts connections on 127.0.0.1:\(port): check the host and port"))
        try expectUntouched(duly, clients: 4)
        let server = try LoopbackServer.smtp(folder: duly.folder.appendingPathComponent("mailbox"))
        defer { server.stop() }
        try expectAllGoSameDay(duly, "smtp://127.0.0.1:\(server.port)?starttls=never", count: 4)
    }

    @Test func anUnknownHostStopsTheRunAndSaysWhichName() throws {
        let duly = try plannedLedger(emails: Self.fourClients)
        let stopped = try deliver(duly, "smtp://mail.duly-test.invalid:587", json: true)
        #expect(stopped.status == 78)
        #expect(stopped.errors.contains("cannot find the mail server mail.duly-test.invalid"), "\(stopped.errors)")
        // Scripts get the reason in the JSON too, with nothing sent, retried or failed.
        let outcome = try #require(
            try JSONSerialization.jsonObject(with: Data(stopped.output.utf8)) as? [String: Any])
        #expect((outcome["stopped"] as? String)?.contains("mail.duly-test.invalid") == true)
        #expect(outcome["retrying"] as? Int == 0 && outcome["failed"] as? Int == 0)
        try expectUntouched(duly, clients: 4)
    }

    @Test func temporaryFailuresAreSummarisedByTheirReasonInTextAndJSON() throws {
        // Three clients whose server greylists (451 the first time), one that takes the message.
        let emails = [
            "tempfail1@client1.example", "ap2@client2.example", "tempfail3@client3.example",
            "tempfail4@client4.example",
        ]
        let textLedger = try plannedLedger(emails: emails)
        let jsonLedger = try plannedLedger(emails: emails)
        let server = try LoopbackServer.smtp(folder: textLedger.folder.appendingPathComponent("mailbox"))
        defer { server.stop() }

        let printed = try deliver(textLedger, "smtp://127.0.0.1:\(server.port)?starttls=never")
        #expect(printed.status == 0, "\(printed.errors)")
        #expect(printed.output.contains("1 sent, 3 to retry."), "\(printed.output)")
        // One line for the one cause, naming its clients, the addresses left out so the reason reads once.
        let retryLines = printed.lines.filter { $0.contains("to retry:") }
        #expect(
            retryLines == [
                "  to retry: 3 messages (C1, C3, C4): recipient refused: temporary SMTP failure: 451 4.3.0 <…>: "
                    + "try again later"
            ], "\(printed.output)")

        // The server greylists an address once: a second server for the second ledger.
        let other = try LoopbackServer.smtp(folder: jsonLedger.folder.appendingPathComponent("mailbox"))
        defer { other.stop() }
        let json = try deliver(jsonLedger, "smtp://127.0.0.1:\(other.port)?starttls=never", json: true)
        #expect(json.status == 0, "\(json.errors)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(outcome["retrying"] as? Int == 3)
        #expect(outcome["stopped"] == nil)
        let reasons = try #require(outcome["retry_reasons"] as? [[String: Any]])
        #expect(reasons.count == 1)
        #expect(reasons.first?["count"] as? Int == 3)
        #expect((reasons.first?["reason"] as? String)?.contains("451 4.3.0") == true)
        let messages = try #require(reasons.first?["messages"] as? [[String: Any]])
        #expect(messages.compactMap { $0["customer_id"] as? String } == ["C1", "C3", "C4"])
        // Each message keeps its exact reason, address included.
        #expect((messages.first?["reason"] as? String)?.contains("tempfail1@client1.example") == true)
    }
}
