/// Why an account qualifies for an escalation awaiting approval: what a manager reads before deciding.
///
/// Built from the account as the planner sees it: the contacts made about the action's invoices (a message sent or a
/// call that reached someone, on which channels, from when to when) and every attempt with its outcome, how late and
/// how large the invoices are, the promises broken and the refusals. For a hand-over to an agency or a lawyer it also
/// says whether the last-resort rule holds (docs/PRODUCT.md, "The collection day": at least two contacts on at least
/// two channels).
public struct EscalationReview: Hashable, Sendable {
    public struct InvoiceLine: Hashable, Sendable {
        public var number: String
        public var daysOverdue: Int
        /// What is asked for: the open amount less what the client disputes.
        public var open: Money
        /// What of the open amount is under an open dispute, so not asked for; nil when nothing is.
        public var disputed: Money?
        public var state: InvoiceState
    }

    /// One attempt to reach the client about the invoices: when, how, and what came of it.
    public struct Attempt: Hashable, Sendable {
        public var date: LocalDate
        public var channel: Channel
        public var stepID: String
        /// Whether it was a contact actually made (`ActionRecord.isContactMade`).
        public var made: Bool
        public var outcome: Outcome

        public init(date: LocalDate, channel: Channel, stepID: String, made: Bool, outcome: Outcome) {
            self.date = date
            self.channel = channel
            self.stepID = stepID
            self.made = made
            self.outcome = outcome
        }

        /// What came of an attempt.
        public enum Outcome: String, Hashable, Sendable {
            /// A message or letter went out.
            case sent
            /// A call or meeting reached someone.
            case reached
            /// A call that reached nobody: a voicemail or a wrong number.
            case notReached = "not reached"
            /// The message could not be delivered.
            case failed
            /// Not carried out: no address, no number, an opted-out channel.
            case skipped
        }
    }

    public var actionID: Int64
    public var customerID: String
    public var stepID: String
    public var escalatesTo: EscalationTarget?
    public var invoices: [InvoiceLine]
    /// Contacts actually made with the client about these invoices: sent, or a call that reached someone.
    public var contactsMade: Int
    /// Every attempt to reach the client about these invoices that was carried out or tried, oldest first: what an
    /// internal note states, and nothing more.
    public var attempts: [Attempt]
    public var channelsUsed: [Channel]
    public var firstContact: LocalDate?
    public var lastContact: LocalDate?
    public var brokenPromises: Int
    public var refusals: Int
    /// For an agency or lawyer: at least two contacts on at least two channels. Always true for other steps.
    public var lastResortMet: Bool

    /// The open amounts, one per currency.
    public var openTotals: [Money] {
        var totals: [Money] = []
        for line in invoices {
            if let index = totals.firstIndex(where: { $0.currency == line.open.currency }) {
                totals[index] = totals[index] + line.open
            } else {
                totals.append(line.open)
            }
        }
        return totals
    }

    /// Every attempt to reach the client about these invoices that was carried out or tried (sent, done, failed or
    /// skipped), oldest first, leaving out `excluding` (the escalation itself) and notes to the manager.
    public static func attempts(
        about numbers: Set<String>, in history: [ActionRecord], excluding actionID: Int64? = nil
    ) -> [Attempt] {
        history.filter { record in
            record.id != actionID && record.contactsCustomer
                && [.sent, .done, .failed, .skipped].contains(record.status)
                && record.steps.contains { numbers.contains($0.invoiceNumber) }
        }
        .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        .map { record in
            let outcome: Attempt.Outcome
            switch (record.status, record.channel) {
            case (.sent, _): outcome = .sent
            case (.done, .call), (.done, .meeting): outcome = record.isContactMade ? .reached : .notReached
            case (.done, _): outcome = .sent
            case (.skipped, _): outcome = .skipped
            default: outcome = record.channel == .call || record.channel == .meeting ? .notReached : .failed
            }
            return Attempt(
                date: record.date, channel: record.channel, stepID: record.steps.first?.stepID ?? "",
                made: record.isContactMade, outcome: outcome)
        }
    }

    /// Reviews action `actionID` of the account (an action in its history) on `asOf`.
    public init?(actionID: Int64, account: Account, planner: Planner, asOf: LocalDate) {
        guard let action = account.history.first(where: { $0.id == actionID }) else { return nil }
        let numbers = Set(action.steps.map(\.invoiceNumber))
        let states = planner.states(of: account, asOf: asOf)
        self.actionID = actionID
        self.customerID = account.customer.id
        self.stepID = action.steps.first?.stepID ?? ""
        self.escalatesTo = action.escalatesTo
        self.invoices = account.invoices.filter { numbers.contains($0.invoice.number) }.map {
            let disputed = $0.disputedOpen(disputes: account.disputes, on: asOf)
            return InvoiceLine(
                number: $0.invoice.number, daysOverdue: max(0, $0.invoice.dueDate.days(until: asOf)),
                open: $0.open - disputed, disputed: disputed.isZero ? nil : disputed,
                state: states[$0.invoice.number] ?? .paid)
        }
        let contacts = account.history.filter { record in
            record.id != actionID && record.isContactMade
                && record.steps.contains { numbers.contains($0.invoiceNumber) }
        }
        self.attempts = EscalationReview.attempts(about: numbers, in: account.history, excluding: actionID)
        self.contactsMade = contacts.count
        self.channelsUsed = Set(contacts.map(\.channel)).sorted()
        self.firstContact = contacts.map(\.date).min()
        self.lastContact = contacts.map(\.date).max()
        let grace = planner.playbook.promiseGraceDays
        self.brokenPromises =
            account.promises.filter { $0.state(on: asOf, graceDays: grace, receipts: account.receipts) == .broken }
            .count
            + account.plans.filter {
                $0.acceptedOn != nil && $0.state(on: asOf, graceDays: grace, receipts: account.receipts) == .broken
            }.count
        self.refusals = account.refusals.filter { $0 <= asOf }.count
        self.lastResortMet = action.escalatesTo?.isExternal != true || (contacts.count >= 2 && channelsUsed.count >= 2)
    }
}
