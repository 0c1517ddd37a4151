import Synchronization

/// The public holidays of the countries Duly supports, computed for any year (no table to keep up to date).
///
/// Each list is the national one, as the government publishes it; regional days (German Länder, Alsace-Moselle,
/// Scottish bank holidays) and one-off days (a coronation, a state funeral) are not included: an organisation adds
/// those to its own `holidays`. Sources:
/// - GB (England and Wales): https://www.gov.uk/bank-holidays, with the substitute-day rule of the Banking and
///   Financial Dealings Act 1971 (a bank holiday on a weekend moves to the next weekday not already a holiday).
/// - IE: https://www.citizensinformation.ie/en/employment/employment-rights-and-conditions/leave-and-holidays/public-holidays/
///   (no substitute days: the law gives an employee a day in lieu, it moves no public holiday).
/// - DE: https://www.bmi.bund.de (Feiertage), the nine national holidays.
/// - FR: https://www.service-public.fr/particuliers/vosdroits/F2405 (jours fériés).
/// - NL: https://www.rijksoverheid.nl/onderwerpen/feestdagen (officiële feestdagen); Koningsdag moves to 26 April
///   when 27 April is a Sunday; Bevrijdingsdag only in lustrum years, Goede Vrijdag not, as most businesses work.
/// - BE: https://www.belgium.be/nl/over_belgie/land/belgie_in_een_notendop/feestdagen (wettelijke feestdagen).
/// - AT: https://www.oesterreich.gv.at/themen/arbeit_beruf_und_pension/urlaub/Seite.3750006.html (Feiertage).
public enum PublicHolidays {
    /// The ISO 3166-1 alpha-2 codes with a calendar.
    public static let countries: [String] = ["AT", "BE", "DE", "FR", "GB", "IE", "NL"]

    /// The public holidays of `country` in `year`, with their names; empty for a country without a calendar.
    public static func holidays(country: String, year: Int) -> [LocalDate: String] {
        let easter = easterSunday(year: year)
        func date(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }
        func easterPlus(_ days: Int) -> LocalDate { easter.adding(days: days) }
        var days: [LocalDate: String] = [:]
        switch country.uppercased() {
        case "GB", "UK":
            // A fixed day on a weekday keeps its date; one on a weekend moves to the next weekday not already a
            // holiday, in date order (Christmas on a Saturday and Boxing Day on a Sunday become Monday and Tuesday).
            let fixed = [(date(1, 1), "New Year's Day"), (date(12, 25), "Christmas Day"), (date(12, 26), "Boxing Day")]
            let isWeekend = { (day: LocalDate) in day.weekday == .saturday || day.weekday == .sunday }
            for (day, name) in fixed where !isWeekend(day) { days[day] = name }
            for (day, name) in fixed where isWeekend(day) {
                var observed = day
                while isWeekend(observed) || days[observed] != nil { observed = observed.adding(days: 1) }
                days[observed] = name + " (substitute day)"
            }
            days[easterPlus(-2)] = "Good Friday"
            days[easterPlus(1)] = "Easter Monday"
            days[firstMonday(of: 5, year: year)] = "Early May bank holiday"
            days[lastMonday(of: 5, year: year)] = "Spring bank holiday"
            days[lastMonday(of: 8, year: year)] = "Summer bank holiday"
        case "IE":
            days[date(1, 1)] = "New Year's Day"
            if year >= 2023 {
                // The first Monday in February, or 1 February when that is a Friday.
                let first = date(2, 1)
                days[first.weekday == .friday ? first : firstMonday(of: 2, year: year)] = "St Brigid's Day"
            }
            days[date(3, 17)] = "St Patrick's Day"
            days[easterPlus(1)] = "Easter Monday"
            days[firstMonday(of: 5, year: year)] = "May Day"
            days[firstMonday(of: 6, year: year)] = "June Bank Holiday"
            days[firstMonday(of: 8, year: year)] = "August Bank Holiday"
            days[lastMonday(of: 10, year: year)] = "October Bank Holiday"
            days[date(12, 25)] = "Christmas Day"
            days[date(12, 26)] = "St Stephen's Day"
        case "DE":
            days[date(1, 1)] = "Neujahr"
            days[easterPlus(-2)] = "Karfreitag"
            days[easterPlus(1)] = "Ostermontag"
            days[date(5, 1)] = "Tag der Arbeit"
            days[easterPlus(39)] = "Christi Himmelfahrt"
            days[easterPlus(50)] = "Pfingstmontag"
            days[date(10, 3)] = "Tag der Deutschen Einheit"
            days[date(12, 25)] = "1. Weihnachtstag"
            days[date(12, 26)] = "2. Weihnachtstag"
        case "FR":
            days[date(1, 1)] = "Jour de l'an"
            days[easterPlus(1)] = "Lundi de Pâques"
            days[date(5, 1)] = "Fête du Travail"
            days[date(5, 8)] = "Victoire 1945"
            days[easterPlus(39)] = "Ascension"
            days[easterPlus(50)] = "Lundi de Pentecôte"
            days[date(7, 14)] = "Fête nationale"
            days[date(8, 15)] = "Assomption"
            days[date(11, 1)] = "Toussaint"
            days[date(11, 11)] = "Armistice 1918"
            days[date(12, 25)] = "Noël"
        case "NL":
            days[date(1, 1)] = "Nieuwjaarsdag"
            days[easter] = "Eerste Paasdag"
            days[easterPlus(1)] = "Tweede Paasdag"
            let kingsDay = date(4, 27)
            days[kingsDay.weekday == .sunday ? date(4, 26) : kingsDay] = "Koningsdag"
            if year % 5 == 0 { days[date(5, 5)] = "Bevrijdingsdag" }
            days[easterPlus(39)] = "Hemelvaartsdag"
            days[easterPlus(49)] = "Eerste Pinksterdag"
            days[easterPlus(50)] = "Tweede Pinksterdag"
            days[date(12, 25)] = "Eerste Kerstdag"
            days[date(12, 26)] = "Tweede Kerstdag"
        case "BE":
            days[date(1, 1)] = "Nieuwjaar / Jour de l'an"
            days[easterPlus(1)] = "Paasmaandag / Lundi de Pâques"
            days[date(5, 1)] = "Dag van de Arbeid / Fête du Travail"
            days[easterPlus(39)] = "O.L.H. Hemelvaart / Ascension"
            days[easterPlus(50)] = "Pinkstermaandag / Lundi de Pentecôte"
            days[date(7, 21)] = "Nationale feestdag / Fête nationale"
            days[date(8, 15)] = "O.L.V. Hemelvaart / Assomption"
            days[date(11, 1)] = "Allerheiligen / Toussaint"
            days[date(11, 11)] = "Wapenstilstand / Armistice"
            days[date(12, 25)] = "Kerstmis / Noël"
        case "AT":
            days[date(1, 1)] = "Neujahr"
            days[date(1, 6)] = "Heilige Drei Könige"
            days[easterPlus(1)] = "Ostermontag"
            days[date(5, 1)] = "Staatsfeiertag"
            days[easterPlus(39)] = "Christi Himmelfahrt"
            days[easterPlus(50)] = "Pfingstmontag"
            days[easterPlus(60)] = "Fronleichnam"
            days[date(8, 15)] = "Mariä Himmelfahrt"
            days[date(10, 26)] = "Nationalfeiertag"
            days[date(11, 1)] = "Allerheiligen"
            days[date(12, 8)] = "Mariä Empfängnis"
            days[date(12, 25)] = "Christtag"
            days[date(12, 26)] = "Stefanitag"
        default:
            break
        }
        return days
    }

    /// The name of the public holiday on `date` in `country`, or nil on an ordinary day (or an unknown country).
    public static func holiday(on date: LocalDate, country: String?) -> String? {
        guard let code = country?.uppercased(), countries.contains(code) || code == "UK" else { return nil }
        let key = CalendarYear(country: code, year: date.year)
        if let known = computed.withLock({ $0[key] }) { return known[date] }
        let days = holidays(country: code, year: date.year)
        computed.withLock { $0[key] = days }
        return days[date]
    }

    // The collection day asks once per account, for the organisation and for the client: a year's calendar is
    // worked out once per country, not a hundred thousand times. Only known countries are kept, so it stays small.
    private struct CalendarYear: Hashable {
        var country: String
        var year: Int
    }
    private static let computed = Mutex<[CalendarYear: [LocalDate: String]]>([:])

    /// Easter Sunday of a Gregorian year, by the anonymous Gregorian computus (Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }

    private static func firstMonday(of month: Int, year: Int) -> LocalDate {
        var date = LocalDate(year: year, month: month, day: 1)!
        while date.weekday != .monday { date = date.adding(days: 1) }
        return date
    }

    private static func lastMonday(of month: Int, year: Int) -> LocalDate {
        var date = LocalDate(year: year, month: month, day: 1)!.endOfMonth
        while date.weekday != .monday { date = date.adding(days: -1) }
        return date
    }
}

/// The days an organisation works: the playbook's weekdays, less its country's public holidays and its own extra
/// holidays. Deadlines it sets (a final notice's "respond by", an offer's last day) land on one of them.
public struct WorkingCalendar: Hashable, Sendable {
    public var workingDays: Set<Weekday>
    /// ISO 3166-1 alpha-2, for the public holidays; nil for none.
    public var country: String?
    /// The organisation's own days off (`holidays` in its settings), on top of the public ones.
    public var extraHolidays: Set<LocalDate>

    public init(workingDays: Set<Weekday> = Weekday.workWeek, country: String?, extraHolidays: Set<LocalDate> = []) {
        self.workingDays = workingDays
        self.country = country
        self.extraHolidays = extraHolidays
    }

    /// Whether the organisation works on `date`.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        workingDays.contains(date.weekday) && !extraHolidays.contains(date)
            && PublicHolidays.holiday(on: date, country: country) == nil
    }

    /// `date` itself when it is a working day, else the next one: where a deadline that falls on a day off rolls.
    public func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        // A year holds working days unless none are configured; the bound keeps a broken calendar from looping.
        var tries = 0
        while !isWorkingDay(day) && tries < 366 {
            day = day.adding(days: 1)
            tries += 1
        }
        return day
    }
}
