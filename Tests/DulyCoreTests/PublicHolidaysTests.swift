import DulyCore
import Testing

@Suite("Public holidays, computed")
struct PublicHolidaysTests {
    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"),
    ])
    func easterSundayFollowsTheGregorianComputus(year: Int, expected: String) {
        #expect(PublicHolidays.easterSunday(year: year) == day(expected))
    }

    @Test func easterMondayIsAHolidayWhereTheLawSaysSo() {
        for country in ["GB", "IE", "DE", "FR", "NL", "BE", "AT"] {
            #expect(PublicHolidays.holiday(on: day("2026-04-06"), country: country) != nil, "\(country)")
        }
    }

    @Test func pfingstmontagIsAGermanHoliday() {
        #expect(PublicHolidays.holiday(on: day("2026-05-25"), country: "DE") == "Pfingstmontag")
        #expect(PublicHolidays.holiday(on: day("2026-05-25"), country: "IE") == nil)
    }

    @Test func kingsDayIsDutchAndMovesToSaturdayWhenItFallsOnASunday() {
        #expect(PublicHolidays.holiday(on: day("2026-04-27"), country: "NL") == "Koningsdag")
        #expect(PublicHolidays.holiday(on: day("2026-04-27"), country: "BE") == nil)
        // 27 April 2025 was a Sunday.
        #expect(PublicHolidays.holiday(on: day("2025-04-26"), country: "NL") == "Koningsdag")
    }

    @Test func britishBankHolidaysOnAWeekendMoveToTheNextWeekdays() {
        // Christmas 2027 is a Saturday and Boxing Day a Sunday: Monday 27 and Tuesday 28 December are holidays.
        #expect(PublicHolidays.holiday(on: day("2027-12-27"), country: "GB") == "Christmas Day (substitute day)")
        #expect(PublicHolidays.holiday(on: day("2027-12-28"), country: "GB") == "Boxing Day (substitute day)")
        // Christmas 2022 was a Sunday: Boxing Day kept Monday 26th, Christmas moved to Tuesday 27th.
        #expect(PublicHolidays.holiday(on: day("2022-12-26"), country: "GB") == "Boxing Day")
        #expect(PublicHolidays.holiday(on: day("2022-12-27"), country: "GB") == "Christmas Day (substitute day)")
        // Germany moves nothing.
        #expect(PublicHolidays.holiday(on: day("2027-12-27"), country: "DE") == nil)
    }

    @Test func christmasAndNewYearAreHolidaysEverywhereDulyWorks() {
        for country in PublicHolidays.countries {
            #expect(PublicHolidays.holiday(on: day("2026-12-25"), country: country) != nil, "\(country)")
            #expect(PublicHolidays.holiday(on: day("2027-01-01"), country: country) != nil, "\(country)")
        }
    }

    @Test func aDeadlineOnADayOffRollsToTheOrganisationsNextWorkingDay() {
        let calendar = WorkingCalendar(country: "GB", extraHolidays: [day("2027-01-04")])
        // Friday 1 January 2027, a weekend, then the organisation's own day off on Monday the 4th.
        #expect(calendar.workingDay(onOrAfter: day("2027-01-01")) == day("2027-01-05"))
        #expect(calendar.workingDay(onOrAfter: day("2027-01-06")) == day("2027-01-06"))
    }
}
