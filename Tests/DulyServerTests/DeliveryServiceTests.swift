import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import DulyServer

/// How the deliverer inside `serve` meets a shutdown: a pass under way is told to stop before its next message and
/// is never cancelled in the middle of one; a wait ends at once. The send waits for the shutdown and the wait for its
/// cancellation, so nothing sleeps.
@Suite struct DeliveryServiceTests {
    /// A clock whose waits last until the task is cancelled (by a graceful shutdown).
    struct WaitingClock: ServiceClock {
        func now() -> Date { SchedulerTests.utc(20, 12) }
        func sleep(until instant: Date) async throws {
            // Suspends until cancelled: the stream never yields, and ends when the task is cancelled.
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            await withTaskCancellationHandler {
                for await _ in stream {}
            } onCancel: {
                continuation.finish()
            }
            try Task.checkCancellation()
        }
    }

    /// What the pass saw.
    final class Send: Sendable {
        let started = AsyncStream<Void>.makeStream()
        let seen = Mutex<[String]>([])

        func note(_ text: String) { seen.withLock { $0.append(text) } }
    }

    @Test func aShutdownDuringASendLetsItFinishAndStopsThePassBeforeTheNextMessage() async throws {
        let send = Send()
        let service = DeliveryService(
            clock: WaitingClock(), interval: 60, metrics: ServerMetrics(), logger: Logger(label: "duly.test")
        ) { _, isStopping in
            send.note("sending the first message")
            send.started.continuation.yield()
            // The shutdown arrives while this message is being sent.
            try await gracefulShutdown()
            send.note(Task.isCancelled ? "cancelled mid-send" : "first message sent")
            send.note(isStopping() ? "stopped before the second" : "sending the second message")
            return [DeliveryTally(organisationID: "studio", sent: 1, failed: 0)]
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [], logger: Logger(label: "duly.test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in send.started.stream { break }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(
            send.seen.withLock { $0 }
                == ["sending the first message", "first message sent", "stopped before the second"])
    }

    @Test func aShutdownDuringTheWaitEndsTheServiceAtOnce() async throws {
        let passes = Mutex(0)
        let ran = AsyncStream<Void>.makeStream()
        let service = DeliveryService(
            clock: WaitingClock(), interval: 60, metrics: ServerMetrics(), logger: Logger(label: "duly.test")
        ) { _, _ in
            passes.withLock { $0 += 1 }
            ran.continuation.yield()
            return []
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [], logger: Logger(label: "duly.test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in ran.stream { break }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(passes.withLock { $0 } == 1)
    }
}
