import DulyCore

/// The collector's and the manager's decisions: ending disputes, answering approvals, and the listings they work
/// from. Each method is one transaction.
public protocol CollectorStore: DeliveryStore {
    /// Ends an open dispute on `context.date`, with what follows from the outcome in the same transaction:
    /// - `upheld`: a credit note for the disputed amount (all that is open when the whole invoice was disputed);
    /// - `settled`: a settlement for the difference between what is open and `agreedAmount`, with `note` as its
    ///   reason and `approvedBy` as its approver; the agreed amount is then chased;
    /// - `rejected`: nothing more here; the collection day tells the client the invoice stands.
    func resolveDispute(
        id: String, outcome: DisputeOutcome, agreedAmount: Money?, note: String?, approvedBy: String?,
        organisationID: String, context: RecordingContext
    ) async throws

    /// Approves (the action goes out) or rejects (it is cancelled) an action awaiting approval, recording who
    /// decided, on which day and why.
    func decideApproval(
        actionID: Int64, approve: Bool, by manager: String, note: String?, organisationID: String,
        context: RecordingContext
    ) async throws

    /// How many hand-overs to an agency or a lawyer were approved from `from` to `to`, both included.
    func externalEscalationsApproved(organisationID: String, from: LocalDate, to: LocalDate) async throws -> Int

    /// One invoice with its balance, by number; nil when the organisation has none by that number.
    func invoice(organisationID: String, number: String) async throws -> InvoiceBalance?

    /// Every customer with a dispute, a promise or a plan (or the one asked for), as the planner sees the account.
    func accountsWithCommitments(organisationID: String, customerID: String?) async throws -> [Account]

    /// One dispute by id, resolved or not; nil when the organisation has none by that id (another organisation's
    /// included).
    func dispute(organisationID: String, id: String) async throws -> Dispute?

    /// One payment plan by id, proposed or accepted; nil when the organisation has none by that id (another
    /// organisation's included).
    func paymentPlan(organisationID: String, id: String) async throws -> PaymentPlan?

    /// Withdraws a promise recorded by mistake, on the timeline: from then on the run, the lists and the reports
    /// leave it out. Returns the promise as recorded.
    /// - Throws: `StoreError.invalid` for an unknown promise, one already withdrawn, or a withdrawal without a name
    ///   or a reason.
    @discardableResult
    func withdrawPromise(
        _ withdrawal: PromiseWithdrawal, organisationID: String, context: RecordingContext
    ) async throws -> PromiseToPay

    /// The withdrawn promises of the organisation (or of one customer), by customer then promise id.
    func withdrawnPromises(organisationID: String, customerID: String?) async throws -> [WithdrawnPromise]
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
