import DulyCore
import Foundation

/// The only place Duly reads the clock: the command line turns "now" into a civil date and a timestamp, and hands
/// both to the core and the store as plain values.
enum SystemClock {
    /// Today's date in an IANA time zone (UTC when the zone is unknown).
    static func today(inTimeZone identifier: String, now: Date = Date()) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Now as an RFC 3339 UTC timestamp, for timeline entries.
    static func timestamp(now: Date = Date()) -> String {
        now.formatted(.iso8601)
    }

    /// An instant as an RFC 5322 date for email headers (`Mon, 9 Mar 2026 09:30:00 +0100`), in a time zone.
    static func rfc5322(now: Date = Date(), timeZone identifier: String = "UTC") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return formatter.string(from: now)
    }

    /// 09:00 on a civil date in a time zone, as an instant: the demo's sending time.
    static func morning(of date: LocalDate, timeZone identifier: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 9))!
    }
}
