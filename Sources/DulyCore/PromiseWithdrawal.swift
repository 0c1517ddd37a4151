/// A promise taken back because it was recorded by mistake: on the record (who, when, why), and from then on the
/// promise is neither kept nor broken, pauses nothing and does not count in the kept rate.
public struct PromiseWithdrawal: Hashable, Sendable {
    public var promiseID: String
    public var withdrawnOn: LocalDate
    /// Who at the organisation withdrew it.
    public var withdrawnBy: String
    public var reason: String

    public init(promiseID: String, withdrawnOn: LocalDate, withdrawnBy: String, reason: String) {
        self.promiseID = promiseID
        self.withdrawnOn = withdrawnOn
        self.withdrawnBy = withdrawnBy
        self.reason = reason
    }

    /// What is wrong with withdrawing: no name or no reason (the record must say who and why); nil when it may be.
    public var problem: String? {
        if withdrawnBy.allSatisfy(\.isWhitespace) { return "say who withdraws the promise (--by NAME)" }
        if reason.allSatisfy(\.isWhitespace) { return "say why the promise is withdrawn (--reason TEXT)" }
        return nil
    }
}

extension TimelineEvent {
    /// A promise recorded by mistake was withdrawn.
    public static func promiseWithdrawn(
        _ withdrawal: PromiseWithdrawal, promise: PromiseToPay, customerID: String
    ) -> TimelineEvent {
        TimelineEvent(
            customerID: customerID, date: withdrawal.withdrawnOn, kind: .promiseWithdrawn,
            summary: "Promise to pay \(promise.amount) by \(promise.promisedDate) withdrawn by "
                + "\(withdrawal.withdrawnBy): \(withdrawal.reason)",
            details: [
                "promise": promise.id, "by": withdrawal.withdrawnBy, "reason": withdrawal.reason,
                "invoices": promise.invoiceNumbers.joined(separator: ","),
            ])
    }
}
