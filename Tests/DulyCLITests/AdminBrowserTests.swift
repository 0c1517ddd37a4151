import Foundation
import Testing

// The playbook, templates and imports screens in real headless Chromium, driven by Selenium, as the collector's
// screens are (WebBrowserTests). Screenshots go to .build/screenshots/web/ (not committed).
@Suite("The admin screens in Chromium")
struct AdminBrowserTests {
    @Test func theOwnerEditsATemplateSeesThePreviewChangeAndSeesAnImportProblemAtItsLine() async throws {
        // Given the demo served on a free port, signed in to as its owner
        let demo = try DemoInBrowser()
        defer { demo.terminate() }

        // When the owner edits a template, previews it, and uploads a CSV with a mistake
        let run = try demo.run("admin_browser.py", [demo.shots, demo.duly.folder.path])

        // Then every step passed, and the server stops cleanly
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("all steps passed"), "\(run.output)")
        #expect(demo.stop() == 0)
    }
}
