import Foundation

/// The rate limit on sign-ins: after `limit` failures within `window` for one account, or `addressLimit` from one
/// address, further attempts are refused until the oldest failure leaves the window. It counts in this process's
/// memory: each node limits on its own, and a restart forgets (README, "Web app").
actor LoginThrottle {
    struct Rule: Sendable {
        var limit: Int
        var window: TimeInterval
    }

    let account: Rule
    let address: Rule
    private var failures: [String: [Date]] = [:]

    init(
        account: Rule = Rule(limit: 5, window: 15 * 60), address: Rule = Rule(limit: 20, window: 15 * 60)
    ) {
        self.account = account
        self.address = address
    }

    /// How long until an attempt for `email` from `address` may be made at `now`; nil when it may be made now.
    func wait(email: String, address: String?, now: Date) -> TimeInterval? {
        let waits = keys(email: email, address: address).compactMap { key, rule -> TimeInterval? in
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < rule.window }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= rule.limit, let oldest = recent.first else { return nil }
            return rule.window - now.timeIntervalSince(oldest)
        }
        return waits.max()
    }

    /// Counts a failed attempt.
    func fail(email: String, address: String?, now: Date) {
        for (key, _) in keys(email: email, address: address) { failures[key, default: []].append(now) }
        // Made-up addresses must not fill memory: past a bound, forget every key whose last failure left its window.
        if failures.count > 10_000 {
            let longest = max(account.window, self.address.window)
            failures = failures.filter { now.timeIntervalSince($0.value.last ?? now) < longest }
        }
    }

    /// Forgets an account's failures once its password was given right.
    func succeed(email: String) {
        failures["account:" + email.lowercased()] = nil
    }

    private func keys(email: String, address: String?) -> [(String, Rule)] {
        // Requests that reach no socket (in-process tests) share one address.
        [("account:" + email.lowercased(), account), ("address:" + (address ?? "unknown"), self.address)]
    }

    /// A wait in whole minutes, at least one, as the refusal page says it.
    static func minutes(_ wait: TimeInterval) -> Int { max(1, Int((wait / 60).rounded(.up))) }
}
