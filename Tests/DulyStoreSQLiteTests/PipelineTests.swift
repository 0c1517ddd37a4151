import Testing

@testable import DulyStoreSQLite

/// Work split between two threads (`pipelined`): a first load allocates on one and writes the timeline on the other,
/// so nothing may arrive out of order, be lost, or keep a thread waiting after a failure.
@Suite struct PipelineTests {
    struct Refused: Error, Equatable {
        let at: Int
    }

    @Test func everyItemArrivesInTheOrderHandedAndTheProducersResultComesBack() throws {
        var consumed: [Int] = []
        // Far more items than wait between the threads, so that each side waits for the other many times.
        let handed = try pipelined(capacity: 4) { hand in
            for item in 0..<10_000 { try hand(item) }
            return 10_000
        } consume: { item in
            consumed.append(item)
        }

        #expect(handed == 10_000)
        #expect(consumed == Array(0..<10_000))
    }

    @Test func aProducersFailureComesOutAfterEverythingItHandedBefore() {
        var consumed: [Int] = []
        #expect(throws: Refused(at: 3)) {
            try pipelined(capacity: 2) { hand in
                for item in 0..<3 { try hand(item) }
                throw Refused(at: 3)
            } consume: { item in
                consumed.append(item)
            }
        }

        #expect(consumed == [0, 1, 2])
    }

    @Test func aConsumersFailureStopsTheProducerAndComesOutItself() {
        // The producer would hand a million items; the consumer refuses the sixth.
        let producerStopped = Flag()
        #expect(throws: Refused(at: 5)) {
            try pipelined(capacity: 4) { hand in
                do {
                    for item in 0..<1_000_000 { try hand(item) }
                } catch {
                    producerStopped.raise(after: error)
                    throw error
                }
                return 1_000_000
            } consume: { item in
                if item == 5 { throw Refused(at: 5) }
            }
        }

        // `pipelined` returns only once its producer has: what the producer saw is already settled.
        #expect(producerStopped.raised)
    }
}

// Set by the producing thread; read once `pipelined` has waited for it.
private final class Flag: @unchecked Sendable {
    private(set) var raised = false

    func raise(after error: any Error) {
        raised = error is CancellationError
    }
}
