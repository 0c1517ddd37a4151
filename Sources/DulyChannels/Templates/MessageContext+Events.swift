import DulyCore

// MARK: - A payment plan

/// A payment plan as an instalment reminder or an instalment-missed follow-up describes it, on one day.
///
/// Judged from the receipts on the plan's invoices since the plan was accepted, the same way `PaymentPlan` judges
/// them: the receipts cover the instalments in date order, so a part payment counts toward the earliest instalment
/// not yet covered.
public struct PlanFacts: Hashable, Sendable {
    /// One agreed instalment and how far the receipts cover it.
    public struct Instalment: Hashable, Sendable {
        public var dueDate: LocalDate
        /// The agreed amount.
        public var amount: Money
        /// What is still to pay of it (zero once covered).
        public var outstanding: Money

        public init(dueDate: LocalDate, amount: Money, outstanding: Money) {
            self.dueDate = dueDate
            self.amount = amount
            self.outstanding = outstanding
        }

        /// Whether the receipts cover it in full.
        public var isPaid: Bool { outstanding.isZero }
    }

    /// Every instalment, in date order.
    public var instalments: [Instalment]
    /// The instalment the message is about: the first not yet covered whose date plus grace has not passed (the one
    /// `PaymentPlan.nextInstalment(on:graceDays:receipts:)` names); nil when there is none.
    public var next: Instalment?
    /// The last day to pay the next instalment and keep the plan: its date plus the grace days.
    public var payBy: LocalDate?
    /// The plan's total.
    public var total: Money
    /// What has reached the plan's invoices since the plan was accepted, up to the message's day.
    public var received: Money
    /// What the plan still has to bring in (never below zero).
    public var remaining: Money

    /// The plan on `asOf`, or nil when it was never accepted (a proposal pauses nothing and is not reminded of)
    /// or has no instalments.
    ///
    /// - Parameter graceDays: the playbook's grace days (`promiseGraceDays`), as the planner judges plans with.
    public init?(plan: PaymentPlan, receipts: [Receipt], asOf: LocalDate, graceDays: Int) {
        guard let acceptedOn = plan.acceptedOn, let first = plan.instalments.first else { return nil }
        let currency = first.amount.currency
        let receivedUnits = receipts.filter {
            plan.invoiceNumbers.contains($0.invoiceNumber) && $0.date >= acceptedOn && $0.date <= asOf
                && $0.amount.currency == currency
        }.reduce(0) { $0 + $1.amount.minorUnits }
        var owedBefore = 0
        var instalments: [Instalment] = []
        for instalment in plan.instalments {
            let paidTowardIt = min(max(receivedUnits - owedBefore, 0), instalment.amount.minorUnits)
            owedBefore += instalment.amount.minorUnits
            instalments.append(
                Instalment(
                    dueDate: instalment.dueDate, amount: instalment.amount,
                    outstanding: Money(minorUnits: instalment.amount.minorUnits - paidTowardIt, currency: currency)))
        }
        self.instalments = instalments
        self.total = Money(minorUnits: owedBefore, currency: currency)
        self.received = Money(minorUnits: receivedUnits, currency: currency)
        self.remaining = Money(minorUnits: max(owedBefore - receivedUnits, 0), currency: currency)
        let nextDate = plan.nextInstalment(on: asOf, graceDays: graceDays, receipts: receipts)?.dueDate
        self.next = nextDate.flatMap { date in instalments.first { $0.dueDate == date && !$0.isPaid } }
        self.payBy = next.map { $0.dueDate.adding(days: graceDays) }
    }
}

// MARK: - A payment received

/// The payment a thank-you acknowledges: the last day money reached the thanked invoices, and what came in that day
/// (one amount per currency), so the client reads the sum they sent and when it arrived.
public struct PaymentReceived: Hashable, Sendable {
    public var date: LocalDate
    public var amounts: [Money]

    /// The last day among `receipts` and their sum that day; nil when there are none (an invoice closed by a credit
    /// note, say).
    public init?(_ receipts: [Receipt]) {
        guard let last = receipts.map(\.date).max() else { return nil }
        self.date = last
        self.amounts = Money.totals(receipts.filter { $0.date == last }.map(\.amount))
    }
}

// MARK: - A dispute

/// A dispute as the note that answers it describes it.
public struct DisputeFacts: Hashable, Sendable {
    public var invoiceNumber: String
    public var openedOn: LocalDate
    public var reasonCode: DisputeReason
    /// The client's words, or the collector's note of them; may be empty.
    public var reason: String
    public var resolvedOn: LocalDate?
    public var outcome: DisputeOutcome?
    /// What the collector found, to pass on to the client; nil when none was given.
    public var note: String?

    public init(_ dispute: Dispute, note: String? = nil) {
        self.invoiceNumber = dispute.invoiceNumber
        self.openedOn = dispute.openedOn
        self.reasonCode = dispute.reasonCode
        self.reason = dispute.reason
        self.resolvedOn = dispute.resolvedOn
        self.outcome = dispute.outcome
        self.note = note.flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }
    }
}

// MARK: - A settlement offer

/// The terms of a settlement offer: pay this share of what is open by the deadline, and the rest is waived.
public struct SettlementOfferTerms: Hashable, Sendable {
    /// The share of the open amount asked for, in basis points (9000 is 90 %).
    public var basisPoints: Int
    /// The last day the offer stands.
    public var deadline: LocalDate

    public init(basisPoints: Int, deadline: LocalDate) {
        self.basisPoints = basisPoints
        self.deadline = deadline
    }

    /// The offer a playbook step makes on `madeOn`, or nil when the step makes none: open for the step's
    /// `offerValidDays`.
    public init?(step: PlaybookStep, madeOn: LocalDate) {
        guard let basisPoints = step.settlementOfferBasisPoints else { return nil }
        self.init(basisPoints: basisPoints, deadline: madeOn.adding(days: step.offerValidDays))
    }

    /// What the client pays to settle `open`: the share of it, rounded half to even once on the total (not per
    /// invoice), so the offer is exactly the share of the figure the client sees.
    public func amount(of open: Money) -> Money { open.fraction(basisPoints, of: 10_000) }
}

extension MessageContext {
    /// What the offer asks for, one amount per currency of `totals`; empty without an offer.
    public var offerAmounts: [Money] { offer.map { offer in totals.map(offer.amount(of:)) } ?? [] }

    /// What the offer waives, one amount per currency of `totals`; empty without an offer.
    public var offerWaived: [Money] { offer.map { offer in totals.map { $0 - offer.amount(of: $0) } } ?? [] }
}
