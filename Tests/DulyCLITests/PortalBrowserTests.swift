import Foundation
import Testing

// The client portal in real headless Chromium (Debian's chromium and chromium-driver, Selenium from PyPI; .ci/run
// installs them): a link from an email the demo delivered opens the client's page, a promise made there lands on the
// collector's timeline. Without them this test fails rather than passes vacuously. The screenshot goes to
// .build/screenshots/web/portal.png, and to docs/portal.png as well when DULY_SCREENSHOTS_TO_DOCS=1.
@Suite("The client portal in Chromium")
struct PortalBrowserTests {
    @Test func aClientOpensTheLinkFromAnEmailAndPromisesADateTheCollectorThenSees() async throws {
        // Given the demo served on a free port, its day's emails delivered to outbox/demo with portal links
        let demo = try DemoInBrowser()
        defer { demo.terminate() }

        // When the client opens the link in Chromium and promises a date, and the collector looks
        var arguments = [demo.duly.folder.appendingPathComponent("outbox/demo").path, demo.shots]
        if ProcessInfo.processInfo.environment["DULY_SCREENSHOTS_TO_DOCS"] == "1" {
            arguments.append(demo.root.appendingPathComponent("docs/portal.png").path)
        }
        let run = try demo.run("portal_browser.py", arguments)

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        #expect(demo.stop() == 0)
    }
}
