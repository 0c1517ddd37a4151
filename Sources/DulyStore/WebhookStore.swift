import DulyCore

/// Someone outside Duly who wants to hear about changes: a URL, the event types it listens to, a shared secret.
public struct WebhookSubscriber: Hashable, Sendable {
    /// The organisation's own number for the subscriber (`whk_<id>`), not a row id.
    public var id: Int64
    public var url: String
    /// The types it receives; nil means every type (`--events all`), including types added later.
    public var events: Set<WebhookEventType>?
    /// The HMAC key for `Duly-Signature`.
    public var secret: String
    public var createdAt: String

    public init(id: Int64, url: String, events: Set<WebhookEventType>?, secret: String, createdAt: String) {
        self.id = id
        self.url = url
        self.events = events
        self.secret = secret
        self.createdAt = createdAt
    }

    /// Whether it listens to `type`.
    public func wants(_ type: WebhookEventType) -> Bool { events?.contains(type) ?? true }
}

/// Where one delivery (one event to one subscriber) stands.
public enum WebhookDeliveryState: String, Sendable, CaseIterable, Codable {
    case pending
    case retrying
    case delivered
    case failed
    /// The subscriber was removed before it got the event.
    case cancelled
}

/// An event due to go to a subscriber, with what is needed to send it.
public struct WebhookDeliveryJob: Sendable {
    public var deliveryID: Int64
    public var subscriber: WebhookSubscriber
    public var event: WebhookEvent
    /// Attempts made so far.
    public var attempts: Int
    public var replay: Bool

    public init(deliveryID: Int64, subscriber: WebhookSubscriber, event: WebhookEvent, attempts: Int, replay: Bool) {
        self.deliveryID = deliveryID
        self.subscriber = subscriber
        self.event = event
        self.attempts = attempts
        self.replay = replay
    }
}

/// How one POST ended, as recorded in the delivery log.
public enum WebhookAttemptOutcome: Sendable, Equatable {
    case delivered(status: Int)
    /// A temporary failure (connection, 408, 429, 5xx); tried again at `nextAttemptAt` (Unix seconds).
    case retry(status: Int?, error: String, nextAttemptAt: Int64)
    /// Given up: a refusal (another 4xx), or the last attempt failed.
    case failed(status: Int?, error: String)
}

/// One line of the delivery log: an attempt, or a delivery nobody tried yet (`attempt == nil`).
public struct WebhookLogEntry: Hashable, Sendable {
    public var deliveryID: Int64
    public var eventID: String
    public var eventType: WebhookEventType
    public var subscriberID: Int64
    public var replay: Bool
    /// The delivery's state now.
    public var state: WebhookDeliveryState
    public var attempt: Int?
    /// Unix seconds.
    public var attemptedAt: Int64?
    public var statusCode: Int?
    public var error: String?
    /// When the attempt after this one is due (Unix seconds), for an attempt that will be retried.
    public var nextAttemptAt: Int64?

    public init(
        deliveryID: Int64, eventID: String, eventType: WebhookEventType, subscriberID: Int64, replay: Bool,
        state: WebhookDeliveryState, attempt: Int?, attemptedAt: Int64?, statusCode: Int?, error: String?,
        nextAttemptAt: Int64?
    ) {
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.eventType = eventType
        self.subscriberID = subscriberID
        self.replay = replay
        self.state = state
        self.attempt = attempt
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Which date-derived events anyone listens to: the collection day looks for nothing else.
public struct WebhookRunWatch: Sendable, Equatable {
    public var stageChanges: Bool
    public var brokenPromises: Bool

    public init(stageChanges: Bool, brokenPromises: Bool) {
        self.stageChanges = stageChanges
        self.brokenPromises = brokenPromises
    }

    public static let nothing = WebhookRunWatch(stageChanges: false, brokenPromises: false)
    public var isWatching: Bool { stageChanges || brokenPromises }
}

/// What the collection day saw of a batch that webhooks may announce: the store compares it with what it announced
/// before, and writes an event for each difference in the batch's transaction.
public struct RunObservations: Sendable, Equatable {
    /// An open invoice's state on the run's date.
    public struct Stage: Sendable, Equatable {
        public var customerID: String
        public var invoiceNumber: String
        public var state: InvoiceState
        public var dueDate: LocalDate
        public var open: Money

        public init(customerID: String, invoiceNumber: String, state: InvoiceState, dueDate: LocalDate, open: Money) {
            self.customerID = customerID
            self.invoiceNumber = invoiceNumber
            self.state = state
            self.dueDate = dueDate
            self.open = open
        }
    }

    /// A promise past its date plus grace without the money.
    public struct BrokenPromise: Sendable, Equatable {
        public var customerID: String
        public var promise: PromiseToPay
        public var brokenOn: LocalDate

        public init(customerID: String, promise: PromiseToPay, brokenOn: LocalDate) {
            self.customerID = customerID
            self.promise = promise
            self.brokenOn = brokenOn
        }
    }

    public var stages: [Stage] = []
    public var brokenPromises: [BrokenPromise] = []

    public init(stages: [Stage] = [], brokenPromises: [BrokenPromise] = []) {
        self.stages = stages
        self.brokenPromises = brokenPromises
    }

    public var isEmpty: Bool { stages.isEmpty && brokenPromises.isEmpty }

    /// Adds what `watch` asks about `account` on `asOf`.
    public mutating func observe(
        _ account: Account, planner: Planner, promiseGraceDays: Int, asOf: LocalDate, watch: WebhookRunWatch
    ) {
        if watch.stageChanges {
            let states = planner.states(of: account, asOf: asOf)
            for balance in account.invoices where balance.endState == nil {
                guard let state = states[balance.invoice.number] else { continue }
                stages.append(
                    Stage(
                        customerID: account.customer.id, invoiceNumber: balance.invoice.number, state: state,
                        dueDate: balance.invoice.dueDate, open: balance.open))
            }
        }
        if watch.brokenPromises {
            for promise in account.promises
            where promise.state(on: asOf, graceDays: promiseGraceDays, receipts: account.receipts) == .broken {
                brokenPromises.append(
                    BrokenPromise(
                        customerID: account.customer.id, promise: promise,
                        brokenOn: promise.brokenOn(graceDays: promiseGraceDays)))
            }
        }
    }
}

/// Webhooks out: subscribers, the event outbox and its delivery log. Events themselves are written by the store's
/// other methods, in the transaction of the change they announce. Each method is one transaction.
public protocol WebhookStore: DulyStore {
    /// Adds a subscriber; `events` nil means every type.
    func addWebhookSubscriber(
        url: String, events: Set<WebhookEventType>?, secret: String, organisationID: String, createdAt: String
    ) async throws -> WebhookSubscriber
    /// The organisation's subscribers, oldest first (removed ones are not listed).
    func webhookSubscribers(organisationID: String) async throws -> [WebhookSubscriber]
    /// Removes a subscriber; what it was still due is cancelled, its log stays. False when there was none.
    func removeWebhookSubscriber(id: Int64, organisationID: String, removedAt: String) async throws -> Bool

    /// Which date-derived events the collection day should look for (one probe per run).
    func webhookRunWatch(organisationID: String) async throws -> WebhookRunWatch
    /// `commitRun`, plus the events the observations call for (an invoice's state changed since it was last
    /// announced, a promise broke), and their markers, in the same transaction.
    func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview],
        observations: RunObservations, organisationID: String, context: RecordingContext
    ) async throws -> RunCommitSummary

    /// The organisation's events, newest first.
    func webhookEvents(organisationID: String, limit: Int) async throws -> [WebhookEvent]
    /// Deliveries pending, or retrying with `nextAttemptAt <= now`, oldest first.
    func dueWebhookDeliveries(organisationID: String, now: Int64, limit: Int) async throws -> [WebhookDeliveryJob]
    /// The deliveries `dueWebhookDeliveries` gives, claimed for one deliverer: their next attempt moves to `until`,
    /// so no other deliverer takes them before then (recording the attempt sets it as the outcome says; a deliverer
    /// that dies leaves them due again at `until`). Isolation: deliverers claiming at once skip each other's rows.
    func claimWebhookDeliveries(
        organisationID: String, now: Int64, until: Int64, limit: Int
    ) async throws -> [WebhookDeliveryJob]
    /// Records one attempt (made at `now`) and moves the delivery on.
    func recordWebhookAttempt(
        deliveryID: Int64, outcome: WebhookAttemptOutcome, organisationID: String, now: Int64
    ) async throws
    /// The delivery log, oldest first, optionally for one event or one subscriber.
    func webhookLog(
        organisationID: String, eventSequence: Int64?, subscriberID: Int64?
    ) async throws
        -> [WebhookLogEntry]
    /// Queues an event again (to one subscriber, or to every current subscriber that wants its type): a new
    /// delivery of the same event, marked as a replay. Returns how many deliveries were queued.
    func replayWebhookEvent(
        sequence: Int64, subscriberID: Int64?, organisationID: String, createdAt: String
    ) async throws -> Int
}
