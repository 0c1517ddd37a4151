import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Delivering mail exactly once")
struct DeliveryTests {
    private static let customers = (1...8).map {
        "C\($0),Client \($0),ap\($0)@client\($0).example,,NL,en,Europe/Amsterdam,Pat,\n"
    }
    .joined()
    private static let invoices = (1...8).map { "INV-\($0),C\($0),2026-01-05,2026-02-04,EUR,\($0)00.00,net 30,\n" }
        .joined()

    /// A ledger with eight planned emails for 2026-03-09, one per client.
    private func plannedLedger() throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
            ]).status == 0)
        let header = "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
        _ = try duly.run(["import", "customers", try duly.write("c.csv", header + Self.customers)])
        let invoiceHeader = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
        _ = try duly.run(["import", "invoices", try duly.write("i.csv", invoiceHeader + Self.invoices)])
        let planned = try duly.run(["run", "--as-of", "2026-03-09", "--json"])
        try #require(planned.lines.count == 8, "\(planned.errors)")
        return duly
    }

    private func messageIDs(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.map { name in
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            let line = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("message-id:") } ?? ""
            return String(line.dropFirst("Message-ID:".count)).trimmingCharacters(in: .whitespaces)
        }.sorted()
    }

    private func deliver(_ duly: DulyProcess, port: Int) throws -> DulyProcess.Outcome {
        try duly.run(["deliver", "--as-of", "2026-03-09", "--transport", "smtp://127.0.0.1:\(port)?starttls=never"])
    }

    @Test func everyPlannedEmailArrivesOnceAndASecondPassSendsNothing() throws {
        let duly = try plannedLedger()
        let mailbox = duly.folder.appendingPathComponent("mailbox")
        let server = try LoopbackServer.crashSMTP(folder: mailbox)
        defer { server.stop() }
        let first = try deliver(duly, port: server.port)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("8 sent"))
        let again = try deliver(duly, port: server.port)
        #expect(again.output.contains("0 sent"))
        let ids = try messageIDs(in: mailbox)
        #expect(ids.count == 8 && Set(ids).count == 8)
        #expect(try duly.run(["timeline", "C1"]).output.contains("sent to ap1@client1.example"))
    }

    @Test func theNextReminderThreadsUnderTheLastOneSent() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        func headers(of name: String) throws -> [String: String] {
            let text = String(
                decoding: try Data(contentsOf: duly.folder.appendingPathComponent("outbox/\(name)")), as: UTF8.self)
            var found: [String: String] = [:]
            for line in text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                found[String(line[..<colon]).lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            return found
        }
        // The due-day notice on Thursday, the first follow-up a week later: each delivered from the outbox.
        for date in ["2026-03-05", "2026-03-12"] {
            #expect(try duly.run(["run", "--as-of", date, "--json"]).lines.count == 1)
            #expect(try duly.run(["deliver", "--as-of", date]).output.contains("1 sent"))
        }
        let names = try FileManager.default.contentsOfDirectory(
            atPath: duly.folder.appendingPathComponent("outbox").path
        ).sorted()
        try #require(names.count == 2)
        let first = try headers(of: names[0])
        let second = try headers(of: names[1])
        let firstID = try #require(first["message-id"])
        #expect(first["in-reply-to"] == nil)
        #expect(second["in-reply-to"] == firstID)
        #expect(second["references"] == firstID)
    }

    @Test func anOrganisationsOwnWordingIsCheckedKeptAndSent() throws {
        let duly = try plannedLedger()
        let threat = try duly.write("threat.txt", "Pay {{customer_name}} or we will take legal action.\n")
        let refused = try duly.run(["templates", "set", "first_follow_up", "--language", "en", "--text", threat])
        #expect(refused.status == 65)
        #expect(refused.errors.contains("legal action"), "\(refused.errors)")
        #expect(refused.errors.contains("Nothing was stored"))
        let kind = try duly.write(
            "kind.txt", "Hello {{customer_name}}, a gentle nudge from the studio team. Just reply if we can help.\n")
        let stored = try duly.run(["templates", "set", "first_follow_up", "--language", "en", "--text", kind])
        #expect(stored.status == 0, "\(stored.errors)")
        #expect(try duly.run(["templates", "lint"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-09"]).output.contains("8 sent"))
        let outbox = duly.folder.appendingPathComponent("outbox")
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted().first)
        let message = String(decoding: try Data(contentsOf: outbox.appendingPathComponent(first)), as: UTF8.self)
        #expect(message.contains("a gentle nudge from the studio team"))
        #expect(
            try duly.run(["templates", "reset", "first_follow_up", "--language", "en"]).output.contains("built-in"))
    }

    /// 50 trials: the deliverer is SIGKILLed at a random protocol point of a random message — waiting for the
    /// server's answer to MAIL FROM or RCPT TO (nothing accepted yet), or right after the server accepted a message
    /// but before the client heard so (the window no sender can see into). After a clean second pass, every one of
    /// the eight messages is in the mailbox exactly once.
    @Test func killingTheDelivererAtRandomPointsNeverLosesOrDuplicatesAMessage() throws {
        let template = try plannedLedger()
        let database = template.folder.appendingPathComponent("duly.sqlite")
        var random = SystemRandomNumberGenerator()
        let points = ["mail", "rcpt", "data-end"]
        for trial in 1...50 {
            let duly = try DulyProcess()
            try FileManager.default.copyItem(at: database, to: duly.folder.appendingPathComponent("duly.sqlite"))
            let mailbox = duly.folder.appendingPathComponent("mailbox")
            let point = points.randomElement(using: &random)!
            let at = Int.random(in: 1...8, using: &random)

            let holding = try LoopbackServer.crashSMTP(folder: mailbox, hold: point, at: at)
            let deliverer = Process()
            deliverer.executableURL = DulyProcess.executable
            // Its claims on the clients lapse after a second, so that the next pass takes them over at once.
            deliverer.arguments = [
                "deliver", "--as-of", "2026-03-09", "--transport", "smtp://127.0.0.1:\(holding.port)?starttls=never",
                "--database", duly.databaseURL, "--lease-seconds", "1",
            ]
            deliverer.currentDirectoryURL = duly.folder
            deliverer.standardOutput = FileHandle.nullDevice
            deliverer.standardError = FileHandle.nullDevice
            try deliverer.run()
            let held = try holding.nextLine()
            #expect(held["held"] as? String == point)
            kill(deliverer.processIdentifier, SIGKILL)
            deliverer.waitUntilExit()
            #expect(deliverer.terminationReason == .uncaughtSignal, "trial \(trial): the deliverer was killed")
            holding.stop()

            let server = try LoopbackServer.crashSMTP(folder: mailbox)
            let recovery = try deliver(duly, port: server.port)
            server.stop()
            #expect(recovery.status == 0, "trial \(trial) (\(point) #\(at)): \(recovery.errors)")
            let ids = try messageIDs(in: mailbox)
            #expect(
                ids.count == 8 && Set(ids).count == 8,
                "trial \(trial), killed at \(point) of message \(at): \(ids.count) messages, \(Set(ids).count) distinct"
            )
        }
    }
}

@Suite("Delivery failures")
struct DeliveryFailureTests {
    private func ledger(email: String) throws -> DulyProcess {
        let duly = try DulyProcess()
        try duly.oneClientLedger(email: email, issued: "2026-01-05", due: "2026-02-04")
        try #require(try duly.run(["run", "--as-of", "2026-03-09", "--json"]).lines.count == 1)
        return duly
    }

    private func deliver(_ duly: DulyProcess, port: Int, on date: String) throws -> DulyProcess.Outcome {
        try duly.run(["deliver", "--as-of", date, "--transport", "smtp://127.0.0.1:\(port)?starttls=never"])
    }

    @Test func aTemporaryRefusalIsRetriedLaterAndThenGoesThrough() throws {
        let duly = try ledger(email: "tempfail@acme.example")
        let server = try LoopbackServer.smtp(folder: duly.folder.appendingPathComponent("mailbox"))
        defer { server.stop() }
        #expect(try deliver(duly, port: server.port, on: "2026-03-09").output.contains("0 sent, 1 to retry"))
        // The retry waits five minutes: on the next day it is due, and the server now accepts.
        #expect(try deliver(duly, port: server.port, on: "2026-03-10").output.contains("1 sent"))
        let timeline = try duly.run(["timeline", "C1"]).output
        #expect(timeline.contains("not delivered yet, will retry"))
        #expect(timeline.contains("sent to tempfail@acme.example"))
    }

    @Test func aBounceFailsTheActionMarksTheAddressAndTheNextRunSkipsEmail() throws {
        let duly = try ledger(email: "bounce@acme.example")
        let server = try LoopbackServer.smtp(folder: duly.folder.appendingPathComponent("mailbox"))
        defer { server.stop() }
        #expect(try deliver(duly, port: server.port, on: "2026-03-09").output.contains("1 failed"))
        let worklist = try duly.run(["worklist", "--json", "--as-of", "2026-03-09"])
        #expect(worklist.output.contains("\"kind\":\"failed_delivery\""))
        #expect(worklist.output.contains("5.1.1"))
        // The ladder moves on (a call on 16 March, skipped: no phone number), and its next email does not use the
        // bouncing address: the step is recorded as skipped.
        #expect(try duly.run(["run", "--as-of", "2026-03-16"]).status == 0)
        let next = try duly.run(["run", "--as-of", "2026-03-23", "--json"])
        #expect(next.output.contains("\"status\":\"skipped\""), "\(next.output)")
        #expect(next.output.contains("no email address that works"))
    }
}
