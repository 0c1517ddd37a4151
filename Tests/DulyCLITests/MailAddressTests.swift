import Foundation
import Testing

// Issue 9, item 1: one message never stops the others, and internationalised addresses are valid mail.
@Suite("Addresses that one message cannot use")
struct MailAddressTests {
    private static let header = "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"

    /// Five clients, one invoice each, a follow-up planned for each on 2026-03-09.
    private func ledger(emails: [String]) throws -> DulyProcess {
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
            ]).status == 0)
        let customers = emails.enumerated().map { "C\($0 + 1),Client \($0 + 1),\($1),,NL,en,Europe/Amsterdam,Pat,\n" }
        let imported = try duly.run(["import", "customers", try duly.write("c.csv", Self.header + customers.joined())])
        try #require(imported.status == 0, "\(imported.errors)")
        let invoices = (1...emails.count).map { "INV-\($0),C\($0),2026-01-05,2026-02-04,EUR,\($0)00.00,net 30,\n" }
        let invoiceHeader = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
        _ = try duly.run(["import", "invoices", try duly.write("i.csv", invoiceHeader + invoices.joined())])
        try #require(try duly.run(["run", "--as-of", "2026-03-09", "--json"]).lines.count == emails.count)
        return duly
    }

    /// An address written into the database as an older Duly kept it, before addresses were checked at import.
    private func storeUncheckedAddress(_ email: String, customer: String, in duly: DulyProcess) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
                + "db.execute('UPDATE contacts SET email = ? WHERE customer_id = ?', (sys.argv[2], sys.argv[3])); "
                + "db.commit()",
            duly.folder.appendingPathComponent("duly.sqlite").path, email, customer,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }

    private func received(in folder: URL) throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { name in
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
    }

    @Test func aMessageThatCannotGoFailsAloneAndTheOthersGoOut() throws {
        // Given an IDN domain, a non-ASCII local part (the server lacks SMTPUTF8), a recipient the server refuses,
        // and an address stored before validation existed
        let duly = try ledger(emails: [
            "ap@client1.example", "rechnung@café-müller.example", "jörg@café-müller.example", "bounce@client4.example",
            "ap@client5.example",
        ])
        try storeUncheckedAddress("ap..old@client5.example", customer: "C5", in: duly)
        let mailbox = duly.folder.appendingPathComponent("mailbox")
        let server = try LoopbackServer.smtp(folder: mailbox)
        defer { server.stop() }

        // When the day's mail is delivered
        let delivered = try duly.run([
            "deliver", "--as-of", "2026-03-09", "--transport", "smtp://127.0.0.1:\(server.port)?starttls=never",
        ])

        // Then the others went out, the run succeeded, and the summary names each failure
        #expect(delivered.status == 0, "\(delivered.errors)")
        #expect(delivered.output.contains("2 sent, 3 failed (see `duly worklist`)"), "\(delivered.output)")
        #expect(delivered.output.contains("for C3: jörg@xn--caf-mller-d4a5s.example has non-ASCII characters"))
        #expect(delivered.output.contains("for C4: bounce@client4.example refused"))
        #expect(delivered.output.contains("for C5: To address is not a valid address"))
        let recipients = try received(in: mailbox).flatMap { $0["rcpt_tos"] as? [String] ?? [] }
        #expect(recipients.sorted() == ["ap@client1.example", "rechnung@xn--caf-mller-d4a5s.example"])

        // And each failure is on the worklist with its reason
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-09", "--json"]).lines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == "failed_delivery" }
        #expect(worklist.compactMap { $0["customer_id"] as? String }.sorted() == ["C3", "C4", "C5"])
        let reasons = worklist.compactMap { $0["note"] as? String }.joined(separator: "\n")
        #expect(reasons.contains("does not offer SMTPUTF8"))
        #expect(reasons.contains("5.1.1"))
        #expect(reasons.contains("two dots in a row"))

        // And a second pass sends nothing twice and stops at nothing
        let again = try duly.run([
            "deliver", "--as-of", "2026-03-09", "--transport", "smtp://127.0.0.1:\(server.port)?starttls=never",
        ])
        #expect(again.status == 0)
        #expect(again.output.contains("0 sent."))
    }

    @Test func aNonASCIILocalPartGoesOutWhereTheServerOffersSMTPUTF8() throws {
        let duly = try ledger(emails: ["jörg@café-müller.example"])
        let mailbox = duly.folder.appendingPathComponent("mailbox")
        let server = try LoopbackServer.smtp(folder: mailbox, options: ["--smtputf8"])
        defer { server.stop() }
        let delivered = try duly.run([
            "deliver", "--as-of", "2026-03-09", "--transport", "smtp://127.0.0.1:\(server.port)?starttls=never",
        ])
        #expect(delivered.output.contains("1 sent."), "\(delivered.output) \(delivered.errors)")
        let message = try #require(try received(in: mailbox).first)
        #expect(message["rcpt_tos"] as? [String] == ["jörg@xn--caf-mller-d4a5s.example"])
        #expect(message["smtp_utf8"] as? Bool == true)
    }

    @Test func theDemosFrenchClientWithAnAccentedDomainIsDelivered() throws {
        let duly = try DulyProcess()
        #expect(try duly.run(["demo", "--as-of", "2026-03-09"]).status == 0)
        // Maison Lefèvre (C018, accounts@maisonlefèvre.example) is called on 16 March and offered a solution by email
        // a week later.
        for date in ["2026-03-16", "2026-03-23"] {
            #expect(try duly.run(["run", "--org", "demo", "--as-of", date]).status == 0)
            let delivered = try duly.run(["deliver", "--org", "demo", "--as-of", date, "--transport", "file:outbox"])
            #expect(delivered.status == 0, "\(delivered.output) \(delivered.errors)")
        }
        let outbox = duly.folder.appendingPathComponent("outbox")
        let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.contains("C018") }
        let name = try #require(names.first, "no message for C018 in \(outbox.path)")
        let text = String(decoding: try Data(contentsOf: outbox.appendingPathComponent(name)), as: UTF8.self)
        #expect(text.contains("<accounts@xn--maisonlefvre-5db.example>\r\n"))
        #expect(try duly.run(["timeline", "C018", "--org", "demo"]).output.contains("sent to accounts@"))
    }
}
