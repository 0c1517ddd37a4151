import DulyCore

/// Why an action could not be withdrawn by a person.
public struct WithdrawalRefusal: Hashable, Sendable {
    public var actionID: Int64
    public var reason: String

    public init(actionID: Int64, reason: String) {
        self.actionID = actionID
        self.reason = reason
    }
}

/// What `withdrawActions` did: the actions withdrawn, and those it left as they were, with why.
public struct ActionWithdrawal: Hashable, Sendable {
    public var withdrawn: [Int64]
    public var refused: [WithdrawalRefusal]

    public init(withdrawn: [Int64] = [], refused: [WithdrawalRefusal] = []) {
        self.withdrawn = withdrawn
        self.refused = refused
    }
}

/// A promise withdrawn, with the promise as it was recorded and its customer: what `promise list` shows apart.
public struct WithdrawnPromise: Hashable, Sendable {
    public var customerID: String
    public var promise: PromiseToPay
    public var withdrawal: PromiseWithdrawal

    public init(customerID: String, promise: PromiseToPay, withdrawal: PromiseWithdrawal) {
        self.customerID = customerID
        self.promise = promise
        self.withdrawal = withdrawal
    }
}

/// Corrections a person makes on the record: withdrawing actions planned by mistake.
public protocol CorrectionStore: DulyStore {
    /// Withdraws actions a person cancels (a mistaken run, a step that should not go out), on the record: each
    /// becomes `cancelled` with who and why on its customer's timeline. Only actions not yet sent can be: planned,
    /// awaiting approval, or approved and not committed to delivery; the others are returned with the reason.
    /// The idempotency key is freed, so a later run may plan the same step again as if it had never been planned.
    ///
    /// Isolation: each action's status and delivery are checked and the action updated in one transaction, with row
    /// locks on the actions, against `DeliveryStore.beginDelivery` at the same moment.
    func withdrawActions(
        _ ids: [Int64], by person: String, reason: String, organisationID: String, context: RecordingContext
    ) async throws -> ActionWithdrawal

    // Withdrawing a promise is `CollectorStore.withdrawPromise`: the collector's as much as a correction.
}
