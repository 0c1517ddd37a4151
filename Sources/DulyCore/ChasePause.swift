/// A pause of the whole chase of one customer until a date: the client says they have paid and the bank has yet to
/// show it, or a collector agreed to leave them alone for a while. While it lasts nothing is planned for the customer
/// and nothing pending reaches them; the invoices keep ageing. It ends by itself after `until`.
public struct ChasePause: Hashable, Sendable {
    /// The day the pause was set.
    public var setOn: LocalDate
    /// The last day paused: contact may resume the day after.
    public var until: LocalDate
    /// Why, in the words of whoever asked (`paid by transfer on 3 March`).
    public var reason: String
    /// Who asked for it: a member of the team, or the client's contact when `byClient`.
    public var requestedBy: String
    /// The client asked for it themselves (the portal's "I have paid").
    public var byClient: Bool

    public init(setOn: LocalDate, until: LocalDate, reason: String, requestedBy: String, byClient: Bool = false) {
        self.setOn = setOn
        self.until = until
        self.reason = reason
        self.requestedBy = requestedBy
        self.byClient = byClient
    }

    /// The pause holds the chase on `date`: from the day it was set to its last day, both included.
    public func holds(on date: LocalDate) -> Bool { setOn <= date && date <= until }

    /// Why a pending action is withdrawn while the pause holds, as the timeline and the worklist say it.
    public var withdrawalReason: String { "chase paused until \(until)" }

    /// The pause the client asks for by saying they have paid: from `asOf` for the playbook's
    /// `paidClaimPauseDays`, so the bank can catch up, recorded as the client's.
    public static func paidClaim(
        asOf: LocalDate, playbook: Playbook, claimedBy: String, note: String? = nil
    ) -> ChasePause {
        let reason = note.map { "the client says they have paid: \($0)" } ?? "the client says they have paid"
        return ChasePause(
            setOn: asOf, until: asOf.adding(days: playbook.paidClaimPauseDays), reason: reason,
            requestedBy: claimedBy, byClient: true)
    }

    /// What is wrong with a pause asked for on `asOf`, in the order of its fields; empty when it may be set.
    public func problems(asOf: LocalDate) -> [Problem] {
        var found: [Problem] = []
        if until < asOf { found.append(.untilPassed(until)) }
        if until > asOf.adding(days: ChasePause.longestDays) { found.append(.tooLong(until)) }
        if reason.allSatisfy(\.isWhitespace) { found.append(.noReason) }
        if requestedBy.allSatisfy(\.isWhitespace) { found.append(.noRequester) }
        return found
    }

    /// Why a pause cannot be set.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// The last day is before the day it is asked on.
        case untilPassed(LocalDate)
        /// Further away than `longestDays`.
        case tooLong(LocalDate)
        case noReason
        case noRequester

        /// The field at fault, as the API and the web form name it (`--until`, `--reason`, `--by` on the command
        /// line).
        public var field: String {
            switch self {
            case .untilPassed, .tooLong: "until"
            case .noReason: "reason"
            case .noRequester: "by"
            }
        }

        public var description: String {
            switch self {
            case .untilPassed(let until): "\(until) has passed; a pause runs until today or a later day"
            case .tooLong(let until):
                "\(until) is more than \(ChasePause.longestDays) days away; a longer pause is a decision to stop"
            case .noReason: "a pause needs a reason"
            case .noRequester: "a pause needs who asked for it"
            }
        }
    }

    /// The longest pause: a chase left alone longer than a quarter is a decision to stop, not a pause.
    public static let longestDays = 90
}

extension Account {
    /// The pause that holds the chase of this account on `date`, if any.
    public func pause(on date: LocalDate) -> ChasePause? {
        guard let pause, pause.holds(on: date) else { return nil }
        return pause
    }
}
