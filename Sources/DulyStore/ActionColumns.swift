import DulyCore

/// A planned action as the `actions` table holds it, column by column, for every backend.
///
/// How an action becomes columns is a rule of the schema, not of one backend: channel, stage, escalation target and
/// status are stored as their raw values, the delivery window and the settlement offer as groups of columns that are
/// all set or all NULL, and the invoice steps as one JSON object keyed by invoice number, in the action's order
/// (docs/ARCHITECTURE.md, "What a second store must do"). Reading back, the steps come from `invoice_steps` apart
/// (each backend walks the object in its own SQL), so `names` leaves that column out.
public struct ActionColumns: Sendable, Equatable {
    public var customerID: String
    public var date: LocalDate
    public var channel: String
    public var stage: String
    public var stepID: String
    public var template: String
    public var requiresApproval: Bool
    public var escalatesTo: String?
    public var status: String
    public var note: String?
    public var idempotencyKey: String
    public var windowTimeZone: String?
    public var windowStartHour: Int?
    public var windowEndHour: Int?
    public var offerMinor: Int?
    public var offerCurrency: String?
    public var offerDeadline: LocalDate?
    public var offerShare: Int?
    /// The `invoice_steps` object (`JSONText.encode(_:)` of the steps); written, never read back from here.
    public var invoiceSteps: String
    public var playbookVersion: Int?

    /// The columns a read selects to rebuild an action with `action(steps:)`, the public number first.
    public static let names = [
        "number", "customer_id", "date", "channel", "stage", "step_id", "template", "requires_approval", "escalates_to",
        "status", "note", "idempotency_key", "window_time_zone", "window_start_hour", "window_end_hour", "offer_minor",
        "offer_currency", "offer_deadline", "offer_share", "playbook_version",
    ]

    /// The columns that store `action` (its `replaces` is an instruction to the writer, not stored).
    public init(_ action: PlannedAction) {
        customerID = action.customerID
        date = action.date
        channel = action.channel.rawValue
        stage = action.stage.rawValue
        stepID = action.stepID
        template = action.template
        requiresApproval = action.requiresApproval
        escalatesTo = action.escalatesTo?.rawValue
        status = action.status.rawValue
        note = action.note
        idempotencyKey = action.idempotencyKey
        windowTimeZone = action.window?.timeZone
        windowStartHour = action.window?.startHour
        windowEndHour = action.window?.endHour
        offerMinor = action.offer?.amount.minorUnits
        offerCurrency = action.offer?.amount.currency.code
        offerDeadline = action.offer?.deadline
        offerShare = action.offer?.shareBasisPoints
        invoiceSteps = JSONText.encode(action.steps)
        playbookVersion = action.playbookVersion
    }

    /// Columns as read (the `names` but `number`); `invoiceSteps` is not needed to read an action back.
    public init(
        customerID: String, date: LocalDate, channel: String, stage: String, stepID: String, template: String,
        requiresApproval: Bool, escalatesTo: String?, status: String, note: String?, idempotencyKey: String,
        windowTimeZone: String?, windowStartHour: Int?, windowEndHour: Int?, offerMinor: Int?, offerCurrency: String?,
        offerDeadline: LocalDate?, offerShare: Int?, invoiceSteps: String = "{}", playbookVersion: Int?
    ) {
        self.customerID = customerID
        self.date = date
        self.channel = channel
        self.stage = stage
        self.stepID = stepID
        self.template = template
        self.requiresApproval = requiresApproval
        self.escalatesTo = escalatesTo
        self.status = status
        self.note = note
        self.idempotencyKey = idempotencyKey
        self.windowTimeZone = windowTimeZone
        self.windowStartHour = windowStartHour
        self.windowEndHour = windowEndHour
        self.offerMinor = offerMinor
        self.offerCurrency = offerCurrency
        self.offerDeadline = offerDeadline
        self.offerShare = offerShare
        self.invoiceSteps = invoiceSteps
        self.playbookVersion = playbookVersion
    }

    /// The action these columns store, with its invoice steps as read from `invoice_steps`.
    public func action(steps: [InvoiceStep]) throws -> PlannedAction {
        PlannedAction(
            customerID: customerID, date: date, channel: try Decode.value(channel), stage: try Decode.value(stage),
            stepID: stepID, template: template, requiresApproval: requiresApproval,
            escalatesTo: try escalatesTo.map { try Decode.value($0) }, steps: steps, status: try Decode.value(status),
            note: note, window: window, idempotencyKey: idempotencyKey, offer: try offer,
            playbookVersion: playbookVersion)
    }

    // The window's three columns, all or none.
    private var window: DeliveryWindow? {
        guard let windowTimeZone, let windowStartHour, let windowEndHour else { return nil }
        return DeliveryWindow(timeZone: windowTimeZone, startHour: windowStartHour, endHour: windowEndHour)
    }

    // The offer's four columns, all or none.
    private var offer: SettlementOffer? {
        get throws {
            guard let offerMinor, let offerCurrency, let offerDeadline, let offerShare else { return nil }
            return SettlementOffer(
                amount: try Decode.money(offerMinor, offerCurrency), deadline: offerDeadline,
                shareBasisPoints: offerShare)
        }
    }
}
