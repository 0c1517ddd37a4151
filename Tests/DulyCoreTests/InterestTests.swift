import DulyCore
import Testing

// Statutory interest and fixed compensation against docs/DOMAIN.md, "Late-payment interest". Each test names the rule
// id it checks and the source the document cites for it; numbers marked [D] were derived by hand (exact fractions, one
// rounding) from the rate tables of "Reference rates" and are shown in the comments.

private let pound = Currency(code: "GBP")!
private let euro = Currency(code: "EUR")!

private func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
private func gbpAmount(_ text: String) -> Money { try! Money(parsing: text, currency: pound) }
private func eurAmount(_ text: String) -> Money { try! Money(parsing: text, currency: euro) }
private func rate(_ text: String) -> AnnualRate { AnnualRate(percent: text)! }

private func invoice(_ total: Money, due: String, number: String = "INV-1") -> Invoice {
    Invoice(number: number, customerID: "C1", issueDate: date(due).adding(days: -30), dueDate: date(due), total: total)
}

/// The built-in table plus rows an operator added (a hypothetical later half-year, or an older one).
private func table(adding rows: [(String, String, String)]) -> ReferenceRateTable {
    var table = ReferenceRateTable.builtIn
    table.merge(
        rows.map { row in
            try! ReferenceRateTable.parseRow(reference: row.0, validFrom: row.1, ratePercent: row.2, source: "test")
                .get()
        })
    return table
}

private func claim(
    _ invoice: Invoice, _ regime: InterestRegime, through end: String, payments: [Allocation] = [],
    credits: [CreditNote] = [], rates: ReferenceRateTable = .builtIn, contract: AnnualRate? = nil
) throws -> InterestClaim {
    try InterestCalculator.claim(
        for: invoice, payments: payments, credits: credits, regime: regime, rates: rates, contractualRate: contract,
        through: date(end))
}

@Suite("Statutory interest: UK (Late Payment of Commercial Debts (Interest) Act 1998)")
struct UnitedKingdomInterestTests {
    // UK-T1 — [T] fidohq.com "Late payment charges": £1,000 at 8.50 % for 25 days = £5.82, fixed sum £70.
    // 8.50 % is Bank Rate 0.50 % (in force 31 Dec 2017) + 8, so the row is added as an operator would.
    @Test func ukT1ThousandPoundsAtEightAndAHalfPercentFor25Days() throws {
        let rates = table(adding: [("BOE", "2018-01-01", "0.50")])
        let result = try claim(
            invoice(gbpAmount("1000.00"), due: "2018-03-01"), .unitedKingdom, through: "2018-03-26",
            rates: rates)
        #expect(result.days == 25)
        #expect(result.currentRate == rate("8.50"))
        #expect(result.interest == gbpAmount("5.82"))
        #expect(result.compensation == gbpAmount("70.00"))
    }

    // UK-T2 — [T] theukrules (0.25 % base): £1,000 at 8.25 % for 60 days = £13.56 (computed unrounded).
    // Due 31 Jan 2022: late from 1 Feb 2022, reference 31 Dec 2021, Bank Rate 0.25 % ("Reference rates").
    @Test func ukT2ThousandPoundsAtEightQuarterPercentFor60Days() throws {
        let result = try claim(invoice(gbpAmount("1000.00"), due: "2022-01-31"), .unitedKingdom, through: "2022-04-01")
        #expect(result.days == 60)
        #expect(result.currentRate == rate("8.25"))
        #expect(result.interest == gbpAmount("13.56"))
        #expect(result.compensation == gbpAmount("70.00"))
    }

    // UK-T4 — [T] tools.gera.services: £12,000 at 13.00 % for 90 days = £384.66, fixed sum £100.
    // 13.00 % applies to interest starting 1 Jul–31 Dec 2023 (Bank Rate 5.00 % on 30 Jun 2023, "Reference rates").
    @Test func ukT4TwelveThousandPoundsAtThirteenPercentFor90Days() throws {
        let result = try claim(invoice(gbpAmount("12000.00"), due: "2023-07-10"), .unitedKingdom, through: "2023-10-08")
        #expect(result.days == 90)
        #expect(result.currentRate == rate("13.00"))
        #expect(result.interest == gbpAmount("384.66"))
        #expect(result.compensation == gbpAmount("100.00"))
    }

    // UK-T6 — [T] ycalculator: £5,000 at 12.50 % for 30 days = £51.37, fixed sum £70. No half-year of "Reference rates"
    // has 12.50 %, so an operator row for a later half-year (Bank Rate 4.50 %) gives it: this is also how a
    // half-year after 2026 H1 gets its rate without a release.
    @Test func ukT6FiveThousandPoundsAtTwelveAndAHalfPercentFor30DaysFromAnOperatorRow() throws {
        let rates = table(adding: [("BOE", "2027-01-01", "4.50")])
        let result = try claim(
            invoice(gbpAmount("5000.00"), due: "2027-01-10"), .unitedKingdom, through: "2027-02-09",
            rates: rates)
        #expect(result.days == 30)
        #expect(result.currentRate == rate("12.50"))
        #expect(result.interest == gbpAmount("51.37"))
        #expect(result.compensation == gbpAmount("70.00"))
    }

    // UK-T7 — [T] landolio: £3,000 at 11.75 % for 60 days = £57.95. 11.75 % = Bank Rate 3.75 % on 31 Dec 2025 + 8.
    @Test func ukT7ThreeThousandPoundsAtElevenThreeQuartersPercentFor60Days() throws {
        let result = try claim(invoice(gbpAmount("3000.00"), due: "2026-01-15"), .unitedKingdom, through: "2026-03-16")
        #expect(result.days == 60)
        #expect(result.currentRate == rate("11.75"))
        #expect(result.interest == gbpAmount("57.95"))
    }

    // UK-T9 / UK-7 — [T] paymentcheck.co.uk: due 1 Apr, paid 16 May → 2 Apr…16 May inclusive = 45 days; interest
    // stops at the payment date even when computed to a later date.
    @Test func ukT9DaysRunFromTheDayAfterTheDueDateToThePaymentDateInclusive() throws {
        let inv = invoice(gbpAmount("1000.00"), due: "2026-04-01")
        let paid = Allocation(
            paymentID: "P1", invoiceNumber: "INV-1", amount: gbpAmount("1000.00"), date: date("2026-05-16"))
        let result = try claim(inv, .unitedKingdom, through: "2026-09-30", payments: [paid])
        #expect(result.firstLateDay == date("2026-04-02"))
        #expect(result.lastDay == date("2026-05-16"))
        #expect(result.days == 45)
        // [D] 1000 × 11.75 % × 45 / 365 = 14.4863… → £14.49
        #expect(result.interest == gbpAmount("14.49"))
    }

    // UK-T10 / UK-4 — [D] from SI 2002/1675: due 15 Mar 2024 → late from 16 Mar 2024 → reference 31 Dec 2023 →
    // 13.25 %, and still 13.25 % after the August 2024 cut: one rate for the life of the debt, no split at 1 Jul.
    @Test func ukT10TheRateIsFixedForTheLifeOfTheDebt() throws {
        let result = try claim(invoice(gbpAmount("1000.00"), due: "2024-03-15"), .unitedKingdom, through: "2024-10-31")
        #expect(result.segments.count == 1)
        #expect(result.segments[0].rate == rate("13.25"))
        #expect(result.segments[0].referenceHalfYear == HalfYear(year: 2024, half: 1))
        #expect(!result.rateVaries)
    }

    // UK-T11 / UK-4 — [D] half-year boundary: due 30 Jun 2025 → late from 1 Jul 2025 → reference 30 Jun 2025 →
    // 12.25 %; due 29 Jun 2025 → late from 30 Jun → reference 31 Dec 2024 → 12.75 %; due 31 Dec 2024 → 12.75 %.
    @Test(arguments: [
        ("2025-06-29", "12.75"), ("2025-06-30", "12.25"), ("2025-07-01", "12.25"), ("2024-12-31", "12.75"),
        ("2024-12-30", "13.25"),
    ])
    func ukT11TheRateIsTheHalfYearInWhichInterestStarts(due: String, expected: String) throws {
        let result = try claim(invoice(gbpAmount("1000.00"), due: due), .unitedKingdom, through: "2025-08-31")
        #expect(result.currentRate == rate(expected))
    }

    // UK-T12 / UK-8 — [S] Insolvency Service 31.1.49, mygov.scot: less than £1,000 → £40; £1,000 to £9,999.99 →
    // £70; £10,000 or more → £100.
    @Test(arguments: [
        ("0.01", "40.00"), ("999.99", "40.00"), ("1000.00", "70.00"), ("9999.99", "70.00"), ("10000.00", "100.00"),
        ("250000.00", "100.00"),
    ])
    func ukT12FixedSumBands(debt: String, expected: String) throws {
        #expect(InterestRegime.unitedKingdom.compensation(forDebt: gbpAmount(debt)) == gbpAmount(expected))
        let result = try claim(invoice(gbpAmount(debt), due: "2025-01-31"), .unitedKingdom, through: "2025-02-01")
        #expect(result.compensation == gbpAmount(expected))
    }

    // UK-6 — [T] fpb.org "Debt x interest rate x the number of days late / 365": /365 even in a leap year.
    // [D] £1,000 at 13.25 % over 16 Feb–15 Mar 2024 (29 days, 29 Feb included) = 1000 × 13.25 % × 29 / 365
    // = 10.5274… → £10.53 (a /366 basis would give £10.50).
    @Test func ukLeapYearDaysAreStill365thsOfAYear() throws {
        let result = try claim(invoice(gbpAmount("1000.00"), due: "2024-02-15"), .unitedKingdom, through: "2024-03-15")
        #expect(result.days == 29)
        #expect(result.segments.map(\.yearDays) == [365])
        #expect(result.interest == gbpAmount("10.53"))
    }

    // UK-5 simple interest and UK-7: a part payment reduces the principal from the day after it is received.
    // [D] £2,000 due 31 Jan 2025 (12.75 %); £500 paid 15 Feb: 1–15 Feb on £2,000 (15 days), 16 Feb–2 Mar on £1,500
    // (15 days) = (2000 × 15 + 1500 × 15) × 12.75 % / 365 = 18.3390… → £18.34, rounded once.
    @Test func aPartPaymentLowersThePrincipalFromTheNextDay() throws {
        let part = Allocation(
            paymentID: "P1", invoiceNumber: "INV-1", amount: gbpAmount("500.00"), date: date("2025-02-15"))
        let result = try claim(
            invoice(gbpAmount("2000.00"), due: "2025-01-31"), .unitedKingdom, through: "2025-03-02",
            payments: [part])
        #expect(result.segments.map(\.days) == [15, 15])
        #expect(result.segments.map(\.principal) == [gbpAmount("2000.00"), gbpAmount("1500.00")])
        #expect(result.interest == gbpAmount("18.34"))
        // The band is chosen on the debt at the due date.
        #expect(result.compensation == gbpAmount("70.00"))
    }
}

@Suite("Statutory interest: EU minimum, Germany, France, the Netherlands, Ireland")
struct EuropeanInterestTests {
    // EU-1, EU-3, EU-4, EU-6 — [P] Directive 2011/7/EU art 2(6), 4(2); EUR-Lex summary. [D] with "Reference rates":
    // €1,000 due 15 Jun 2024; 16–30 Jun at 4.50 + 8 = 12.50 % (15 days), 1–15 Jul at 4.25 + 8 = 12.25 % (15 days):
    // 1000 × (12.50 % × 15 + 12.25 % × 15) / 365 = 10.1712… → €10.17; fixed sum €40.
    @Test func euMinimumSplitsAtTheHalfYearAndAddsFortyEuros() throws {
        let result = try claim(invoice(eurAmount("1000.00"), due: "2024-06-15"), .euMinimum, through: "2024-07-15")
        #expect(result.segments.map(\.rate) == [rate("12.50"), rate("12.25")])
        #expect(result.segments.map(\.days) == [15, 15])
        #expect(result.interest == eurAmount("10.17"))
        #expect(result.compensation == eurAmount("40.00"))
        #expect(InterestRegime.forCountry("BE") == .euMinimum)
    }

    // DE-1, DE-3, DE-4 — [P] § 288 Abs. 2, § 247 BGB; [S] LG Berlin 36 O 256/07 ("jeweiligen Basiszinssatz").
    // [D] €10,000 due 15 Dec 2024: 16–31 Dec 2024 at 3.37 + 9 = 12.37 % (16 days, /366 in 2024) and 1–31 Jan 2025 at
    // 2.27 + 9 = 11.27 % (31 days, /365) = 54.0765… + 95.7178… = 149.7943… → €149.79; Pauschale €40 (DE-2).
    @Test func germanyNinePointsOverTheBaseRateSplitAtFirstJanuary() throws {
        let result = try claim(invoice(eurAmount("10000.00"), due: "2024-12-15"), .germany, through: "2025-01-31")
        #expect(result.segments.map(\.rate) == [rate("12.37"), rate("11.27")])
        #expect(result.segments.map(\.days) == [16, 31])
        #expect(result.segments.map(\.yearDays) == [366, 365])
        #expect(result.interest == eurAmount("149.79"))
        #expect(result.compensation == eurAmount("40.00"))
        #expect(result.legalBasis == "§ 288 Abs. 2 BGB")
    }

    // DE-5 — [S] lawblog.de: "Prozentpunkte", so −0.88 % + 9 points = 8.12 % ("Reference rates", 2019–2022).
    @Test func germanyANegativeBaseRatePlusNinePoints() throws {
        let result = try claim(invoice(eurAmount("1000.00"), due: "2022-03-31"), .germany, through: "2022-04-30")
        #expect(result.currentRate == rate("8.12"))
    }

    // "Conventions" (day basis per jurisdiction) — [D] Germany on act/act: €1,000 due 15 Feb 2024, 16 Feb–15 Mar 2024
    // (29 days, 29 Feb included) at 3.62 + 9 = 12.62 %, /366: 9.9994… → €10.00 (on /365 it would be €10.03).
    @Test func germanyLeapYearDaysAre366thsOfAYear() throws {
        let result = try claim(invoice(eurAmount("1000.00"), due: "2024-02-15"), .germany, through: "2024-03-15")
        #expect(result.days == 29)
        #expect(result.segments.map(\.yearDays) == [366])
        #expect(result.interest == eurAmount("10.00"))
    }

    // FR-2, FR-3 — [P] L441-10 II (ECB + 10 points, 1 Jan / 1 Jul), D441-5 (€40). [D] €5,000 due 20 Jun 2023:
    // 21–30 Jun at 2.50 + 10 = 12.50 % (10 days), 1–20 Jul at 4.00 + 10 = 14.00 % (20 days):
    // 5000 × (12.50 % × 10 + 14.00 % × 20) / 365 = 55.4794… → €55.48.
    @Test func franceTenPointsOverTheECBRatePerHalfYear() throws {
        let result = try claim(invoice(eurAmount("5000.00"), due: "2023-06-20"), .france, through: "2023-07-20")
        #expect(result.segments.map(\.rate) == [rate("12.50"), rate("14.00")])
        #expect(result.interest == eurAmount("55.48"))
        #expect(result.compensation == eurAmount("40.00"))
    }

    // NL-2, NL-3 — [P] art. 6:119 lid 2 / 6:119a lid 3 BW ("telkens na afloop van een jaar … vermeerderd"). [D]
    // €10,000 due 31 Dec 2023, late from 1 Jan 2024. Year 1: 182 days at 12.50 % + 184 days at 12.25 % (/365) =
    // 1240.8219… → €1,240.82 added to the principal on 1 Jan 2025. Then 1 Jan–31 Mar 2025, 90 days at 11.15 % on
    // €11,240.82 = 309.0455…; total 1240.82 + 309.0455… = 1549.8655… → €1,549.87 (simple interest: €1,515.75).
    @Test func netherlandsCompoundsAfterAFullYear() throws {
        let result = try claim(invoice(eurAmount("10000.00"), due: "2023-12-31"), .netherlands, through: "2025-03-31")
        #expect(result.capitalisations == [Capitalisation(from: date("2025-01-01"), amount: eurAmount("1240.82"))])
        #expect(result.segments.map(\.days) == [182, 184, 90])
        #expect(result.segments.last?.principal == eurAmount("11240.82"))
        #expect(result.interest == eurAmount("1549.87"))
        #expect(result.compensation == eurAmount("40.00"))
    }

    // NL-2 — within the first year nothing is capitalised: the Dutch figure equals the simple EU one.
    @Test func netherlandsDoesNotCompoundWithinTheFirstYear() throws {
        let result = try claim(invoice(eurAmount("1000.00"), due: "2024-06-15"), .netherlands, through: "2024-07-15")
        #expect(result.capitalisations.isEmpty)
        #expect(result.interest == eurAmount("10.17"))
    }

    // IE-2 — [S] DJEI: "only one rate will apply to a late payment", read by docs/DOMAIN.md as the rate of the due
    // date. [D] €1,000 due 30 Jun 2025: the 2025 H1 rate 3.15 + 8 = 11.15 % for all 60 days (no split at 1 Jul): 1000 ×
    // 11.15 % × 60 / 365 = 18.3287… → €18.33. Due 1 Jul 2025: the H2 rate, 2.15 + 8 = 10.15 %.
    @Test func irelandFixesTheRateAtTheDueDate() throws {
        let june = try claim(invoice(eurAmount("1000.00"), due: "2025-06-30"), .ireland, through: "2025-08-29")
        #expect(june.days == 60)
        #expect(june.segments.count == 1)
        #expect(june.currentRate == rate("11.15"))
        #expect(june.interest == eurAmount("18.33"))
        let july = try claim(invoice(eurAmount("1000.00"), due: "2025-07-01"), .ireland, through: "2025-08-29")
        #expect(july.currentRate == rate("10.15"))
    }

    // IE-4 — [S] IrelandTogether: not exceeding €1,000 → €40; over €1,000 to €10,000 → €70; over €10,000 → €100
    // (€1,000.00 exactly is €40 in Ireland but £70 in the UK).
    @Test(arguments: [
        ("999.99", "40.00"), ("1000.00", "40.00"), ("1000.01", "70.00"), ("10000.00", "70.00"),
        ("10000.01", "100.00"),
    ])
    func irelandCompensationBands(debt: String, expected: String) {
        #expect(InterestRegime.ireland.compensation(forDebt: eurAmount(debt)) == eurAmount(expected))
    }

    // EU-1 + "Reference rates" — every built-in half-year gives the statutory rates of that table
    // (ECB + 8 / + 10, BZ + 9).
    @Test(arguments: [
        (2019, 1, "8.00", "10.00", "8.12"), (2022, 2, "8.00", "10.00", "8.12"), (2023, 1, "10.50", "12.50", "10.62"),
        (2023, 2, "12.00", "14.00", "12.12"), (2024, 1, "12.50", "14.50", "12.62"),
        (2024, 2, "12.25", "14.25", "12.37"), (2025, 1, "11.15", "13.15", "11.27"),
        (2025, 2, "10.15", "12.15", "10.27"), (2026, 1, "10.15", "12.15", "10.27"),
    ])
    func builtInHalfYearsGiveTheRulesTable(year: Int, half: Int, eu: String, fr: String, de: String) throws {
        let semester = HalfYear(year: year, half: half)
        let table = ReferenceRateTable.builtIn
        #expect(try table.row(.ecbMainRefinancing, for: semester).rate + InterestRegime.euMinimum.margin == rate(eu))
        #expect(try table.row(.ecbMainRefinancing, for: semester).rate + InterestRegime.france.margin == rate(fr))
        #expect(try table.row(.germanBaseRate, for: semester).rate + InterestRegime.germany.margin == rate(de))
    }
}

@Suite("Interest: contract rates, missing rates, dates")
struct InterestRulesTests {
    // UK-9 / FR-2 / IE-2 "unless otherwise agreed": an agreed rate replaces the statutory one; the fixed sum stays.
    // [D] £1,000 at 5 % for 30 days = 4.1095… → £4.11.
    @Test func aContractualRateOverridesTheStatutoryRate() throws {
        let result = try claim(
            invoice(gbpAmount("1000.00"), due: "2025-01-31"), .unitedKingdom, through: "2025-03-02",
            contract: rate("5"))
        #expect(result.currentRate == rate("5.00"))
        #expect(result.segments.allSatisfy { $0.referenceRate == nil })
        #expect(result.interest == gbpAmount("4.11"))
        #expect(result.compensation == gbpAmount("70.00"))
        #expect(result.legalBasis == "the agreed contractual rate")
    }

    // A contractual rate needs no table row: it works where the statutory half-year is not published yet.
    @Test func aContractualRateNeedsNoPublishedHalfYear() throws {
        let result = try claim(
            invoice(eurAmount("1000.00"), due: "2026-07-15"), .germany, through: "2026-08-14",
            contract: rate("9"))
        #expect(result.days == 30)
    }

    // docs/DOMAIN.md, "Reference rates": 2026 H2 is "not found" — the claim fails and names the half-year, never a
    // zero.
    @Test func aMissingHalfYearIsAnErrorThatNamesIt() throws {
        #expect(throws: InterestError.missingRate(reference: .bankOfEngland, halfYear: HalfYear(year: 2026, half: 2))) {
            try claim(invoice(gbpAmount("1000.00"), due: "2026-06-30"), .unitedKingdom, through: "2026-07-31")
        }
        #expect(throws: InterestError.missingRate(reference: .germanBaseRate, halfYear: HalfYear(year: 2026, half: 2)))
        {
            try claim(invoice(eurAmount("1000.00"), due: "2026-06-01"), .germany, through: "2026-07-10")
        }
        let message = InterestError.missingRate(reference: .ecbMainRefinancing, halfYear: HalfYear(year: 2026, half: 2))
            .description
        #expect(message.contains("2026 H2"))
        #expect(message.contains("ECB,2026-07-01,RATE"))
    }

    // UK-3 / EU-4: nothing runs before the day after the due date.
    @Test func anInvoiceNotYetLateHasNoDaysAndNoCompensation() throws {
        for end in ["2025-01-15", "2025-01-31"] {
            let result = try claim(invoice(gbpAmount("1000.00"), due: "2025-01-31"), .unitedKingdom, through: end)
            #expect(result.days == 0)
            #expect(result.segments.isEmpty)
            #expect(result.interest == gbpAmount("0.00"))
            #expect(result.compensation == nil)
            #expect(result.notes.contains { $0.hasPrefix("not late") })
        }
    }

    // A payment in full on the due date leaves nothing late.
    @Test func anInvoicePaidOnTimeOwesNothing() throws {
        let paid = Allocation(
            paymentID: "P1", invoiceNumber: "INV-1", amount: gbpAmount("1000.00"), date: date("2025-01-31"))
        let result = try claim(
            invoice(gbpAmount("1000.00"), due: "2025-01-31"), .unitedKingdom, through: "2025-06-30",
            payments: [paid])
        #expect(result.days == 0)
        #expect(result.compensation == nil)
    }

    // A credit note corrects the invoice: no interest ever ran on the credited part.
    @Test func aCreditNoteReducesThePrincipalFromTheStart() throws {
        let credit = CreditNote(
            id: "CN1", invoiceNumber: "INV-1", date: date("2025-02-20"), amount: gbpAmount("1000.00"))
        let result = try claim(
            invoice(gbpAmount("2000.00"), due: "2025-01-31"), .unitedKingdom, through: "2025-03-02",
            credits: [credit])
        #expect(result.principal == gbpAmount("1000.00"))
        #expect(result.segments.map(\.principal) == [gbpAmount("1000.00")])
    }

    // Banded sums compare the debt in the bands' currency only; a euro debt under the UK Act gets a note, not a guess.
    @Test func bandsInAnotherCurrencyGiveNoFixedSum() throws {
        let result = try claim(invoice(eurAmount("1000.00"), due: "2025-01-31"), .unitedKingdom, through: "2025-03-02")
        #expect(result.compensation == nil)
        #expect(result.notes.contains { $0.contains("not in EUR") })
    }

    @Test(arguments: [
        ("GB", "UK"), ("uk", "UK"), ("DE", "DE"), ("FR", "FR"), ("NL", "NL"), ("IE", "IE"),
        ("AT", "EU"), ("PL", "EU"),
    ])
    func theOrganisationsCountryPicksTheRegime(country: String, jurisdiction: String) {
        #expect(InterestRegime.forCountry(country)?.jurisdiction.rawValue == jurisdiction)
    }

    @Test func countriesOutsideTheUKAndTheEUHaveNoStatutoryRegime() {
        #expect(InterestRegime.forCountry("US") == nil)
        #expect(InterestRegime.forCountry("CH") == nil)
    }

    @Test func ratesParseExactlyFromDecimalStrings() {
        #expect(AnnualRate(percent: "4.75")?.millionths == 47_500)
        #expect(AnnualRate(percent: "-0.88")?.millionths == -8_800)
        #expect(AnnualRate(percent: "12.1234")?.millionths == 121_234)
        #expect(AnnualRate(percent: "8")?.percentString == "8.00")
        #expect(AnnualRate(percent: "12.1230")?.percentString == "12.123")
        for bad in ["", ".", "4.", "4.75%", "1e2", "4,75", "12.12345", "1000", "--1"] {
            #expect(AnnualRate(percent: bad) == nil, "\(bad)")
        }
    }

    @Test func aRateRowMustStartAHalfYear() {
        let result = ReferenceRateTable.parseRow(
            reference: "ECB", validFrom: "2026-07-02", ratePercent: "2.15", source: "test")
        guard case .failure(let error) = result else {
            Issue.record("a mid-half-year date was accepted")
            return
        }
        #expect(error.field == 1)
        #expect(error.message.contains("2026-07-01"))
    }
}
