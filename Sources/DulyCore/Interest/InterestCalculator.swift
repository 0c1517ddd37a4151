/// Why interest could not be computed. Never a silent zero.
public enum InterestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The table has no rate for a half-year the claim needs.
    case missingRate(reference: ReferenceRate, halfYear: HalfYear)

    public var description: String {
        switch self {
        case .missingRate(let reference, let halfYear):
            let day = reference.referenceDay(of: halfYear)
            return "no \(reference) for \(halfYear) (the rate in force on \(day)): add the line "
                + "`\(reference.rawValue),\(halfYear.firstDay),RATE` to the operator's rate file (columns "
                + "reference,valid_from,rate_percent; RATE as a percentage like 4.75) once it is published"
        }
    }
}

/// One stretch of days on which the principal and the rate stay the same.
public struct InterestSegment: Hashable, Sendable {
    /// The first day, inclusive.
    public var from: LocalDate
    /// The last day, inclusive.
    public var to: LocalDate
    public var days: Int
    /// The amount interest runs on.
    public var principal: Money
    /// The yearly rate applied.
    public var rate: AnnualRate
    /// The reference rate it is built on, and its half-year; nil under a contractual rate.
    public var referenceRate: AnnualRate?
    public var referenceHalfYear: HalfYear?
    /// The days of the year a day is a fraction of (365, or 366 under act/act in a leap year).
    public var yearDays: Int
    /// `principal × rate × days / yearDays`, exact, in minor units.
    public var exactInterest: Ratio

    public init(
        from: LocalDate, to: LocalDate, days: Int, principal: Money, rate: AnnualRate, referenceRate: AnnualRate?,
        referenceHalfYear: HalfYear?, yearDays: Int, exactInterest: Ratio
    ) {
        self.from = from
        self.to = to
        self.days = days
        self.principal = principal
        self.rate = rate
        self.referenceRate = referenceRate
        self.referenceHalfYear = referenceHalfYear
        self.yearDays = yearDays
        self.exactInterest = exactInterest
    }
}

/// Interest added to the principal after a full year (NL-2).
public struct Capitalisation: Hashable, Sendable {
    /// The first day the larger principal earns interest.
    public var from: LocalDate
    public var amount: Money

    public init(from: LocalDate, amount: Money) {
        self.from = from
        self.amount = amount
    }
}

/// What may be claimed for one invoice: interest with its working, and the fixed compensation.
public struct InterestClaim: Hashable, Sendable {
    public var invoiceNumber: String
    public var regime: InterestRegime
    /// The agreed rate that replaced the statutory one, if any.
    public var contractualRate: AnnualRate?
    public var dueDate: LocalDate
    /// The first day interest runs: the day after the due date.
    public var firstLateDay: LocalDate
    /// The last day counted (the payment date, or the date computed to); nil when no day is late.
    public var lastDay: LocalDate?
    /// Days from `firstLateDay` to `lastDay`, both included; 0 when nothing is late.
    public var days: Int
    /// The debt on the due date: the invoice less credit notes and payments made by then. The fixed sum's band is
    /// chosen on it.
    public var principal: Money
    public var segments: [InterestSegment]
    public var capitalisations: [Capitalisation]
    /// The sum of the segments before the one rounding (with capitalised years already whole, see `calculate`).
    public var exactInterest: Ratio
    /// `exactInterest` rounded half to even to the minor unit.
    public var interest: Money
    /// The fixed compensation; nil when nothing is late, or when banded sums cannot be compared with the debt.
    public var compensation: Money?
    /// What a reader of the working should know (why nothing is due, what was approximated).
    public var notes: [String]

    /// The rate of the last segment (the rate now running); nil when nothing is late.
    public var currentRate: AnnualRate? { segments.last?.rate }

    /// Whether the segments use more than one rate.
    public var rateVaries: Bool { Set(segments.map(\.rate)).count > 1 }

    /// The legal basis a letter cites.
    public var legalBasis: String {
        contractualRate == nil ? regime.legalBasis : "the agreed contractual rate"
    }
}

/// Computes statutory (or contractual) late-payment interest and the fixed compensation for one invoice.
public enum InterestCalculator {
    /// The claim for `invoice` computed to `end` (the as-of date; a payment that clears it ends the claim earlier).
    ///
    /// - Days run from the day after the due date to the end date, both included (docs/DOMAIN.md, UK-3, UK-7, EU-4,
    ///   "Conventions"); a payment counts as received at the end of its day, so its day still earns interest on it.
    /// - Interest runs on the balance actually unpaid: payments made after the due date reduce the principal from
    ///   the day after they are received. Credit notes dated up to `end` correct the invoice and reduce the
    ///   principal from the start (no interest was ever due on a credited amount).
    /// - The period is split at every change of principal, at 1 January and 1 July under a per-half-year policy,
    ///   at 1 January under act/act, and at each anniversary when interest compounds.
    /// - Rounding: each segment's interest is an exact fraction; the claim's sum is rounded once, half to even, to
    ///   the minor unit. The one exception is compounding (NL): a year's interest added to the principal becomes a
    ///   sum of money and is rounded (half to even) when it is added, as the Dutch calculators show it.
    /// - A contractual rate replaces the statutory rate for every day (fixed, simple, on the regime's day basis);
    ///   the fixed compensation stays, as the statute gives it regardless of the rate.
    /// - The part of the invoice the client disputes on the end date (`disputes`, see
    ///   `InvoiceBalance.undisputedOpen`) is not claimed: it is left out of the principal from the start, as a
    ///   credit would be, until the dispute is resolved.
    /// - Throws: `InterestError.missingRate` when the table lacks a half-year the claim needs.
    public static func claim(
        for invoice: Invoice, payments: [Allocation] = [], credits: [CreditNote] = [], disputes: [Dispute] = [],
        regime: InterestRegime, rates: ReferenceRateTable, contractualRate: AnnualRate? = nil,
        through end: LocalDate
    ) throws(InterestError) -> InterestClaim {
        let currency = invoice.currency
        let dueDate = invoice.dueDate
        let firstLateDay = dueDate.adding(days: 1)
        var principal = invoice.total.minorUnits
        for credit in credits where credit.amount.currency == currency && credit.date <= end {
            principal -= credit.amount.minorUnits
        }
        // What the payer paid after the due date, by day received.
        var received: [LocalDate: Int] = [:]
        for payment in payments where payment.amount.currency == currency && payment.date <= end {
            if payment.date <= dueDate {
                principal -= payment.amount.minorUnits
            } else {
                received[payment.date, default: 0] += payment.amount.minorUnits
            }
        }
        // What the client disputes is measured against what is still open on the end date.
        let openAtEnd = principal - received.values.reduce(0, +)
        let disputed = Dispute.disputedPart(
            of: Money(minorUnits: max(0, openAtEnd), currency: currency), invoiceNumber: invoice.number,
            disputes: disputes, on: end)
        principal = max(0, principal - disputed.minorUnits)
        var notes = regime.note.map { [$0] } ?? []
        if !disputed.isZero && principal > 0 {
            notes.append("\(disputed) under an open dispute on \(end) is not claimed")
        }
        var claim = InterestClaim(
            invoiceNumber: invoice.number, regime: regime, contractualRate: contractualRate, dueDate: dueDate,
            firstLateDay: firstLateDay, lastDay: nil, days: 0,
            principal: Money(minorUnits: principal, currency: currency),
            segments: [], capitalisations: [], exactInterest: .zero, interest: .zero(currency), compensation: nil,
            notes: notes)
        guard end >= firstLateDay else {
            claim.notes.append("not late on \(end): interest runs from \(firstLateDay), the day after the due date")
            return claim
        }
        guard principal > 0 else {
            claim.notes.append(
                disputed.isZero
                    ? "nothing was owed after the due date \(dueDate)"
                    : "the whole amount owed after the due date \(dueDate) is under dispute")
            return claim
        }

        // One rate for the whole debt under a fixed policy or a contract: look it up once, before any day counts.
        var fixed: (rate: AnnualRate, reference: AnnualRate?, halfYear: HalfYear?)?
        if let contractualRate {
            fixed = (contractualRate, nil, nil)
        } else if regime.ratePolicy != .perHalfYear {
            let halfYear = HalfYear(containing: regime.ratePolicy == .fixedAtStart ? firstLateDay : dueDate)
            let row = try rates.row(regime.reference, for: halfYear)
            fixed = (row.rate + regime.margin, row.rate, halfYear)
        }
        let compounds = regime.compoundsYearly && contractualRate == nil

        var from = firstLateDay
        var capitalisedMinorUnits = 0
        var accruedThisYear = Ratio.zero
        var year = 1
        var nextAnniversary = firstLateDay.adding(months: 12)
        let changeDays = received.keys.sorted()
        var changeIndex = changeDays.startIndex
        while from <= end && principal > 0 {
            // The segment ends the day before the next change, or at the end.
            var to = end
            while changeIndex < changeDays.endIndex && changeDays[changeIndex] < from { changeIndex += 1 }
            if changeIndex < changeDays.endIndex { to = min(to, changeDays[changeIndex]) }
            if fixed == nil { to = min(to, HalfYear(containing: from).lastDay) }
            if regime.dayBasis == .actualActual { to = min(to, LocalDate(year: from.year, month: 12, day: 31)!) }
            if compounds { to = min(to, nextAnniversary.adding(days: -1)) }

            let rate: AnnualRate
            let reference: AnnualRate?
            let halfYear: HalfYear?
            if let fixed {
                (rate, reference, halfYear) = fixed
            } else {
                let semester = HalfYear(containing: from)
                let row = try rates.row(regime.reference, for: semester)
                (rate, reference, halfYear) = (row.rate + regime.margin, row.rate, semester)
            }
            let days = from.days(until: to) + 1
            let yearDays = regime.dayBasis == .actualActual && LocalDate.isLeap(from.year) ? 366 : 365
            let exact = Ratio(
                Int128(principal) * Int128(rate.millionths) * Int128(days),
                Int128(AnnualRate.scale) * Int128(yearDays))
            claim.segments.append(
                InterestSegment(
                    from: from, to: to, days: days, principal: Money(minorUnits: principal, currency: currency),
                    rate: rate, referenceRate: reference, referenceHalfYear: halfYear, yearDays: yearDays,
                    exactInterest: exact))
            accruedThisYear = accruedThisYear + exact
            claim.lastDay = to
            claim.days += days

            principal -= received[to] ?? 0
            from = to.adding(days: 1)
            if compounds && from == nextAnniversary {
                let amount = accruedThisYear.roundedHalfEven
                capitalisedMinorUnits += amount
                accruedThisYear = .zero
                year += 1
                nextAnniversary = firstLateDay.adding(months: 12 * year)
                if principal > 0 && from <= end {
                    principal += amount
                    claim.capitalisations.append(
                        Capitalisation(from: from, amount: Money(minorUnits: amount, currency: currency)))
                }
            }
        }
        if principal <= 0, let lastDay = claim.lastDay, lastDay < end {
            claim.notes.append("paid in full on \(lastDay): interest runs to that day")
        }
        claim.exactInterest = Ratio(capitalisedMinorUnits) + accruedThisYear
        claim.interest = Money(minorUnits: claim.exactInterest.roundedHalfEven, currency: currency)
        claim.compensation = regime.compensation(forDebt: claim.principal)
        if claim.compensation == nil {
            claim.notes.append(
                "no fixed sum computed: the bands of \(regime.compensationBasis) are not in \(currency.code)")
        }
        return claim
    }
}
