import Foundation
import Logging
import ServiceLifecycle

/// What one delivery pass did for one organisation.
public struct DeliveryTally: Sendable, Equatable {
    public var organisationID: String
    public var sent: Int
    public var failed: Int
    /// Why the pass stopped before the end (a mail server that cannot be used as configured), if it did.
    public var stopped: String?

    public init(organisationID: String, sent: Int, failed: Int, stopped: String? = nil) {
        self.organisationID = organisationID
        self.sent = sent
        self.failed = failed
        self.stopped = stopped
    }
}

/// What `duly deliver` does, continuously: a pass over every organisation's outbox, then a wait of `interval`.
///
/// The pass itself (built by the executable, which knows the transports) sends only what is due: a message that
/// failed for now waits for the retry time the deliverer recorded, so the backoff holds across passes. On shutdown
/// the pass is told to stop before its next message (`isStopping`), never in the middle of one; the wait ends at
/// once.
public struct DeliveryService<Clock: ServiceClock>: Service {
    /// One pass at an instant; `isStopping` says, between messages, that the server is shutting down.
    public typealias Pass =
        @Sendable (_ now: Date, _ isStopping: @escaping @Sendable () -> Bool) async throws -> [DeliveryTally]

    let clock: Clock
    let interval: TimeInterval
    let metrics: ServerMetrics
    let logger: Logger
    let pass: Pass

    public init(clock: Clock, interval: TimeInterval, metrics: ServerMetrics, logger: Logger, pass: @escaping Pass) {
        self.clock = clock
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        self.pass = pass
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            try await passOnce()
            let next = clock.now().addingTimeInterval(interval)
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: next) }
            } catch is CancellationError {
                return
            }
        }
    }

    /// One pass, counted in the metrics; a failing pass is logged and tried again after the interval.
    func passOnce() async throws {
        do {
            for tally in try await pass(clock.now(), { Task.isShuttingDownGracefully }) {
                metrics.delivered(sent: tally.sent, failed: tally.failed, organisationID: tally.organisationID)
                if let stopped = tally.stopped, !Task.isShuttingDownGracefully {
                    logger.error(
                        "delivery stopped",
                        metadata: ["organisation": "\(tally.organisationID)", "reason": "\(stopped)"])
                }
            }
        } catch {
            logger.error("the delivery pass failed", metadata: ["error": "\(error)"])
        }
    }
}
