import DulyChannels
import Foundation
import Testing

@Suite("Writing messages to a folder")
struct FileTransportTests {
    private func message(_ name: String = "2026-03-09-C1-7.eml") -> OutgoingMessage {
        OutgoingMessage(
            actionID: 7, customerID: "C1", channel: .email, messageID: "<k7@duly.test>", sender: "ar@studio.example",
            recipients: ["ap@client.example"], content: Array("Subject: Invoice\r\n\r\nHello\r\n".utf8),
            suggestedFileName: name)
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("duly-files-\(UUID().uuidString)").path
    }

    @Test func aMessageLandsWholeOnlyAfterItsCommitIsRecorded() async throws {
        let path = folder()
        let transport = FileTransport(folder: path)
        let target = (path as NSString).appendingPathComponent("2026-03-09-C1-7.eml")
        try await transport.send(message()) {
            // At the moment the outbox records "committed", the message is written but not yet in place.
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        #expect(FileManager.default.contents(atPath: target) == Data(message().content))
    }

    @Test func aCommitThatFailsLeavesNoMessageBehind() async throws {
        struct Refused: Error {}
        let path = folder()
        let transport = FileTransport(folder: path)
        await #expect(throws: Refused.self) {
            try await transport.send(message()) { throw Refused() }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }
        #expect(names.isEmpty)
    }

    @Test func aMessageCommittedBeforeACrashIsMovedIntoPlaceOnRecovery() async throws {
        struct Crash: Error {}
        let path = folder()
        let transport = FileTransport(folder: path)
        // The "crash": the commit was recorded, then the process died before the rename.
        try? await transport.send(message()) { throw Crash() }
        try await transport.completeCommitted(message())
        let target = (path as NSString).appendingPathComponent("2026-03-09-C1-7.eml")
        #expect(FileManager.default.contents(atPath: target) == Data(message().content))
        // Recovering again finds nothing left to do.
        try await transport.completeCommitted(message())
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["2026-03-09-C1-7.eml"])
    }
}
