import Crypto

// The collection day's incremental review (README, "The collection day"): after planning an account, the day on
// which it next needs looking at, so that later runs read only the accounts whose day has come or that changed.
extension Planner {
    /// The first day after `asOf` on which the collection day could decide anything new for `account` once `plan`
    /// (what it decided on `asOf`) is written, if nothing about the account changes meanwhile: a step falling due,
    /// an invoice changing state, a commitment coming due or breaking, a step held back today getting its next
    /// chance, a rejected escalation's wait ending. Nil when only a change to the account (a payment, a call, a
    /// message sent, a dispute…) can bring anything new.
    ///
    /// Generous by design: the day returned may turn out quiet, but no day before it brings an action or a
    /// cancellation, nor, when `announcingStages` (someone listens for stage changes), a change of any invoice's
    /// state. An invoice turning overdue or entering non-payment moves no rung by itself (each rung's own day is
    /// counted), so without listeners those days are not review days.
    public func nextReview(
        of account: Account, after plan: AccountPlan, on asOf: LocalDate, announcingStages: Bool = true
    ) -> LocalDate? {
        // Days are counted as days since the epoch: the rungs' arithmetic runs for every invoice of every account.
        let today = asOf.daysSinceEpoch
        var next: Int?
        func consider(_ day: Int) {
            if day > today && next.map({ day < $0 }) ?? true { next = day }
        }
        func consider(_ date: LocalDate) { consider(date.daysSinceEpoch) }
        let account = account.applying(plan)

        for deferral in plan.deferrals {
            switch deferral.reason {
            case .nonWorkingDay, .customerHoliday, .oneVoice:
                consider(asOf.adding(days: 1))
            case .contactCap:
                // A place in the 7-day window frees up a week after each contact in it.
                for record in account.history where record.contactsCustomer && record.status.isContact {
                    consider(record.date.adding(days: 7))
                }
            case .noContactMade, .lastResortNotMet, .escalationRejected:
                // Held until a person acts (a change) or the rejection's wait ends (a date below).
                break
            }
        }

        let situation =
            plan.situation.flatMap { $0.holds(for: playbook, on: asOf) ? $0 : nil }
            ?? Situation(account: account, playbook: playbook, asOf: asOf)
        let capFrees = weeklyCapFrees(account, asOf: asOf)
        for record in account.history {
            if let rejected = record.rejectedOn { consider(rejected.adding(days: playbook.escalationRetryDays)) }
        }
        // Each invoice's last step so far (its day, and its highest rung), in one pass over the history.
        var climbed: [String: (day: LocalDate, rung: Int)] = [:]
        for record in account.history where record.status.takesStep {
            for step in record.steps {
                let rung = playbook.index(of: step.stepID) ?? -1
                let before = climbed[step.invoiceNumber]
                climbed[step.invoiceNumber] = (
                    max(before?.day ?? record.date, record.date), max(before?.rung ?? rung, rung)
                )
            }
        }
        // Whether each rung, when it comes, counts against the weekly cap: asked once per rung, not per invoice.
        var countsAgainstCap: [Bool?] = Array(repeating: nil, count: playbook.steps.count)
        let capFreesDay = capFrees.daysSinceEpoch
        for balance in account.invoices where balance.endState == nil {
            let invoice = balance.invoice
            let due = invoice.dueDate.daysSinceEpoch
            let nonPayment = situation.nonPaymentEntry(for: invoice).daysSinceEpoch
            // The invoice's own states, for those who announce them: overdue the day after its due date, then
            // non-payment.
            if announcingStages {
                consider(due + 1)
                consider(nonPayment)
            }
            let lastStep = climbed[invoice.number]?.day.daysSinceEpoch
            // The ladder only climbs: the rungs above the invoice's highest one so far.
            let lastIndex = climbed[invoice.number]?.rung ?? -1
            // Every such rung's day, from each anchor a step may count from, but not before its gap after the last,
            // nor, for a message or call that reaches the client, before a place frees in the weekly cap (a note
            // to the manager and a step recorded as skipped, with no way to reach anyone, take no place).
            for rung in (lastIndex + 1)..<playbook.steps.count {
                let step = playbook.steps[rung]
                var earliest = lastStep.map { $0 + step.gapDays } ?? today
                let counts =
                    countsAgainstCap[rung]
                    ?? (step.escalatesTo != .manager && unreachableReason(step, account: account) == nil)
                countsAgainstCap[rung] = counts
                if counts {
                    earliest = max(earliest, capFreesDay)
                }
                consider(max(due + step.offsetDays, earliest))
                consider(max(due + 1 + step.offsetDays, earliest))
                consider(max(nonPayment + step.offsetDays, earliest))
            }
        }

        // Commitments: a promise coming into force or breaking, a plan's instalments coming up, missed or broken,
        // disputes opening or closing, refusals and receipts dated ahead.
        let grace = playbook.promiseGraceDays
        for promise in account.promises {
            consider(promise.madeOn)
            consider(promise.brokenOn(graceDays: grace))
        }
        for paymentPlan in account.plans {
            if let accepted = paymentPlan.acceptedOn { consider(accepted) }
            for instalment in paymentPlan.instalments {
                consider(instalment.dueDate.adding(days: -playbook.instalmentReminderDays))
                consider(instalment.dueDate.adding(days: 1))
                consider(instalment.dueDate.adding(days: grace + 1))
            }
        }
        for dispute in account.disputes {
            consider(dispute.openedOn)
            if let resolved = dispute.resolvedOn { consider(resolved) }
        }
        for refusal in account.refusals { consider(refusal) }
        // A pause ends by itself: the day after its last is a review day.
        if let pause = account.pause { consider(pause.until.adding(days: 1)) }
        for receipt in account.receipts { consider(receipt.date) }
        return next.map(LocalDate.init(daysSinceEpoch:))
    }

    // The first day the 7-day contact cap has room again, counting the contacts made or planned up to `asOf`.
    // Approvals waiting are left out (a new approval may take one's place), and a contact dated after `asOf` (a
    // call-back) makes no promise: both only ever make the day earlier, never late.
    private func weeklyCapFrees(_ account: Account, asOf: LocalDate) -> LocalDate {
        let contacts = account.history.filter { $0.contactsCustomer && $0.status.isContact }
        let limit = playbook.maxContactsPerSevenDays
        guard limit > 0, !contacts.contains(where: { $0.date > asOf }) else { return asOf }
        let dates = contacts.filter { $0.status != .awaitingApproval }.map(\.date).sorted(by: >)
        // The window [day - 6, day] holds fewer than `limit` of them once the limit-th latest is 7 days behind.
        return dates.count < limit ? asOf : dates[limit - 1].adding(days: 7)
    }

    /// What the reviews depend on besides the accounts: the playbook, the organisation's calendar, and whether
    /// stage changes are announced (`nextReview`). Reviews computed under one fingerprint hold only under it; a run
    /// under another looks at every account.
    public func fingerprint(announcingStages: Bool) -> String {
        var text = organisationID + "|" + organisationTimeZone + "|" + (organisationCountry ?? "-") + "|"
        text += (announcingStages ? "stages" : "-") + "|"
        text += holidays.map(\.description).sorted().joined(separator: ",") + "|"
        text += Planner.canonicalDescription(of: playbook)
        return Hex.encode(SHA256.hash(data: Array(text.utf8)))
    }

    // Every stored property, recursively, with sets and dictionaries in a sorted order (their iteration order changes
    // from one process to the next): a new playbook setting is part of the fingerprint without anyone listing it.
    private static func canonicalDescription(of value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        guard
            !mirror.children.isEmpty || mirror.displayStyle == .collection || mirror.displayStyle == .set
                || mirror.displayStyle == .dictionary
        else { return String(describing: value) }
        var parts = mirror.children.map { child in
            (child.label.map { $0 + ":" } ?? "") + canonicalDescription(of: child.value)
        }
        if mirror.displayStyle == .set || mirror.displayStyle == .dictionary { parts.sort() }
        return "(" + parts.joined(separator: ",") + ")"
    }
}

extension Account {
    /// The account as it stands once `plan` is written: its new actions in the history, its cancellations applied
    /// and the invoices it thanks for out of the thank-you queue. New actions carry placeholder ids (negative).
    public func applying(_ plan: AccountPlan) -> Account {
        var account = self
        let cancelled = Set(plan.cancellations.map(\.actionID))
        for index in account.history.indices where cancelled.contains(account.history[index].id) {
            account.history[index].status = .cancelled
        }
        var thanked: Set<String> = []
        for (offset, action) in plan.actions.enumerated() {
            account.history.append(
                ActionRecord(
                    id: -Int64(offset + 1), date: action.date, channel: action.channel, status: action.status,
                    escalatesTo: action.escalatesTo, steps: action.steps))
            for step in action.steps where step.stepID == Playbook.thankYouStepID { thanked.insert(step.invoiceNumber) }
        }
        if !thanked.isEmpty { account.thanksDue.removeAll { thanked.contains($0.invoice.number) } }
        return account
    }
}
