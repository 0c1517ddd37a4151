import Foundation
import Testing

// The playbook, templates and imports screens in real headless Chromium, driven by Selenium, as the collector's
// screens are (WebBrowserTests). Screenshots go to .build/screenshots/web/ (not committed).
@Suite("The admin screens in Chromium")
struct AdminBrowserTests {
    @Test func theOwnerEditsATemplateSeesThePreviewChangeAndSeesAnImportProblemAtItsLine() async throws {
        let python = try WebBrowserTests.executable("python3", package: "python3")
        let chromium = try WebBrowserTests.executable("chromium", package: "chromium")
        let driver = try WebBrowserTests.executable("chromedriver", package: "chromium-driver")
        let selenium = try WebBrowserTests.run(python, ["-c", "import selenium"])
        try #require(selenium.status == 0, "Selenium is not installed: python3 -m pip install selenium (see .ci/run)")

        // Given the demo served on a free port, signed in to as its owner
        let duly = try DulyProcess()
        let (process, lines) = try ServeCommandTests.serveDemo(duly, asOf: "2026-03-10")
        defer { if process.isRunning { process.terminate() } }
        let login = try #require(lines.first { $0.hasPrefix("  email: ") }, "\(lines)")
        let words = login.split(separator: " ")
        let (email, password) = (String(words[1]), String(words[3]))
        let address = try #require(lines.last?.split(separator: " ").first { $0.hasPrefix("http://") })
        let base = String(address.dropLast())

        // When the owner edits a template, previews it, and uploads a CSV with a mistake
        let shots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/screenshots/web").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/admin_browser.py").path
        let run = try WebBrowserTests.run(
            python, [script, base, email, password, shots, duly.folder.path],
            environment: ["CHROMIUM": chromium, "CHROMEDRIVER": driver])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
