import DulyStore
import Foundation
import Synchronization

extension WorkLease {
    /// How long a node's claim on a batch of the collection day lasts without news: far longer than planning and
    /// writing a transaction of batches takes. A claim that lapses early costs a batch planned twice, which writes
    /// nothing twice.
    public static let runSeconds: Int64 = 60
    /// How long a deliverer's claim on a customer's messages lasts once renewed (before the customer's first message
    /// and again at each message's point of no return). A claim that lapses mid-message costs that message being
    /// sent by another deliverer instead: the renewal at the point of no return fails, and this one drops it.
    public static let deliverySeconds: Int64 = 30

    /// A lease of this process on the system clock, held as `host:pid:random` so that an operator can tell the nodes
    /// apart in the database. Leases always count real seconds, also when a command simulates a day: a node that
    /// died is taken over after real time has passed.
    ///
    /// A command passes `waitingNote`: said once on standard error when it first waits for work another node holds,
    /// so that whoever watches knows why nothing seems to happen.
    public static func system(seconds: Int64, waitingNote: String? = nil) -> WorkLease {
        let process = ProcessInfo.processInfo
        let holder = "\(process.hostName):\(process.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
        let said = Atomic<Bool>(false)
        return WorkLease(
            holder: holder, seconds: seconds, now: { Int64(Date().timeIntervalSince1970) },
            wait: {
                if let waitingNote, !said.exchange(true, ordering: .relaxed) {
                    FileHandle.standardError.write(Data((waitingNote + "\n").utf8))
                }
                try await Task.sleep(for: .seconds($0))
            })
    }
}
