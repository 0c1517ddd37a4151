import DulyCore
import Foundation
import Testing

@Suite("LocalDate")
struct LocalDateTests {
    /// A date the test knows exists; a typo in a literal fails the test instead of crashing it.
    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    // MARK: - Parsing and formatting

    @Test(arguments: ["2026-01-05", "2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31"])
    func parsingThenFormattingGivesTheSameText(text: String) throws {
        let parsed = try date(text)
        #expect(parsed.description == text)
        #expect(LocalDate(iso: parsed.description) == parsed)
    }

    @Test func parsingReadsYearMonthAndDay() throws {
        let parsed = try date("2026-04-10")
        #expect(parsed.year == 2026)
        #expect(parsed.month == 4)
        #expect(parsed.day == 10)
    }

    @Test func smallYearsAreFormattedWithFourDigits() throws {
        let early = try #require(LocalDate(year: 42, month: 3, day: 7))
        #expect(early.description == "0042-03-07")
    }

    @Test(
        arguments: [
            "2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
            "2026-01-32", "0000-01-01",
        ])
    func daysThatDoNotExistAreRefused(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test(
        arguments: [
            "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05", "20260105", "2026-01-05T00:00", " 2026-01-05",
            "2026-01-05 ", "", "+026-01-05", "2026-0a-05", "2026--1-05", "２０２６-01-05",
        ])
    func textNotShapedYYYYMMDDIsRefused(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test(arguments: [
        (2024, true), (2000, true), (2400, true), (2028, true), (1900, false), (2100, false), (2025, false),
        (2026, false),
    ])
    func leapYearsFollowTheGregorianRule(year: Int, isLeap: Bool) {
        #expect(LocalDate.isLeap(year) == isLeap)
        #expect((LocalDate(year: year, month: 2, day: 29) != nil) == isLeap)
    }

    @Test func memberwiseInitRefusesImpossibleDates() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2026, month: 6, day: 31) == nil)
        #expect(LocalDate(year: 10_000, month: 1, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 6, day: 30) != nil)
    }

    // MARK: - Weekdays

    @Test(arguments: [
        ("1970-01-01", Weekday.thursday),
        ("1969-12-31", .wednesday),
        ("2000-01-01", .saturday),
        ("2024-02-29", .thursday),
        ("2026-04-10", .friday),
        ("2026-05-30", .saturday),
        ("2026-06-01", .monday),
        ("2026-03-08", .sunday),
        ("2025-11-11", .tuesday),
        ("1900-01-01", .monday),
    ])
    func weekdayOfKnownDates(text: String, weekday: Weekday) throws {
        #expect(try date(text).weekday == weekday)
    }

    @Test(arguments: [("mon", Weekday.monday), ("Tuesday", .tuesday), ("SUNDAY", .sunday), ("thu", .thursday)])
    func weekdayNamesParseInAnyCase(name: String, weekday: Weekday) {
        #expect(Weekday(name: name) == weekday)
    }

    @Test(arguments: ["", "t", "mo", "noday", "mondays"])
    func unknownWeekdayNamesAreRefused(name: String) {
        #expect(Weekday(name: name) == nil)
    }

    // MARK: - Arithmetic

    @Test(arguments: [
        ("2026-12-31", 1, "2027-01-01"),
        ("2027-01-01", -1, "2026-12-31"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2025-02-28", 1, "2025-03-01"),
        ("2026-01-15", 365, "2027-01-15"),
        ("2024-01-15", 366, "2025-01-15"),
        ("2023-12-01", 500, "2025-04-14"),
        ("2026-04-10", 0, "2026-04-10"),
        ("2026-03-01", -1_000, "2023-06-05"),
    ])
    func addingDaysCrossesMonthsAndYears(start: String, days: Int, expected: String) throws {
        #expect(try date(start).adding(days: days) == date(expected))
    }

    @Test(arguments: [
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2000-01-31", 1, "2000-02-29"),
        ("1900-01-31", 1, "1900-02-28"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-01-31", 2, "2026-03-31"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-15", -1, "2025-12-15"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-05-20", 0, "2026-05-20"),
    ])
    func addingMonthsClampsToTheLastDayOfAShorterMonth(start: String, months: Int, expected: String) throws {
        #expect(try date(start).adding(months: months) == date(expected))
    }

    @Test(arguments: [
        ("2024-02-10", "2024-02-29"),
        ("2023-02-10", "2023-02-28"),
        ("2000-02-01", "2000-02-29"),
        ("1900-02-01", "1900-02-28"),
        ("2026-04-30", "2026-04-30"),
        ("2026-12-01", "2026-12-31"),
        ("2026-09-15", "2026-09-30"),
    ])
    func endOfMonthIsTheLastDayOfTheSameMonth(start: String, expected: String) throws {
        #expect(try date(start).endOfMonth == date(expected))
    }

    @Test func daysUntilIsPositiveForLaterDatesAndNegativeForEarlierOnes() throws {
        let start = try date("2026-01-15")
        #expect(start.days(until: try date("2026-02-14")) == 30)
        #expect(try date("2026-02-14").days(until: start) == -30)
        #expect(start.days(until: start) == 0)
        #expect(try date("2024-01-01").days(until: date("2025-01-01")) == 366)
        #expect(try date("2025-01-01").days(until: date("2026-01-01")) == 365)
    }

    /// docs/DOMAIN.md, K-8: days past due as of 2026-03-31, aged on the due date.
    @Test(arguments: [
        ("2026-04-15", -15), ("2026-03-31", 0), ("2026-03-30", 1), ("2026-03-01", 30), ("2026-02-28", 31),
        ("2026-01-30", 60), ("2026-01-29", 61), ("2025-12-31", 90), ("2025-12-30", 91),
    ])
    func daysPastDueMatchTheAgingVectors(due: String, daysPastDue: Int) throws {
        let asOf = try date("2026-03-31")
        #expect(try date(due).days(until: asOf) == daysPastDue)
    }

    @Test func datesCompareChronologically() throws {
        #expect(try date("2025-12-31") < date("2026-01-01"))
        #expect(try date("2026-01-31") < date("2026-02-01"))
        #expect(try date("2026-02-01") < date("2026-02-02"))
        #expect(try !(date("2026-02-02") < date("2026-02-02")))
        let sorted = try ["2026-03-01", "2025-12-31", "2026-02-28"].map { try date($0) }.sorted().map(\.description)
        #expect(sorted == ["2025-12-31", "2026-02-28", "2026-03-01"])
    }

    // MARK: - Days since the epoch

    @Test(arguments: [
        ("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2000-03-01", 11_017), ("2026-04-10", 20_553),
        ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
    ])
    func daysSinceEpochOfKnownDates(text: String, days: Int) throws {
        let parsed = try date(text)
        #expect(parsed.daysSinceEpoch == days)
        #expect(LocalDate(daysSinceEpoch: days) == parsed)
    }

    @Test func everyDayFromYear1To9999RoundTripsAndFollowsTheDayBefore() throws {
        // Given the first and the last representable days
        let first = try date("0001-01-01").daysSinceEpoch
        let last = try date("9999-12-31").daysSinceEpoch
        // When every day in between is converted both ways
        var previous = LocalDate(daysSinceEpoch: first - 1)
        var failures: [String] = []
        for days in first...last {
            let current = LocalDate(daysSinceEpoch: days)
            // Then each round-trips, exists, and is the calendar successor of the day before
            let successor: (Int, Int, Int) =
                previous.day < LocalDate.daysIn(month: previous.month, year: previous.year)
                ? (previous.year, previous.month, previous.day + 1)
                : previous.month < 12 ? (previous.year, previous.month + 1, 1) : (previous.year + 1, 1, 1)
            if current.daysSinceEpoch != days
                || LocalDate(year: current.year, month: current.month, day: current.day)
                    != current
                || (current.year, current.month, current.day) != successor
            {
                failures.append("\(days) -> \(current)")
                if failures.count > 5 { break }
            }
            previous = current
        }
        #expect(failures.isEmpty)
        #expect(last - first + 1 == 3_652_059)
    }

    @Test func datesEncodeAsISOTextAndRefuseOtherTextWhenDecoded() throws {
        let encoded = try JSONEncoder().encode(["due": try date("2026-04-10")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"due":"2026-04-10"}"#)
        #expect(try JSONDecoder().decode([String: LocalDate].self, from: encoded) == ["due": date("2026-04-10")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: LocalDate].self, from: Data(#"{"due":"2026-02-30"}"#.utf8))
        }
    }
}
