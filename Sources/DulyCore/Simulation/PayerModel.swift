/// How a simulated client pays, and how it answers being contacted about an invoice (`duly simulate --portfolio`;
/// README.md, "The default playbook", states each kind's answers).
public enum PayerKind: String, CaseIterable, Codable, Sendable {
    /// Pays on the due date or up to three days before it, whatever it hears.
    case prompt
    /// Forgets: pays the day after the first contact on or after the due date reaches it.
    case forgetful
    /// Pays three days after a call that reaches it or an offer of a solution, five days after a formal
    /// escalation, or three days after its fourth reminder, whichever comes first.
    case slow
    /// Disputes the invoice on the first contact that reaches it after it is due, and is right: it is credited after
    /// some days.
    case disputerRight = "disputer_right"
    /// Disputes the invoice on the first contact that reaches it after it is due, and is wrong: once the dispute is
    /// rejected, it pays five days later.
    case disputerWrong = "disputer_wrong"
    /// Promises to pay in ten days when reached (a call that reaches it, or its second written contact), and does.
    case promiseKeeper = "promise_keeper"
    /// Promises like a keeper but breaks it; reached again after the promised date, it promises again and keeps it.
    case promiseBreaker = "promise_breaker"
    /// Never pays, never answers the phone, never disputes, never promises.
    case nonPayer = "non_payer"

    /// Whether this kind opens a dispute when first contacted after the due date.
    public var disputes: Bool { self == .disputerRight || self == .disputerWrong }

    /// Whether this kind promises when reached.
    public var promises: Bool { self == .promiseKeeper || self == .promiseBreaker }
}

/// One contact about an invoice as the client experiences it.
public enum PayerContact: Hashable, Sendable {
    /// A written reminder: an email, letter or text in the pre-due or delayed stage.
    case reminder
    /// A call or meeting; `reached` is false for a voicemail.
    case call(reached: Bool)
    /// A written offer of a way out: a payment plan, a new date, a settlement.
    case solutionOffer
    /// A formal escalation: a final notice, a senior contact, a hand-over to an agency or a lawyer.
    case escalation
    /// A message about an event (a thank-you, a dispute's outcome): nothing to answer.
    case courtesy

    /// How the client experiences a playbook step on its channel.
    public init(step: PlaybookStep, reached: Bool) {
        if Playbook.eventStepIDs.contains(step.id) {
            self = .courtesy
        } else if step.isEscalation {
            self = .escalation
        } else if step.channel == .call || step.channel == .meeting {
            self = .call(reached: reached)
        } else if step.settlementOfferBasisPoints != nil || step.template.contains("solution")
            || step.template.contains("plan")
        {
            self = .solutionOffer
        } else {
            self = .reminder
        }
    }
}

/// What the client does in answer; dates are never before the day it answers.
public enum PayerAnswer: Hashable, Sendable {
    /// Pays the invoice's open amount in full on this day.
    case pays(on: LocalDate)
    /// Contests the invoice today; the organisation resolves it on `resolvedOn` (upheld: credited; else rejected).
    case disputes(resolvedOn: LocalDate, upheld: Bool)
    /// Promises to pay the open amount by `date`; `keeps` says whether the money will come.
    case promises(date: LocalDate, keeps: Bool)
}

/// What a simulated client remembers about one invoice, and how it answers each contact about it.
public struct PayerMemory: Hashable, Sendable {
    public let kind: PayerKind
    public let dueDate: LocalDate
    /// Days after being contacted a disputer's dispute takes to resolve.
    public let disputeDays: Int
    /// Written contacts (reminders, offers, escalations) on or after the due date.
    public private(set) var writtenContacts = 0
    /// Any contact on or after the due date, voicemails included.
    public private(set) var contactsAfterDue = 0
    public private(set) var disputed = false
    /// The promises made so far: their dates.
    public private(set) var promiseDates: [LocalDate] = []
    /// The day the client decided to pay, once it has.
    public private(set) var paysOn: LocalDate?

    /// Days a promiser gives itself: its next payment run.
    public static let promiseDays = 10

    public init(kind: PayerKind, dueDate: LocalDate, disputeDays: Int) {
        self.kind = kind
        self.dueDate = dueDate
        self.disputeDays = disputeDays
    }

    /// The payment a prompt payer makes on its own, `earlyDays` before the due date; nil for every other kind.
    public mutating func ownPayment(earlyDays: Int) -> LocalDate? {
        guard kind == .prompt else { return nil }
        let day = dueDate.adding(days: -earlyDays)
        paysOn = day
        return day
    }

    /// The client's answer to a contact about the invoice on `day`, if it answers at all.
    public mutating func answer(_ contact: PayerContact, on day: LocalDate) -> PayerAnswer? {
        guard paysOn == nil, day >= dueDate, contact != .courtesy else { return nil }
        contactsAfterDue += 1
        let reached: Bool
        switch contact {
        case .call(let answered): reached = answered
        case .reminder, .solutionOffer, .escalation:
            writtenContacts += 1
            reached = true
        case .courtesy: return nil
        }
        switch kind {
        case .prompt, .nonPayer:
            return nil
        case .forgetful:
            return pay(on: day.adding(days: 1))
        case .slow:
            switch contact {
            case .call(reached: true), .solutionOffer: return pay(on: day.adding(days: 3))
            case .escalation: return pay(on: day.adding(days: 5))
            default: return writtenContacts >= 4 ? pay(on: day.adding(days: 3)) : nil
            }
        case .disputerRight, .disputerWrong:
            guard reached, !disputed else { return nil }
            disputed = true
            let resolved = day.adding(days: disputeDays)
            // Told the invoice stands, the wrong disputer pays five days after the resolution.
            if kind == .disputerWrong { paysOn = resolved.adding(days: 5) }
            return .disputes(resolvedOn: resolved, upheld: kind == .disputerRight)
        case .promiseKeeper, .promiseBreaker:
            // A live promise is not made twice; a broken one is made again when the client is reached once more.
            if let last = promiseDates.last, day <= last { return nil }
            let isCall: Bool
            if case .call = contact { isCall = true } else { isCall = false }
            guard reached, (isCall || writtenContacts >= 2 || !promiseDates.isEmpty) else { return nil }
            let date = day.adding(days: Self.promiseDays)
            promiseDates.append(date)
            let keeps = kind == .promiseKeeper || promiseDates.count > 1
            if keeps { paysOn = date }
            return .promises(date: date, keeps: keeps)
        }
    }

    private mutating func pay(on day: LocalDate) -> PayerAnswer {
        paysOn = day
        return .pays(on: day)
    }
}
