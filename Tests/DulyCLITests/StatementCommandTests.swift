import Foundation
import Testing

// Bank statements end to end: import, matching, the unmatched queue on the worklist, `duly match`, re-import.

private let customersCSV = """
    customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
    C1,Acme Trading,ap@acme.example,,NL,nl,Europe/Amsterdam,Anna,
    C2,Globex Ltd,billing@globex.example,,GB,en,Europe/London,Grace,
    C3,Initech GmbH,rechnung@initech.example,,DE,de,Europe/Berlin,Jonas,

    """

// As of 2026-03-09 every EUR invoice is overdue.
private let invoicesCSV = """
    invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
    INV-1,C1,2026-01-05,2026-02-04,EUR,1250.00,net 30,
    INV-2,C1,2026-01-10,2026-02-09,EUR,99.90,net 30,
    INV-5,C1,2026-01-12,2026-02-11,EUR,400.00,net 30,
    INV-6,C3,2026-01-05,2026-02-04,EUR,300.00,net 30,
    INV-7,C3,2026-01-06,2026-02-05,EUR,200.00,net 30,
    INV-3,C2,2026-02-14,2026-03-16,GBP,640.00,net 30,

    """

/// A camt.053.001.08 statement: an RF reference (INV-1, `RF47INV1`), a batch whose second transaction names two
/// invoices in its text, a payment nobody can place, a debit and a pending credit.
private let statementXML = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
      <BkToCstmrStmt>
        <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-10T06:00:00Z</CreDtTm></GrpHdr>
        <Stmt>
          <Id>STMT-2026-03-10</Id>
          <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
          <Ntry>
            <Amt Ccy="EUR">1749.90</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
            <BookgDt><Dt>2026-03-10</Dt></BookgDt><ValDt><Dt>2026-03-10</Dt></ValDt>
            <NtryDtls>
              <TxDtls>
                <Amt Ccy="EUR">1250.00</Amt>
                <RltdPties><Dbtr><Pty><Nm>ACME TRADING BV</Nm></Pty></Dbtr>
                  <DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN></Id></DbtrAcct></RltdPties>
                <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>
                  <Ref>RF47 INV1</Ref></CdtrRefInf></Strd></RmtInf>
              </TxDtls>
              <TxDtls>
                <Amt Ccy="EUR">499.90</Amt>
                <RltdPties><Dbtr><Pty><Nm>ACME TRADING BV</Nm></Pty></Dbtr></RltdPties>
                <RmtInf><Ustrd>Invoices INV-2 and INV-5</Ustrd></RmtInf>
              </TxDtls>
            </NtryDtls>
          </Ntry>
          <Ntry>
            <Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
            <BookgDt><Dt>2026-03-10</Dt></BookgDt>
            <NtryDtls><TxDtls>
              <RltdPties><Dbtr><Pty><Nm>INITECH HOLDING</Nm></Pty></Dbtr></RltdPties>
              <RmtInf><Ustrd>March settlement</Ustrd></RmtInf>
            </TxDtls></NtryDtls>
          </Ntry>
          <Ntry>
            <Amt Ccy="EUR">80.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
            <BookgDt><Dt>2026-03-10</Dt></BookgDt>
          </Ntry>
          <Ntry>
            <Amt Ccy="EUR">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
            <BookgDt><Dt>2026-03-10</Dt></BookgDt>
          </Ntry>
        </Stmt>
      </BkToCstmrStmt>
    </Document>

    """

@Suite("Bank statements on the command line")
struct StatementCommandTests {
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
        ])
        #expect(created.status == 0, "\(created.errors)")
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text)])
            #expect(imported.status == 0, "\(kind): \(imported.errors)")
        }
        return duly
    }

    private func objects(_ outcome: DulyProcess.Outcome) throws -> [[String: Any]] {
        try outcome.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func matchedCreditsStopTheChaseAndTheRestWaitsOnTheWorklistUntilMatchedByHand() throws {
        // Given a ledger whose overdue invoices are being chased
        let duly = try ledger()
        let planned = try objects(try duly.run(["run", "--as-of", "2026-03-09", "--json"]))
        #expect(planned.contains { $0["customer_id"] as? String == "C1" })

        // When the bank statement is imported
        let file = try duly.write("statement.xml", statementXML)
        let imported = try duly.run(["import", "statement", file, "--as-of", "2026-03-10", "--json"])
        #expect(imported.status == 0, "\(imported.errors)")
        let credits = try objects(imported)
        #expect(credits.count == 3)
        let byRF = try #require(credits[0]["match"] as? [String: Any])
        #expect(byRF["key"] as? String == "creditor_reference")
        #expect(byRF["customer_id"] as? String == "C1")
        let byText = try #require(credits[1]["match"] as? [String: Any])
        #expect(byText["key"] as? String == "remittance_text")
        #expect(
            (byText["invoices"] as? [[String: Any]])?.compactMap { $0["invoice"] as? String } == ["INV-2", "INV-5"])
        #expect(credits[2]["match"] as? String == "unmatched")
        #expect(credits[2]["credit"] as? String == "NL91ABNA0417164300/STMT-2026-03-10/2.1")

        // Then Acme's invoices are paid and the next run plans nothing for them
        let open = try objects(try duly.run(["invoices", "--open", "--json"]))
        #expect(Set(open.compactMap { $0["invoice_number"] as? String }) == ["INV-6", "INV-7", "INV-3"])
        let next = try objects(try duly.run(["run", "--as-of", "2026-03-10", "--json"]))
        #expect(!next.contains { $0["customer_id"] as? String == "C1" && $0["status"] as? String == "planned" })

        // And the credit nobody could place waits on the worklist with its candidates
        let tasks = try objects(try duly.run(["worklist", "--as-of", "2026-03-10", "--json"]))
        let unmatched = try #require(tasks.first { $0["kind"] as? String == "unmatched_payment" })
        #expect(unmatched["amount"] as? String == "500.00")
        let candidates = try #require(unmatched["candidates"] as? [[String: Any]])
        #expect(candidates.compactMap { $0["invoice"] as? String } == ["INV-6", "INV-7"])
        let creditID = try #require(unmatched["credit_id"] as? Int)
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-10"])
        #expect(worklist.output.contains("Unmatched payments"))
        #expect(worklist.output.contains("INITECH HOLDING"))

        // When a person matches it to Initech's two invoices
        let matched = try duly.run([
            "match", String(creditID), "--invoice", "INV-6", "--invoice", "INV-7", "--as-of", "2026-03-11",
        ])
        #expect(matched.status == 0, "\(matched.errors)")
        #expect(matched.output.contains("INV-6 (EUR 300.00), INV-7 (EUR 200.00)"), "\(matched.output)")
        let after = try objects(try duly.run(["invoices", "--open", "--json"]))
        #expect(after.compactMap { $0["invoice_number"] as? String } == ["INV-3"])
        let emptied = try objects(try duly.run(["worklist", "--as-of", "2026-03-11", "--json"]))
        #expect(!emptied.contains { $0["kind"] as? String == "unmatched_payment" })
        let timeline = try duly.run(["timeline", "C3"])
        #expect(timeline.output.contains("NL91ABNA0417164300/STMT-2026-03-10/2.1"), "\(timeline.output)")

        // And importing the same file again changes nothing
        let again = try duly.run(["import", "statement", file, "--as-of", "2026-03-12"])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("0 new credits"), "\(again.output)")
        #expect(again.output.contains("3 already imported."), "\(again.output)")
        #expect(again.output.contains(", 3 already imported;"), "\(again.output)")
        #expect(try objects(try duly.run(["invoices", "--open", "--json"])).count == 1)
        let twice = try duly.run(["match", String(creditID), "--customer", "C3"])
        #expect(twice.status != 0)
    }

    @Test func theHumanSummaryCountsKeysAndWhatWasLeftOut() throws {
        let duly = try ledger()
        let imported = try duly.run(["import", "statement", try duly.write("s.xml", statementXML)])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(
            imported.output.contains(
                "Statement STMT-2026-03-10 (NL91ABNA0417164300): 3 credits: 2 matched (1 by RF reference, "
                    + "1 by remittance text), 1 unmatched; left out: 1 debit, 1 not booked."), "\(imported.output)")
    }

    @Test func aCreditDismissedFromTheQueueLeavesTheLedgerAlone() throws {
        let duly = try ledger()
        _ = try duly.run(["import", "statement", try duly.write("s.xml", statementXML)])
        let task = try #require(
            try objects(try duly.run(["worklist", "--json"])).first { $0["kind"] as? String == "unmatched_payment" })
        let id = String(try #require(task["credit_id"] as? Int))
        #expect(try duly.run(["match", id, "--ignore"]).status != 0)
        let dismissed = try duly.run(["match", id, "--ignore", "--reason", "refund from our landlord"])
        #expect(dismissed.status == 0, "\(dismissed.errors)")
        #expect(try objects(try duly.run(["invoices", "--open", "--json"])).count == 3)
    }

    @Test func aRefusedStatementImportsNothingAndNamesFileLineAndColumn() throws {
        let duly = try ledger()
        let broken = statementXML.replacingOccurrences(
            of: "<Amt Ccy=\"EUR\">500.00</Amt>", with: "<Amt Ccy=\"EUR\">5OO</Amt>")
        let path = try duly.write("broken.xml", broken)
        let refused = try duly.run(["import", "statement", path])
        #expect(refused.status == 65)
        #expect(refused.errors.contains("broken.xml:27:"), "\(refused.errors)")
        #expect(refused.errors.contains("nothing was imported"))
        #expect(try objects(try duly.run(["invoices", "--open", "--json"])).count == 6)
    }

    @Test func aCreditBookedAfterTodayIsRefusedAndNothingIsImported() throws {
        // Given a statement whose credits are booked on 10 March, imported as of 9 March
        let duly = try ledger()
        let path = try duly.write("s.xml", statementXML)
        let refused = try duly.run(["import", "statement", path, "--as-of", "2026-03-09"])
        // Then each such credit is named at its line, and no invoice was paid by money not yet received
        #expect(refused.status == 65)
        #expect(
            refused.errors.contains(
                "s.xml:12:1: booking date: EUR 1250.00 booked on 2026-03-10, after today (2026-03-09)"),
            "\(refused.errors)")
        #expect(refused.errors.contains("nothing was imported"))
        #expect(try objects(try duly.run(["invoices", "--open", "--json"])).count == 6)
    }

    @Test func anMT940StatementIsMatchedTheSameWay() throws {
        let duly = try ledger()
        let mt940 = """
            :20:MT940-0310
            :25:NL91ABNA0417164300
            :28C:00070/001
            :60F:C260309EUR1000,00
            :61:2603100310C1250,00NTRFNONREF//B1
            :86:/EREF/NOTPROVIDED/REMI/STRD/CUR/RF47INV1/NAME/ACME TRADING BV/
            :61:2603100310C500,00NTRFNONREF//B2
            :86:Initech GmbH payment for INV-6 and INV-7
            :61:2603100310D80,00NTRFNONREF//B3
            :86:Office rent
            :61:2603100310RC20,00NTRFNONREF//B4
            :86:Returned
            :62F:C260310EUR2650,00
            -
            """
        let path = try duly.write("march.sta", mt940)
        let imported = try duly.run(["import", "statement", path, "--json"])
        #expect(imported.status == 0, "\(imported.errors)")
        let credits = try objects(imported)
        #expect(credits.count == 2)
        #expect((credits[0]["match"] as? [String: Any])?["key"] as? String == "creditor_reference")
        #expect((credits[1]["match"] as? [String: Any])?["key"] as? String == "remittance_text")
        #expect(credits[1]["line"] as? Int == 7)
        let open = try objects(try duly.run(["invoices", "--open", "--json"]))
        #expect(Set(open.compactMap { $0["invoice_number"] as? String }) == ["INV-2", "INV-5", "INV-3"])
        let summary = try duly.run(["import", "statement", path])
        #expect(summary.output.contains("0 new credits"), "\(summary.output)")
        #expect(summary.output.contains("left out: 1 debit, 1 reversal"), "\(summary.output)")

        let bad = try duly.write("bad.sta", mt940.replacingOccurrences(of: "C500,00", with: "C500.00"))
        let refused = try duly.run(["import", "statement", bad])
        #expect(refused.status == 65)
        #expect(refused.errors.contains("bad.sta:7:16: :61:: the amount"), "\(refused.errors)")
    }
}
