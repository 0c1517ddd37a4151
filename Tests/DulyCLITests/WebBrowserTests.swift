import Foundation
import Testing

// The web screens in real headless Chromium, driven by Selenium (Debian's chromium and chromium-driver, Selenium from
// PyPI; .ci/run installs them). Without them this test fails rather than passes vacuously. Screenshots of each screen
// go to .build/screenshots/web/ (not committed).
@Suite("The web screens in Chromium")
struct WebBrowserTests {
    @Test func aCollectorSignsInLogsACallApprovesAnEscalationAndOpensAnAccount() async throws {
        let python = try Self.executable("python3", package: "python3")
        let chromium = try Self.executable("chromium", package: "chromium")
        let driver = try Self.executable("chromedriver", package: "chromium-driver")
        let selenium = try Self.run(python, ["-c", "import selenium"])
        try #require(selenium.status == 0, "Selenium is not installed: python3 -m pip install selenium (see .ci/run)")

        // Given the demo served on a free port, on a day with calls to make and an escalation awaiting approval
        let duly = try DulyProcess()
        let (process, lines) = try ServeCommandTests.serveDemo(duly, asOf: "2026-03-10")
        defer { if process.isRunning { process.terminate() } }
        let login = try #require(lines.first { $0.hasPrefix("  email: ") }, "\(lines)")
        let words = login.split(separator: " ")
        let (email, password) = (String(words[1]), String(words[3]))
        let address = try #require(lines.last?.split(separator: " ").first { $0.hasPrefix("http://") })
        let base = String(address.dropLast())

        // When a person works the screens in Chromium
        let shots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/screenshots/web").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/web_browser.py").path
        let run = try Self.run(
            python, [script, base, email, password, shots],
            environment: ["CHROMIUM": chromium, "CHROMEDRIVER": driver])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// An executable on PATH, or a failure saying what to install.
    static func executable(_ name: String, package: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        return try #require(found, "\(name) is not installed: apt-get install \(package) (see .ci/run)")
    }

    static func run(
        _ tool: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }
}
