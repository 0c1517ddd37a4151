import Crypto

/// What the collection day decided for one account.
public struct AccountPlan: Sendable {
    /// New actions, including ones recorded as skipped (an opted-out channel) so the ladder moves on.
    public var actions: [PlannedAction]
    /// Pending actions to withdraw: their invoices were paid, disputed or promised since they were planned.
    public var cancellations: [Cancellation]
    /// Steps that are due but held back today.
    public var deferrals: [Deferral]
    // What the plan was decided on, kept for `Planner.nextReview`: the collection day asks it of every account it
    // plans, and working it out again cost as much as in the plan. The plan changes only the account's history,
    // which the situation does not read.
    var situation: Situation?

    public init(actions: [PlannedAction] = [], cancellations: [Cancellation] = [], deferrals: [Deferral] = []) {
        self.actions = actions
        self.cancellations = cancellations
        self.deferrals = deferrals
    }
}

/// Where an invoice stands on a date: one of the three stages, a side state that pauses the chase, or an end.
public enum InvoiceState: String, CaseIterable, Codable, Sendable {
    case preDue = "pre_due"
    case delayed
    case nonPayment = "non_payment"
    case disputed
    case promised
    case onPlan = "on_plan"
    case paid
    case credited
    case settled
    case writtenOff = "written_off"

    /// The state an invoice closed in.
    public init(_ end: EndState) {
        switch end {
        case .paid: self = .paid
        case .credited: self = .credited
        case .settled: self = .settled
        case .writtenOff: self = .writtenOff
        }
    }

    /// The chase is paused or over: nothing is planned for the invoice.
    public var isChased: Bool { self == .preDue || self == .delayed || self == .nonPayment }
}

/// The collection day's rules (docs/PRODUCT.md, "The collection day") as a pure function of an account, the playbook
/// and a date.
///
/// For each open invoice it finds the next rung of the playbook's ladder: one step per run at most, a step only when
/// its day has come and the playbook's gap since the invoice's previous step has passed; pre-due steps whose moment
/// has passed are skipped, overdue steps never are, so a first run over old invoices starts at the first overdue step.
/// Then, per customer: one action per channel covering every invoice (a statement, not one email per invoice), the
/// 7-day contact cap, one voice a day, working days and public holidays (the organisation's and the client's),
/// opted-out channels, pauses for disputes, promises and plans, a pause of the customer's whole chase, a real contact
/// before any escalation, the wait after a rejected escalation, the last-resort rule before an agency or a lawyer, and
/// cancellation of pending actions for invoices paid since.
public struct Planner: Sendable {
    public var playbook: Playbook
    /// The organisation's own holidays, on top of its country's public ones: nothing goes out on them.
    public var holidays: Set<LocalDate>
    /// Part of every idempotency key, so two organisations never share one.
    public var organisationID: String
    /// The organisation's IANA time zone: business hours for customers who gave none of their own.
    public var organisationTimeZone: String
    /// The organisation's country (ISO 3166-1 alpha-2): its public holidays are days off (`PublicHolidays`).
    public var organisationCountry: String?

    public init(
        playbook: Playbook, holidays: Set<LocalDate> = [], organisationID: String, organisationTimeZone: String = "UTC",
        organisationCountry: String? = nil
    ) {
        self.playbook = playbook
        self.holidays = holidays
        self.organisationID = organisationID
        self.organisationTimeZone = organisationTimeZone
        self.organisationCountry = organisationCountry
    }

    /// The planner for an organisation: its own holidays, its time zone and its country's public holidays.
    public init(playbook: Playbook, organisation: Organisation) {
        self.init(
            playbook: playbook, holidays: organisation.holidays, organisationID: organisation.id,
            organisationTimeZone: organisation.timeZone, organisationCountry: organisation.country)
    }

    /// The organisation's working days: where its deadlines land.
    public var calendar: WorkingCalendar {
        WorkingCalendar(workingDays: playbook.workingDays, country: organisationCountry, extraHolidays: holidays)
    }

    /// Decides the account's actions for `asOf`.
    public func plan(_ account: Account, asOf: LocalDate) -> AccountPlan {
        let situation = Situation(account: account, playbook: playbook, asOf: asOf)
        var plan = plan(account, asOf: asOf, situation: situation)
        plan.situation = situation
        return plan
    }

    private func plan(_ account: Account, asOf: LocalDate, situation: Situation) -> AccountPlan {
        var result = AccountPlan()

        // Paid (or paused) means stop: withdraw pending actions whose invoices no longer need chasing. The rest of
        // their invoices are then planned afresh below, as if the withdrawn action had never been.
        var history = account.history
        for index in history.indices where history[index].status.isPending {
            let reasons = history[index].steps.compactMap { step -> String? in
                let state = situation.state(of: step.invoiceNumber)
                return Playbook.stillWanted(stepID: step.stepID, state: state)
                    ? nil : "\(step.invoiceNumber) \(state.rawValue.split(separator: "_").joined(separator: " "))"
            }
            if !reasons.isEmpty {
                result.cancellations.append(
                    Cancellation(actionID: history[index].id, reason: reasons.joined(separator: ", ")))
                history[index].status = .cancelled
            }
        }

        // A pause holds the whole chase of the customer: what is pending and would reach the client is withdrawn,
        // and nothing is planned until the day after its last day. The invoices keep ageing meanwhile.
        if let pause = account.pause(on: asOf) {
            for record in history where record.status.isPending && record.contactsCustomer {
                result.cancellations.append(Cancellation(actionID: record.id, reason: pause.withdrawalReason))
            }
            return result
        }

        let isWorkingDay = calendar.isWorkingDay(asOf)
        var due: [(balance: InvoiceBalance, step: PlaybookStep, index: Int)] = []
        for balance in account.invoices where situation.state(of: balance.invoice.number).isChased {
            switch nextStep(for: balance, history: history, situation: situation, asOf: asOf) {
            case .none:
                continue
            case .held(let step, let reason):
                result.deferrals.append(
                    Deferral(
                        customerID: account.customer.id, invoiceNumber: balance.invoice.number, stepID: step.id,
                        reason: reason))
            case .due(let step, let index):
                if isWorkingDay {
                    due.append((balance, step, index))
                } else {
                    result.deferrals.append(
                        Deferral(
                            customerID: account.customer.id, invoiceNumber: balance.invoice.number, stepID: step.id,
                            reason: .nonWorkingDay))
                }
            }
        }
        // Messages that answer an event rather than the calendar, at the back of the day's queue.
        for (balance, step) in eventMessages(account, history: history, situation: situation, asOf: asOf) {
            guard isWorkingDay else {
                result.deferrals.append(
                    Deferral(
                        customerID: account.customer.id, invoiceNumber: balance.invoice.number, stepID: step.id,
                        reason: .nonWorkingDay))
                continue
            }
            if step.id == Playbook.disputeRejectedStepID {
                // The note that the invoice stands is today's word about it: the ladder resumes after it.
                due.removeAll { $0.balance.invoice.number == balance.invoice.number }
            }
            due.append((balance, step, playbook.steps.count))
        }
        guard !due.isEmpty else { return result }

        // One voice per client: group the due steps into one action per channel (and per approval and escalation,
        // which are different kinds of message).
        struct GroupKey: Hashable {
            var channel: Channel
            var requiresApproval: Bool
            var escalatesTo: EscalationTarget?
            var unreachable: String?
            // A message about an event (a thank-you, an instalment) never shares a message with a reminder.
            var event: String?
        }
        var groups: [GroupKey: [(balance: InvoiceBalance, step: PlaybookStep, index: Int)]] = [:]
        for item in due {
            // A settlement offer that waives more than the playbook allows on its own waits for a manager.
            let waivesTooMuch =
                (item.step.settlementWaiverBasisPoints ?? 0) > playbook.settlementApprovalAboveBasisPoints
            let key = GroupKey(
                channel: item.step.channel, requiresApproval: item.step.requiresApproval || waivesTooMuch,
                escalatesTo: item.step.escalatesTo, unreachable: unreachableReason(item.step, account: account),
                event: Playbook.eventStepIDs.contains(item.step.id) ? item.step.id : nil)
            groups[key, default: []].append(item)
        }
        // One decision per customer and step: a step needing approval joins the approval already waiting for the
        // same step (the earlier one is withdrawn and its invoices are asked about again, together, today), so a
        // manager never decides one customer's hand-over invoice by invoice.
        var joined: [GroupKey: [ActionRecord]] = [:]
        for (key, items) in groups where key.requiresApproval && key.unreachable == nil && key.event == nil {
            let stepIDs = Set(items.map(\.step.id))
            for record in history
            where record.status == .awaitingApproval && record.channel == key.channel
                && record.escalatesTo == key.escalatesTo
                && record.steps.contains(where: { stepIDs.contains($0.stepID) })
            {
                let earlier = record.steps.compactMap { step -> (InvoiceBalance, PlaybookStep, Int)? in
                    guard let balance = situation.balances[step.invoiceNumber],
                        let playbookStep = playbook.step(step.stepID), let index = playbook.index(of: step.stepID)
                    else { return nil }
                    return (balance, playbookStep, index)
                }
                // A record this playbook no longer describes stays as it is.
                guard earlier.count == record.steps.count else { continue }
                groups[key, default: []] += earlier.map { (balance: $0.0, step: $0.1, index: $0.2) }
                joined[key, default: []].append(record)
            }
        }
        let orderedGroups = groups.sorted { lhs, rhs in
            let left = lhs.value.map(\.index).min()!
            let right = rhs.value.map(\.index).min()!
            return (left, lhs.key.channel, lhs.key.event ?? "") < (right, rhs.key.channel, rhs.key.event ?? "")
        }

        // Manners: at most N contacts with the client in any 7 days, counting those already made.
        let windowStart = asOf.adding(days: -6)
        let recentContacts = Set(
            history.filter { $0.contactsCustomer && $0.status.isContact && $0.date >= windowStart && $0.date <= asOf }
                .map(\.id)
        )
        // An approval a group replaces is not a contact of its own: the group speaks in its place.
        func capReached(_ key: GroupKey) -> Bool {
            recentContacts.subtracting(joined[key, default: []].map(\.id)).count >= playbook.maxContactsPerSevenDays
        }
        // Messages about a plan the client accepted are never held back by the cap (`Playbook.planStepIDs`).
        func heldByCap(_ key: GroupKey) -> Bool {
            capReached(key) && !Playbook.planStepIDs.contains(key.event ?? "")
        }
        // One voice a day: the client hears the most advanced stage's message and nothing else that day; a voice
        // already planned or sent today (an earlier run, a call-back) speaks for the day too.
        func spokenToday(_ key: GroupKey) -> Bool {
            let replaced = Set(joined[key, default: []].map(\.id))
            return history.contains {
                $0.contactsCustomer && $0.status.isContact && $0.date == asOf && !replaced.contains($0.id)
            }
        }
        // No email, call or text on a public holiday where the client is; a letter is only posted.
        let customerHoliday = PublicHolidays.holiday(on: asOf, country: account.customer.country) != nil
        let keepsClientHours = { (key: GroupKey) in [Channel.email, .call, .sms].contains(key.channel) }
        func rank(_ items: [(balance: InvoiceBalance, step: PlaybookStep, index: Int)]) -> (Stage, Int) {
            // Messages about events rank below the ladder: a thank-you never speaks over a reminder.
            let ladder = items.filter { !Playbook.eventStepIDs.contains($0.step.id) }
            guard let lead = ladder.max(by: { $0.index < $1.index }) else { return (.preDue, -1) }
            return (lead.step.stage, lead.index)
        }
        let speaking =
            orderedGroups.filter { group in
                // A message the cap holds back does not speak today: one it does not hold may.
                group.key.unreachable == nil && group.key.escalatesTo != .manager
                    && !(customerHoliday && keepsClientHours(group.key)) && !heldByCap(group.key)
            }
            .max { rank($0.value) < rank($1.value) }?.key

        // What one voice moved to a later day, said in the note of the message that speaks today.
        var moved: [String] = []
        var speakingAction: Int?
        for (key, items) in orderedGroups {
            let countsAsContact = key.unreachable == nil && key.escalatesTo != .manager
            if countsAsContact {
                let reason: Deferral.Reason?
                if customerHoliday && keepsClientHours(key) {
                    reason = .customerHoliday
                } else if heldByCap(key) {
                    reason = .contactCap
                } else if spokenToday(key) || key != speaking {
                    reason = .oneVoice
                } else {
                    reason = nil
                }
                if let reason {
                    // The invoices of an approval already waiting stay in it: only today's steps wait.
                    let waiting = Set(joined[key, default: []].flatMap(\.steps).map(\.invoiceNumber))
                    if reason == .oneVoice && !spokenToday(key) {
                        moved += items.filter { !waiting.contains($0.balance.invoice.number) }
                            .map { "\($0.balance.invoice.number) \($0.step.id)" }
                    }
                    for item in items where !waiting.contains(item.balance.invoice.number) {
                        result.deferrals.append(
                            Deferral(
                                customerID: account.customer.id, invoiceNumber: item.balance.invoice.number,
                                stepID: item.step.id, reason: reason))
                    }
                    continue
                }
            }
            let sorted = items.sorted { $0.balance.invoice.number < $1.balance.invoice.number }
            let lead = items.max { $0.index < $1.index }!.step
            // Each invoice takes its own rung, whichever step leads the message.
            let steps = sorted.map { InvoiceStep(invoiceNumber: $0.balance.invoice.number, stepID: $0.step.id) }
            var note = key.unreachable
            let replaced = joined[key, default: []]
            if !replaced.isEmpty {
                let numbers = replaced.flatMap(\.steps).map(\.invoiceNumber)
                for record in replaced {
                    result.cancellations.append(
                        Cancellation(
                            actionID: record.id,
                            reason: "joined into one approval on \(asOf) with "
                                + sorted.map(\.balance.invoice.number).filter { !numbers.contains($0) }
                                .joined(separator: ", ")))
                }
                let since = replaced.map(\.date).min()!
                note =
                    "one approval for the customer's \(lead.id): joins \(numbers.joined(separator: ", ")), "
                    + "waiting since \(since)"
            }
            let status: ActionStatus =
                key.unreachable != nil ? .skipped : (key.requiresApproval ? .awaitingApproval : .planned)
            // Emails, calls and texts keep the client's business hours; letters and internal notes have none.
            let keepsHours = [Channel.email, .call, .sms].contains(key.channel) && key.escalatesTo != .manager
            let window =
                keepsHours
                ? DeliveryWindow(
                    timeZone: account.customer.timeZone ?? organisationTimeZone,
                    startHour: playbook.businessHours.lowerBound, endHour: playbook.businessHours.upperBound)
                : nil
            result.actions.append(
                PlannedAction(
                    customerID: account.customer.id, date: asOf, channel: key.channel, stage: lead.stage,
                    stepID: lead.id, template: lead.template, requiresApproval: key.requiresApproval,
                    escalatesTo: key.escalatesTo, steps: steps, status: status, note: note, window: window,
                    idempotencyKey: idempotencyKey(
                        customerID: account.customer.id, date: asOf, channel: key.channel,
                        requiresApproval: key.requiresApproval, escalatesTo: key.escalatesTo,
                        unreachable: key.unreachable != nil, steps: steps),
                    offer: lead.settlementOfferBasisPoints.flatMap {
                        SettlementOffer(
                            shareBasisPoints: $0, validDays: lead.offerValidDays,
                            // An offer is on what is asked for: the disputed part is not in it.
                            open: sorted.map { $0.balance.undisputedOpen(disputes: account.disputes, on: asOf) },
                            on: asOf, calendar: calendar)
                    },
                    replaces: replaced.map(\.id), playbookVersion: playbook.version
                ))
            if key == speaking { speakingAction = result.actions.count - 1 }
        }
        if let speakingAction, !moved.isEmpty {
            let said = "one voice today; moved to the next allowed day: " + moved.joined(separator: ", ")
            result.actions[speakingAction].note = result.actions[speakingAction].note.map { $0 + "; " + said } ?? said
        }
        return result
    }

    // MARK: - Messages about events

    private func eventMessages(
        _ account: Account, history: [ActionRecord], situation: Situation, asOf: LocalDate
    ) -> [(InvoiceBalance, PlaybookStep)] {
        var messages: [(InvoiceBalance, PlaybookStep)] = []
        // Whether a message of this kind about this invoice was already taken (on or after `since`, when given).
        func sent(_ stepID: String, _ invoiceNumber: String, since: LocalDate? = nil) -> Bool {
            history.contains { action in
                action.status.takesStep && since.map { action.date >= $0 } ?? true
                    && action.steps.contains { $0.stepID == stepID && $0.invoiceNumber == invoiceNumber }
            }
        }
        func step(_ id: String) -> PlaybookStep {
            PlaybookStep(id: id, stage: .delayed, offsetDays: 0, gapDays: 1, channel: .email)
        }

        // Paid in full after being chased: one thank-you for all of them.
        if playbook.thankYou {
            for balance in account.thanksDue where !sent(Playbook.thankYouStepID, balance.invoice.number) {
                messages.append((balance, step(Playbook.thankYouStepID)))
            }
        }

        // A dispute rejected: tell the client the invoice stands, once, before the chase resumes.
        for dispute in account.disputes where dispute.outcome == .rejected {
            guard let resolvedOn = dispute.resolvedOn, resolvedOn <= asOf,
                let balance = situation.balances[dispute.invoiceNumber],
                situation.state(of: dispute.invoiceNumber).isChased,
                !sent(Playbook.disputeRejectedStepID, dispute.invoiceNumber, since: resolvedOn)
            else { continue }
            messages.append((balance, step(Playbook.disputeRejectedStepID)))
        }

        // A plan being kept: a reminder before each instalment, a follow-up the day after one is missed.
        let grace = playbook.promiseGraceDays
        for plan in account.plans {
            guard
                let next = plan.nextInstalment(on: asOf, graceDays: grace, receipts: account.receipts),
                plan.state(on: asOf, graceDays: grace, receipts: account.receipts) == .live
            else { continue }
            let reminderFrom = next.dueDate.adding(days: -playbook.instalmentReminderDays)
            let kind: (id: String, since: LocalDate)
            if asOf >= reminderFrom && asOf <= next.dueDate {
                kind = (Playbook.instalmentReminderStepID, reminderFrom)
            } else if asOf > next.dueDate {
                kind = (Playbook.instalmentMissedStepID, next.dueDate.adding(days: 1))
            } else {
                continue
            }
            for number in plan.invoiceNumbers {
                guard let balance = situation.balances[number], situation.state(of: number) == .onPlan,
                    !sent(kind.id, number, since: kind.since)
                else { continue }
                messages.append((balance, step(kind.id)))
            }
        }
        return messages
    }

    /// The state of every invoice of the account on `asOf`, keyed by number.
    public func states(of account: Account, asOf: LocalDate) -> [String: InvoiceState] {
        let situation = Situation(account: account, playbook: playbook, asOf: asOf)
        var states: [String: InvoiceState] = [:]
        for balance in account.invoices { states[balance.invoice.number] = situation.state(of: balance.invoice.number) }
        return states
    }

    // MARK: - The ladder

    private enum NextStep {
        case none
        case due(PlaybookStep, index: Int)
        case held(PlaybookStep, Deferral.Reason)
    }

    private func nextStep(
        for balance: InvoiceBalance, history: [ActionRecord], situation: Situation, asOf: LocalDate
    )
        -> NextStep
    {
        let invoice = balance.invoice
        let taken = history.filter { $0.status.takesStep && $0.steps.contains { $0.invoiceNumber == invoice.number } }
        // An approval still outstanding holds the invoice where it is: nothing climbs past an unanswered question.
        if taken.contains(where: { $0.status == .awaitingApproval }) { return .none }
        let takenStepIDs = taken.flatMap { action in
            action.steps.filter { $0.invoiceNumber == invoice.number }.map(\.stepID)
        }
        let lastIndex = takenStepIDs.compactMap { playbook.index(of: $0) }.max() ?? -1
        let lastDate = taken.map(\.date).max()
        let daysPastDue = invoice.dueDate.days(until: asOf)
        let nonPaymentFrom = situation.nonPaymentEntry(for: invoice)
        let steps = playbook.steps

        var index = lastIndex + 1
        var candidate: (step: PlaybookStep, index: Int)?
        while index < steps.count {
            let step = steps[index]
            defer { index += 1 }
            guard applies(step, to: balance, customer: situation.account.customer) else { continue }
            if step.stage == .preDue {
                // Reminders about a due date make no sense once it has passed, nor once a later reminder is due.
                if daysPastDue > 0 { continue }
                if invoice.dueDate.adding(days: step.offsetDays) > asOf { return .none }
                let superseded = steps[(index + 1)...].contains {
                    $0.stage == .preDue && applies($0, to: balance, customer: situation.account.customer)
                        && invoice.dueDate.adding(days: $0.offsetDays) <= asOf
                }
                if superseded { continue }
                candidate = (step, index)
                break
            }
            // Overdue steps are never skipped: the first contact about an overdue invoice is the first overdue step.
            let anchor: LocalDate
            switch (step.anchor, step.stage) {
            case (.dueDate, _): anchor = invoice.dueDate
            case (.stageEntry, .nonPayment): anchor = nonPaymentFrom
            case (.stageEntry, _): anchor = invoice.dueDate.adding(days: 1)
            }
            if step.stage == .nonPayment && nonPaymentFrom > asOf { return .none }
            if anchor.adding(days: step.offsetDays) > asOf { return .none }
            candidate = (step, index)
            break
        }
        guard let (step, stepIndex) = candidate else { return .none }
        if let lastDate, lastDate.days(until: asOf) < step.gapDays { return .none }
        if step.isEscalation {
            // Nobody escalates on a client never reached: contacts actually made about this invoice (a message
            // sent, a call that reached someone), not ones planned, skipped, failed or left on a voicemail.
            let made = taken.filter(\.isContactMade)
            if step.escalatesTo?.isExternal == true {
                // Last resort: an agency or a lawyer only after at least two contacts on two channels.
                if made.count < 2 || Set(made.map(\.channel)).count < 2 { return .held(step, .lastResortNotMet) }
            } else if made.isEmpty {
                return .held(step, .noContactMade)
            }
            // A rejected escalation comes back only once something changed: a contact made since, or the wait over.
            let rejections = history.filter { record in
                record.steps.contains { $0.invoiceNumber == invoice.number && $0.stepID == step.id }
            }.compactMap(\.rejectedOn)
            if let rejected = rejections.max(), !made.contains(where: { $0.date > rejected }),
                rejected.adding(days: playbook.escalationRetryDays) > asOf
            {
                return .held(step, .escalationRejected)
            }
        }
        return .due(step, index: stepIndex)
    }

    private func applies(_ step: PlaybookStep, to balance: InvoiceBalance, customer: Customer) -> Bool {
        guard step.appliesTo(open: balance.open) else { return false }
        return step.customerTags.isEmpty || !step.customerTags.isDisjoint(with: customer.tags)
    }

    /// Why the step's channel cannot reach anyone at the customer, or nil when it can.
    func unreachableReason(_ step: PlaybookStep, account: Account) -> String? {
        if step.escalatesTo == .manager { return nil }
        let channel = step.channel
        if account.customer.optedOut.contains(channel) { return "the customer opted out of \(channel.rawValue)" }
        // Whom the step speaks to: the senior contact for an escalation to them, otherwise billing and primary.
        // Asked for every step of every account, so it allocates nothing.
        let senior = step.escalatesTo == .seniorContact
        func addressed(_ contact: Contact) -> Bool {
            senior ? contact.role == .senior : contact.role == .billing || contact.role == .primary
        }
        func reachable(_ contact: Contact) -> Bool {
            addressed(contact) && (contact.optedOut.isEmpty || !contact.optedOut.contains(channel))
        }
        switch channel {
        case .email:
            if account.contacts.contains(where: { reachable($0) && !($0.email ?? "").isEmpty && !$0.emailBouncing }) {
                return nil
            }
            return account.contacts.contains(where: { addressed($0) && $0.optedOut.contains(.email) })
                ? "the contact opted out of email" : "no email address that works"
        case .call, .sms:
            if account.contacts.contains(where: { reachable($0) && !($0.phone ?? "").isEmpty }) { return nil }
            return "no phone number"
        case .letter:
            // A letter to the client goes to its postal address; a hand-over letter goes to the agency or lawyer.
            if step.escalatesTo?.isExternal != true && account.customer.address == nil { return "no postal address" }
            return nil
        case .meeting:
            return nil
        }
    }

    private func idempotencyKey(
        customerID: String, date: LocalDate, channel: Channel, requiresApproval: Bool,
        escalatesTo: EscalationTarget?, unreachable: Bool, steps: [InvoiceStep]
    ) -> String {
        // Every field that makes two actions different; spelled out so the key never depends on how Swift
        // happens to describe a value. The text "org|customer|date|channel|approval|escalation|skipped|INV=step…"
        // is gathered as bytes and hashed at once: the run computes a key for every action it plans, and hashing
        // piece by piece cost a digest update per piece.
        var text: [UInt8] = []
        text.reserveCapacity(128 + 32 * steps.count)
        func feed(_ piece: String) {
            var piece = piece
            piece.withUTF8 { text.append(contentsOf: $0) }
        }
        for piece in [
            organisationID, customerID, date.description, channel.rawValue, requiresApproval ? "approval" : "-",
            escalatesTo?.rawValue ?? "-",
        ] {
            feed(piece)
            feed("|")
        }
        feed(unreachable ? "skipped" : "-")
        for step in steps {
            feed("|")
            feed(step.invoiceNumber)
            feed("=")
            feed(step.stepID)
        }
        var hasher = SHA256()
        hasher.update(data: text)
        return Hex.encode(hasher.finalize().prefix(16))
    }
}

/// The commitments of an account evaluated once for a date: which invoices are paused and why, and when broken
/// promises pushed the account into `non_payment`.
struct Situation {
    let account: Account
    let playbook: Playbook
    let asOf: LocalDate
    let balances: [String: InvoiceBalance]
    let disputed: Set<String>
    let promised: Set<String>
    let onPlan: Set<String>
    /// The day the account entered `non_payment` through broken promises or plans, if it has.
    let brokenCommitmentsEntry: LocalDate?

    /// Whether this situation is the one `playbook` would work out on `asOf` for the same account: it reads only
    /// these three of the playbook's settings.
    func holds(for playbook: Playbook, on asOf: LocalDate) -> Bool {
        self.asOf == asOf && self.playbook.promiseGraceDays == playbook.promiseGraceDays
            && self.playbook.nonPaymentAfterBrokenPromises == playbook.nonPaymentAfterBrokenPromises
            && self.playbook.nonPaymentAfterDaysPastDue == playbook.nonPaymentAfterDaysPastDue
    }

    init(account: Account, playbook: Playbook, asOf: LocalDate) {
        self.account = account
        self.playbook = playbook
        self.asOf = asOf
        var balances: [String: InvoiceBalance] = [:]
        for balance in account.invoices { balances[balance.invoice.number] = balance }
        self.balances = balances
        // A dispute over part of an invoice leaves the rest to chase; one over all of it (or more) pauses it.
        self.disputed = Set(
            account.disputes.filter { dispute in
                guard dispute.isOpen(on: asOf) else { return false }
                guard let amount = dispute.amount, let balance = balances[dispute.invoiceNumber] else { return true }
                return amount.minorUnits >= balance.open.minorUnits
            }.map(\.invoiceNumber))
        var promised: Set<String> = []
        var brokenDates: [LocalDate] = []
        let grace = playbook.promiseGraceDays
        for promise in account.promises {
            switch promise.state(on: asOf, graceDays: grace, receipts: account.receipts) {
            case .live: promised.formUnion(promise.invoiceNumbers)
            case .broken: brokenDates.append(promise.brokenOn(graceDays: grace))
            case .kept: break
            }
        }
        var onPlan: Set<String> = []
        for plan in account.plans {
            // A proposed plan nobody accepted yet pauses nothing and breaks nothing.
            guard let accepted = plan.acceptedOn, accepted <= asOf else { continue }
            switch plan.state(on: asOf, graceDays: grace, receipts: account.receipts) {
            case .live: onPlan.formUnion(plan.invoiceNumbers)
            case .broken:
                if let date = plan.brokenOn(date: asOf, graceDays: grace, receipts: account.receipts) {
                    brokenDates.append(date)
                }
            case .kept: break
            }
        }
        self.promised = promised
        self.onPlan = onPlan
        brokenDates.sort()
        let needed = playbook.nonPaymentAfterBrokenPromises
        self.brokenCommitmentsEntry = brokenDates.count >= needed ? brokenDates[needed - 1] : nil
    }

    /// The day an invoice enters (or entered) `non_payment`: by age, after enough broken promises, or the day after
    /// its due date at the earliest once the client refused to pay.
    func nonPaymentEntry(for invoice: Invoice) -> LocalDate {
        var entry = invoice.dueDate.adding(days: playbook.nonPaymentAfterDaysPastDue)
        if let broken = brokenCommitmentsEntry, broken > invoice.dueDate { entry = min(entry, broken) }
        if let refused = account.refusals.filter({ $0 <= asOf }).min() {
            entry = min(entry, max(refused, invoice.dueDate.adding(days: 1)))
        }
        return entry
    }

    func state(of invoiceNumber: String) -> InvoiceState {
        guard let balance = balances[invoiceNumber] else { return .paid }
        if let end = balance.endState { return InvoiceState(end) }
        if disputed.contains(invoiceNumber) { return .disputed }
        if promised.contains(invoiceNumber) { return .promised }
        if onPlan.contains(invoiceNumber) { return .onPlan }
        let invoice = balance.invoice
        if invoice.dueDate >= asOf { return .preDue }
        return nonPaymentEntry(for: invoice) <= asOf ? .nonPayment : .delayed
    }
}
