import Foundation
import Testing

// The web screens in real headless Chromium, driven by Selenium (Debian's chromium and chromium-driver, Selenium from
// PyPI; .ci/run installs them). Without them this test fails rather than passes vacuously. Screenshots of each screen
// go to .build/screenshots/web/ (not committed).
@Suite("The web screens in Chromium")
struct WebBrowserTests {
    @Test func aCollectorSignsInLogsACallApprovesAnEscalationAndOpensAnAccount() async throws {
        // Given the demo served on a free port, on a day with calls to make and an escalation awaiting approval
        let demo = try DemoInBrowser()
        defer { demo.terminate() }

        // When a person works the screens in Chromium
        let run = try demo.run("web_browser.py", [demo.shots])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        #expect(demo.stop() == 0)
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

/// `duly demo --serve` on a free port (on 2026-03-10, a day with calls to make, an escalation to approve and emails
/// delivered to `outbox/demo`), and Selenium scripts from `Support/` run against it in headless Chromium. Without
/// Chromium, chromedriver or Selenium it fails, saying what to install, rather than letting a test pass vacuously.
struct DemoInBrowser {
    let duly: DulyProcess
    let base: String
    let email: String
    let password: String
    /// Where screenshots go: `.build/screenshots/web/` (not committed).
    let shots: String
    /// The package's root folder.
    let root: URL
    private let server: Process
    private let tools: (python: String, chromium: String, driver: String)

    init(file: String = #filePath) throws {
        let python = try WebBrowserTests.executable("python3", package: "python3")
        tools = (
            python, try WebBrowserTests.executable("chromium", package: "chromium"),
            try WebBrowserTests.executable("chromedriver", package: "chromium-driver")
        )
        let selenium = try WebBrowserTests.run(python, ["-c", "import selenium"])
        try #require(selenium.status == 0, "Selenium is not installed: python3 -m pip install selenium (see .ci/run)")
        duly = try DulyProcess()
        let (process, lines) = try ServeCommandTests.serveDemo(duly, asOf: "2026-03-10")
        server = process
        let login = try #require(lines.first { $0.hasPrefix("  email: ") }, "\(lines)")
        let words = login.split(separator: " ")
        (email, password) = (String(words[1]), String(words[3]))
        let address = try #require(lines.last?.split(separator: " ").first { $0.hasPrefix("http://") })
        base = String(address.dropLast())
        root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        shots = root.appendingPathComponent(".build/screenshots/web").path
    }

    /// Runs `Support/SCRIPT BASE_URL EMAIL PASSWORD ARGUMENTS…` in Chromium.
    func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = root.appendingPathComponent("Tests/DulyCLITests/Support/" + script).path
        return try WebBrowserTests.run(
            tools.python, [path, base, email, password] + arguments,
            // No __pycache__ left beside the scripts in the source tree.
            environment: [
                "CHROMIUM": tools.chromium, "CHROMEDRIVER": tools.driver, "PYTHONDONTWRITEBYTECODE": "1",
            ])
    }

    /// Stops the server with SIGTERM, as an operator would, and says how it ended (0: cleanly).
    func stop() -> Int32 {
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        return server.terminationStatus
    }

    /// Stops the server whatever happened (a test that failed before `stop`).
    func terminate() {
        if server.isRunning { server.terminate() }
    }
}
