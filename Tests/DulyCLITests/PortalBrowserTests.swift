import Foundation
import Testing

// The client portal in real headless Chromium (Debian's chromium and chromium-driver, Selenium from PyPI; .ci/run
// installs them): a link from an email the demo delivered opens the client's page, a promise made there lands on the
// collector's timeline. Without them this test fails rather than passes vacuously. The screenshot goes to
// .build/screenshots/web/portal.png, and to docs/portal.png as well when DULY_SCREENSHOTS_TO_DOCS=1.
@Suite("The client portal in Chromium")
struct PortalBrowserTests {
    @Test func aClientOpensTheLinkFromAnEmailAndPromisesADateTheCollectorThenSees() async throws {
        let python = try WebBrowserTests.executable("python3", package: "python3")
        let chromium = try WebBrowserTests.executable("chromium", package: "chromium")
        let driver = try WebBrowserTests.executable("chromedriver", package: "chromium-driver")
        let selenium = try WebBrowserTests.run(python, ["-c", "import selenium"])
        try #require(selenium.status == 0, "Selenium is not installed: python3 -m pip install selenium (see .ci/run)")

        // Given the demo served on a free port, its day's emails delivered to outbox/demo with portal links
        let duly = try DulyProcess()
        let (process, lines) = try ServeCommandTests.serveDemo(duly, asOf: "2026-03-10")
        defer { if process.isRunning { process.terminate() } }
        let login = try #require(lines.first { $0.hasPrefix("  email: ") }, "\(lines)")
        let words = login.split(separator: " ")
        let (email, password) = (String(words[1]), String(words[3]))
        let address = try #require(lines.last?.split(separator: " ").first { $0.hasPrefix("http://") })
        let base = String(address.dropLast())

        // When the client opens the link in Chromium and promises a date, and the collector looks
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shots = root.appendingPathComponent(".build/screenshots/web").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/portal_browser.py").path
        var arguments = [script, base, email, password, duly.folder.appendingPathComponent("outbox/demo").path, shots]
        if ProcessInfo.processInfo.environment["DULY_SCREENSHOTS_TO_DOCS"] == "1" {
            arguments.append(root.appendingPathComponent("docs/portal.png").path)
        }
        let run = try WebBrowserTests.run(
            python, arguments, environment: ["CHROMIUM": chromium, "CHROMEDRIVER": driver])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
