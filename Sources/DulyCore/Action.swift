/// Where an action is in its life: `planned → (awaiting_approval → approved) → sent | done | failed | skipped |
/// cancelled`.
public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case planned
    case awaitingApproval = "awaiting_approval"
    case approved
    case sent
    case done
    case failed
    /// Recorded but not carried out (the contact opted out of the channel, no address): the ladder moves on.
    case skipped
    /// Withdrawn before it went out (the invoice was paid, disputed, promised).
    case cancelled

    /// Not yet carried out, so it can still be cancelled.
    public var isPending: Bool { self == .planned || self == .awaitingApproval || self == .approved }

    /// The step counts as taken on the invoice's ladder.
    public var takesStep: Bool { self != .cancelled }

    /// A contact with the client happened or is about to (counts toward the 7-day cap and the last-resort rule).
    public var isContact: Bool {
        self == .planned || self == .awaitingApproval || self == .approved || self == .sent || self == .done
    }
}

/// One step for one invoice, inside an action.
public struct InvoiceStep: Hashable, Sendable, Codable {
    public var invoiceNumber: String
    public var stepID: String

    public init(invoiceNumber: String, stepID: String) {
        self.invoiceNumber = invoiceNumber
        self.stepID = stepID
    }
}

/// An action already recorded for an account: what the planner reads as history.
public struct ActionRecord: Hashable, Sendable {
    public var id: Int64
    public var date: LocalDate
    public var channel: Channel
    public var status: ActionStatus
    public var escalatesTo: EscalationTarget?
    public var steps: [InvoiceStep]
    /// For a call or meeting carried out: whether it reached someone (false for a voicemail or a wrong number);
    /// nil when not recorded, and a call done before outcomes were kept counts as reached.
    public var clientReached: Bool?
    /// The day a manager rejected it, when it was an escalation awaiting approval that was rejected.
    public var rejectedOn: LocalDate?

    public init(
        id: Int64, date: LocalDate, channel: Channel, status: ActionStatus, escalatesTo: EscalationTarget? = nil,
        steps: [InvoiceStep], clientReached: Bool? = nil, rejectedOn: LocalDate? = nil
    ) {
        self.id = id
        self.date = date
        self.channel = channel
        self.status = status
        self.escalatesTo = escalatesTo
        self.steps = steps
        self.clientReached = clientReached
        self.rejectedOn = rejectedOn
    }

    /// Whether the action reached (or reaches) the client rather than the collector's manager.
    public var contactsCustomer: Bool { escalatesTo != .manager }

    /// A contact that was actually made with the client: an email, text or letter sent, or a call or meeting that
    /// reached someone. Planned, skipped, failed and cancelled actions, voicemails and wrong numbers are not.
    public var isContactMade: Bool {
        guard contactsCustomer else { return false }
        switch channel {
        case .email, .letter, .sms: return status == .sent
        case .call, .meeting: return status == .done && clientReached != false
        }
    }
}

/// When a message or call may go out: business hours in the customer's own time zone, on the action's date.
///
/// The planner decides the day; the deliverer, which knows the time, sends only inside this window (docs/PRODUCT.md,
/// "The collection day": "emails and calls only inside the customer's local business hours").
public struct DeliveryWindow: Hashable, Sendable {
    /// IANA time zone: the customer's, else the organisation's.
    public var timeZone: String
    /// First hour of the window (9 means from 09:00).
    public var startHour: Int
    /// The hour the window closes (17 means until 16:59:59).
    public var endHour: Int

    public init(timeZone: String, startHour: Int, endHour: Int) {
        self.timeZone = timeZone
        self.startHour = startHour
        self.endHour = endHour
    }

    /// Whether a local time of day (hour 0–23) is inside the window.
    public func allows(localHour: Int) -> Bool { localHour >= startHour && localHour < endHour }
}

/// An action the planner decided on: one message or task for one customer, covering one or more invoices.
public struct PlannedAction: Hashable, Sendable {
    public var customerID: String
    public var date: LocalDate
    public var channel: Channel
    /// The stage of the most advanced step covered.
    public var stage: Stage
    /// The most advanced step covered; its template speaks for the whole message.
    public var stepID: String
    public var template: String
    public var requiresApproval: Bool
    public var escalatesTo: EscalationTarget?
    /// Every invoice covered and the step it takes.
    public var steps: [InvoiceStep]
    public var status: ActionStatus
    /// Why it was skipped, when it was.
    public var note: String?
    /// When it may go out; nil for letters, meetings and internal escalations, which have no hours to keep.
    public var window: DeliveryWindow?
    /// Stable for the same customer, date, channel and invoice steps: the outbox's idempotency key.
    public var idempotencyKey: String
    /// For a settlement-offer step: what the client may pay, by when, to close the invoices covered.
    public var offer: SettlementOffer?
    /// Approvals this one takes over (one decision per customer and step). It is written only while each of them is
    /// still awaiting approval: a decision taken meanwhile is never asked again, nor its invoices covered twice.
    public var replaces: [Int64]
    /// The version of the organisation's adopted playbook that planned it; nil when the built-in one did.
    public var playbookVersion: Int?

    public init(
        customerID: String, date: LocalDate, channel: Channel, stage: Stage, stepID: String, template: String,
        requiresApproval: Bool, escalatesTo: EscalationTarget?, steps: [InvoiceStep], status: ActionStatus,
        note: String? = nil, window: DeliveryWindow? = nil, idempotencyKey: String, offer: SettlementOffer? = nil,
        replaces: [Int64] = [], playbookVersion: Int? = nil
    ) {
        self.playbookVersion = playbookVersion
        self.offer = offer
        self.replaces = replaces
        self.customerID = customerID
        self.date = date
        self.channel = channel
        self.stage = stage
        self.stepID = stepID
        self.template = template
        self.requiresApproval = requiresApproval
        self.escalatesTo = escalatesTo
        self.steps = steps
        self.status = status
        self.note = note
        self.window = window
        self.idempotencyKey = idempotencyKey
    }

    /// The invoice numbers covered, in order.
    public var invoiceNumbers: [String] { steps.map(\.invoiceNumber) }

    /// Each invoice covered and the rung it takes, which may be below the step that leads the message
    /// (`invoice_steps` in `--json` and exports).
    public var invoiceSteps: [String: String] {
        Dictionary(steps.map { ($0.invoiceNumber, $0.stepID) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A pending action withdrawn because its invoices no longer need chasing.
public struct Cancellation: Hashable, Sendable {
    public var actionID: Int64
    public var reason: String

    public init(actionID: Int64, reason: String) {
        self.actionID = actionID
        self.reason = reason
    }
}

/// A step that is due but held back today, and why (shown by `run --dry-run` and the worklist).
public struct Deferral: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable {
        case nonWorkingDay = "non_working_day"
        case contactCap = "contact_cap"
        case lastResortNotMet = "last_resort_not_met"
        /// An escalation for a client nobody has reached yet: no message sent, no call that reached anyone.
        case noContactMade = "no_contact_made"
        /// A manager rejected this escalation and nothing has changed since: no new contact, the wait not over.
        case escalationRejected = "escalation_rejected"
        /// The client hears one voice a day: a more advanced step speaks today, this one follows on a later day.
        case oneVoice = "one_voice"
        /// A public holiday where the client is: no email, call or text today.
        case customerHoliday = "customer_holiday"

        /// An escalation held until a person acts (reaches the client, decides again): the worklist lists these.
        public var needsPerson: Bool {
            self == .noContactMade || self == .escalationRejected || self == .lastResortNotMet
        }

        /// What a person reads in the worklist: why the step waits and what would let it go.
        public var explanation: String {
            switch self {
            case .nonWorkingDay: return "not a working day"
            case .contactCap: return "the client was contacted enough this week"
            case .lastResortNotMet:
                return "an agency or lawyer needs two contacts made on two channels first"
            case .noContactMade:
                return "nobody at the client has been reached yet (no message sent, no call that reached anyone)"
            case .escalationRejected:
                return "rejected by a manager; proposed again after a new contact or the playbook's wait"
            case .oneVoice: return "another message speaks to the client today"
            case .customerHoliday: return "a public holiday in the client's country"
            }
        }
    }

    public var customerID: String
    public var invoiceNumber: String
    public var stepID: String
    public var reason: Reason

    public init(customerID: String, invoiceNumber: String, stepID: String, reason: Reason) {
        self.customerID = customerID
        self.invoiceNumber = invoiceNumber
        self.stepID = stepID
        self.reason = reason
    }
}

/// An offer to close invoices for less: pay `amount` by `deadline` and the rest is waived as a settlement.
public struct SettlementOffer: Hashable, Sendable {
    /// What the client pays: the share of the open total, rounded half to even once.
    public var amount: Money
    /// The last day a payment counts as taking the offer.
    public var deadline: LocalDate
    /// The share of the open total asked for, in basis points (9000 is 90 %).
    public var shareBasisPoints: Int

    public init(amount: Money, deadline: LocalDate, shareBasisPoints: Int) {
        self.amount = amount
        self.deadline = deadline
        self.shareBasisPoints = shareBasisPoints
    }

    /// The offer a step makes on `date` for invoices with these open amounts; nil when they are in several
    /// currencies (one offer is one amount) or nothing is open.
    /// With a calendar, a deadline on a day off (a weekend, a public holiday) rolls to the next working day.
    public init?(
        shareBasisPoints: Int, validDays: Int, open: [Money], on date: LocalDate, calendar: WorkingCalendar? = nil
    ) {
        guard let first = open.first, open.allSatisfy({ $0.currency == first.currency }) else { return nil }
        let total = open.dropFirst().reduce(first, +)
        guard total.minorUnits > 0 else { return nil }
        let deadline = date.adding(days: validDays)
        self.init(
            amount: total.fraction(shareBasisPoints, of: 10_000),
            deadline: calendar?.workingDay(onOrAfter: deadline) ?? deadline, shareBasisPoints: shareBasisPoints)
    }
}
