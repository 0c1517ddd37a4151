import DulyChannels
import Foundation
import Synchronization
import Testing

@testable import duly

/// The transports of `serve`'s deliverer refuse the next message once the server is stopping, before the deliverer
/// records anything of it, and send as usual until then.
@Suite struct StopBetweenMessagesTests {
    static func message() -> OutgoingMessage {
        OutgoingMessage(
            actionID: 7, customerID: "C1", channel: .email, messageID: "<k@studio.example>",
            sender: "ar@studio.example", recipients: ["ap@bakery.example"],
            content: Array("Subject: Hi\r\n\r\nHi\r\n".utf8),
            suggestedFileName: "2026-03-09-C1-7.eml")
    }

    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("duly-stop-\(UUID().uuidString)").path
    }

    @Test func onceStoppingTheNextMessageIsRefusedBeforeItsIntentAndNothingIsWritten() async throws {
        let path = Self.folder()
        let transport = StopBetweenMessages(wrapped: FileTransport(folder: path), isStopping: { true })
        let readied = Mutex(false)
        await #expect(throws: TransportError.configuration(StopBetweenMessages.reason)) {
            try await transport.send(Self.message(), whenReady: { readied.withLock { $0 = true } }, beforeCommit: {})
        }
        #expect(!readied.withLock { $0 })
        #expect((try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? true)
    }

    @Test func untilStoppingMessagesGoThroughTheWrappedTransport() async throws {
        let path = Self.folder()
        let transport = StopBetweenMessages(wrapped: FileTransport(folder: path), isStopping: { false })
        try await transport.send(Self.message(), whenReady: {}, beforeCommit: {})
        let target = (path as NSString).appendingPathComponent("2026-03-09-C1-7.eml")
        #expect(FileManager.default.contents(atPath: target) == Data(Self.message().content))
    }
}
