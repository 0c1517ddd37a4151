import DulyCore

/// The collector's and the manager's decisions: ending disputes, answering approvals, and the listings they work
/// from. Each method is one transaction.
public protocol CollectorStore: DeliveryStore {
    /// Ends an open dispute on `context.date`, with what follows from the outcome in the same transaction:
    /// - `upheld`: a credit note for the disputed amount (all that is open when the whole invoice was disputed);
    /// - `settled`: a settlement for the difference between what is open and `agreedAmount`, with `note` as its
    ///   reason and `approvedBy` as its approver; the agreed amount is then chased;
    /// - `rejected`: nothing more here; the collection day tells the client the invoice stands.
    ///
    /// Isolation: a check (the dispute is open, the invoice's balance) then an update, with a row lock on the dispute
    /// and on its invoice.
    func resolveDispute(
        id: String, outcome: DisputeOutcome, agreedAmount: Money?, note: String?, approvedBy: String?,
        organisationID: String, context: RecordingContext
    ) async throws

    /// Approves (the action goes out) or rejects (it is cancelled) an action awaiting approval, recording who
    /// decided, on which day and why. Approving a hand-over to an agency or a lawyer is refused with
    /// `ApprovalRefusal.externalCapReached` when `externalEscalationCap` (nil: no cap) were already approved in the
    /// decision's calendar month (`ApprovalRefusal.externalCap`).
    ///
    /// Isolation: a check then an update. The action's status and the month's count are read and the decision
    /// written in one transaction that no other decision interleaves with (SQLite's single writer; elsewhere a row
    /// lock on the action and an advisory lock per organisation for the count, or serializable): of two decisions on
    /// one action exactly one is recorded, and two approvals at once never pass the cap together.
    func decideApproval(
        actionID: Int64, approve: Bool, by manager: String, note: String?, externalEscalationCap: Int?,
        organisationID: String, context: RecordingContext
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

    /// Up to `limit` actions after `after`, in row-id order, that may need a person on `date` (`Worklist` decides
    /// which do): awaiting approval, failed, skipped in the week to `date`, calls and meetings planned or
    /// approved, and any planned or approved action whose delivery is held, with the hold's reason. A page costs
    /// its own rows, not the organisation's.
    func worklistActions(
        organisationID: String, on date: LocalDate, after: Int64?, limit: Int
    ) async throws -> [WorklistAction]

    /// The escalations the last collection day held back for a person (`CustomerReview.held`), customer by
    /// customer from `customerID` (included) in id order, each customer's in the order the planner gave them:
    /// whole customers, until at least `limit` are read or none are left.
    func heldEscalations(organisationID: String, from customerID: String?, limit: Int) async throws -> [Deferral]

    /// Up to `limit` disputes open on `date`, oldest first (opening day, then id), after `after`, with their
    /// customers.
    func openDisputes(
        organisationID: String, on date: LocalDate, after: DisputePageKey?, limit: Int
    ) async throws -> [CustomerDispute]
}

/// An action the worklist may show, and why its delivery waits when it does.
public struct WorklistAction: Hashable, Sendable {
    public var stored: StoredAction
    /// The delivery hold's reason (a planned message waiting for a delivery day); nil when none.
    public var holdReason: String?

    public init(stored: StoredAction, holdReason: String?) {
        self.stored = stored
        self.holdReason = holdReason
    }
}

/// Where a page of open disputes starts: after this one.
public struct DisputePageKey: Hashable, Sendable {
    public var openedOn: LocalDate
    public var id: String

    public init(openedOn: LocalDate, id: String) {
        self.openedOn = openedOn
        self.id = id
    }
}

/// A dispute with the customer it belongs to.
public struct CustomerDispute: Hashable, Sendable {
    public var customerID: String
    public var dispute: Dispute

    public init(customerID: String, dispute: Dispute) {
        self.customerID = customerID
        self.dispute = dispute
    }
}
