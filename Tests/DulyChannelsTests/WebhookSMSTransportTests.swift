import DulyChannels
import Foundation
import Testing

/// Runs the stand-in gateway (Support/sms_gateway.py) on loopback for one test.
private final class SMSGateway {
    let process = Process()
    let input = Pipe()
    let port: Int
    let log: URL

    init(secret: String) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("duly-sms-\(UUID().uuidString).jsonl")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/sms_gateway.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, secret, log.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // The gateway prints its port once it listens: reading that line is the wait, no sleeping.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    func received() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    deinit {
        // Closing its standard input stops the gateway (a signal might be ignored by what started us).
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

@Suite("Text messages through a signed webhook")
struct WebhookSMSTransportTests {
    private func message(to number: String) -> OutgoingMessage {
        OutgoingMessage(
            actionID: 12, customerID: "C7", channel: .sms, messageID: "<k12@duly.test>", sender: "Northwind",
            recipients: [number], content: Array("Invoice NW-1 (EUR 120.00) is now 5 days overdue.".utf8),
            suggestedFileName: "12.txt")
    }

    @Test func theGatewayVerifiesTheSignatureAndGetsTheMessage() async throws {
        let gateway = try SMSGateway(secret: "s3cret")
        let transport = WebhookSMSTransport(
            url: URL(string: "http://127.0.0.1:\(gateway.port)/sms")!, secret: "s3cret", timestamp: { 1_767_225_600 })
        let committed = Flag()
        try await transport.send(message(to: "+31612345678")) { committed.set() }
        #expect(committed.isSet)
        let received = try gateway.received()
        try #require(received.count == 1)
        #expect(received[0]["verified"] as? Bool == true)
        #expect(received[0]["idempotency_key"] as? String == "<k12@duly.test>")
        let body = try #require(received[0]["body"] as? [String: String])
        #expect(body["to"] == "+31612345678")
        #expect(body["text"] == "Invoice NW-1 (EUR 120.00) is now 5 days overdue.")
    }

    @Test func aWrongSecretFailsTheGatewaysCheck() async throws {
        let gateway = try SMSGateway(secret: "s3cret")
        let transport = WebhookSMSTransport(
            url: URL(string: "http://127.0.0.1:\(gateway.port)/sms")!, secret: "other", timestamp: { 1_767_225_600 })
        try await transport.send(message(to: "+31612345678")) {}
        #expect(try gateway.received().first?["verified"] as? Bool == false)
    }

    @Test func refusalsArePermanentAndOutagesTemporaryAndNeitherCommits() async throws {
        let gateway = try SMSGateway(secret: "s3cret")
        let transport = WebhookSMSTransport(
            url: URL(string: "http://127.0.0.1:\(gateway.port)/sms")!, secret: "s3cret", timestamp: { 1_767_225_600 })
        let committed = Flag()
        await #expect(throws: TransportError.permanent("SMS gateway refused the message (400)", bouncedAddress: nil)) {
            try await transport.send(message(to: "invalid-number")) { committed.set() }
        }
        await #expect(throws: TransportError.temporary("SMS gateway answered 503")) {
            try await transport.send(message(to: "tempfail")) { committed.set() }
        }
        #expect(!committed.isSet)
    }
}

/// A thread-safe flag a `@Sendable` closure can raise.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
