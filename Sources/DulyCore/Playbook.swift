/// The three stages of an unpaid invoice's life (docs/PRODUCT.md, "Stages"), in the order an invoice passes through
/// them.
public enum Stage: String, CaseIterable, Codable, Sendable, Comparable {
    /// Issued, not yet past its due date: friendly, helpful.
    case preDue = "pre_due"
    /// Past due: positive, professional, never a threat.
    case delayed
    /// Long overdue, or promises broken: formal, factual; escalation needs approval.
    case nonPayment = "non_payment"

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a step reaches the client (or, for internal escalations, the collector's manager).
public enum Channel: String, CaseIterable, Codable, Sendable, Comparable {
    case email, letter, call, meeting, sms

    public static func < (lhs: Channel, rhs: Channel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whom an escalation step hands the account to.
public enum EscalationTarget: String, CaseIterable, Codable, Sendable {
    /// The collector's manager: internal, not a contact with the client.
    case manager
    /// A senior person at the client.
    case seniorContact = "senior_contact"
    /// A collection agency: external, last resort, always approved by a manager.
    case agency
    /// A lawyer: external, last resort, always approved by a manager.
    case lawyer

    /// Agency and lawyer hand-overs: only after the last-resort rule holds, and never without approval.
    public var isExternal: Bool { self == .agency || self == .lawyer }
}

/// What a step's offset counts from.
public enum StepAnchor: String, Codable, Sendable {
    /// Days relative to the invoice's due date (negative before it).
    case dueDate = "due_date"
    /// Days after the invoice entered the step's stage.
    case stageEntry = "stage_entry"
}

/// One rung of the ladder: what to do, on which channel, when.
public struct PlaybookStep: Hashable, Sendable {
    /// A stable name, unique in the playbook (`first_follow_up`); actions and history refer to it.
    public var id: String
    public var stage: Stage
    public var anchor: StepAnchor
    /// Days relative to the anchor.
    public var offsetDays: Int
    /// Days that must have passed since the invoice's previous step before this one fires.
    public var gapDays: Int
    public var channel: Channel
    /// The template that renders the message or the call script: by default the step's id, or `escalation_email`
    /// for a step that writes to the client's senior contact.
    public var template: String
    public var requiresApproval: Bool
    public var escalatesTo: EscalationTarget?
    /// The step applies only when the invoice's open amount is at least this much, in thousandths of a major unit
    /// of the invoice's currency (500.00 is 500_000), so that one figure applies exactly to EUR, JPY and KWD alike.
    public var minimumOpenMilliUnits: Int?
    /// The step applies only to customers carrying at least one of these tags (empty: every customer).
    public var customerTags: Set<String>
    /// A settlement offer: the client may close the invoices by paying this share of the open amount, in basis
    /// points (9000 asks for 90 %), within `offerValidDays`. Only in `delayed` and `non_payment`.
    public var settlementOfferBasisPoints: Int?
    /// Days a settlement offer stays open from the day it is made.
    public var offerValidDays: Int

    public init(
        id: String, stage: Stage, anchor: StepAnchor = .dueDate, offsetDays: Int, gapDays: Int, channel: Channel,
        template: String? = nil, requiresApproval: Bool = false, escalatesTo: EscalationTarget? = nil,
        minimumOpenMilliUnits: Int? = nil, customerTags: Set<String> = [], settlementOfferBasisPoints: Int? = nil,
        offerValidDays: Int = 14
    ) {
        self.settlementOfferBasisPoints = settlementOfferBasisPoints
        self.offerValidDays = offerValidDays
        self.id = id
        self.stage = stage
        self.anchor = anchor
        self.offsetDays = offsetDays
        self.gapDays = gapDays
        self.channel = channel
        // A step that writes to the client's senior contact speaks in its own template unless it names one.
        self.template = template ?? (escalatesTo == .seniorContact ? "escalation_email" : id)
        self.requiresApproval = requiresApproval
        self.escalatesTo = escalatesTo
        self.minimumOpenMilliUnits = minimumOpenMilliUnits
        self.customerTags = customerTags
    }

    /// Whether an invoice with this open amount meets the step's minimum.
    public func appliesTo(open: Money) -> Bool {
        guard let minimum = minimumOpenMilliUnits else { return true }
        var scale = 1
        for _ in open.currency.minorUnitDigits..<3 { scale *= 10 }
        // The largest JPY amount Money parses does not fit in 64 bits once scaled; it is beyond any minimum.
        let (scaled, overflow) = open.minorUnits.multipliedReportingOverflow(by: scale)
        return overflow ? open.minorUnits > 0 : scaled >= minimum
    }

    /// The share of the open amount a settlement offer waives, in basis points (a 90 % offer waives 1000).
    public var settlementWaiverBasisPoints: Int? { settlementOfferBasisPoints.map { 10_000 - $0 } }

    /// Whether the step talks to the client (everything but an internal escalation to the manager).
    public var contactsCustomer: Bool { escalatesTo != .manager }

    /// Whether the step escalates: it hands the account to someone (the manager, a senior contact, an agency, a
    /// lawyer), or it belongs to `non_payment`, the formal stage whose messages (a final notice) threaten
    /// consequences. An escalation needs a contact actually made first, and a rejected one waits for something to
    /// change (`Playbook.escalationRetryDays`).
    public var isEscalation: Bool { escalatesTo != nil || stage == .nonPayment }
}

/// The collection policy: the ladder of steps per stage and the manners that bound it.
public struct Playbook: Hashable, Sendable {
    public var name: String
    /// Steps in ladder order: every `pre_due` step, then `delayed`, then `non_payment`.
    public var steps: [PlaybookStep]
    /// An invoice enters `non_payment` this many days past its due date…
    public var nonPaymentAfterDaysPastDue: Int
    /// …or once the customer has broken this many promises or plan instalments.
    public var nonPaymentAfterBrokenPromises: Int
    /// Outbound contacts per customer in any rolling 7 days.
    public var maxContactsPerSevenDays: Int
    /// Days the organisation contacts clients on.
    public var workingDays: Set<Weekday>
    /// Days after a promised date before an unpaid promise counts as broken.
    public var promiseGraceDays: Int
    /// The customer's local hours in which emails and calls may go out, `[start, end)` in whole hours.
    public var businessHours: ClosedRange<Int>
    /// Thank the client when an invoice that was chased is paid in full: the relationship matters.
    public var thankYou: Bool
    /// Days before each instalment of a payment plan that the client is reminded of it.
    public var instalmentReminderDays: Int
    /// The organisation's adopted version this playbook is (`duly playbook adopt`); nil for the built-in one or a
    /// file tried without adopting it. Every action planned with it records it.
    public var version: Int?
    /// A settlement offer that waives more than this share of the open amount (basis points) needs approval.
    public var settlementApprovalAboveBasisPoints: Int
    /// Hand-overs to agencies and lawyers the organisation approves in one calendar month, at most: they stay rare.
    public var maxExternalEscalationsPerMonth: Int
    /// Days a rejected escalation waits before it is proposed again, unless a new contact is made sooner.
    public var escalationRetryDays: Int
    /// Days the chase pauses when the client says they have paid, so the bank can catch up (`ChasePause.paidClaim`).
    public var paidClaimPauseDays: Int

    public init(
        name: String, steps: [PlaybookStep], nonPaymentAfterDaysPastDue: Int = 30,
        nonPaymentAfterBrokenPromises: Int = 2,
        maxContactsPerSevenDays: Int = 2, workingDays: Set<Weekday> = Weekday.workWeek, promiseGraceDays: Int = 3,
        businessHours: ClosedRange<Int> = 9...17, thankYou: Bool = true, instalmentReminderDays: Int = 3,
        settlementApprovalAboveBasisPoints: Int = 1000, maxExternalEscalationsPerMonth: Int = 3,
        escalationRetryDays: Int = 30, paidClaimPauseDays: Int = 5
    ) {
        self.escalationRetryDays = escalationRetryDays
        self.paidClaimPauseDays = paidClaimPauseDays
        self.instalmentReminderDays = instalmentReminderDays
        self.settlementApprovalAboveBasisPoints = settlementApprovalAboveBasisPoints
        self.maxExternalEscalationsPerMonth = maxExternalEscalationsPerMonth
        self.name = name
        self.steps = steps
        self.nonPaymentAfterDaysPastDue = nonPaymentAfterDaysPastDue
        self.nonPaymentAfterBrokenPromises = nonPaymentAfterBrokenPromises
        self.maxContactsPerSevenDays = maxContactsPerSevenDays
        self.workingDays = workingDays
        self.promiseGraceDays = promiseGraceDays
        self.businessHours = businessHours
        self.thankYou = thankYou
    }

    /// The step id (and template) of the thank-you sent when a chased invoice is paid in full; not a rung.
    public static let thankYouStepID = "thank_you"
    /// The reminder sent a few days before an instalment of an accepted payment plan falls due; not a rung.
    public static let instalmentReminderStepID = "instalment_reminder"
    /// The follow-up sent the day after an instalment was missed, inside the grace days; not a rung.
    public static let instalmentMissedStepID = "instalment_missed"
    /// The note telling the client their dispute was looked at and the invoice stands; not a rung.
    public static let disputeRejectedStepID = "dispute_rejected"
    /// Messages about a plan the client accepted: it expects them, so the 7-day contact cap never holds them back
    /// (one voice a day still does). Without this, one contact a week would let a chasing message about another
    /// invoice crowd out the reminder before an instalment for good.
    public static let planStepIDs: Set<String> = [instalmentReminderStepID, instalmentMissedStepID]
    /// Messages outside the ladder: they answer an event (a payment, a plan, a dispute's end), not the calendar.
    public static let eventStepIDs: Set<String> = [
        thankYouStepID, instalmentReminderStepID, instalmentMissedStepID, disputeRejectedStepID,
    ]

    /// Whether an action's step still has a reason to go out about an invoice now in `state`: a thank-you always
    /// (being paid is its reason), an instalment message while the plan runs, anything else while the invoice is
    /// chased. The planner withdraws, and the deliverer drops, what no longer has one.
    public static func stillWanted(stepID: String, state: InvoiceState) -> Bool {
        switch stepID {
        case thankYouStepID: return true
        case instalmentReminderStepID, instalmentMissedStepID: return state == .onPlan
        default: return state.isChased
        }
    }

    /// The step with this id.
    public func step(_ id: String) -> PlaybookStep? { steps.first { $0.id == id } }

    /// Where a step stands on the ladder (0 is the first rung).
    public func index(of stepID: String) -> Int? { steps.firstIndex { $0.id == stepID } }

    /// Checks the rules a playbook must keep; each problem names the step and field.
    public func problems() -> [PlaybookProblem] {
        var problems: [PlaybookProblem] = []
        var seen: Set<String> = []
        var previousStage = Stage.preDue
        if steps.isEmpty {
            problems.append(PlaybookProblem(step: nil, field: "steps", message: "a playbook needs at least one step"))
        }
        for step in steps {
            if !seen.insert(step.id).inserted {
                problems.append(
                    PlaybookProblem(step: step.id, field: "id", message: "two steps are called '\(step.id)'"))
            }
            if step.stage < previousStage {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "stage",
                        message: "steps must be listed in stage order (pre_due, delayed, non_payment)"))
            }
            previousStage = max(previousStage, step.stage)
            if step.stage == .preDue && (step.anchor != .dueDate || step.offsetDays > 0) {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "offset_days",
                        message:
                            "a pre_due step happens on or before the due date (offset 0 or less, from the due date)"))
            }
            if step.stage == .delayed && step.anchor == .dueDate && step.offsetDays < 1 {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "offset_days",
                        message: "a delayed step happens after the due date (offset 1 or more)"))
            }
            if step.stage != .nonPayment && step.escalatesTo?.isExternal == true {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "escalates_to",
                        message: "hand-over to an agency or a lawyer belongs in the non_payment stage only"))
            }
            if step.escalatesTo?.isExternal == true && !step.requiresApproval {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "requires_approval",
                        message: "hand-over to an agency or a lawyer always needs a manager's approval"))
            }
            if step.gapDays < 1 {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "gap_days", message: "the gap to the previous step must be at least 1 day"
                    ))
            }
            if let share = step.settlementOfferBasisPoints {
                if step.stage == .preDue {
                    problems.append(
                        PlaybookProblem(
                            step: step.id, field: "settlement_offer_percent",
                            message: "a settlement offer belongs in delayed or non_payment"))
                }
                if share <= 0 || share >= 10_000 {
                    problems.append(
                        PlaybookProblem(
                            step: step.id, field: "settlement_offer_percent",
                            message: "an offer asks for more than 0 % and less than 100 % of the open amount"))
                }
                if step.offerValidDays < 1 {
                    problems.append(
                        PlaybookProblem(step: step.id, field: "offer_valid_days", message: "must be at least 1"))
                }
            }
            if Playbook.eventStepIDs.contains(step.id) {
                problems.append(
                    PlaybookProblem(
                        step: step.id, field: "id", message: "'\(step.id)' is the name of one of Duly's own messages"))
            }
            if step.template.isEmpty {
                problems.append(
                    PlaybookProblem(step: step.id, field: "template", message: "a step needs a template name"))
            }
        }
        if maxContactsPerSevenDays < 1 {
            problems.append(
                PlaybookProblem(step: nil, field: "max_contacts_per_7_days", message: "must be at least 1"))
        }
        if workingDays.isEmpty {
            problems.append(
                PlaybookProblem(step: nil, field: "working_days", message: "at least one working day is needed"))
        }
        if nonPaymentAfterDaysPastDue < 1 {
            problems.append(PlaybookProblem(step: nil, field: "non_payment_after_days", message: "must be at least 1"))
        }
        if nonPaymentAfterBrokenPromises < 1 {
            problems.append(
                PlaybookProblem(step: nil, field: "non_payment_after_broken_promises", message: "must be at least 1"))
        }
        if promiseGraceDays < 0 {
            problems.append(PlaybookProblem(step: nil, field: "promise_grace_days", message: "cannot be negative"))
        }
        if paidClaimPauseDays < 1 || paidClaimPauseDays > ChasePause.longestDays {
            problems.append(
                PlaybookProblem(
                    step: nil, field: "paid_claim_pause_days",
                    message: "must be from 1 to \(ChasePause.longestDays)"))
        }
        if instalmentReminderDays < 0 {
            problems.append(
                PlaybookProblem(step: nil, field: "instalment_reminder_days", message: "cannot be negative"))
        }
        if settlementApprovalAboveBasisPoints < 0 || settlementApprovalAboveBasisPoints > 10_000 {
            problems.append(
                PlaybookProblem(
                    step: nil, field: "settlement_approval_above_percent", message: "must be between 0 and 100"))
        }
        if escalationRetryDays < 1 {
            problems.append(PlaybookProblem(step: nil, field: "escalation_retry_days", message: "must be at least 1"))
        }
        if maxExternalEscalationsPerMonth < 0 {
            problems.append(
                PlaybookProblem(step: nil, field: "max_external_escalations_per_month", message: "cannot be negative"))
        }
        return problems
    }
}

/// A rule a playbook breaks, with the step and field to fix.
public struct PlaybookProblem: Hashable, Sendable, CustomStringConvertible {
    public var step: String?
    public var field: String
    public var message: String

    public init(step: String?, field: String, message: String) {
        self.step = step
        self.field = field
        self.message = message
    }

    public var description: String {
        if let step { return "step '\(step)', \(field): \(message)" }
        return "\(field): \(message)"
    }
}

extension Playbook {
    /// The built-in playbook, following docs/PRODUCT.md, "Stages", tuned on `duly simulate --portfolio` (README.md,
    /// "The default playbook"; BENCHMARKS.md).
    ///
    /// One contact a week at most. Before the due date: a notice on the due day that restates the terms. Delayed: an
    /// email follow-up three days after the due date (a week after the notice, once the week has room), a call with
    /// an offer of a payment plan at two weeks, and a proposal of a workable solution at three. Non-payment (from 30
    /// days past due, or two broken promises): the collector's manager is told, then a final notice with statutory
    /// interest (approved), then a hand-over to a collection agency (approved, last resort).
    public static let standard = Playbook(
        name: "standard",
        steps: [
            PlaybookStep(id: "due_day_notice", stage: .preDue, offsetDays: 0, gapDays: 1, channel: .email),
            PlaybookStep(id: "first_follow_up", stage: .delayed, offsetDays: 3, gapDays: 3, channel: .email),
            PlaybookStep(id: "call_offer_plan", stage: .delayed, offsetDays: 14, gapDays: 7, channel: .call),
            PlaybookStep(id: "solution_offer", stage: .delayed, offsetDays: 21, gapDays: 7, channel: .email),
            PlaybookStep(
                id: "manager_escalation", stage: .nonPayment, anchor: .stageEntry, offsetDays: 0, gapDays: 5,
                channel: .email, escalatesTo: .manager),
            PlaybookStep(
                id: "final_notice", stage: .nonPayment, anchor: .stageEntry, offsetDays: 7, gapDays: 7,
                channel: .letter,
                requiresApproval: true),
            PlaybookStep(
                id: "agency_handover", stage: .nonPayment, anchor: .stageEntry, offsetDays: 21, gapDays: 14,
                channel: .letter, requiresApproval: true, escalatesTo: .agency),
        ],
        // One contact a week: what is due for several invoices waits for the week's one message and goes in it.
        maxContactsPerSevenDays: 1
    )
}
