import Logging
import Synchronization
import Testing

@testable import DulyServer

/// The lines `duly serve` writes: one per request, with its request id, and never a token.
@Suite struct ServerLogTests {
    /// Every line a handler wrote, in order.
    final class Lines: Sendable {
        let written = Mutex<[String]>([])
        var all: [String] { written.withLock { $0 } }

        func logger(level: Logger.Level = .info) -> Logger {
            var logger = Logger(label: "duly.test") { label in
                ServerLogHandler(label: label) { line in self.written.withLock { $0.append(line) } }
            }
            logger.logLevel = level
            return logger
        }
    }

    @Test func eachRequestWritesOneLineWithItsRequestIDAndNeverTheToken() async throws {
        let server = try await TestServer.make()
        let lines = Lines()
        let token = server.tokens[.viewer]!
        try await server.test(logger: lines.logger()) { client in
            let answer = try await client.call(.get, "/api/v1/customers/C-100", token: token)
            #expect(answer.status == .ok)
        }
        let requests = lines.all.filter { $0.contains("/api/v1/customers/C-100") }
        #expect(requests.count == 1)
        #expect(requests.first?.contains("hb.request.id=") == true)
        #expect(requests.first?.contains("hb.request.method=GET") == true)
        #expect(!lines.all.contains { $0.contains(token) || $0.contains(APIToken.hash(token)) })
    }

    @Test func aLineCarriesTheLoggersMetadataAndItsOwnSortedByKeyTheLinesOwnWinning() {
        let lines = Lines()
        var logger = lines.logger()
        logger[metadataKey: "zone"] = "Europe/Amsterdam"
        logger[metadataKey: "org"] = "studio"
        logger.info("Run finished", metadata: ["actions": "3", "org": "other"])
        #expect(lines.all.count == 1)
        let expected = " info duly.test: actions=3 org=other zone=Europe/Amsterdam [DulyServerTests] Run finished\n"
        #expect(lines.all.first?.hasSuffix(expected) == true)
    }

    @Test func aLineBelowTheLoggersLevelIsNotWritten() {
        let lines = Lines()
        let logger = lines.logger(level: .info)
        logger.debug("Planning customer C-100")
        #expect(lines.all.isEmpty)
    }

    @Test func aLineStartsWithTheLocalTimeToTheSecondAndItsOffset() throws {
        let lines = Lines()
        lines.logger().info("Started")
        let line = try #require(lines.all.first)
        let stamp = try #require(line.split(separator: " ").first)
        // 2026-06-30T07:00:00+0200
        #expect(stamp.count == 24)
        #expect(stamp.dropFirst(10).first == "T")
        #expect(stamp.dropFirst(19).first == "+" || stamp.dropFirst(19).first == "-")
    }
}
