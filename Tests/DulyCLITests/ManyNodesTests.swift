import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several Duly processes on one PostgreSQL database (docs/ARCHITECTURE.md, "Many nodes"): they share the collection
/// day and the outbox through claims, and a process killed mid-work is taken over once its claims lapse.
@Suite(.enabled(if: postgresTestServer != nil))
struct ManyNodesTests {
    private static let clients = 40

    /// A studio with forty clients, each with one invoice overdue on 2026-03-09.
    private func ledger(_ url: String, in duly: DulyProcess) throws {
        try #require(
            try duly.run(
                [
                    "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone",
                    "Europe/Amsterdam", "--from-address", "ar@studio.example", "--payment-instructions",
                    "IBAN NL91 ABNA 0417 1643 00", "--database", url,
                ], database: false
            ).status == 0)
        let ids = (1...Self.clients).map { $0 < 10 ? "C0\($0)" : "C\($0)" }
        let customers =
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
            + ids.map { "\($0),Client \($0),ap@\($0.lowercased()).example,,NL,en,Europe/Amsterdam,Pat,\n" }.joined()
        let invoices =
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
            + ids.map { "INV-\($0),\($0),2026-01-05,2026-02-04,EUR,100.00,net 30,\n" }.joined()
        for (kind, text) in [("customers", customers), ("invoices", invoices)] {
            let imported = try duly.run(
                ["import", kind, try duly.write("\(kind).csv", text), "--database", url], database: false)
            try #require(imported.status == 0, "\(imported.errors)")
        }
    }

    /// `duly ARGUMENTS`, started and not waited for; its output is read when it ends.
    private func start(_ arguments: [String], in duly: DulyProcess) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = DulyProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = duly.folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, output)
    }

    private func finish(_ started: (Process, Pipe)) -> (status: Int32, output: String) {
        let data = started.1.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return (started.0.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // The number before `word` in a summary line ("planned 13 actions", "13 sent").
    private func count(before word: String, in text: String) -> Int {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
        guard let index = words.firstIndex(where: { $0.hasPrefix(word) }), index > 0 else { return 0 }
        return Int(words[index - 1]) ?? Int(words[index + 1]) ?? 0
    }

    @Test func threeNodesShareTheDayAndAKilledDelivererIsTakenOverSoEveryMessageArrivesOnce() throws {
        try PostgresCommandLineTests.withDatabase { url in
            let duly = try DulyProcess()
            try ledger(url, in: duly)

            // Three collection days started at once, in batches of five clients: each batch is planned once.
            let runs = try (0..<3).map { _ in
                try start(
                    ["run", "--as-of", "2026-03-09", "--batch-size", "5", "--lease-seconds", "60", "--database", url],
                    in: duly)
            }.map(finish)
            for run in runs { #expect(run.status == 0, "\(run.output)") }
            let planned = runs.map { count(before: "action", in: $0.output) }
            #expect(planned.reduce(0, +) == Self.clients, "each client's reminder planned once: \(planned)")
            let again = try duly.run(["run", "--as-of", "2026-03-09", "--json", "--database", url], database: false)
            #expect(again.status == 0 && again.lines.isEmpty, "the day is done: \(again.output)")

            // The first deliverer stops forever at the fifth message (the server never answers its RCPT TO) and is
            // killed there, holding its claim on the clients it took. Two more deliverers start meanwhile.
            let mailbox = duly.folder.appendingPathComponent("mailbox")
            let server = try LoopbackServer.crashSMTP(folder: mailbox, hold: "rcpt", at: 5)
            defer { server.stop() }
            let transport = "smtp://127.0.0.1:\(server.port)?starttls=never"
            // The first deliverer's claims lapse after three seconds; the others' hold for a minute, however slow
            // the machine, so that nobody but the dead one is taken over.
            let deliver = ["deliver", "--as-of", "2026-03-09", "--transport", transport, "--database", url]
            let first = try start(deliver + ["--lease-seconds", "3"], in: duly)
            let held = try server.nextLine()
            #expect(held["held"] as? String == "rcpt")
            kill(first.0.processIdentifier, SIGKILL)
            first.0.waitUntilExit()
            #expect(first.0.terminationReason == .uncaughtSignal, "the first deliverer was killed mid-batch")
            let others = try (0..<2).map { _ in try start(deliver + ["--lease-seconds", "60"], in: duly) }.map(finish)
            for other in others { #expect(other.status == 0, "\(other.output)") }

            // The two finished the outbox, the killed one's clients included once its claims lapsed: every client
            // got exactly one message.
            let sent = others.map { count(before: "sent", in: $0.output) }
            #expect(sent.reduce(0, +) == Self.clients - 4, "the others sent the rest: \(sent)")
            let messages = try FileManager.default.contentsOfDirectory(atPath: mailbox.path).filter {
                $0.hasSuffix(".eml")
            }
            let recipients = try messages.map { name in
                let text = String(
                    decoding: try Data(contentsOf: mailbox.appendingPathComponent(name)), as: UTF8.self)
                return text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") }.map(String.init) ?? ""
            }
            #expect(messages.count == Self.clients, "\(messages.count) messages for \(Self.clients) clients")
            #expect(Set(recipients).count == Self.clients, "one message per client")
        }
    }

    @Test func aCollectionDayKilledMidBatchIsFinishedByTheOthersOnceItsClaimsLapse() throws {
        try PostgresCommandLineTests.withDatabase { url in
            let duly = try DulyProcess()
            try ledger(url, in: duly)
            // A session of our own holds client C20's lock (the one a run takes to write C20's actions), so the first
            // run plans its batches, then stops while writing the one with C20, holding their claims. It is killed
            // there.
            let session = try PostgresSession(url)
            try session.run("SELECT pg_advisory_lock(hashtextextended('default' || E'\\x1F' || 'C20', 0))")
            let arguments = ["run", "--as-of", "2026-03-09", "--batch-size", "5", "--database", url]
            let first = try start(arguments + ["--lease-seconds", "3"], in: duly)
            try session.waitUntil("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            kill(first.0.processIdentifier, SIGKILL)
            first.0.waitUntilExit()
            #expect(first.0.terminationReason == .uncaughtSignal, "the first run was killed mid-batch")
            // What it wrote before the batch it died in stays written (a free writer takes the first batch alone).
            let writtenByTheFirst = Int(try session.run("SELECT count(*) FROM actions")) ?? -1

            // Two more runs find every batch held by the dead one, wait for its claims to lapse (three seconds), and
            // share the day; their own claims hold for a minute, however slow the machine.
            try session.run("SELECT pg_advisory_unlock_all()")
            let others = try (0..<2).map { _ in try start(arguments + ["--lease-seconds", "60"], in: duly) }.map(finish)
            for other in others { #expect(other.status == 0, "\(other.output)") }
            let planned = others.map { count(before: "action", in: $0.output) }
            #expect(
                writtenByTheFirst + planned.reduce(0, +) == Self.clients,
                "each client's reminder planned once: \(writtenByTheFirst) then \(planned)")
            let again = try duly.run(["run", "--as-of", "2026-03-09", "--json", "--database", url], database: false)
            #expect(again.status == 0 && again.lines.isEmpty, "the day is done: \(again.output)")
            #expect(try session.run("SELECT count(*) FROM actions") == "\(Self.clients)", "every action written once")
            try session.close()
        }
    }
}

/// A `psql` session kept open, to hold a lock while Duly's processes run.
private final class PostgresSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(_ url: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url.replacingOccurrences(of: "?sslmode=disable", with: ""), "-qtAX"]
        process.environment = ["PGSSLMODE": "disable"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Runs one statement and returns its first line of output once it has answered.
    @discardableResult
    func run(_ statement: String) throws -> String {
        input.fileHandleForWriting.write(Data((statement + ";\n\\echo END-OF-ANSWER\n").utf8))
        var answer = ""
        while !answer.contains("END-OF-ANSWER\n") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw CocoaError(.fileReadUnknown) }
            answer += String(decoding: data, as: UTF8.self)
        }
        return answer.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Asks `count` again until it answers more than zero: another session is waiting for our lock.
    func waitUntil(_ count: String) throws {
        let deadline = Date().addingTimeInterval(120)
        while try run(count) == "0" {
            guard Date() < deadline else { throw CocoaError(.fileReadUnknown) }
        }
    }

    func close() throws {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
