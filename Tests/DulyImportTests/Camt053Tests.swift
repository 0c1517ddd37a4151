import DulyCore
import DulyImport
import Foundation
import Testing

@Suite struct Camt053Tests {
    let eur = Currency(code: "EUR")!

    func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    func euros(_ text: String) -> Money { try! Money(parsing: text, currency: eur) }

    /// The shared samples, read where they are (`../shared/samples` beside the package), never copied in.
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/samples/camt053").path

    /// Parses a hand-written document.
    func parse(_ text: String, name: String = "test.xml") throws(Camt053Error) -> [BankStatement] {
        try Camt053.parse(Array(text.utf8), fileName: name)
    }

    /// The issues a hand-written document is refused with; fails the test when it is accepted.
    func issues(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ImportIssue] {
        do {
            let statements = try parse(text)
            Issue.record("accepted: \(statements)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.issues
        }
    }

    /// A camt.053.001.08 document with one statement holding `entries` (whose first line is line 12).
    func document(_ entries: String, namespace: String = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="\(namespace)">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-02T08:00:00Z</CreDtTm></GrpHdr>
            <Stmt>
              <Id>S1</Id>
              <CreDtTm>2026-03-02T08:00:00Z</CreDtTm>
              <Acct>
                <Id><IBAN>NL91ABNA0417164300</IBAN></Id>
                <Ccy>EUR</Ccy>
              </Acct>
        \(entries)
            </Stmt>
          </BkToCstmrStmt>
        </Document>

        """
    }

    /// One entry; `details` goes inside `NtryDtls`.
    func entry(
        _ amount: String, currency: String = "EUR", direction: String = "CRDT", status: String = "<Cd>BOOK</Cd>",
        reversal: String? = nil, booked: String = "2026-03-01", details: String = ""
    ) -> String {
        """
              <Ntry>
                <Amt Ccy="\(currency)">\(amount)</Amt>
                <CdtDbtInd>\(direction)</CdtDbtInd>
        \(reversal.map { "        <RvslInd>\($0)</RvslInd>" } ?? "")
                <Sts>\(status)</Sts>
                <BookgDt><Dt>\(booked)</Dt></BookgDt>
                <ValDt><Dt>\(booked)</Dt></ValDt>
                <NtryDtls>\(details)</NtryDtls>
              </Ntry>
        """
    }

    // MARK: - The shared samples (docs/DOMAIN.md, "camt.053")

    @Test func version02SampleGivesItsOneCredit() throws {
        let statements = try Camt053.read(at: Self.samples + "/genkgo-camt053.v2.minimal.xml", fileName: "v2.xml")
        let statement = try #require(statements.first)
        #expect(statements.count == 1)
        #expect(statement.id == "253EURNL26VAYB8060476890")
        #expect(statement.account == .iban("NL26VAYB8060476890"))
        #expect(statement.currency == eur)
        #expect(statement.leftOut == [])
        #expect(
            statement.entries == [
                BankCredit(
                    amount: euros("8.85"), bookingDate: date("2014-12-31"), valueDate: date("2015-01-02"),
                    reference: "4654654654654654", referenceIssuer: "BBA", endToEndId: nil, debtorName: "NAME NAME",
                    debtorIBAN: "NL56AGDH9619008421", remittance: [], bankReference: nil, entryIndex: 1,
                    transactionIndex: 1, line: 90)
            ])
    }

    /// v08 moves the status into `Sts/Cd`, the booking date into `DtTm`, the debtor's name into `Dbtr/Pty/Nm`.
    ///
    /// Its single transaction says `<Amt Ccy="SEK">0</Amt>` on an 8.85 EUR entry: the entry amount is what the
    /// account was credited, so a single transaction's own amount is checked but not used.
    @Test func version08SampleGivesTheSameCreditWithItsEndToEndId() throws {
        let statements = try Camt053.read(at: Self.samples + "/genkgo-camt053.v8.xml", fileName: "v8.xml")
        let statement = try #require(statements.first)
        #expect(statements.count == 1)
        #expect(statement.id == "253EURNL26VAYB8060476890")
        #expect(statement.account == .other("NL26VAYB8060476890"))
        #expect(statement.currency == eur, "no Acct/Ccy: the first entry's currency")
        #expect(
            statement.entries == [
                BankCredit(
                    amount: euros("8.85"), bookingDate: date("2014-12-31"), valueDate: date("2015-01-02"),
                    reference: "4654654654654654", referenceIssuer: "BBA", endToEndId: "MUELL/FINP/RA12345",
                    debtorName: "NAME NAME", debtorIBAN: "NL56AGDH9619008421", remittance: [],
                    bankReference: "AAAASESS-FP-CN_98765/01", entryIndex: 1, transactionIndex: 1, line: 110)
            ])
    }

    // MARK: - Which entries become credits

    @Test func batchEntryBecomesOneCreditPerTransaction() throws {
        // Given one entry of 600.00 paying three invoices, each transaction with its own payer and reference
        func transaction(_ amount: String, _ name: String, _ reference: String, _ endToEnd: String) -> String {
            """

                      <TxDtls>
                        <Refs><EndToEndId>\(endToEnd)</EndToEndId><AcctSvcrRef>B-\(name)</AcctSvcrRef></Refs>
                        <Amt Ccy="EUR">\(amount)</Amt>
                        <RltdPties><Dbtr><Pty><Nm>\(name)</Nm></Pty></Dbtr>
                          <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
                        <RmtInf><Ustrd>Invoice \(name)</Ustrd><Ustrd>second line</Ustrd>
                          <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>
                            <Ref>\(reference)</Ref></CdtrRefInf></Strd></RmtInf>
                      </TxDtls>
            """
        }
        let details =
            transaction("100.00", "Acme", "RF18539007547034", "E1")
            + transaction("200.50", "Beta", "RF68AB2G5", "NOTPROVIDED")
            + transaction("299.50", "Gamma", "RF96TU06FX", "E3")

        // When it is read
        let statement = try #require(try parse(document(entry("600.00", details: details))).first)

        // Then there are three credits, in order, with the transaction amounts
        #expect(statement.entries.map(\.amount) == [euros("100.00"), euros("200.50"), euros("299.50")])
        #expect(statement.entries.map(\.transactionIndex) == [1, 2, 3])
        #expect(statement.entries.map(\.entryIndex) == [1, 1, 1])
        #expect(statement.entries.map(\.debtorName) == ["Acme", "Beta", "Gamma"])
        #expect(statement.entries.map(\.reference) == ["RF18539007547034", "RF68AB2G5", "RF96TU06FX"])
        #expect(statement.entries.map(\.endToEndId) == ["E1", nil, "E3"], "NOTPROVIDED is no id")
        #expect(statement.entries.map(\.bankReference) == ["B-Acme", "B-Beta", "B-Gamma"])
        #expect(statement.entries[0].remittance == ["Invoice Acme", "second line"])
        #expect(statement.entries[0].debtorIBAN == "DE89370400440532013000")
        #expect(statement.entries[0].referenceIssuer == "ISO")
        #expect(statement.entries.allSatisfy { $0.bookingDate == date("2026-03-01") })
    }

    @Test func version02BatchTakesTheAmountFromAmtDtls() throws {
        let details = ["40.00", "60.00"].map {
            "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"EUR\">\($0)</Amt></TxAmt></AmtDtls></TxDtls>"
        }.joined()
        let statement = try #require(
            try parse(
                document(
                    entry("100.00", status: "BOOK", details: details),
                    namespace: "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02")
            ).first)
        #expect(statement.entries.map(\.amount) == [euros("40.00"), euros("60.00")])
    }

    @Test func batchWhoseTransactionsDoNotAddUpIsRefused() {
        let details = ["40.00", "50.00"].map { "<TxDtls><Amt Ccy=\"EUR\">\($0)</Amt></TxDtls>" }.joined()
        let found = issues(document(entry("100.00", details: details)))
        #expect(found.count == 1)
        #expect(found.first?.line == 13)
        #expect(found.first?.message.contains("add up to EUR 90.00") == true)
    }

    @Test func debitsAndReversalsAreLeftOutAndCounted() throws {
        let entries = [
            entry("10.00"),
            entry("20.00", direction: "DBIT"),
            entry("30.00", reversal: "true"),
            entry("40.00", direction: "DBIT", reversal: "true"),
            entry("50.00", reversal: "false"),
        ].joined(separator: "\n")
        let statement = try #require(try parse(document(entries)).first)
        #expect(statement.entries.map(\.amount) == [euros("10.00"), euros("50.00")])
        #expect(statement.entries.map(\.entryIndex) == [1, 5])
        #expect(statement.leftOut.map(\.reason) == [.debit, .reversal, .reversal])
        #expect(statement.leftOut.map(\.entryIndex) == [2, 3, 4])
        #expect(statement.leftOut.map(\.amount) == [euros("20.00"), euros("30.00"), euros("40.00")])
        #expect(statement.leftOutCount(.debit) == 1)
        #expect(statement.leftOutCount(.reversal) == 2)
    }

    @Test(arguments: ["<Cd>PDNG</Cd>", "PDNG", "<Cd>INFO</Cd>"])
    func entriesThatAreNotBookedAreLeftOut(status: String) throws {
        // A pending entry needs no booking date yet.
        let pending = entry("25.00", status: status).replacingOccurrences(
            of: "<BookgDt><Dt>2026-03-01</Dt></BookgDt>", with: "")
        let statement = try #require(try parse(document(entry("10.00") + "\n" + pending)).first)
        #expect(statement.entries.map(\.amount) == [euros("10.00")])
        #expect(statement.leftOut.map(\.reason) == [.notBooked])
        #expect(statement.leftOutCount(.notBooked) == 1)
    }

    @Test func eachStatementOfADocumentIsReadWithItsOwnEntries() throws {
        let second = """
                <Stmt>
                  <Id>S2</Id>
                  <Acct><Id><Othr><Id>1234567</Id></Othr></Id><Ccy>JPY</Ccy></Acct>
            \(entry("5000", currency: "JPY", direction: "DBIT"))
            \(entry("1200", currency: "JPY"))
                </Stmt>
            """
        let text = document(entry("10.00")).replacingOccurrences(
            of: "  </BkToCstmrStmt>", with: second + "\n  </BkToCstmrStmt>")
        let statements = try parse(text)
        #expect(statements.map(\.id) == ["S1", "S2"])
        #expect(statements.map(\.account) == [.iban("NL91ABNA0417164300"), .other("1234567")])
        #expect(statements.map(\.currency?.code) == ["EUR", "JPY"])
        #expect(statements.map { $0.entries.map(\.amount.description) } == [["EUR 10.00"], ["JPY 1200"]])
        #expect(statements.map { $0.entries.map(\.entryIndex) } == [[1], [2]])
        #expect(statements.map { $0.leftOutCount(.debit) } == [0, 1])
    }

    @Test func issuesComeInFileOrder() {
        let text = document(entry("1.001")).replacingOccurrences(of: "<Ccy>EUR</Ccy>", with: "<Ccy>XXX</Ccy>")
        #expect(issues(text).map(\.line) == [10, 13])
    }

    @Test func namespacePrefixesDoNotMatter() throws {
        let prefixed = document(entry("10.00"))
            .replacingOccurrences(of: "<Document xmlns=", with: "<c:Document xmlns:c=")
            .replacingOccurrences(of: "<(/?)([A-Z])", with: "<$1c:$2", options: .regularExpression)
        #expect(prefixed.contains("<c:Ntry>"))
        let statement = try #require(try parse(prefixed).first)
        #expect(statement.entries.map(\.amount) == [euros("10.00")])
    }

    @Test func documentsOverTenMegabytesAreRead() throws {
        // libxml2 refuses more than 10 MB handed over in one piece; the parser must be fed in chunks.
        let padding = String(repeating: "<!-- \(String(repeating: "x", count: 1000)) -->\n", count: 11_000)
        let text = document(entry("10.00") + "\n" + padding + entry("20.00"))
        #expect(text.utf8.count > 11_000_000)
        let statement = try #require(try parse(text).first)
        #expect(statement.entries.map(\.amount) == [euros("10.00"), euros("20.00")])
    }

    // MARK: - Refused documents

    @Test func billionLaughsIsRefusedBeforeParsing() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <Document><BkToCstmrStmt><Stmt><Id>&lol3;</Id></Stmt></BkToCstmrStmt></Document>
            """
        let found = issues(laughs)
        #expect(found.count == 1)
        #expect(found.first.map { "\($0.file):\($0.line):\($0.column)" } == "test.xml:2:1")
        #expect(found.first?.message.contains("DOCTYPE") == true)
    }

    @Test func externalEntityIsRefused() {
        let xxe = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- harmless comment -->
            <!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <Document><BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>
            """
        let found = issues(xxe)
        #expect(found.map(\.line) == [3])
    }

    @Test func truncatedDocumentIsRefusedWithItsLine() {
        let whole = document(entry("10.00"))
        let lines = whole.split(separator: "\n", omittingEmptySubsequences: false)
        let truncated = lines.prefix(15).joined(separator: "\n")  // ends inside the entry
        let found = issues(truncated)
        #expect(found.count == 1)
        #expect(found.first?.line == 15)
        #expect(found.first?.message.contains("ends before <Ntry> (line 12) is closed") == true, "\(found)")
    }

    @Test func threeDecimalsInEurosAreRefusedWithLineAndColumn() {
        let found = issues(document(entry("10.00") + "\n" + entry("12.345")))
        #expect(found.count == 1)
        let issue = found.first
        // The amount of the second entry (entries are 9 lines long); the column is the `>` ending `<Amt Ccy="EUR">`.
        #expect(issue?.line == 22)
        #expect(issue?.column == 23)
        #expect(issue?.field == "Ntry/Amt")
        #expect(issue?.message.contains("more than 2 decimals") == true)
        #expect(issue?.description.hasPrefix("test.xml:22:23: Ntry/Amt: ") == true)
    }

    @Test(arguments: [
        ("<Id>S1</Idx>", 19, "end tag does not match"),
        ("<Id>&xxe;</Id>", 16, "&xxe; is refused"),
        ("<Id>S1 & S2</Id>", 15, "libxml2 error"),
    ])
    func malformedXMLIsRefusedWithItsPosition(statementId: String, column: Int, reason: String) {
        let broken = document(entry("10.00")).replacingOccurrences(of: "<Id>S1</Id>", with: statementId)
        let found = issues(broken)
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.column == column)
        #expect(found.first?.message.contains(reason) == true, "\(found)")
    }

    @Test(arguments: ["<Amt Ccy=\"EU", "<Amt Ccy=\"EUR\">10.0", "<"])
    func documentCutInsideAnElementIsRefused(cut: String) {
        let whole = document(entry("10.00"))
        let truncated = String(whole[..<whole.range(of: "<Amt Ccy=\"EUR\">10.00")!.lowerBound]) + cut
        let found = issues(truncated)
        #expect(found.count == 1)
        #expect(found.first.map { $0.line >= 12 } == true, "\(found)")
    }

    @Test(arguments: ["XYZ", "eur", "EURO", ""])
    func unknownCurrencyIsRefused(code: String) {
        let found = issues(document(entry("10.00", currency: code)))
        #expect(found.count == 1)
        #expect(found.first?.line == 13)
        #expect(found.first?.field == "Ntry/Amt/@Ccy")
        #expect(found.first?.message.contains("not an ISO 4217 currency") == true)
    }

    @Test(arguments: ["2026-02-30", "2026-3-1", "01.03.2026", ""])
    func impossibleBookingDateIsRefused(text: String) {
        let found = issues(document(entry("10.00", booked: text)))
        #expect(found.count == 2, "booking and value date")
        #expect(found.first?.line == 17)
        #expect(found.first?.field == "Ntry/BookgDt/Dt")
    }

    @Test func everyBadValueIsReportedAndNothingIsImported() {
        let found = issues(
            document([entry("1.001"), entry("10.00"), entry("abc", currency: "USD")].joined(separator: "\n")))
        #expect(found.map(\.line) == [13, 31])
    }

    @Test(arguments: [
        ("<Invoice><ID>1</ID></Invoice>", "root element"),
        (
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.08\"><BkToCstmrAcctRpt/></Document>",
            "namespace"
        ),
        ("<Document><BkToCstmrAcctRpt/></Document>", "not <BkToCstmrStmt>"),
        ("<Document/>", "no BkToCstmrStmt"),
        ("", "empty"),
    ])
    func documentsThatAreNotCamt053AreRefused(text: String, reason: String) {
        let found = issues(text)
        #expect(found.count == 1)
        #expect(found.first?.message.contains(reason) == true, "\(found)")
    }

    @Test func otherEncodingsAreRefused() {
        let latin1 = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><Document/>"#.utf8)
        let utf16: [UInt8] = [0xFF, 0xFE] + "<Document/>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let invalid = Array("<Document><Nm>".utf8) + [0xE9] + Array("</Nm></Document>".utf8)
        for bytes in [latin1, utf16, invalid] {
            #expect(throws: Camt053Error.self) { try Camt053.parse(bytes, fileName: "x.xml") }
        }
    }

    @Test func missingFileIsAnIssueNotACrash() {
        #expect(throws: Camt053Error.self) { try Camt053.read(at: Self.samples + "/no-such-file.xml") }
    }
}
