import DulyCore

/// When and as of which day a change is recorded. The store never reads the clock: the caller says.
public struct RecordingContext: Sendable {
    /// The business day the change belongs to (an import's day, a run's as-of date).
    public var date: LocalDate
    /// RFC 3339 UTC timestamp written on timeline entries.
    public var recordedAt: String

    public init(date: LocalDate, recordedAt: String) {
        self.date = date
        self.recordedAt = recordedAt
    }
}

/// What an import did. Re-importing the same file gives `inserted == 0 && updated == 0`.
public struct ImportSummary: Hashable, Sendable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// What a run's batch actually wrote.
public struct RunCommitSummary: Hashable, Sendable {
    /// Actions written (already-known idempotency keys are not written again).
    public var planned: Int
    public var cancelled: Int

    public init(planned: Int = 0, cancelled: Int = 0) {
        self.planned = planned
        self.cancelled = cancelled
    }
}

/// An action as stored, for listings (`run --json` prints `PlannedAction`s; this is the outbox's view).
public struct StoredAction: Hashable, Sendable {
    public var id: Int64
    public var customerID: String
    public var action: PlannedAction

    public init(id: Int64, customerID: String, action: PlannedAction) {
        self.id = id
        self.customerID = customerID
        self.action = action
    }
}

/// The storage interface. Every method is one unit of work and one transaction in its backend: it either happens
/// whole or not at all. Every method is scoped to one organisation.
public protocol DulyStore: Sendable {
    /// Creates or upgrades the schema. Safe to call on every start.
    func migrate() async throws

    func organisation(id: String) async throws -> Organisation?
    /// Creates or replaces an organisation's settings.
    func saveOrganisation(_ organisation: Organisation) async throws
    /// Deletes an organisation and every record that belongs to it (the demo uses this to reset itself).
    func deleteOrganisation(id: String) async throws

    /// Inserts new customers, updates changed ones, leaves identical ones alone.
    func importCustomers(
        _ records: [CustomerRecord], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    /// Inserts new invoices. An invoice number already present with identical data is unchanged; with different
    /// data it is an error (`StoreError.conflict`) and nothing is imported. Unknown customers are an error.
    func importInvoices(
        _ invoices: [Invoice], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    /// Inserts new payments and allocates each with `Allocator`, in the order given. A payment id already present
    /// with identical data is unchanged; with different data it is a conflict. Unknown customers are an error.
    func importPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    func recordCreditNote(_ note: CreditNote, organisationID: String, context: RecordingContext) async throws

    func recordDispute(_ dispute: Dispute, organisationID: String, context: RecordingContext) async throws
    func recordPromise(_ promise: PromiseToPay, organisationID: String, context: RecordingContext) async throws
    func recordPlan(_ plan: PaymentPlan, organisationID: String, context: RecordingContext) async throws

    /// The accounts the collection day must look at, in customer-id order, after `after`: customers with an open
    /// invoice or a pending action. At most `limit` of them.
    func accountsForRun(organisationID: String, after: String?, limit: Int) async throws -> [Account]
    /// Writes one batch of a run: new actions, cancellations, and their timeline entries, in one transaction.
    func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], organisationID: String, context: RecordingContext
    ) async throws -> RunCommitSummary
    /// Moves an action on (approved, sent, done, failed); recorded on the timeline.
    func updateActionStatus(
        id: Int64, to status: ActionStatus, organisationID: String, context: RecordingContext
    ) async throws

    /// Invoices with their balances, ordered by customer then due date.
    func invoices(organisationID: String, customerID: String?, openOnly: Bool) async throws -> [InvoiceBalance]
    func actions(organisationID: String, customerID: String?) async throws -> [StoredAction]
    func customers(organisationID: String) async throws -> [Customer]
    /// An account's whole timeline, in order.
    func timeline(organisationID: String, customerID: String) async throws -> [TimelineEntry]
}

/// Why the store refused a unit of work. Nothing was written.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case organisationNotFound(String)
    case customerNotFound(String)
    case invoiceNotFound(String)
    case actionNotFound(Int64)
    /// A record with this key exists with different data; `field` names the first difference.
    case conflict(kind: String, key: String, field: String)
    case invalid(String)
    /// The database refused or failed; the message is for logs, not for clients.
    case backend(String)

    public var description: String {
        switch self {
        case .organisationNotFound(let id): return "no organisation '\(id)': run `duly init` first"
        case .customerNotFound(let id): return "no customer '\(id)'"
        case .invoiceNotFound(let number): return "no invoice '\(number)'"
        case .actionNotFound(let id): return "no action \(id)"
        case .conflict(let kind, let key, let field):
            return "\(kind) '\(key)' already exists with a different \(field)"
        case .invalid(let message): return message
        case .backend(let message): return "database error: \(message)"
        }
    }
}
