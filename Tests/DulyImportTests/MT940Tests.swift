import DulyCore
import DulyImport
import Testing

@Suite struct MT940Tests {
    let eur = Currency(code: "EUR")!

    @Test func statementLineVectorMTT1() throws {
        let line = try MT940.statementLine("231225D1234,56NTRFREF123456", currency: eur)
        #expect(line.valueDate == LocalDate(iso: "2023-12-25"))
        #expect(line.entryDate == nil)
        #expect(line.mark == .debit)
        #expect(line.amount == Money(minorUnits: 1234_56, currency: eur))
        #expect(line.transactionType == "NTRF")
        #expect(line.customerReference == "REF123456")
        #expect(line.bankReference == nil)
    }

    @Test(arguments: [
        ("2312281228C500,00NTRFNONREF//B23122800001", MT940.StatementLine.Mark.credit, "2023-12-28", 500_00),
        ("2401020102RC12,5NMSCREV1", .reversalOfCredit, "2024-01-02", 12_50),
        ("2401021229RD7,NTRFX", .reversalOfDebit, "2023-12-29", 7_00),
        ("240102CR99,99S103ABC", .credit, "2024-01-02", 99_99),
    ])
    func statementLines(_ text: String, _ mark: MT940.StatementLine.Mark, _ booked: String, _ minor: Int) throws {
        let line = try MT940.statementLine(text, currency: eur)
        #expect(line.mark == mark)
        #expect((line.entryDate ?? line.valueDate) == LocalDate(iso: booked))
        #expect(line.amount.minorUnits == minor)
    }

    static let sample = """
        {1:F01BANKNL2AXXX0000000000}{2:I940BANKNL2AXXXXN}{4:
        :20:STMT20260302
        :25:NL91ABNA0417164300
        :28C:00042/001
        :60F:C260301EUR1000,00
        :61:2603020302C250,00NTRFE2E-7781//BANKREF1
        /TRCD/00100/
        :86:/EREF/E2E-7781/REMI/USTD//Invoice INV-1002 thank you/NAME/ACME TRADING BV/IBAN/NL20INGB0001234567/
        :61:2603020302D99,00NTRFNONREF
        :86:Rent March
        :61:2603020302RC10,00NTRFNONREF
        :86:Reversal
        :61:2603020302C120,00NTRFNONREF
        :86:166?00GUTSCHRIFT?20EREF+NOTPROVIDED?21SVWZ+Rechnung INV-2002?22 und INV-20?2301?32BRIGHTSIDE LTD?31DE89370400440532013000
        :61:260302C75,50NTRFNONREF
        :86:Invoice INV-2001
        second line
        :62F:C260302EUR1336,50
        -}
        """

    @Test func aStatementReadsCreditsAndLeavesDebitsAndReversalsOut() throws {
        let statements = try MT940.parse(Array(Self.sample.utf8), fileName: "s.sta")
        #expect(statements.count == 1)
        let statement = try #require(statements.first)
        #expect(statement.id == "STMT20260302/00042/001")
        #expect(statement.account == .iban("NL91ABNA0417164300"))
        #expect(statement.currency == eur)
        #expect(statement.entries.count == 3)
        #expect(statement.leftOutCount(.debit) == 1)
        #expect(statement.leftOutCount(.reversal) == 1)
        let dutch = statement.entries[0]
        #expect(dutch.amount == Money(minorUnits: 250_00, currency: eur))
        #expect(dutch.endToEndId == "E2E-7781")
        #expect(dutch.remittance == ["Invoice INV-1002 thank you"])
        #expect(dutch.debtorName == "ACME TRADING BV")
        #expect(dutch.debtorIBAN == "NL20INGB0001234567")
        #expect(dutch.bankReference == "BANKREF1")
        #expect(dutch.line == 6)
        #expect(dutch.entryIndex == 1)
        let german = statement.entries[1]
        #expect(german.endToEndId == nil)
        #expect(german.remittance == ["Rechnung INV-2002 und INV-2001"])
        #expect(german.debtorName == "BRIGHTSIDE LTD")
        #expect(german.debtorIBAN == "DE89370400440532013000")
        #expect(german.entryIndex == 4)
        let plain = statement.entries[2]
        #expect(plain.remittance == ["Invoice INV-2001", "second line"])
        #expect(plain.bookingDate == LocalDate(iso: "2026-03-02"))
    }

    @Test func aBadLineIsReportedWithFileLineAndColumn() {
        let text = """
            :20:S1
            :25:NL91ABNA0417164300
            :60F:C260301EUR0,00
            :61:260302X5,00NTRFNONREF
            :61:2613020302C5,00NTRF
            """
        #expect(throws: MT940Error.self) { try MT940.parse(Array(text.utf8), fileName: "bad.sta") }
        do {
            _ = try MT940.parse(Array(text.utf8), fileName: "bad.sta")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "bad.sta:4:11: :61:: the debit/credit mark must be C, D, RC or RD",
                    "bad.sta:5:5: :61:: '261302' is not a date (YYMMDD)",
                ])
        }
    }

    @Test func windowsLineEndsReadTheSame() throws {
        let crlf = Self.sample.replacingOccurrences(of: "\n", with: "\r\n")
        let statements = try MT940.parse(Array(crlf.utf8), fileName: "s.sta")
        #expect(statements == (try MT940.parse(Array(Self.sample.utf8), fileName: "s.sta")))
    }

    @Test func aLineBeforeTheOpeningBalanceIsRefused() {
        let text = ":20:S1\n:25:X\n:61:260302C5,00NTRFNONREF\n"
        do {
            _ = try MT940.parse(Array(text.utf8), fileName: "f.sta")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.first?.line == 3)
        }
    }

    @Test func latin1IsReadAsLatin1() throws {
        var bytes = Array(":20:S1\r\n:25:DE89370400440532013000\r\n:60F:C260301EUR0,00\r\n".utf8)
        bytes += Array(":61:260302C10,00NTRFNONREF\r\n:86:Zahlung von M".utf8) + [0xFC] + Array("ller\r\n-\r\n".utf8)
        let statements = try MT940.parse(bytes, fileName: "latin1.sta")
        #expect(statements.first?.entries.first?.remittance == ["Zahlung von Müller"])
        #expect(statements.first?.entries.first?.line == 4)
    }

    @Test func contentDecidesTheFormat() {
        #expect(MT940.looksLikeMT940(Array(Self.sample.utf8)))
        #expect(MT940.looksLikeMT940(Array(":20:X\n".utf8)))
        #expect(!MT940.looksLikeMT940(Array("<?xml version=\"1.0\"?><Document/>".utf8)))
    }
}
