import DulyCore
import DulyStore
import Foundation
import Logging
import ServiceLifecycle

/// Runs each organisation's collection day once per working day at `runAt`, in the organisation's time zone.
///
/// What it ran is recorded in the store (`ServerRunStore`), so a restart never runs a day twice. Started after the
/// time of day, it runs today's day at once (a missed day is caught up by today's run, which plans whatever fell due
/// meanwhile: never one run per day missed). Days that are not working days under the playbook's calendar are
/// not run.
public struct Scheduler<Store: ServerStore, Clock: ServiceClock>: Service {
    let store: Store
    let clock: Clock
    let runAt: TimeOfDay
    let metrics: ServerMetrics
    let logger: Logger
    /// The longest wait between looks, so that an organisation created meanwhile is seen within the hour.
    static var longestWait: TimeInterval { 3600 }

    public init(store: Store, clock: Clock, runAt: TimeOfDay, metrics: ServerMetrics, logger: Logger) {
        self.store = store
        self.clock = clock
        self.runAt = runAt
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let next: Date
            do {
                next = try await runDue(at: clock.now())
            } catch {
                // A day that fails (the database busy, a disk full) is tried again at the next look, not fatal.
                logger.error("the scheduled collection day failed", metadata: ["error": "\(error)"])
                next = clock.now().addingTimeInterval(Self.longestWait)
            }
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: next) }
            } catch is CancellationError {
                return
            }
        }
    }

    /// Runs the day of every organisation whose time has come at `now` and that has not run it yet; returns when
    /// to look again.
    public func runDue(at now: Date) async throws -> Date {
        var next = now.addingTimeInterval(Self.longestWait)
        for id in try await store.organisationIDs() {
            guard let organisation = try await store.organisation(id: id) else { continue }
            let zone = ZonedCalendar(timeZone: organisation.timeZone)
            let civil = zone.date(at: now)
            guard let today = LocalDate(year: civil.year, month: civil.month, day: civil.day) else { continue }
            let tomorrow = today.adding(days: 1)
            let dueToday = zone.instant(year: today.year, month: today.month, day: today.day, at: runAt)
            let dueTomorrow = zone.instant(year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, at: runAt)
            if now < dueToday {
                next = min(next, dueToday)
                continue
            }
            next = min(next, dueTomorrow)
            if let last = try await store.lastServerRun(organisationID: id, source: .schedule), last >= today {
                continue
            }
            let playbook = try await servedPlaybook(for: organisation, in: store)
            guard Planner(playbook: playbook, organisation: organisation).calendar.isWorkingDay(today) else { continue }
            let stamp = now.formatted(.iso8601)
            let report = try await CollectionDay(store: store, organisation: organisation, playbook: playbook)
                .run(asOf: today, recordedAt: stamp, dryRun: false, lease: .system(seconds: WorkLease.runSeconds))
            let planned = report.planned + report.awaitingApproval
            try await store.recordServerRun(
                organisationID: id, date: today, source: .schedule, planned: planned, finishedAt: stamp)
            metrics.planned(planned, organisationID: id)
            logger.info(
                "ran the collection day",
                metadata: ["organisation": "\(id)", "as_of": "\(today)", "planned": "\(planned)"])
        }
        return next
    }
}
