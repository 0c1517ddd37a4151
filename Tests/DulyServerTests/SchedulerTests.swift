import DulyCore
import DulyStore
import DulyStoreSQLite
import Foundation
import GRDB
import Logging
import Testing

@testable import DulyServer

/// The scheduler's rules, asked at given instants: nothing waits and nothing reads the wall clock. Studio is in
/// Europe/Amsterdam (UTC+1 in March); 2026-03-20 is a Friday.
@Suite struct SchedulerTests {
    /// An instant in UTC.
    static func utc(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: 2026, month: 3, day: day, hour: hour, minute: minute))!
    }

    static func scheduler(
        _ server: TestServer, metrics: ServerMetrics = ServerMetrics()
    ) -> Scheduler<SQLiteStore, FixedClock> {
        Scheduler(
            store: server.store, clock: FixedClock(), runAt: TimeOfDay("07:00")!, metrics: metrics,
            logger: Logger(label: "duly.test"))
    }

    /// The days recorded for studio by the scheduler, in order.
    static func scheduledDays(_ server: TestServer) throws -> [String] {
        try DatabaseQueue(path: server.path).read { db in
            try String.fetchAll(
                db, sql: "SELECT run_date FROM server_runs WHERE org_id = 'studio' AND source = 'schedule' ORDER BY 1")
        }
    }

    @Test func theDayDoesNotRunBeforeItsTimeInTheOrganisationsTimeZone() async throws {
        let server = try await TestServer.make()
        // 05:59 UTC is 06:59 in Amsterdam.
        let next = try await Self.scheduler(server).runDue(at: Self.utc(20, 5, 59))
        #expect(try Self.scheduledDays(server).isEmpty)
        #expect(next == Self.utc(20, 6))
    }

    @Test func theDayRunsOnceItsTimeHasComeAndSaysWhenToLookNext() async throws {
        let server = try await TestServer.make()
        let next = try await Self.scheduler(server).runDue(at: Self.utc(20, 6))
        #expect(try Self.scheduledDays(server) == ["2026-03-20"])
        // Tomorrow's 07:00 in Amsterdam is later than an hour from now: the hour is the longest wait.
        #expect(next == Self.utc(20, 7))
    }

    @Test func aRestartDoesNotRunTheSameDayTwice() async throws {
        let server = try await TestServer.make()
        _ = try await Self.scheduler(server).runDue(at: Self.utc(20, 6))
        let restarted = ServerMetrics()
        _ = try await Self.scheduler(server, metrics: restarted).runDue(at: Self.utc(20, 9))
        #expect(try Self.scheduledDays(server) == ["2026-03-20"])
        let text = String(decoding: restarted.exposition(gauges: []), as: UTF8.self)
        #expect(!text.contains("duly_actions_planned_total"))
    }

    @Test func aMissedDayIsCaughtUpByOneRunForTodayNeverOnePerDayMissed() async throws {
        let server = try await TestServer.make()
        try await server.store.recordServerRun(
            organisationID: "studio", date: LocalDate(year: 2026, month: 3, day: 16)!, source: .schedule, planned: 0,
            finishedAt: "2026-03-16T06:00:00Z")
        _ = try await Self.scheduler(server).runDue(at: Self.utc(20, 15))
        #expect(try Self.scheduledDays(server) == ["2026-03-16", "2026-03-20"])
    }

    @Test func aDayThatIsNotAWorkingDayDoesNotRun() async throws {
        let server = try await TestServer.make()
        // Saturday.
        _ = try await Self.scheduler(server).runDue(at: Self.utc(21, 10))
        #expect(try Self.scheduledDays(server).isEmpty)
    }

    @Test func theScheduledRunPlansWhatTheDayHasAndCountsItInTheMetrics() async throws {
        let server = try await TestServer.make()
        let metrics = ServerMetrics()
        _ = try await Self.scheduler(server, metrics: metrics).runDue(at: Self.utc(20, 6))
        let actions = try await server.store.actions(organisationID: "studio", customerID: "C-100")
        let planned = actions.filter { [.planned, .awaitingApproval].contains($0.action.status) }.count
        #expect(planned > 0)
        let text = String(decoding: metrics.exposition(gauges: []), as: UTF8.self)
        #expect(text.contains(#"duly_actions_planned_total{organisation="studio"} \#(planned)"#))
    }

    @Test func aTimeOfDayIsTwoDigitHoursAndMinutes() {
        #expect(TimeOfDay("07:00") == TimeOfDay("07:00"))
        #expect(TimeOfDay("07:00")?.description == "07:00")
        #expect(TimeOfDay("23:59") != nil)
        #expect(TimeOfDay("7:00") == nil)
        #expect(TimeOfDay("24:00") == nil)
        #expect(TimeOfDay("07:60") == nil)
        #expect(TimeOfDay("0700") == nil)
    }
}

/// A clock for tests that call `runDue(at:)` themselves: it is never asked the time, and it never waits.
struct FixedClock: ServiceClock {
    func now() -> Date { SchedulerTests.utc(20, 12) }
    func sleep(until instant: Date) async throws { throw CancellationError() }
}
