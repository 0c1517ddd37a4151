/// A promise to pay with the customer who made it and the money received on its invoices.
public struct PromiseHistory: Hashable, Sendable {
    public var customerID: String
    public var promise: PromiseToPay
    /// Allocations to the promise's invoices, each on its payment's date.
    public var receipts: [Receipt]

    public init(customerID: String, promise: PromiseToPay, receipts: [Receipt]) {
        self.customerID = customerID
        self.promise = promise
        self.receipts = receipts
    }
}

/// How well clients keep their promises to pay: kept ÷ (kept + broken), per customer and overall.
///
/// Counted are the promises whose promised date falls in the period and whose outcome is known at the period's end,
/// judged by `PromiseToPay.state(on:graceDays:receipts:)`: kept when the receipts reached the promised amount by the
/// promised date plus the grace days, broken when the grace passed without it. A partial payment is a broken promise.
/// Promises still live at the period's end (not yet due, or inside their grace) have no outcome yet: they are listed
/// apart and left out of the rate.
public struct PromiseKeptReport: Hashable, Sendable {
    /// Kept and broken promises, and the kept rate.
    public struct Tally: Hashable, Sendable {
        public var kept = 0
        public var broken = 0

        public init(kept: Int = 0, broken: Int = 0) {
            self.kept = kept
            self.broken = broken
        }

        /// kept ÷ (kept + broken) × 100; nil when no promise has an outcome.
        public var keptRate: Ratio? { kept + broken == 0 ? nil : Ratio(kept * 100, over: kept + broken) }
    }

    /// One customer's tally.
    public struct CustomerTally: Hashable, Sendable {
        public var customerID: String
        public var tally: Tally

        public init(customerID: String, tally: Tally) {
            self.customerID = customerID
            self.tally = tally
        }
    }

    public var period: ReportPeriod
    public var graceDays: Int
    public var overall: Tally
    /// One tally per customer with a counted promise, by customer id.
    public var customers: [CustomerTally]
    /// Promises made by the period's end and still live then, by promised date.
    public var live: [PromiseHistory]

    public init(promises: [PromiseHistory], period: ReportPeriod, graceDays: Int) {
        self.period = period
        self.graceDays = graceDays
        var overall = Tally()
        var byCustomer: [String: Tally] = [:]
        var live: [PromiseHistory] = []
        for history in promises where history.promise.madeOn <= period.to {
            let state = history.promise.state(on: period.to, graceDays: graceDays, receipts: history.receipts)
            if state == .live {
                live.append(history)
                continue
            }
            guard period.contains(history.promise.promisedDate) else { continue }
            var tally = byCustomer[history.customerID] ?? Tally()
            if state == .kept {
                tally.kept += 1
                overall.kept += 1
            } else {
                tally.broken += 1
                overall.broken += 1
            }
            byCustomer[history.customerID] = tally
        }
        self.overall = overall
        self.customers = byCustomer.sorted { $0.key < $1.key }.map {
            CustomerTally(customerID: $0.key, tally: $0.value)
        }
        self.live = live.sorted {
            ($0.promise.promisedDate, $0.customerID, $0.promise.id) < (
                $1.promise.promisedDate, $1.customerID, $1.promise.id
            )
        }
    }

}
