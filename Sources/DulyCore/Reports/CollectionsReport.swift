/// Money that reached an invoice in a report's period, with what attribution needs to know about the invoice.
public struct CollectedAllocation: Hashable, Sendable {
    /// The part of a payment applied to the invoice, dated with the payment's date.
    public var allocation: Allocation
    public var customerID: String
    /// The invoice's due date: with the payment's date it gives the stage the invoice was in.
    public var dueDate: LocalDate

    public init(allocation: Allocation, customerID: String, dueDate: LocalDate) {
        self.allocation = allocation
        self.customerID = customerID
        self.dueDate = dueDate
    }
}

/// Money collected in a period, by the stage each invoice was in when paid and the channel that last reached the
/// client about it. Per currency; currencies are never added together.
///
/// The attribution rule, applied to each allocation of a payment to an invoice:
/// - **Stage**: from the days between the invoice's due date and the payment's date: 0 or fewer is `pre_due` (paid
///   by the due date), from 1 to the playbook's `non_payment_after_days` − 1 is `delayed`, that many or more is
///   `non_payment` — the age threshold at which `Planner` moves an invoice to `non_payment`. Broken promises and
///   refusals, which can move an invoice there earlier, are not taken into account: the stage is by age only.
/// - **Channel**: that of the last action about the invoice that reached the client (status `sent` or `done`, not an
///   internal escalation to a manager) dated strictly before the payment's date; the latest date wins, then the
///   latest action. A contact on the payment's own day may have crossed the payment, so it is not credited. No such
///   action gives `none`: the client paid without Duly having contacted them about the invoice.
///
/// Unallocated money (over-payments, payments naming no invoice) is not attributed to anything and is not counted.
public struct CollectionsReport: Hashable, Sendable {
    /// One cell of the report.
    public struct Row: Hashable, Sendable {
        public var currency: Currency
        public var stage: Stage
        /// Nil means no contact: "none".
        public var channel: Channel?
        public var amount: Money
        /// Allocations counted.
        public var allocations: Int

        public init(currency: Currency, stage: Stage, channel: Channel?, amount: Money, allocations: Int) {
            self.currency = currency
            self.stage = stage
            self.channel = channel
            self.amount = amount
            self.allocations = allocations
        }
    }

    public var period: ReportPeriod
    /// By currency code, stage, then channel (the playbook's channel order, `none` last).
    public var rows: [Row]

    /// Attributes every collection dated in the period.
    /// - Parameters:
    ///   - contacts: the actions about the collected invoices (any status; only those that reached the client count).
    ///   - nonPaymentAfterDaysPastDue: the playbook's threshold (`Playbook.nonPaymentAfterDaysPastDue`).
    public init(
        collections: [CollectedAllocation], contacts: [ActionRecord], period: ReportPeriod,
        nonPaymentAfterDaysPastDue: Int
    ) {
        self.period = period
        var byInvoice: [String: [ActionRecord]] = [:]
        for action in contacts where (action.status == .sent || action.status == .done) && action.contactsCustomer {
            for number in Set(action.steps.map(\.invoiceNumber)) { byInvoice[number, default: []].append(action) }
        }
        struct Key: Hashable {
            var currency: Currency
            var stage: Stage
            var channel: Channel?
        }
        var cells: [Key: Row] = [:]
        for collection in collections where period.contains(collection.allocation.date) {
            let paidOn = collection.allocation.date
            let stage = CollectionsReport.stage(
                dueDate: collection.dueDate, paidOn: paidOn, nonPaymentAfterDaysPastDue: nonPaymentAfterDaysPastDue)
            let channel = CollectionsReport.lastContact(
                before: paidOn, among: byInvoice[collection.allocation.invoiceNumber] ?? [])?.channel
            let amount = collection.allocation.amount
            let key = Key(currency: amount.currency, stage: stage, channel: channel)
            var row =
                cells[key]
                ?? Row(
                    currency: amount.currency, stage: stage, channel: channel, amount: .zero(amount.currency),
                    allocations: 0)
            row.amount = row.amount + amount
            row.allocations += 1
            cells[key] = row
        }
        rows = cells.values.sorted { lhs, rhs in
            if lhs.currency.code != rhs.currency.code { return lhs.currency.code < rhs.currency.code }
            if lhs.stage != rhs.stage { return lhs.stage < rhs.stage }
            switch (lhs.channel, rhs.channel) {
            case (let left?, let right?): return left < right
            case (.some, .none): return true
            default: return false
            }
        }
    }

    /// Total collected per currency, by currency code.
    public var totals: [Money] {
        var totals: [Currency: Money] = [:]
        for row in rows { totals[row.currency] = (totals[row.currency] ?? .zero(row.currency)) + row.amount }
        return totals.values.sorted { $0.currency.code < $1.currency.code }
    }

    /// The stage an invoice due on `dueDate` was in when paid on `paidOn`, by age alone.
    public static func stage(dueDate: LocalDate, paidOn: LocalDate, nonPaymentAfterDaysPastDue: Int) -> Stage {
        let daysPastDue = dueDate.days(until: paidOn)
        if daysPastDue <= 0 { return .preDue }
        return daysPastDue >= nonPaymentAfterDaysPastDue ? .nonPayment : .delayed
    }

    /// The last of `actions` that reached the client strictly before `date`: latest date, then latest id.
    public static func lastContact(before date: LocalDate, among actions: [ActionRecord]) -> ActionRecord? {
        actions.filter { ($0.status == .sent || $0.status == .done) && $0.contactsCustomer && $0.date < date }
            .max { ($0.date, $0.id) < ($1.date, $1.id) }
    }
}
