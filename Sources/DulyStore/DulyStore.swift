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
    /// A payments import: where each new payment's money went, in the order given (empty for other imports).
    public var payments: [PaymentOutcome]

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, payments: [PaymentOutcome] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.payments = payments
    }
}

/// Where one imported payment's money went: the invoices it paid, the credit left on the account, and why.
public struct PaymentOutcome: Hashable, Sendable {
    /// Why the payment did not go (all) to the invoice it named, or why some of it is left as credit.
    public enum Note: Hashable, Sendable {
        /// The named invoice is in another currency: a payment only pays invoices in its own currency.
        case currencyDiffers(invoiceNumber: String, invoiceCurrency: Currency)
        /// No invoice of the customer has the number the payment names.
        case namedInvoiceUnknown(String)
        /// The named invoice was already paid (or credited) in full.
        case namedInvoiceClosed(String)
        /// More than every open invoice of the customer in the payment's currency asked for.
        case moreThanOpen

        /// The reason in words, for a payment in `paymentCurrency`.
        public func explanation(paymentCurrency: Currency) -> String {
            switch self {
            case .currencyDiffers(let number, let currency):
                return "\(number) is in \(currency.code), the payment in \(paymentCurrency.code)"
            case .namedInvoiceUnknown(let number): return "the customer has no invoice \(number)"
            case .namedInvoiceClosed(let number): return "\(number) was already paid"
            case .moreThanOpen: return "more than was open in \(paymentCurrency.code)"
            }
        }

        /// A stable code for `--json`.
        public var code: String {
            switch self {
            case .currencyDiffers: return "currency_differs"
            case .namedInvoiceUnknown: return "named_invoice_unknown"
            case .namedInvoiceClosed: return "named_invoice_paid"
            case .moreThanOpen: return "more_than_open"
            }
        }
    }

    public var payment: Payment
    /// What went to which invoice, in the order allocated.
    public var allocations: [Allocation]
    /// What no invoice took: a credit on the customer's account (zero when all was allocated).
    public var credit: Money
    /// Why the money did not all go where the payment said, in the order found; empty when it did.
    public var notes: [Note]

    public init(payment: Payment, allocations: [Allocation], credit: Money, notes: [Note]) {
        self.payment = payment
        self.allocations = allocations
        self.credit = credit
        self.notes = notes
    }
}

/// A record an import would refuse, found before anything is written: the record's position in the batch, the
/// field at fault, and what is wrong.
public struct ImportRefusal: Hashable, Sendable {
    /// What kind of problem, for a tally of skipped rows.
    public enum Kind: String, Hashable, Sendable {
        /// The customer the record names is not in Duly.
        case unknownCustomer = "unknown customer"
        /// The key is already stored with other data.
        case conflict = "already imported with other values"
        /// A payment names an invoice the customer does not have.
        case unknownInvoice = "unknown invoice"
    }

    /// The record's index in the batch given.
    public var index: Int
    public var kind: Kind
    /// The column of Duly's CSV at fault (`customer_id`, `invoice_number`).
    public var field: String
    public var message: String

    public init(index: Int, kind: Kind, field: String, message: String) {
        self.index = index
        self.kind = kind
        self.field = field
        self.message = message
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
    /// The organisation's own number for the action (1, 2, … per organisation; `act_<id>` in the API). Every
    /// store method that takes or gives an action id means this number, never a backend's row id: a copy of the
    /// rows to another backend keeps it.
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
///
/// Isolation (docs/ARCHITECTURE.md, "Isolation"; `ConcurrencyContract` checks it): every write that appends to a
/// customer's timeline reads the chain's head and inserts after it, so two such writes for one customer must not
/// interleave: an advisory lock per customer (or a row lock on the customer) taken first in the transaction, or
/// serializable isolation with the transaction retried on a serialization failure. The "check, then update" writes
/// say what else they need beside their declaration. SQLite's single writer gives all of it.
///
/// Public numbers: actions, webhook events, webhook subscribers and bank credits are numbered per organisation
/// (`act_N`, `evt_N`, `whk_N`, `bcr_N`), unique with the organisation, assigned in the transaction that inserts the
/// row from a counter per organisation and kind (`organisation_counters`): the write reads the counter, numbers its
/// rows, and stores the counter back before it commits. A backend with several writers reads the counter row
/// `FOR UPDATE` (its lock is held to the commit, so a second writer of that kind in that organisation waits and
/// then reads the stored next); a unique index on (organisation, number) refuses a duplicate whatever happens.
/// A row turned away by its idempotency key takes no number. Look-ups go by (organisation, number): another
/// organisation's number finds nothing.
public protocol DulyStore: CollectionRunStore, Sendable {
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
    ///
    /// Isolation: each payment is allocated against its invoices' balances as read in the same transaction, so the
    /// customer's invoices must stay as read until it commits (row locks on them, `SELECT … FOR UPDATE`, or the
    /// advisory lock per customer the timeline takes): two payments at once never pay one invoice twice.
    func importPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    /// Every invoice `importInvoices` would refuse (an unknown customer, a number stored with other data), in the
    /// order given, without writing: so that one pass over a file reports all of its problems.
    func importRefusals(invoices: [Invoice], organisationID: String) async throws -> [ImportRefusal]
    /// Every payment an import should refuse (an unknown customer, an id stored with other data, an invoice number
    /// that names no invoice of the customer), in the order given, without writing.
    func importRefusals(payments: [Payment], organisationID: String) async throws -> [ImportRefusal]
    func recordCreditNote(_ note: CreditNote, organisationID: String, context: RecordingContext) async throws

    func recordDispute(_ dispute: Dispute, organisationID: String, context: RecordingContext) async throws
    func recordPromise(_ promise: PromiseToPay, organisationID: String, context: RecordingContext) async throws
    /// Records a payment plan; recording a proposed plan again with an acceptance date accepts it (once: the same
    /// acceptance again changes nothing). Isolation: a check then an update on the plan's row (a row lock on it).
    func recordPlan(_ plan: PaymentPlan, organisationID: String, context: RecordingContext) async throws
    /// Records that the client refused to pay on `context.date` (the account moves to `non_payment`).
    func recordRefusal(
        customerID: String, note: String?, organisationID: String, context: RecordingContext)
        async throws

    /// The accounts the collection day must look at, in customer-id order, after `after`: customers with an open
    /// invoice or a pending action. At most `limit` of them.
    func accountsForRun(organisationID: String, after: String?, limit: Int) async throws -> [Account]
    /// Writes one batch of a run: new actions, cancellations, their timeline entries and the batch's reviews, in
    /// one transaction. An action that `replaces` approvals is written (and they cancelled) only if every one still
    /// awaits approval. A review is written only if its account did not change since it was read (see
    /// `CustomerReview`); every timeline entry a store appends marks its customer's review due at once.
    func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], organisationID: String,
        context: RecordingContext
    ) async throws -> RunCommitSummary
    /// The customers the collection day looks at on `date`: those whose review is due by then or that changed since
    /// their last one; every customer when the organisation's reviews were written under another `fingerprint`
    /// (`Planner.fingerprint(announcingStages:)`) or for a later day.
    func customersToReview(
        organisationID: String, on date: LocalDate, fingerprint: String
    ) async throws
        -> ReviewSelection
    /// These customers' accounts, read as `accountsForRun` reads them, each with its change count, in id order.
    func accountsForReview(organisationID: String, customerIDs: [String]) async throws -> [ReviewedAccount]
    /// Moves an action on (approved, sent, done, failed); recorded on the timeline. Isolation: a check then an
    /// update on the action's row (a row lock on it).
    func updateActionStatus(
        id: Int64, to status: ActionStatus, organisationID: String, context: RecordingContext
    ) async throws

    /// Invoices with their balances, ordered by customer then due date.
    func invoices(organisationID: String, customerID: String?, openOnly: Bool) async throws -> [InvoiceBalance]
    func actions(organisationID: String, customerID: String?) async throws -> [StoredAction]
    /// The organisation's actions awaiting a manager's approval, oldest first, read through an index of those alone:
    /// the approval queue costs its own rows, not every action the organisation ever planned.
    func actionsAwaitingApproval(organisationID: String) async throws -> [StoredAction]
    /// One action by id, as `actions` returns it; nil when the organisation has none by that id (an id of another
    /// organisation's included), so one decision or call reads one record, not the whole organisation.
    func action(organisationID: String, id: Int64) async throws -> StoredAction?
    func customers(organisationID: String) async throws -> [Customer]
    /// One customer with its contacts, or nil when the organisation has no customer with that reference.
    func customer(organisationID: String, customerID: String) async throws -> CustomerRecord?
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

// MARK: - Delivery

/// How far the delivery of one action got. The deliverer records each state before the step it guards, so that a
/// crash at any point is recovered without sending twice: `sending` means the message never became irrevocable
/// (send it again); `committed` means it did (count it as sent).
public enum DeliveryState: String, Sendable, CaseIterable {
    /// Intent recorded, message being transmitted; the server has not been asked to accept it yet.
    case sending
    /// The last byte that makes the server accept the message is about to go (or went) out.
    case committed
    case sent
    /// A temporary failure; tried again after `nextAttemptAt`.
    case retrying
    /// Given up: a permanent refusal, or too many temporary ones.
    case failed
}

/// An action due to go out, with where its delivery stands.
public struct DeliveryJob: Sendable {
    public var actionID: Int64
    public var action: PlannedAction
    /// Nil when no attempt was made yet.
    public var state: DeliveryState?
    public var attempts: Int
    /// The Message-ID chosen when the intent was first recorded; reused on every retry.
    public var messageID: String?

    public init(actionID: Int64, action: PlannedAction, state: DeliveryState?, attempts: Int, messageID: String?) {
        self.actionID = actionID
        self.action = action
        self.state = state
        self.attempts = attempts
        self.messageID = messageID
    }
}

/// How a delivery attempt ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the server (or written, for letters); `confirmed` is false when a crash hid the server's answer.
    case sent(to: String, confirmed: Bool)
    /// A temporary failure: try again at `nextAttemptAt` (Unix seconds).
    case retry(error: String, nextAttemptAt: Int64)
    /// A permanent failure; `bouncedAddress` is marked as bouncing on the customer's contacts.
    case failed(error: String, bouncedAddress: String?)
}

/// What was actually said: a message as sent, for the timeline's evidence.
public struct Communication: Sendable, Equatable {
    public var actionID: Int64
    public var customerID: String
    public var messageID: String
    public var state: DeliveryState
    /// The exact bytes handed to the transport (an RFC 5322 message for email, HTML for a letter).
    public var content: [UInt8]

    public init(actionID: Int64, customerID: String, messageID: String, state: DeliveryState, content: [UInt8]) {
        self.actionID = actionID
        self.customerID = customerID
        self.messageID = messageID
        self.state = state
        self.content = content
    }
}

/// A due message that waits without having failed: why, and since when (`DeliveryStore.holdDelivery`).
public struct DeliveryHold: Sendable, Equatable {
    public var actionID: Int64
    public var customerID: String
    /// The delivery day it was last held on.
    public var heldOn: LocalDate
    /// For people: "one message a day: …", "contact cap: …".
    public var reason: String

    public init(actionID: Int64, customerID: String, heldOn: LocalDate, reason: String) {
        self.actionID = actionID
        self.customerID = customerID
        self.heldOn = heldOn
        self.reason = reason
    }
}

/// The outbox side of the store: what the deliverer reads and records. Each method is one transaction.
/// The deliverer reads dated payments too (`LedgerHistoryStore`): a thank-you says what arrived and when; and the
/// imported invoices (`DocumentStore`), which emails may carry.
public protocol DeliveryStore: LedgerHistoryStore, DocumentStore, DeliveryClaimStore {
    /// One account as the planner sees it (the deliverer re-checks it right before sending).
    func account(organisationID: String, customerID: String) async throws -> Account?

    /// The collectors whose details are kept, by name: who signs the messages to their accounts.
    func collectors(organisationID: String) async throws -> [Collector]

    /// Keeps a collector's details, replacing what was kept under the same name.
    func saveCollector(_ collector: Collector, organisationID: String) async throws

    /// Actions on `channels` that are planned or approved, dated `dueBy` or earlier, and not yet delivered: never
    /// tried, retrying with `nextAttemptAt <= now`, or left `sending`/`committed` by a crash. Oldest first. Only
    /// these customers' when `customerIDs` is given (those a deliverer claimed).
    func dueDeliveries(
        organisationID: String, channels: Set<Channel>, dueBy: LocalDate, now: Int64, customerIDs: [String]?,
        limit: Int
    ) async throws -> [DeliveryJob]

    /// Records the intent to send, with the exact content, before anything leaves: state `sending`, one more
    /// attempt. The Message-ID of an earlier attempt is kept. Only a planned or approved action can begin.
    ///
    /// Isolation: the action's status is checked and the delivery written in one transaction with a row lock on the
    /// action, so a withdrawal at the same moment (`CorrectionStore.withdrawActions`) either comes first (and this
    /// is refused) or sees the delivery begun (and is refused). Two deliverers on one database also need the claim
    /// of the work itself (issue 13, part 2: leases, `FOR UPDATE SKIP LOCKED`); one deliverer per organisation
    /// needs nothing more.
    func beginDelivery(
        organisationID: String, actionID: Int64, messageID: String, content: [UInt8], context: RecordingContext
    ) async throws

    /// Records that the message is about to become irrevocable (state `committed`).
    func markDeliveryCommitted(organisationID: String, actionID: Int64) async throws

    /// Records how the attempt ended: the action becomes sent or failed (or stays pending for a retry), on the
    /// timeline too; a bounce marks the address. Isolation: reads the delivery, then updates it and the action (a row
    /// lock on the action) and appends to the timeline (the customer's lock).
    func finishDelivery(
        organisationID: String, actionID: Int64, outcome: DeliveryOutcome, context: RecordingContext
    ) async throws

    /// Records that a due action waits for a later delivery day, and why (one voice a day, the contact cap). The
    /// action stays pending; the timeline notes the hold once per reason. A hold ends with the delivery.
    func holdDelivery(organisationID: String, actionID: Int64, reason: String, context: RecordingContext) async throws

    /// The pending actions that wait, oldest first.
    func heldDeliveries(organisationID: String) async throws -> [DeliveryHold]

    /// The Message-ID of the last email sent to the customer, to thread the next one under it.
    func lastMessageID(organisationID: String, customerID: String) async throws -> String?

    /// Every message recorded for a customer, oldest first.
    func communications(organisationID: String, customerID: String) async throws -> [Communication]

    /// Closes a task a person carried out (a call, a meeting) with its outcome: the action becomes `done` (or
    /// `failed`, for a wrong number), and the outcome goes on the timeline as what was said. `clientReached` says
    /// whether anyone was reached (not for a voicemail): only a call that reached someone counts as a contact made
    /// before an escalation (`ActionRecord.isContactMade`).
    ///
    /// Isolation: a check (the task is still open) then an update, with a row lock on the action: of two outcomes
    /// recorded at once for one call, exactly one closes it and the other is refused.
    func completeTask(
        organisationID: String, actionID: Int64, status: ActionStatus, outcome: String, note: String?,
        clientReached: Bool, context: RecordingContext
    ) async throws
}

extension DeliveryStore {
    /// Every customer's due deliveries.
    public func dueDeliveries(
        organisationID: String, channels: Set<Channel>, dueBy: LocalDate, now: Int64, limit: Int
    ) async throws -> [DeliveryJob] {
        try await dueDeliveries(
            organisationID: organisationID, channels: channels, dueBy: dueBy, now: now, customerIDs: nil,
            limit: limit)
    }

    /// Closes a task, taking a `done` one as having reached the client.
    public func completeTask(
        organisationID: String, actionID: Int64, status: ActionStatus, outcome: String, note: String?,
        context: RecordingContext
    ) async throws {
        try await completeTask(
            organisationID: organisationID, actionID: actionID, status: status, outcome: outcome, note: note,
            clientReached: status == .done, context: context)
    }
}

// MARK: - Templates

/// An organisation's own wording for one template in one language; a part left nil keeps the built-in one.
public struct TemplateOverride: Hashable, Sendable {
    public var template: String
    /// `en`, `de`, `fr`, `nl`.
    public var language: String
    public var subject: String?
    public var text: String?
    public var html: String?

    public init(template: String, language: String, subject: String? = nil, text: String? = nil, html: String? = nil) {
        self.template = template
        self.language = language
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// Template overrides kept in the database, so every Duly node of an organisation speaks with the same words.
public protocol TemplateStore: DulyStore {
    /// The organisation's overrides, by template then language.
    func templateOverrides(organisationID: String) async throws -> [TemplateOverride]
    /// Creates or replaces one override (the caller has checked that it loads and passes the tone guard).
    func saveTemplateOverride(_ override: TemplateOverride, organisationID: String) async throws
    /// Goes back to the built-in wording; true when there was an override.
    func removeTemplateOverride(template: String, language: String, organisationID: String) async throws -> Bool
}

extension DulyStore {
    /// Writes actions and cancellations without reviews: what a collector's own actions and tests write.
    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], organisationID: String, context: RecordingContext
    ) async throws -> RunCommitSummary {
        try await commitRun(
            actions: actions, cancellations: cancellations, reviews: [], organisationID: organisationID,
            context: context)
    }
}
