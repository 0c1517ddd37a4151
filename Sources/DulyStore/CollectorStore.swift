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
}
