import DulyCore
import DulyEvidence
import DulyStore
import Foundation
import Testing

private func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
private let euro = Currency(code: "EUR")!
private func eur(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }

/// An email as the deliverer stores it: CRLF line ends, a dot-started line, non-ASCII text.
private let email = Array(
    "Message-ID: <k-1@duly.example>\r\nSubject: INV-1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße – EUR 1000.00\r\n.a line with a dot\r\n"
        .utf8)
private let letter = Array("<!DOCTYPE html><html><body><p>Final notice</p></body></html>".utf8)

/// One account with a little of everything, and a chained timeline of five entries.
private func records(tamper: ((inout [TimelineEntry]) -> Void)? = nil) -> EvidenceRecords {
    let organisation = Organisation(
        id: "acme", name: "Northwind Studio", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam")
    let customer = Customer(id: "C1", name: "Acme <Trading> & Sons", country: "NL", language: "en")
    var timeline: [TimelineEntry] = []
    func add(_ date: String, _ kind: String, _ summary: String, _ details: [String: String]) {
        timeline.append(
            TimelineEntry(
                after: timeline.last, customerID: "C1", date: day(date), recordedAt: "\(date)T07:00:00Z", kind: kind,
                summary: summary, details: details))
    }
    add("2026-01-21", "customer_added", "Customer Acme added", ["name": "Acme <Trading> & Sons"])
    add("2026-01-21", "invoices_added", "2 invoices", ["invoices": "INV-1,INV-2", "count": "2"])
    add(
        "2026-03-09", "message_sent", "Message for action 1 sent to ap@acme.example",
        ["action": "1", "channel": "email", "message_id": "<k-1@duly.example>", "to": "ap@acme.example"])
    add(
        "2026-03-20", "call_logged", "Call (action 3): promised to pay — pays Friday",
        ["action": "3", "outcome": "promised to pay EUR 1000.00 by 2026-03-27", "note": "pays Friday"])
    add("2026-03-25", "payment_refused", "The client refused to pay", ["note": ""])
    tamper?(&timeline)
    return EvidenceRecords(
        organisation: organisation, customer: customer,
        contacts: [Contact(role: .billing, name: "Anna", email: "ap@acme.example", phone: "+31 20 555 0100")],
        invoices: [
            InvoiceBalance(
                invoice: Invoice(
                    number: "INV-1", customerID: "C1", issueDate: day("2026-01-21"), dueDate: day("2026-02-20"),
                    total: eur(1250_00), terms: .net(days: 30), poNumber: "PO-7"),
                paid: eur(250_00)),
            InvoiceBalance(
                invoice: Invoice(
                    number: "INV-2", customerID: "C1", issueDate: day("2026-01-21"), dueDate: day("2026-02-20"),
                    total: eur(99_90)),
                paid: eur(99_90)),
        ],
        disputes: [
            Dispute(
                id: "DSP-1", invoiceNumber: "INV-1", openedOn: day("2026-03-10"), reason: "Logo not delivered",
                amount: eur(100_00))
        ],
        promises: [
            PromiseToPay(
                id: "PRM-3", invoiceNumbers: ["INV-1"], amount: eur(1000_00), promisedDate: day("2026-03-27"),
                madeOn: day("2026-03-20"))
        ],
        plans: [
            PaymentPlan(
                id: "PLN-1", invoiceNumbers: ["INV-1"],
                instalments: [
                    .init(dueDate: day("2026-05-01"), amount: eur(500_05)),
                    .init(dueDate: day("2026-04-01"), amount: eur(499_95)),
                ], acceptedOn: day("2026-03-21"))
        ],
        refusals: [day("2026-03-25")],
        communications: [
            EvidenceMessage(
                communication: Communication(
                    actionID: 1, customerID: "C1", messageID: "<k-1@duly.example>", state: .sent, content: email),
                channel: .email),
            EvidenceMessage(
                communication: Communication(
                    actionID: 2, customerID: "C1", messageID: "<k-2/../x@duly.example>", state: .sent, content: letter),
                channel: .letter),
            EvidenceMessage(
                communication: Communication(
                    actionID: 4, customerID: "C1", messageID: "<k-4@duly.example>", state: .failed, content: []),
                channel: .email),
        ],
        timeline: timeline)
}

private func pack(_ records: EvidenceRecords = records()) throws -> EvidencePack {
    try EvidencePack(
        records: records, generatedFor: day("2026-03-27"), generatedAt: "2026-03-27T10:00:00Z",
        generatorVersion: "test")
}

private func json(_ file: EvidencePack.File?) throws -> [String: Any] {
    let file = try #require(file)
    return try #require(try JSONSerialization.jsonObject(with: Data(file.bytes)) as? [String: Any])
}

private func text(_ file: EvidencePack.File?) throws -> String {
    String(decoding: try #require(file).bytes, as: UTF8.self)
}

@Suite("The evidence pack")
struct EvidencePackTests {
    @Test func theManifestDescribesTheAccountWithAmountsAsDecimalStrings() throws {
        let built = try pack()
        let manifest = try json(built.file("manifest.json"))
        #expect(manifest["format"] as? String == "duly-evidence-pack")
        #expect(manifest["format_version"] as? Int == 1)
        #expect(manifest["generated_for"] as? String == "2026-03-27")
        #expect((manifest["generator"] as? [String: Any])?["version"] as? String == "test")
        #expect((manifest["organisation"] as? [String: Any])?["name"] as? String == "Northwind Studio")

        let customer = try #require(manifest["customer"] as? [String: Any])
        #expect(customer["reference"] as? String == "C1")
        #expect(customer["name"] as? String == "Acme <Trading> & Sons")
        #expect(customer["collector"] is NSNull, "absent values are written as null")
        let contact = try #require((customer["contacts"] as? [[String: Any]])?.first)
        #expect(contact["email"] as? String == "ap@acme.example")
        #expect(contact["role"] as? String == "billing")

        let invoices = try #require(manifest["invoices"] as? [[String: Any]])
        #expect(invoices.count == 2)
        #expect(invoices[0]["number"] as? String == "INV-1")
        #expect(invoices[0]["issue_date"] as? String == "2026-01-21")
        #expect(invoices[0]["due_date"] as? String == "2026-02-20")
        #expect(invoices[0]["currency"] as? String == "EUR")
        #expect(invoices[0]["total"] as? String == "1250.00")
        #expect(invoices[0]["paid"] as? String == "250.00")
        #expect(invoices[0]["credited"] as? String == "0.00")
        #expect(invoices[0]["open"] as? String == "1000.00")
        #expect(invoices[0]["terms"] as? String == "net 30")
        #expect(invoices[0]["po_number"] as? String == "PO-7")
        #expect(invoices[0]["end_state"] is NSNull)
        #expect(invoices[1]["end_state"] as? String == "paid")
        #expect(invoices[1]["terms"] is NSNull)
        let balance = try #require((manifest["balances"] as? [[String: Any]])?.first)
        #expect(balance["total"] as? String == "1349.90")
        #expect(balance["open"] as? String == "1000.00")

        let promise = try #require((manifest["promises"] as? [[String: Any]])?.first)
        #expect(promise["amount"] as? String == "1000.00")
        #expect(promise["currency"] as? String == "EUR")
        #expect(promise["promised_date"] as? String == "2026-03-27")
        let plan = try #require((manifest["plans"] as? [[String: Any]])?.first)
        let instalments = try #require(plan["instalments"] as? [[String: Any]])
        #expect(instalments.map { $0["due_date"] as? String } == ["2026-04-01", "2026-05-01"])
        #expect(instalments.map { $0["amount"] as? String } == ["499.95", "500.05"])
        let dispute = try #require((manifest["disputes"] as? [[String: Any]])?.first)
        #expect(dispute["amount"] as? String == "100.00")
        #expect(dispute["resolved_on"] is NSNull)
        #expect(manifest["refusals"] as? [String] == ["2026-03-25"])
        let note = try #require((manifest["call_notes"] as? [[String: Any]])?.first)
        #expect(note["timeline_entry"] as? Int == 4)
        #expect(note["channel"] as? String == "call")
        #expect(note["outcome"] as? String == "promised to pay EUR 1000.00 by 2026-03-27")
        #expect(note["note"] as? String == "pays Friday")
        #expect((manifest["documents"] as? [Any])?.isEmpty == true)
        #expect(manifest["interest"] is NSNull)

        let verification = try #require(manifest["verification"] as? [String: Any])
        #expect(verification["status"] as? String == "ok")
        #expect(verification["entries_checked"] as? Int == 5)
        #expect(verification["first_bad_entry"] is NSNull)
        let timeline = try #require(manifest["timeline"] as? [String: Any])
        #expect(timeline["chain_head"] as? String == records().timeline.last?.hash)
        #expect(built.chainHead == records().timeline.last?.hash)
        let counts = try #require(manifest["counts"] as? [String: Int])
        #expect(counts["timeline_entries"] == 5 && counts["communications"] == 3 && counts["open_invoices"] == 1)
    }

    @Test func everyFileIsListedWithItsHashAndSize() throws {
        let built = try pack()
        let files = try #require(try json(built.file("manifest.json"))["files"] as? [[String: Any]])
        let listed = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as! String, $0) })
        #expect(Set(listed.keys) == Set(built.files.map(\.path)).subtracting(["manifest.json", "SHA256SUMS"]))
        for file in built.files where listed[file.path] != nil {
            #expect(listed[file.path]?["sha256"] as? String == file.sha256, "\(file.path)")
            #expect(listed[file.path]?["size"] as? Int == file.bytes.count, "\(file.path)")
        }
        let sums = try text(built.file("SHA256SUMS")).split(separator: "\n")
        #expect(sums.count == built.files.count - 1)
        #expect(sums.contains("\(built.file("manifest.json")!.sha256)  manifest.json"))
    }

    @Test func communicationsAreTheStoredBytesExactly() throws {
        let built = try pack()
        #expect(built.file("communications/0001-k-1_duly.example.eml")?.bytes == email)
        // A Message-ID cannot climb out of the folder it is written to.
        #expect(built.file("communications/0002-k-2_.._x_duly.example.html")?.bytes == letter)
        #expect(!built.files.contains { $0.path.hasPrefix("communications/0003") }, "nothing was composed")
        let communications = try #require(
            try json(built.file("manifest.json"))["communications"] as? [[String: Any]])
        #expect(communications.count == 3)
        #expect(communications[0]["sent_on"] as? String == "2026-03-09")
        #expect(communications[0]["sent_to"] as? String == "ap@acme.example")
        #expect(communications[0]["timeline_entry"] as? Int == 3)
        #expect(communications[0]["channel"] as? String == "email")
        #expect(communications[1]["sent_on"] is NSNull)
        #expect(communications[2]["file"] is NSNull)
        #expect(communications[2]["state"] as? String == "failed")
        let index = try text(built.file("index.html"))
        #expect(index.contains("<a href=\"communications/0001-k-1_duly.example.eml\">"))
    }

    @Test func theTimelineFileCarriesEveryHashedFieldAsStored() throws {
        let built = try pack()
        let lines = try text(built.file("timeline/timeline.jsonl")).split(separator: "\n")
        #expect(lines.count == 5)
        for (line, entry) in zip(lines, records().timeline) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let date = try #require(object["date"] as? String)
            let restored = TimelineEntry(
                sequence: try #require(object["sequence"] as? Int),
                customerID: try #require(object["customer_id"] as? String),
                date: try #require(LocalDate(iso: date)),
                recordedAt: try #require(object["recorded_at"] as? String),
                kind: try #require(object["kind"] as? String), summary: try #require(object["summary"] as? String),
                details: try #require(object["details"] as? [String: String]),
                previousHash: try #require(object["previous_hash"] as? String),
                hash: try #require(object["hash"] as? String))
            #expect(restored == entry)
        }
        let verify = try text(built.file("timeline/VERIFY.txt"))
        #expect(verify.contains("OK: all 5 entries verified"))
        #expect(verify.contains("duly-timeline-v1"))
    }

    @Test func aBrokenChainIsReportedNeverHidden() throws {
        // Entry 3's summary is rewritten after the fact: its hash no longer matches.
        let tampered = records { $0[2].summary = "Nothing was sent" }
        let built = try pack(tampered)
        #expect(
            built.verification == .broken(sequence: 3, reason: "its content does not match its hash: it was altered"))
        let verification = try #require(try json(built.file("manifest.json"))["verification"] as? [String: Any])
        #expect(verification["status"] as? String == "broken")
        #expect(verification["first_bad_entry"] as? Int == 3)
        #expect((verification["reason"] as? String)?.contains("altered") == true)
        #expect(try text(built.file("timeline/VERIFY.txt")).contains("BROKEN at entry 3"))
        let index = try text(built.file("index.html"))
        #expect(index.contains("class=\"verification broken\""))
        #expect(index.contains("Timeline hash chain BROKEN at entry 3"))
        #expect(index.contains("<tr class=\"bad\"><td>3</td>"))
        // The pack shows what is stored; it never repairs it.
        #expect(try text(built.file("timeline/timeline.jsonl")).contains("Nothing was sent"))
    }

    @Test func theIndexIsSelfContainedAndEscapesWhatItShows() throws {
        let index = try text(try pack().file("index.html"))
        #expect(index.contains("Acme &lt;Trading&gt; &amp; Sons"))
        #expect(!index.contains("<Trading>"))
        #expect(!index.contains("<script") && !index.contains("src=") && !index.contains("<link"))
        #expect(index.contains("class=\"verification ok\""))
        #expect(index.contains("No documents on file."))
        #expect(index.contains("No interest computation is part of this pack."))
        #expect(index.contains("PRM-3") && index.contains("PLN-1") && index.contains("Logo not delivered"))
        #expect(index.contains("pays Friday"))
        #expect(index.contains(records().timeline[4].hash) && index.contains(records().timeline[4].previousHash))
    }

    @Test func anInterestComputationGetsItsOwnFileWhenOneIsSupplied() throws {
        #expect(try pack().file("interest/interest.json") == nil)
        var withInterest = records()
        withInterest.interest = EvidenceInterest(
            regime: "EU Directive 2011/7/EU (NL)", asOf: day("2026-03-27"),
            lines: [
                EvidenceInterest.Line(
                    invoiceNumber: "INV-1", principal: eur(1000_00), from: day("2026-02-21"),
                    through: day("2026-03-27"), days: 35, annualRatePercent: "10.15", interest: eur(9_73),
                    compensation: eur(40_00), basis: "ECB rate + 8 points")
            ], method: "Actual days over 365, rounded half to even")
        let built = try pack(withInterest)
        let interest = try json(built.file("interest/interest.json"))
        let line = try #require((interest["lines"] as? [[String: Any]])?.first)
        #expect(line["interest"] as? String == "9.73")
        #expect(line["annual_rate_percent"] as? String == "10.15")
        #expect((interest["totals"] as? [[String: Any]])?.first?["compensation"] as? String == "40.00")
        let reference = try #require(try json(built.file("manifest.json"))["interest"] as? [String: Any])
        #expect(reference["file"] as? String == "interest/interest.json")
        #expect(try text(built.file("index.html")).contains("ECB rate + 8 points"))
    }
}
