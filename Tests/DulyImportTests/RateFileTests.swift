import DulyCore
import DulyImport
import Testing

@Suite("Operator rate files")
struct RateFileTests {
    private func parse(_ text: String) -> CSVParseResult<ReferenceRateTable.Row> {
        RateFile.parse(bytes: Array(text.utf8), fileName: "rates.csv")
    }

    // docs/DOMAIN.md, "Reference rates": an operator adds rate rows (date, rate, source) without a release.
    @Test func aGoodFileAddsHalfYearsAndReplacesBuiltInOnes() throws {
        let result = parse(
            """
            reference,valid_from,rate_percent,source
            BOE,2026-07-01,3.75,BoE Bank Rate 30 Jun 2026
            ecb, 2026-07-01 ,2.00,
            DE,2026-01-01,1.30,correction

            """)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.records.map(\.line) == [2, 3, 4])
        var table = ReferenceRateTable.builtIn
        #expect(throws: InterestError.self) { try table.row(.bankOfEngland, for: HalfYear(year: 2026, half: 2)) }
        table.merge(result.values)
        let boe = try table.row(.bankOfEngland, for: HalfYear(year: 2026, half: 2))
        #expect(boe.rate == AnnualRate(percent: "3.75"))
        #expect(boe.source == "rates.csv:2 (BoE Bank Rate 30 Jun 2026)")
        #expect(try table.row(.ecbMainRefinancing, for: HalfYear(year: 2026, half: 2)).rate.percentString == "2.00")
        // A row for a built-in half-year replaces it.
        #expect(try table.row(.germanBaseRate, for: HalfYear(year: 2026, half: 1)).rate.percentString == "1.30")
    }

    @Test func theColumnsMayComeInAnyOrderAndJurisdictionNamesTheReference() {
        let result = parse("rate_percent,jurisdiction,valid_from\n2.15,NL,2026-07-01\n")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.values.first?.reference == .ecbMainRefinancing)
    }

    @Test func badRowsAreRefusedWithTheirLineAndColumn() {
        let result = parse(
            """
            reference,valid_from,rate_percent
            BOE,2026-07-01,3.75
            XYZ,2026-07-01,3.75
            ECB,2026-07-15,2.15
            ECB,2026-07-01,2.15%
            DE,,1.27
            BOE,2026-07-01,3.50

            """)
        #expect(result.records.count == 1)
        let located = result.issues.map { "\($0.line):\($0.column):\($0.field ?? "")" }
        #expect(located == ["3:1:reference", "4:2:valid_from", "5:3:rate_percent", "6:2:valid_from", "7:2:valid_from"])
        #expect(result.issues[1].description.hasPrefix("rates.csv:4:2: valid_from: "))
        #expect(result.issues[1].message.contains("2026-07-01"))
        #expect(result.issues[4].message.contains("already given on line 2"))
    }

    @Test func aHeaderWithoutARequiredColumnIsRefused() {
        let result = parse("reference,valid_from,rate\nBOE,2026-07-01,3.75\n")
        #expect(result.records.isEmpty)
        #expect(result.issues.map(\.field) == ["rate", "rate_percent"])
        #expect(result.issues.allSatisfy { $0.line == 1 })
    }

    @Test func aRowWithTooManyFieldsIsALocatedIssue() {
        let result = parse("reference,valid_from,rate_percent\nBOE,2026-07-01,3.75,extra\n")
        #expect(result.records.isEmpty)
        #expect(result.issues.first?.line == 2)
    }
}
