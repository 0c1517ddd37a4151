import DulyCore

/// One action as `duly run --json` prints it and the API shows it: the API adds its public `id`; a field without a
/// value is left out.
public struct ActionJSON: Encodable, Sendable {
    /// The action's public id (`act_N`), for the API; nil on the command line, which names actions by their number.
    public var id: String?
    var customerID: String
    var invoiceNumbers: [String]
    var invoiceSteps: [String: String]
    var stage: String
    var step: String
    var channel: String
    var date: String
    var status: String
    var requiresApproval: Bool
    var escalatesTo: String?
    var template: String
    var idempotencyKey: String
    var note: String?
    var timeZone: String?
    var deliverBetween: String?

    public init(_ action: PlannedAction, id: String? = nil) {
        self.id = id
        customerID = action.customerID
        invoiceNumbers = action.invoiceNumbers
        invoiceSteps = action.invoiceSteps
        stage = action.stage.rawValue
        step = action.stepID
        channel = action.channel.rawValue
        date = action.date.description
        status = action.status.rawValue
        requiresApproval = action.requiresApproval
        escalatesTo = action.escalatesTo?.rawValue
        template = action.template
        idempotencyKey = action.idempotencyKey
        note = action.note
        timeZone = action.window?.timeZone
        deliverBetween = action.window.map { window in
            func clock(_ hour: Int) -> String { (hour < 10 ? "0" : "") + "\(hour):00" }
            return clock(window.startHour) + "-" + clock(window.endHour)
        }
    }
    enum CodingKeys: String, CodingKey {
        case id
        case customerID = "customer_id"
        case invoiceNumbers = "invoice_numbers"
        case invoiceSteps = "invoice_steps"
        case stage
        case step
        case channel
        case date
        case status
        case requiresApproval = "requires_approval"
        case escalatesTo = "escalates_to"
        case template
        case idempotencyKey = "idempotency_key"
        case note
        case timeZone = "time_zone"
        case deliverBetween = "deliver_between"
    }
}
