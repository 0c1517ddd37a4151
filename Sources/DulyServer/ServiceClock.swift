import Foundation

/// The clock of the services that run on their own (the scheduler, the deliverer): what time it is, and a way to
/// wait until a later time. `duly serve` hands them the system's; tests one they move by hand, so nothing waits.
public protocol ServiceClock: Sendable {
    /// Now.
    func now() -> Date
    /// Returns at `instant` (at once if it has passed); throws `CancellationError` when the task is cancelled.
    func sleep(until instant: Date) async throws
}

/// A time of day, as `--run-at 07:00` gives it.
public struct TimeOfDay: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    /// `HH:MM`, 00:00 to 23:59; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.hour = hour
        self.minute = minute
    }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// Civil dates and times in an organisation's time zone.
struct ZonedCalendar {
    let calendar: Calendar

    init(timeZone identifier: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        self.calendar = calendar
    }

    /// The civil date at an instant.
    func date(at instant: Date) -> (year: Int, month: Int, day: Int) {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return (parts.year!, parts.month!, parts.day!)
    }

    /// The instant a time of day falls on a civil date (in a spring-forward gap, the first instant after it).
    func instant(year: Int, month: Int, day: Int, at time: TimeOfDay) -> Date {
        calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: time.hour, minute: time.minute))!
    }
}
