import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `duly serve` as an operator runs it: the built executable on a free port against a SQLite file, stopped with
/// SIGTERM.
@Suite struct ServeCommandTests {
    @Test func serveAnswersReadyAndTheAPIThenStopsCleanlyOnSIGTERM() async throws {
        // Given an organisation with a customer, a manager and their token
        let duly = try DulyProcess.studio(
            customers: ["C-1,Bakery,ap@bakery.example,,NL,nl,,,"],
            invoices: ["INV-1,C-1,2026-01-05,2026-02-04,EUR,120.00,,"])
        let added = try duly.run(
            ["user", "add", "ann@studio.example", "--role", "manager", "--password-stdin"],
            input: "a long enough password\n")
        #expect(added.status == 0, "\(added.errors)")
        let created = try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "test"])
        #expect(created.status == 0, "\(created.errors)")
        let token = try #require(created.lines.first)

        // When it serves on a free port
        // The deliverer and the scheduler stay off: this test is about the API (the next one runs them).
        let (process, line) = try Self.serve(duly, ["--no-deliver", "--no-schedule"])
        defer { if process.isRunning { process.terminate() } }
        #expect(line.hasPrefix("Serving the Duly API on http://127.0.0.1:"))
        let base = try Self.base(line)

        // Then it is up, ready, and serves the API to the token
        var health: Int?
        for _ in 0..<50 where health != 200 {
            health = try? await Self.get(base + "/health").status
        }
        #expect(health == 200)
        #expect(try await Self.get(base + "/ready").status == 200)
        let invoice = try await Self.get(base + "/api/v1/invoices/INV-1", token: token)
        #expect(invoice.status == 200)
        #expect(invoice.body.contains(#""open":"120.00""#))

        // And SIGTERM stops it with a clean exit
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test func theAPIWorksInterestOutWithTheRateFileServeWasGiven() async throws {
        // Given Studio (Dutch law) with an invoice late into the second half of 2026, whose ECB rate is not built
        // in, and a rate file that adds it
        let duly = try DulyProcess.studio(
            customers: ["C-1,Bakery,ap@bakery.example,,NL,nl,,,"],
            invoices: ["INV-1,C-1,2026-01-05,2026-02-04,EUR,120.00,,"])
        _ = try duly.run(
            ["user", "add", "ann@studio.example", "--role", "viewer", "--password-stdin"],
            input: "a long enough password\n")
        let token = try #require(
            try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "test"]).lines.first)
        let rates = try duly.write("rates.csv", "reference,valid_from,rate_percent\nECB,2026-07-01,2.00\n")

        // When it serves with --rates, as `duly interest` takes it
        let (process, line) = try Self.serve(
            duly, ["--no-deliver", "--no-schedule", "--as-of", "2026-08-01", "--rates", rates])
        defer { if process.isRunning { process.terminate() } }
        let base = try Self.base(line)

        // Then the API's interest covers the added half-year and names the file
        let interest = try await Self.get(base + "/api/v1/invoices/INV-1/interest", token: token)
        #expect(interest.status == 200, "\(interest.body)")
        #expect(interest.body.contains(#""rates_source":"built-in table with \#(rates) over it""#))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    @Test func aDayPostedThroughTheAPIIsDeliveredByTheServerAndCountedThenSIGTERMLeavesNothingHalfWritten()
        async throws
    {
        // Given Studio with an overdue invoice, a manager's token, and `duly serve` standing on 2026-03-20 with
        // its deliverer passing every second into an outbox folder
        let duly = try DulyProcess.studio(
            customers: ["C-1,Bakery,ap@bakery.example,,NL,nl,,,"],
            invoices: ["INV-1,C-1,2026-01-05,2026-02-04,EUR,120.00,,"])
        _ = try duly.run(
            ["user", "add", "ann@studio.example", "--role", "manager", "--password-stdin"],
            input: "a long enough password\n")
        let token = try #require(
            try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "test"]).lines.first)
        let outbox = duly.folder.appendingPathComponent("outbox")
        let (process, line) = try Self.serve(
            duly,
            [
                "--as-of", "2026-03-20", "--no-schedule", "--deliver-every", "1", "--transport", "file:" + outbox.path,
                "--letters", duly.folder.appendingPathComponent("letters").path,
            ])
        defer { if process.isRunning { process.terminate() } }
        let base = try Self.base(line)

        // When an invoice and a payment are posted and the day is run through the API
        let invoice = try await Self.post(
            base + "/api/v1/invoices", token: token,
            body: #"{"invoice_number":"INV-2","customer_id":"C-1","issue_date":"2026-01-10","#
                + #""due_date":"2026-02-09","currency":"EUR","total":"200.00"}"#)
        #expect(invoice.status == 201, "\(invoice.body)")
        let payment = try await Self.post(
            base + "/api/v1/payments", token: token,
            body: #"{"payment_id":"PAY-1","customer_id":"C-1","date":"2026-03-19","currency":"EUR","#
                + #""amount":"50.00","invoice_number":"INV-1"}"#)
        #expect(payment.status == 201, "\(payment.body)")
        let run = try await Self.post(base + "/api/v1/runs", token: token, body: #"{"as_of":"2026-03-20"}"#)
        #expect(run.status == 201, "\(run.body)")
        #expect(!run.body.contains(#""planned":0"#), "\(run.body)")

        // Then the deliverer writes the reminder to the outbox, and the metrics say so (bounded: each look is a
        // request to the server, at most a few thousand, well past the one-second pass)
        var sent: String?
        for _ in 0..<5000 where sent == nil {
            let metrics = try await Self.get(base + "/metrics").body
            sent = metrics.split(separator: "\n").first {
                $0.hasPrefix(#"duly_messages_sent_total{organisation="default"}"#) && !$0.hasSuffix(" 0")
            }.map(String.init)
        }
        #expect(sent != nil)
        let metrics = try await Self.get(base + "/metrics").body
        #expect(metrics.contains(#"duly_actions_planned_total{organisation="default"}"#))
        #expect(metrics.contains(#"duly_http_requests_total{route="/api/v1/payments",method="POST",status="201"} 1"#))
        let written = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        #expect(written.contains { $0.hasSuffix(".eml") })

        // And SIGTERM stops it cleanly: every file in the outbox is a whole message, and a `duly deliver` after it
        // finds nothing left half-sent to send again
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        #expect(after.allSatisfy { $0.hasSuffix(".eml") }, "\(after)")
        let again = try duly.run(
            [
                "deliver", "--as-of", "2026-03-20", "--transport", "file:" + outbox.path, "--letters",
                duly.folder.appendingPathComponent("letters").path, "--json",
            ])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains(#""sent":[]"#), "\(again.output)")
    }

    @Test func theDemoServedPrintsALoginWhoseTokenOpensTheAPI() async throws {
        // Given an empty folder
        let duly = try DulyProcess()

        // When the demo is built and served, the login comes before the address line
        let (process, lines) = try Self.serveDemo(duly, asOf: "2026-03-10")
        defer { if process.isRunning { process.terminate() } }
        let token = try #require(
            lines.first { $0.hasPrefix("  token ") }?.split(separator: " ").last.map(String.init))
        #expect(lines.contains { $0.hasPrefix("  email: demo@duly.example password: ") })
        let base = try Self.base(try #require(lines.last))

        // Then the token opens the demo's worklist, and SIGTERM stops the server cleanly
        let worklist = try await Self.get(base + "/api/v1/worklist", token: token)
        #expect(worklist.status == 200, "\(worklist.body)")
        #expect(worklist.body.contains(#""data":["#))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Starts `duly serve` on a free port against the test's database, in its folder; returns the process and the
    /// first line of its standard output, which it prints once it accepts connections.
    private static func serve(_ duly: DulyProcess, _ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = DulyProcess.executable
        process.arguments = ["serve", "--port", "0", "--database", duly.databaseURL] + arguments
        process.currentDirectoryURL = duly.folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let line = firstLine(of: output.fileHandleForReading) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        return (process, line)
    }

    /// The address the first line names, without its trailing slash.
    private static func base(_ line: String) throws -> String {
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") })
        return String(address.dropLast())
    }

    private static func post(_ url: String, token: String, body: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Starts `duly demo --serve` on a free port in the test's folder; returns the process and what it printed up to
    /// and with its address line.
    static func serveDemo(_ duly: DulyProcess, asOf date: String) throws -> (process: Process, lines: [String]) {
        let process = Process()
        process.executableURL = DulyProcess.executable
        process.arguments = ["demo", "--serve", "--port", "0", "--as-of", date, "--database", duly.databaseURL]
        process.currentDirectoryURL = duly.folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines: [String] = []
        while let line = Self.firstLine(of: output.fileHandleForReading) {
            lines.append(line)
            if line.hasPrefix("Serving the Duly API on") { break }
        }
        return (process, lines)
    }

    private static func firstLine(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }

    private static func get(_ url: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
