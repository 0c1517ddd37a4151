import DulyStore
import Foundation

extension WorkLease {
    /// How long a node's claim on a batch of the collection day lasts without news: far longer than planning and
    /// writing a batch takes.
    public static let runSeconds: Int64 = 120
    /// How long a deliverer's claim on a customer's messages lasts from the moment it begins them: longer than any
    /// send takes (the SMTP client gives up on a silent server long before).
    public static let deliverySeconds: Int64 = 300

    /// A lease of this process on the system clock, held as `host:pid:random` so that an operator can tell the nodes
    /// apart in the database. Leases always count real seconds, also when a command simulates a day: a node that
    /// died is taken over after real time has passed.
    public static func system(seconds: Int64) -> WorkLease {
        let process = ProcessInfo.processInfo
        let holder = "\(process.hostName):\(process.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
        return WorkLease(
            holder: holder, seconds: seconds, now: { Int64(Date().timeIntervalSince1970) },
            wait: { try await Task.sleep(for: .seconds($0)) })
    }
}
