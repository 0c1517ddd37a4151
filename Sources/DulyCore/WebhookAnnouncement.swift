/// What one timeline entry announces to webhook subscribers, decided from the entry alone: the one mapping from
/// timeline kinds to public events, beside the constructors that write those kinds (`TimelineEvent+Kinds.swift`).
///
/// Data the entry does not carry (an invoice's dates and total, an action's steps, a plan's instalments, a payment
/// as stored) is named for the store to read in the transaction that writes the entry; the shaping of every event's
/// data is here too (`WebhookData`), so each backend writes the same bytes.
public enum WebhookAnnouncement: Hashable, Sendable {
    /// An event whose data is all in the entry.
    case event(WebhookEventType, data: JSONValue)
    /// `invoice.created` for a stored invoice (`WebhookData.invoice`).
    case invoiceCreated(invoiceNumber: String)
    /// `payment.received` for a stored payment, with the shares of it the entry lists (`WebhookData.payment`).
    case paymentReceived(paymentID: String, shares: [PaymentShare])
    /// The events about a stored action: `WebhookEventType.types(forTimelineKind:escalation:)` once the store knows
    /// whether the action escalates; `extra` is what the entry adds to the action's data (`WebhookData.action`).
    case action(id: Int64, extra: [String: JSONValue])
    /// `plan.recorded` for a stored plan: `data` plus its instalments as stored, under `instalments`.
    case planRecorded(planID: String, data: [String: JSONValue])

    /// A share of a payment as a timeline entry lists it: the invoice and the amount in the payment's currency, as
    /// written (`12.50`).
    public struct PaymentShare: Hashable, Sendable {
        public var invoiceNumber: String
        public var amount: String

        public init(invoiceNumber: String, amount: String) {
            self.invoiceNumber = invoiceNumber
            self.amount = amount
        }
    }

    /// What `entry` announces, in order; empty for the internal kinds.
    public static func of(_ entry: TimelineEvent) -> [WebhookAnnouncement] {
        let details = entry.details
        let types = WebhookEventType.types(forTimelineKind: entry.kind)
        switch entry.kind {
        case .customerAdded, .customerUpdated:
            return [.event(types[0], data: ["name": .optional(details["name"])])]
        case .chasePaused, .chasePauseEnded:
            var data: [String: JSONValue] = ["until": .optional(details["until"]), "by": .optional(details["by"])]
            if entry.kind == .chasePaused {
                data["reason"] = .optional(details["reason"])
                data["by_client"] = .bool(details["by_client"] == "true")
            }
            return [.event(types[0], data: .object(data))]
        case .invoicesAdded:
            return list(details["invoices"]).map { .invoiceCreated(invoiceNumber: $0) }
        case .paymentRecorded:
            guard let id = details["payment"] else { return [] }
            return [.paymentReceived(paymentID: id, shares: shares(details["allocations"], of: nil))]
        case .paymentsRecorded:
            return list(details["payments"]).map {
                .paymentReceived(paymentID: $0, shares: shares(details["allocations"], of: $0))
            }
        case .actionPlanned, .actionSkipped, .actionAwaitingApproval, .actionApproved, .actionRejected, .actionSent,
            .messageSent, .actionDone, .actionFailed, .deliveryFailed, .actionCancelled:
            guard let id = details["action"].flatMap({ Int64($0) }) else { return [] }
            var extra: [String: JSONValue] = [:]
            for (key, name) in [
                ("by", "by"), ("note", "note"), ("reason", "reason"), ("error", "error"), ("to", "recipient"),
                ("message_id", "message_id"),
            ] {
                if let value = details[key], !value.isEmpty { extra[name] = .string(value) }
            }
            return [.action(id: id, extra: extra)]
        case .creditNoteRecorded, .discountRecorded, .settlementRecorded, .writeOffRecorded:
            return [
                .event(
                    types[0],
                    data: [
                        "credit_note_id": .optional(details["credit_note"]),
                        "invoice_number": .optional(details["invoice"]),
                        "amount": WebhookData.money(details["amount"]), "reason": .optional(details["reason"]),
                        "approved_by": .optional(details["approved_by"]),
                    ])
            ]
        case .disputeOpened, .disputeResolved:
            return [
                .event(
                    types[0],
                    data: [
                        "dispute_id": .optional(details["dispute"]), "invoice_number": .optional(details["invoice"]),
                        "reason_code": .optional(details["reason_code"]), "reason": .optional(details["reason"]),
                        "owner": .optional(details["owner"]), "outcome": .optional(details["outcome"]),
                        "note": .optional(details["note"]),
                        // "whole invoice" (or nothing) reads as null: the dispute covers all of it.
                        "amount": WebhookData.money(details["amount"]),
                    ])
            ]
        case .promiseRecorded:
            return [
                .event(
                    .promiseRecorded,
                    data: [
                        "promise_id": .optional(details["promise"]), "amount": WebhookData.money(details["amount"]),
                        "promised_date": .optional(details["date"]), "invoices": WebhookData.list(details["invoices"]),
                        "channel": .optional(details["channel"]), "promised_by": .optional(details["promised_by"]),
                    ])
            ]
        case .planRecorded:
            guard let id = details["plan"] else { return [] }
            return [
                .planRecorded(
                    planID: id,
                    data: [
                        "plan_id": .string(id), "invoices": WebhookData.list(details["invoices"]),
                        "accepted_on": .optional(details["accepted_on"]),
                        "proposed_by": .optional(details["proposed_by"]),
                    ])
            ]
        case .paymentRefused:
            return [.event(.paymentRefused, data: ["note": .optional(details["note"])])]
        case .paymentMatched:
            // The statement matcher's entry: its details pass through as strings, with the amount as money when it
            // reads as `EUR 12.50`.
            var data: [String: JSONValue] = [:]
            for (key, value) in details { data[key] = .string(value) }
            if let amount = details["amount"] { data["amount"] = WebhookData.money(amount) }
            return [.event(.paymentMatched, data: .object(data))]
        default:
            return []
        }
    }

    /// The event types the announcement may give: what a store checks against its subscribers before reading
    /// anything. An action's are all it could give, escalating or not.
    public func possibleTypes(timelineKind kind: TimelineKind) -> [WebhookEventType] {
        switch self {
        case .event(let type, _): return [type]
        case .invoiceCreated: return [.invoiceCreated]
        case .paymentReceived: return [.paymentReceived]
        case .action: return WebhookEventType.types(forTimelineKind: kind, escalation: true)
        case .planRecorded: return [.planRecorded]
        }
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map(String.init)
    }

    // `INV-1=12.50` items of one payment (`P1:INV-1=12.50` when the entry lists several payments' shares).
    private static func shares(_ text: String?, of paymentID: String?) -> [PaymentShare] {
        list(text).compactMap { item in
            var entry = Substring(item)
            if let paymentID {
                guard entry.hasPrefix(paymentID + ":") else { return nil }
                entry = entry.dropFirst(paymentID.count + 1)
            }
            guard let equals = entry.lastIndex(of: "=") else { return nil }
            return PaymentShare(
                invoiceNumber: String(entry[..<equals]), amount: String(entry[entry.index(after: equals)...]))
        }
    }
}

/// The data of webhook events built from stored records, shaped the same by every backend.
public enum WebhookData {
    /// `invoice.created`'s data.
    public static func invoice(
        number: String, issueDate: String, dueDate: String, total: Money, terms: String?, poNumber: String?
    ) -> JSONValue {
        [
            "invoice_number": .string(number), "issue_date": .string(issueDate), "due_date": .string(dueDate),
            "total": .money(total), "terms": .optional(terms), "po_number": .optional(poNumber),
        ]
    }

    /// `payment.received`'s data: the payment as stored, its shares as money, and what no invoice took.
    public static func payment(
        id: String, date: LocalDate, amount: Money, reference: String?, shares: [WebhookAnnouncement.PaymentShare]
    ) -> JSONValue {
        var allocated = 0
        var allocations: [JSONValue] = []
        for share in shares {
            guard let money = try? Money(parsing: share.amount, currency: amount.currency) else { continue }
            allocated += money.minorUnits
            allocations.append(["invoice_number": .string(share.invoiceNumber), "amount": .money(money)])
        }
        return [
            "payment_id": .string(id), "date": .string(date.description), "amount": .money(amount),
            "reference": .optional(reference), "allocations": .array(allocations),
            "unallocated": .money(Money(minorUnits: amount.minorUnits - allocated, currency: amount.currency)),
        ]
    }

    /// An action event's data: the action as stored, with what its timeline entry adds.
    public static func action(
        id: Int64, date: String, channel: String, stage: String, step: String, status: String, escalatesTo: String?,
        invoices: [String], extra: [String: JSONValue]
    ) -> JSONValue {
        var data: [String: JSONValue] = [
            "action_id": .int(Int(id)), "date": .string(date), "channel": .string(channel), "stage": .string(stage),
            "step": .string(step), "status": .string(status), "escalates_to": .optional(escalatesTo),
            "invoices": .array(invoices.map { .string($0) }),
        ]
        data.merge(extra) { _, added in added }
        return .object(data)
    }

    /// `EUR 12.50` (how the timeline writes money) as JSON money; null when it is not money (`whole invoice`).
    public static func money(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let currency = Currency(code: String(parts[0])),
            let amount = try? Money(parsing: parts[1], currency: currency)
        else { return .null }
        return .money(amount)
    }

    /// A list the timeline writes with commas, as a JSON array.
    public static func list(_ text: String?) -> JSONValue {
        .array((text ?? "").split(separator: ",").map { .string(String($0)) })
    }
}
