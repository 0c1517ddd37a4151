import Foundation
import Testing

// The account page's forms and the dashboard in real headless Chromium, driven by Selenium, as WebBrowserTests drives
// the other screens (and with the same requirements: without Chromium, chromedriver and Selenium it fails rather than
// passes vacuously). Screenshots go to .build/screenshots/web/ (not committed).
@Suite("The account page and the dashboard in Chromium")
struct AccountBrowserTests {
    @Test func aCollectorRecordsAPromiseAndADisputeSeesThemOnTheTimelineAndOpensTheDashboard() async throws {
        // Given the demo served on a free port
        let demo = try DemoInBrowser()
        defer { demo.terminate() }

        // When a person records a promise and a dispute on an account, then opens the dashboard
        let run = try demo.run("account_browser.py", [demo.shots, "2026-03-20"])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        #expect(demo.stop() == 0)
    }
}
