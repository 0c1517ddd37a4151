import Dispatch
import Foundation

/// Runs `produce` on a thread of its own while this thread consumes what it hands over, in the order handed, and
/// returns what `produce` returns. For work in two halves that take turns on one core otherwise: a first load
/// allocates its payments in memory on one thread while the other writes the timeline entries that allocating
/// makes (BENCHMARKS.md, "A first load on two cores").
///
/// At most `capacity` items wait between the two. A failure on either side stops both: the producer's error is
/// thrown here once the items it handed before it are consumed; the consumer's once the producer has stopped.
func pipelined<Item: Sendable, Product>(
    capacity: Int, produce: @escaping (_ hand: (Item) throws -> Void) throws -> Product,
    consume: (Item) throws -> Void
) throws -> Product {
    let channel = Channel<Item>(capacity: capacity)
    let producer = Handed(produce)
    let outcome = Handed<Result<Product, any Error>?>(nil)
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global(qos: .userInitiated).async {
        outcome.value = Result { try producer.value { item in try channel.put(item) } }
        channel.close()
        finished.signal()
    }
    do {
        while let item = channel.take() { try consume(item) }
    } catch {
        channel.stop()
        finished.wait()
        throw error
    }
    finished.wait()
    return try outcome.value!.get()
}

// A value one thread gives another and does not touch until it is given back: the semaphore `pipelined` waits on
// orders the producer's last use before the caller's next one.
private final class Handed<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}

// The items between a producer and its consumer, in order, at most `capacity` of them.
private final class Channel<Item>: @unchecked Sendable {
    // Unchecked: every field is read and written under `condition`'s lock.
    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Item] = []
    private var closed = false
    private var stopped = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    // Waits for room; throws once the consumer has stopped, so that the producer stops too.
    func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !stopped { condition.wait() }
        if stopped { throw CancellationError() }
        items.append(item)
        condition.broadcast()
    }

    // The next item, waiting for one; nil once the producer has closed the channel and every item is taken.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
