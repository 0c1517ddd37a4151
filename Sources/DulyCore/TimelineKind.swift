/// What a timeline entry records. The raw values are the text stored and hashed with each entry, so they never
/// change: a new kind is a new case.
public enum TimelineKind: String, CaseIterable, Hashable, Sendable, Codable {
    case customerAdded = "customer_added"
    case customerUpdated = "customer_updated"
    case invoicesAdded = "invoices_added"
    case documentAdded = "document_added"
    case paymentRecorded = "payment_recorded"
    case paymentsRecorded = "payments_recorded"
    case paymentMatched = "payment_matched"
    case paymentRefused = "payment_refused"
    case creditNoteRecorded = "credit_note_recorded"
    case discountRecorded = "discount_recorded"
    case settlementRecorded = "settlement_recorded"
    case writeOffRecorded = "write_off_recorded"
    case actionPlanned = "action_planned"
    case actionAwaitingApproval = "action_awaiting_approval"
    case actionApproved = "action_approved"
    case actionRejected = "action_rejected"
    case actionSent = "action_sent"
    case actionDone = "action_done"
    case actionFailed = "action_failed"
    case actionSkipped = "action_skipped"
    case actionCancelled = "action_cancelled"
    case messageSent = "message_sent"
    case deliveryFailed = "delivery_failed"
    case deliveryDeferred = "delivery_deferred"
    case deliveryHeld = "delivery_held"
    case callLogged = "call_logged"
    case meetingLogged = "meeting_logged"
    case disputeOpened = "dispute_opened"
    case disputeResolved = "dispute_resolved"
    case promiseRecorded = "promise_recorded"
    case promiseWithdrawn = "promise_withdrawn"
    case planRecorded = "plan_recorded"
    case chasePaused = "chase_paused"
    case chasePauseEnded = "chase_pause_ended"
    case portalLinksRevoked = "portal_links_revoked"

    /// The entry of an action that reached `status` (`action_planned`, `action_sent`, …).
    public static func action(_ status: ActionStatus) -> TimelineKind {
        switch status {
        case .planned: .actionPlanned
        case .awaitingApproval: .actionAwaitingApproval
        case .approved: .actionApproved
        case .sent: .actionSent
        case .done: .actionDone
        case .failed: .actionFailed
        case .skipped: .actionSkipped
        case .cancelled: .actionCancelled
        }
    }

    /// The entry of a credit note, discount, settlement or write-off.
    public static func recorded(_ kind: CreditNote.Kind) -> TimelineKind {
        switch kind {
        case .creditNote: .creditNoteRecorded
        case .discount: .discountRecorded
        case .settlement: .settlementRecorded
        case .writeOff: .writeOffRecorded
        }
    }

    /// The entry of a call or meeting carried out (only calls and meetings are logged: the store refuses the rest).
    public static func logged(_ channel: Channel) -> TimelineKind {
        channel == .meeting ? .meetingLogged : .callLogged
    }

    /// A call or meeting carried out.
    public var isTaskLogged: Bool { self == .callLogged || self == .meetingLogged }
}

extension TimelineEntry {
    /// The entry's kind, or nil for a kind this version does not know (the stored text is kept as it is).
    public var timelineKind: TimelineKind? { TimelineKind(rawValue: kind) }
}
