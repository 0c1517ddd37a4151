import Foundation
import Testing

/// `duly deliver` gives every message to a client its portal link when it knows the public address, and none
/// without; `duly portal` prints and revokes links.
@Suite("Portal links in delivered mail")
struct PortalDeliveryTests {
    /// The due-day notice of C1's INV-1, delivered to outbox/ with `arguments` added.
    private func delivered(_ arguments: [String], environment: [String: String] = [:]) throws -> (DulyProcess, String) {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        #expect(try duly.run(["run", "--as-of", "2026-03-05", "--json"]).lines.count == 1)
        let sent = try duly.run(["deliver", "--as-of", "2026-03-05"] + arguments, environment: environment)
        #expect(sent.output.contains("1 sent"), "\(sent.errors)")
        let outbox = duly.folder.appendingPathComponent("outbox")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: outbox.path).first { $0.hasSuffix(".eml") })
        let raw = String(decoding: try Data(contentsOf: outbox.appendingPathComponent(name)), as: UTF8.self)
        // Quoted-printable soft line breaks joined, so a long link reads whole.
        return (duly, raw.replacing("=\r\n", with: ""))
    }

    @Test func withAPublicURLTheEmailCarriesTheCustomersLinkInTextAndHTML() throws {
        let (duly, email) = try delivered(["--public-url", "https://duly.example"])
        let printed = try duly.run([
            "portal", "link", "C1", "--public-url", "https://duly.example", "--as-of", "2026-03-05",
        ])
        let link = printed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix("https://duly.example/p/v1."))
        #expect(email.contains(link))
        #expect(email.contains("href=3D\"\(link)\"") || email.contains("href=\"\(link)\""))
        #expect(email.contains("on your own page, without signing in"))
    }

    @Test func theEnvironmentsPublicURLServesAsWell() throws {
        let (_, email) = try delivered([], environment: ["DULY_PUBLIC_URL": "https://env.example"])
        #expect(email.contains("https://env.example/p/v1."))
    }

    @Test func withoutAPublicURLNoLinkNoParagraphAndNoPlaceholderReachTheClient() throws {
        let (_, email) = try delivered([], environment: ["DULY_PUBLIC_URL": ""])
        #expect(!email.contains("/p/"))
        #expect(!email.contains("%%PORTAL_LINK%%"))
        #expect(!email.contains("without signing in"))
    }

    @Test func aRevocationIsRecordedOnTheCustomersTimeline() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-02-03", due: "2026-03-05")
        let revoked = try duly.run(["portal", "revoke", "C1", "--by", "Mara", "--as-of", "2026-03-06"])
        #expect(revoked.status == 0, "\(revoked.errors)")
        #expect(revoked.output.contains("Portal links of C1 issued up to 2026-03-06 revoked by Mara."))
        #expect(
            try duly.run(["timeline", "C1"]).output.contains("Portal links issued up to 2026-03-06 revoked by Mara"))
        let unknown = try duly.run(["portal", "revoke", "C9", "--by", "Mara"])
        #expect(unknown.status != 0)
    }
}
