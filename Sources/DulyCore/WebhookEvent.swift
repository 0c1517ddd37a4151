import Crypto

/// What a webhook subscriber can be told about: the public names of the changes Duly records.
///
/// Most are a timeline entry seen from outside (`WebhookEventType.types(forTimelineKind:escalation:)` is the one
/// mapping); `invoice.stage_changed` and `promise.broken` are noticed by the collection day, since nothing is written
/// when the calendar moves an invoice on.
public enum WebhookEventType: String, CaseIterable, Codable, Sendable, Comparable {
    case customerCreated = "customer.created"
    case customerUpdated = "customer.updated"
    /// The chase of a customer paused until a date (`chase_paused` on the timeline).
    case customerPaused = "customer.paused"
    /// A pause withdrawn before its last day (`chase_pause_ended`); a pause that runs out announces nothing.
    case customerPauseEnded = "customer.pause_ended"
    case invoiceCreated = "invoice.created"
    case invoiceStageChanged = "invoice.stage_changed"
    case invoiceCredited = "invoice.credited"
    case invoiceDiscounted = "invoice.discounted"
    case invoiceSettled = "invoice.settled"
    case invoiceWrittenOff = "invoice.written_off"
    case paymentReceived = "payment.received"
    /// A bank-statement line matched to invoices (emitted by the statement matcher's `payment_matched` entries).
    case paymentMatched = "payment.matched"
    case paymentRefused = "payment.refused"
    case actionPlanned = "action.planned"
    case actionSkipped = "action.skipped"
    case actionAwaitingApproval = "action.awaiting_approval"
    case actionApproved = "action.approved"
    case actionRejected = "action.rejected"
    case actionSent = "action.sent"
    case actionDone = "action.done"
    case actionFailed = "action.failed"
    case actionCancelled = "action.cancelled"
    /// An approved action that escalates (to a manager, a senior contact, an agency or a lawyer); sent beside
    /// `action.approved`.
    case escalationApproved = "escalation.approved"
    case disputeOpened = "dispute.opened"
    case disputeResolved = "dispute.resolved"
    case promiseRecorded = "promise.recorded"
    case promiseBroken = "promise.broken"
    case planRecorded = "plan.recorded"

    public static func < (lhs: WebhookEventType, rhs: WebhookEventType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The public events a timeline entry of `kind` announces (none for most internal kinds). `escalation` says
    /// whether the action an `action_approved` entry is about escalates.
    public static func types(forTimelineKind kind: TimelineKind, escalation: Bool = false) -> [WebhookEventType] {
        switch kind {
        case .customerAdded: return [.customerCreated]
        case .customerUpdated: return [.customerUpdated]
        case .chasePaused: return [.customerPaused]
        case .chasePauseEnded: return [.customerPauseEnded]
        case .invoicesAdded: return [.invoiceCreated]
        case .paymentRecorded, .paymentsRecorded: return [.paymentReceived]
        case .paymentMatched: return [.paymentMatched]
        case .paymentRefused: return [.paymentRefused]
        case .creditNoteRecorded: return [.invoiceCredited]
        case .discountRecorded: return [.invoiceDiscounted]
        case .settlementRecorded: return [.invoiceSettled]
        case .writeOffRecorded: return [.invoiceWrittenOff]
        case .actionPlanned: return [.actionPlanned]
        case .actionSkipped: return [.actionSkipped]
        case .actionAwaitingApproval: return [.actionAwaitingApproval]
        case .actionApproved: return escalation ? [.actionApproved, .escalationApproved] : [.actionApproved]
        case .actionRejected: return [.actionRejected]
        // The deliverer writes `message_sent` when an email, letter or text went out; a status set by hand writes
        // `action_sent`. Either way the action was sent.
        case .actionSent, .messageSent: return [.actionSent]
        case .actionDone: return [.actionDone]
        // `delivery_failed` is the deliverer giving up; `delivery_deferred` (a retry) is not announced.
        case .actionFailed, .deliveryFailed: return [.actionFailed]
        case .actionCancelled: return [.actionCancelled]
        case .disputeOpened: return [.disputeOpened]
        case .disputeResolved: return [.disputeResolved]
        case .promiseRecorded: return [.promiseRecorded]
        case .planRecorded: return [.planRecorded]
        default: return []
        }
    }
}

/// An event as delivered: the envelope around the event's `data`.
///
/// ```json
/// {"id":"evt_42","type":"payment.received","organisation":"default","customer_id":"C1",
///  "occurred_on":"2026-03-02","recorded_at":"2026-03-02T08:00:00Z","data":{...}}
/// ```
public struct WebhookEvent: Hashable, Sendable {
    /// The organisation's own number for the event (1, 2, … per organisation); published as `evt_<sequence>`.
    public var sequence: Int64
    public var type: WebhookEventType
    public var organisationID: String
    public var customerID: String
    public var occurredOn: LocalDate
    public var recordedAt: String
    /// The event's data, a JSON object as text (written when the event was recorded, never rebuilt).
    public var data: String

    public init(
        sequence: Int64, type: WebhookEventType, organisationID: String, customerID: String, occurredOn: LocalDate,
        recordedAt: String, data: String
    ) {
        self.sequence = sequence
        self.type = type
        self.organisationID = organisationID
        self.customerID = customerID
        self.occurredOn = occurredOn
        self.recordedAt = recordedAt
        self.data = data
    }

    /// `evt_<sequence>`: the id receivers de-duplicate on (a replay sends the same id again).
    public var id: String { PublicID.webhookEvent.id(sequence) }

    /// Reads `evt_42` or `42`.
    public static func sequence(fromID text: String) -> Int64? {
        PublicID.webhookEvent.number(in: text, bare: true)
    }

    /// The exact bytes POSTed: keys in a fixed order, `data` as recorded.
    public var body: [UInt8] {
        var out = "{"
        out += "\"id\":" + JSONValue.string(id).text
        out += ",\"type\":" + JSONValue.string(type.rawValue).text
        out += ",\"organisation\":" + JSONValue.string(organisationID).text
        out += ",\"customer_id\":" + JSONValue.string(customerID).text
        out += ",\"occurred_on\":" + JSONValue.string(occurredOn.description).text
        out += ",\"recorded_at\":" + JSONValue.string(recordedAt).text
        out += ",\"data\":" + data + "}"
        return Array(out.utf8)
    }
}

/// A small JSON value for event data, written by hand with sorted keys so the same data gives the same bytes.
public indirect enum JSONValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// An optional string, `null` when absent or empty.
    public static func optional(_ value: String?) -> JSONValue {
        guard let value, !value.isEmpty else { return .null }
        return .string(value)
    }

    /// Money as `{"value": "12.50", "currency": "EUR"}`: a decimal string, never a float.
    public static func money(_ amount: Money) -> JSONValue {
        .object(["value": .string(amount.decimalString), "currency": .string(amount.currency.code)])
    }

    /// The JSON text.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let string): JSONValue.quote(string, into: &out)
        case .int(let number): out += String(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                JSONValue.quote(key, into: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// Appends `string` as a JSON string: quoted, with quotes, backslashes and control characters escaped.
    public static func quote(_ string: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping: copied whole rather than walked scalar by scalar, which was most of the
        // time the API took to write a page (BENCHMARKS.md, "The API under load").
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += string
            out += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// When a failed webhook delivery is tried again: exponential backoff with a jitter derived from the delivery and
/// the attempt (so two runs decide the same, and many deliveries failing together do not retry in one burst).
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// The wait after the first failure, in seconds; doubled after each further one.
    public var firstDelay: Int64
    public var maximumDelay: Int64
    /// Attempts in all, the first included; the last failure fails the delivery.
    public var maximumAttempts: Int

    public init(firstDelay: Int64 = 60, maximumDelay: Int64 = 6 * 3600, maximumAttempts: Int = 8) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// The Unix time of the next attempt after attempt number `attempt` (1 for the first) failed at `now`, or nil
    /// when that was the last one. The jitter adds up to a tenth of the delay.
    public func nextAttempt(afterAttempt attempt: Int, deliveryID: Int64, now: Int64) -> Int64? {
        guard attempt < maximumAttempts else { return nil }
        var delay = firstDelay
        for _ in 1..<max(1, attempt) where delay < maximumDelay { delay *= 2 }
        delay = min(delay, maximumDelay)
        let digest = Array(SHA256.hash(data: Array("\(deliveryID):\(attempt)".utf8)))
        let spread = UInt64(delay / 10 + 1)
        let noise = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % spread
        return now + delay + Int64(noise)
    }
}
