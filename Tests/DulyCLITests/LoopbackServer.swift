import Foundation
import Testing

/// A Python test server on loopback (an SMTP server, say): started with its arguments, it prints one JSON line with
/// its port when it listens, may print more lines as things happen, and stops when its standard input closes (a
/// signal could be ignored by whatever started the test runner).
final class LoopbackServer {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let port: Int

    /// Starts `python3 SCRIPT ARGUMENTS…`; `script` is relative to the Tests folder.
    init(script: String, arguments: [String]) throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", tests.appendingPathComponent(script).path] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        port = try #require(try LoopbackServer.readLine(output)["port"] as? Int)
    }

    /// Blocks until the server prints its next line (reading it is the wait: no sleeping).
    func nextLine() throws -> [String: Any] { try LoopbackServer.readLine(output) }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ pipe: Pipe) throws -> [String: Any] {
        var line = Data()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        return try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
    }

    /// The crash-test server (DulyCLITests/Support/crash_smtp_server.py), optionally holding at a point.
    static func crashSMTP(folder: URL, hold: String? = nil, at: Int = 1) throws -> LoopbackServer {
        try LoopbackServer(
            script: "DulyCLITests/Support/crash_smtp_server.py",
            arguments: [folder.path] + (hold.map { ["--hold", $0, "--at", String(at)] } ?? []))
    }

    /// The general SMTP test server (DulyChannelsTests/Support/smtp_server.py): `*tempfail*` recipients get 451 the
    /// first time, `*bounce*` recipients 550 5.1.1; `--smtputf8` offers SMTPUTF8.
    static func smtp(folder: URL, options: [String] = []) throws -> LoopbackServer {
        try LoopbackServer(
            script: "DulyChannelsTests/Support/smtp_server.py", arguments: [folder.path, "--port", "0"] + options)
    }
}

extension DulyProcess {
    /// An organisation with a sender, one client (C1, Acme, at `email`) and one invoice INV-1 of EUR 100.00.
    func oneClientLedger(email: String = "ap@acme.example", issued: String, due: String) throws {
        try #require(
            try run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example",
            ]).status == 0)
        let customers = try write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C1,Acme,\(email),,NL,en,Europe/Amsterdam,Ann,\n")
        try #require(try run(["import", "customers", customers]).status == 0)
        let invoices = try write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "INV-1,C1,\(issued),\(due),EUR,100.00,net 30,\n")
        try #require(try run(["import", "invoices", invoices]).status == 0)
    }
}
