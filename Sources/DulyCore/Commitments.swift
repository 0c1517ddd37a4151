/// Why a client contests an invoice: the list a collector picks from, so disputes can be counted by cause.
public enum DisputeReason: String, CaseIterable, Codable, Sendable {
    case pricing
    case quantity
    case quality
    case notReceived = "not_received"
    case alreadyPaid = "already_paid"
    case duplicate
    case terms
    case other
}

/// How a dispute ended.
public enum DisputeOutcome: String, CaseIterable, Codable, Sendable {
    /// The client was right: the disputed amount is credited.
    case upheld
    /// The invoice stands: the chase resumes, with a note to the client saying so.
    case rejected
    /// Both sides agreed an amount: the difference is booked as a settlement and the agreed amount is chased.
    case settled
}

/// A client contests an invoice (or part of it): nothing is sent about the disputed amount until it is resolved.
public struct Dispute: Hashable, Sendable {
    public var id: String
    public var invoiceNumber: String
    public var openedOn: LocalDate
    public var reasonCode: DisputeReason
    /// The client's words, or the collector's note of them.
    public var reason: String
    /// The disputed part; nil means the whole invoice.
    public var amount: Money?
    /// Who at the organisation works on it.
    public var owner: String?
    public var resolvedOn: LocalDate?
    public var outcome: DisputeOutcome?
    /// What the organisation found when it closed the dispute, in its own words: a rejection tells the client.
    public var findings: String?

    public init(
        id: String, invoiceNumber: String, openedOn: LocalDate, reasonCode: DisputeReason = .other, reason: String,
        amount: Money? = nil, owner: String? = nil, resolvedOn: LocalDate? = nil, outcome: DisputeOutcome? = nil,
        findings: String? = nil
    ) {
        self.findings = findings
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.openedOn = openedOn
        self.reasonCode = reasonCode
        self.reason = reason
        self.amount = amount
        self.owner = owner
        self.resolvedOn = resolvedOn
        self.outcome = outcome
    }

    /// Days the dispute has been open on `date` (or was open, once resolved).
    public func age(on date: LocalDate) -> Int { openedOn.days(until: min(date, resolvedOn ?? date)) }

    /// Whether the dispute is open on `date`.
    public func isOpen(on date: LocalDate) -> Bool {
        openedOn <= date && (resolvedOn.map { date < $0 } ?? true)
    }
}

/// Money that reached an invoice on a date: what promises and plans are judged against.
public struct Receipt: Hashable, Sendable {
    public var invoiceNumber: String
    public var date: LocalDate
    public var amount: Money

    public init(invoiceNumber: String, date: LocalDate, amount: Money) {
        self.invoiceNumber = invoiceNumber
        self.date = date
        self.amount = amount
    }
}

/// Where a promise or a plan stands on a given date, judged from the cash actually received.
public enum CommitmentState: String, Codable, Sendable {
    /// Not yet due, or due but still within the grace days: the chase waits.
    case live
    case kept
    /// Past its date plus grace without the money: the chase resumes, and it counts toward `non_payment`.
    case broken
}

/// The client promised to pay an amount by a date.
public struct PromiseToPay: Hashable, Sendable {
    public var id: String
    public var invoiceNumbers: [String]
    public var amount: Money
    public var promisedDate: LocalDate
    public var madeOn: LocalDate
    /// How the promise was made (a call, an email…), when known.
    public var channel: Channel?
    /// Who at the client promised.
    public var promisedBy: String?

    public init(
        id: String, invoiceNumbers: [String], amount: Money, promisedDate: LocalDate, madeOn: LocalDate,
        channel: Channel? = nil, promisedBy: String? = nil
    ) {
        self.id = id
        self.invoiceNumbers = invoiceNumbers
        self.amount = amount
        self.promisedDate = promisedDate
        self.madeOn = madeOn
        self.channel = channel
        self.promisedBy = promisedBy
    }

    /// Kept when the receipts on the promised invoices from `madeOn` to the date plus grace reach the amount.
    public func state(on date: LocalDate, graceDays: Int, receipts: [Receipt]) -> CommitmentState {
        guard madeOn <= date else { return .live }
        if received(on: date, graceDays: graceDays, receipts: receipts).minorUnits >= amount.minorUnits { return .kept }
        return date > promisedDate.adding(days: graceDays) ? .broken : .live
    }

    /// What reached the promised invoices from `madeOn` to the date plus grace (or to `date`, if earlier): a partial
    /// payment counts for what it is, though only the whole amount keeps the promise.
    public func received(on date: LocalDate, graceDays: Int, receipts: [Receipt]) -> Money {
        let end = min(date, promisedDate.adding(days: graceDays))
        let minorUnits = receipts.filter {
            invoiceNumbers.contains($0.invoiceNumber) && $0.date >= madeOn && $0.date <= end
                && $0.amount.currency == amount.currency
        }.reduce(0) { $0 + $1.amount.minorUnits }
        return Money(minorUnits: minorUnits, currency: amount.currency)
    }

    /// The day it broke, if it did (the first day past the grace).
    public func brokenOn(graceDays: Int) -> LocalDate { promisedDate.adding(days: graceDays + 1) }
}

/// Instalments agreed for one or more invoices.
public struct PaymentPlan: Hashable, Sendable {
    public struct Instalment: Hashable, Sendable {
        public var dueDate: LocalDate
        public var amount: Money

        public init(dueDate: LocalDate, amount: Money) {
            self.dueDate = dueDate
            self.amount = amount
        }
    }

    /// Who put the plan forward; the other side accepts it.
    public enum Proposer: String, CaseIterable, Codable, Sendable {
        case collector, client
    }

    public var id: String
    public var invoiceNumbers: [String]
    public var instalments: [Instalment]
    /// The day both sides agreed; a proposed plan that nobody accepted pauses nothing.
    public var acceptedOn: LocalDate?
    public var proposedBy: Proposer

    public init(
        id: String, invoiceNumbers: [String], instalments: [Instalment], acceptedOn: LocalDate?,
        proposedBy: Proposer = .collector
    ) {
        self.id = id
        self.invoiceNumbers = invoiceNumbers
        self.instalments = instalments.sorted { $0.dueDate < $1.dueDate }
        self.acceptedOn = acceptedOn
        self.proposedBy = proposedBy
    }

    /// The instalments' sum (they share the invoices' currency).
    public var total: Money {
        instalments.dropFirst().reduce(instalments[0].amount) { $0 + $1.amount }
    }

    /// The instalment whose date plus grace has not yet passed on `date` and that the receipts so far do not cover:
    /// the one the next reminder is about.
    public func nextInstalment(on date: LocalDate, graceDays: Int, receipts: [Receipt]) -> Instalment? {
        guard let acceptedOn, acceptedOn <= date else { return nil }
        let receivedNow = received(receipts, since: acceptedOn, by: date)
        var owedSoFar = 0
        for instalment in instalments {
            owedSoFar += instalment.amount.minorUnits
            if receivedNow < owedSoFar && date <= instalment.dueDate.adding(days: graceDays) { return instalment }
        }
        return nil
    }

    /// Live while every instalment whose date plus grace has passed is covered by cumulative receipts.
    public func state(on date: LocalDate, graceDays: Int, receipts: [Receipt]) -> CommitmentState {
        guard let acceptedOn, acceptedOn <= date else { return .broken }
        if brokenOn(date: date, graceDays: graceDays, receipts: receipts) != nil { return .broken }
        let total = instalments.reduce(0) { $0 + $1.amount.minorUnits }
        let receivedNow = received(receipts, since: acceptedOn, by: date)
        return receivedNow >= total ? .kept : .live
    }

    /// The first day the plan counted as broken, if it is broken on `date`: the day after the first instalment
    /// whose grace passed without the cumulative amount received.
    public func brokenOn(date: LocalDate, graceDays: Int, receipts: [Receipt]) -> LocalDate? {
        guard let acceptedOn, acceptedOn <= date else { return nil }
        var owedSoFar = 0
        for instalment in instalments {
            owedSoFar += instalment.amount.minorUnits
            let deadline = instalment.dueDate.adding(days: graceDays)
            guard deadline < date else { return nil }
            if received(receipts, since: acceptedOn, by: deadline) < owedSoFar { return deadline.adding(days: 1) }
        }
        return nil
    }

    // Minor units received on the plan's invoices from `start` to `end`, both included.
    private func received(_ receipts: [Receipt], since start: LocalDate, by end: LocalDate) -> Int {
        receipts.filter { invoiceNumbers.contains($0.invoiceNumber) && $0.date >= start && $0.date <= end }
            .reduce(0) { $0 + $1.amount.minorUnits }
    }
}

// MARK: - What may be asked for

extension Dispute {
    /// What of `open` (an invoice's open amount) the client disputes on `date`, by the invoice's disputes open that
    /// day: a dispute without an amount takes all of it, and the sum never exceeds what is open.
    public static func disputedPart(
        of open: Money, invoiceNumber: String, disputes: [Dispute], on date: LocalDate
    ) -> Money {
        var disputed = 0
        for dispute in disputes where dispute.invoiceNumber == invoiceNumber && dispute.isOpen(on: date) {
            guard let amount = dispute.amount, amount.currency == open.currency else { return open }
            disputed += max(0, amount.minorUnits)
        }
        return Money(minorUnits: min(disputed, max(0, open.minorUnits)), currency: open.currency)
    }
}

extension InvoiceBalance {
    /// What of the open amount is under an open dispute on `date` (zero when none is).
    public func disputedOpen(disputes: [Dispute], on date: LocalDate) -> Money {
        Dispute.disputedPart(of: open, invoiceNumber: invoice.number, disputes: disputes, on: date)
    }

    /// What may be asked for on `date`: the open amount less what the client disputes that day. Every message,
    /// letter, call script, approval, offer and interest figure demands this, never `open`.
    public func undisputedOpen(disputes: [Dispute], on date: LocalDate) -> Money {
        open - disputedOpen(disputes: disputes, on: date)
    }
}
