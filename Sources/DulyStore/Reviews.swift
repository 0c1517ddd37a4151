import DulyCore

// The collection day looks only at the accounts that need it (README, "The collection day"): these are the values
// a store keeps for that.

/// Which customers a collection day looks at.
public struct ReviewSelection: Hashable, Sendable {
    /// The customers to look at, in id order.
    public var customerIDs: [String]
    /// How many customers the organisation has: the rest are unchanged and not due.
    public var customers: Int

    public init(customerIDs: [String], customers: Int) {
        self.customerIDs = customerIDs
        self.customers = customers
    }

    /// The customers to look at cut into batches of `size`, in id order: the collection day's unit of work, which
    /// nodes claim a few at a time.
    public func batches(of size: Int) -> [[String]] {
        stride(from: 0, to: customerIDs.count, by: size).map {
            Array(customerIDs[$0..<min($0 + size, customerIDs.count)])
        }
    }
}

/// An account read for the collection day, with the count of changes its review is written against.
public struct ReviewedAccount: Sendable {
    public var account: Account
    /// How many times the account had changed when it was read (see `CustomerReview`).
    public var changes: Int64

    public init(account: Account, changes: Int64) {
        self.account = account
        self.changes = changes
    }
}

/// When the collection day next needs to look at a customer's account, as decided by a run.
///
/// A store keeps, per customer, the day of its next review and a count of the changes to its account (each
/// timeline entry is one, except a run's own entries for the accounts it reviews). A run writes a review only if the
/// count is still the one it read, so a change made while the run was planning keeps the account due.
public struct CustomerReview: Hashable, Sendable {
    public var customerID: String
    /// The change count the account was read with.
    public var changes: Int64
    /// `Planner.nextReview`: nil when only a change can bring anything new.
    public var nextReview: LocalDate?
    /// The escalations held back until a person acts (`Deferral.Reason.needsPerson`): the worklist lists them
    /// until the next review of the account replaces them.
    public var held: [Deferral]

    public init(customerID: String, changes: Int64, nextReview: LocalDate?, held: [Deferral] = []) {
        self.customerID = customerID
        self.changes = changes
        self.nextReview = nextReview
        self.held = held
    }
}
