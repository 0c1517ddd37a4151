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
        let process = Process()
        process.executableURL = DulyProcess.executable
        process.arguments = ["serve", "--port", "0", "--database", duly.databaseURL]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Standard output's first line says where it listens, once it accepts connections.
        let line = try #require(Self.firstLine(of: output.fileHandleForReading))
        #expect(line.hasPrefix("Serving the Duly API on http://127.0.0.1:"))
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") })
        let base = String(address.dropLast())  // the trailing slash

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
