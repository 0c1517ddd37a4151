import DulyCore

/// Pauses of a customer's whole chase (`ChasePause`): set by a collector (`duly pause`, the API, the account page) or
/// by the client's "I have paid" on the portal. Each write is one transaction that also appends to the customer's
/// timeline (and so marks the customer for review and announces the entry to webhook subscribers).
public protocol PauseStore: DulyStore {
    /// Sets the customer's pause, replacing any earlier one, with a `chase_paused` timeline entry. Setting the same
    /// pause again changes nothing and appends nothing.
    /// - Throws: `StoreError.customerNotFound` when the organisation has no such customer.
    func setPause(
        _ pause: ChasePause, customerID: String, organisationID: String, context: RecordingContext
    ) async throws

    /// Ends the customer's pause before its day, with a `chase_pause_ended` entry naming `person`; returns the pause
    /// ended, or nil (and writes nothing) when none holds on `context.date`.
    /// - Throws: `StoreError.customerNotFound` when the organisation has no such customer.
    func endPause(
        customerID: String, by person: String, organisationID: String, context: RecordingContext
    ) async throws -> ChasePause?

    /// The customer's pause as last set (it may have run out: see `ChasePause.holds(on:)`); nil when none was set
    /// or it was ended.
    func pause(customerID: String, organisationID: String) async throws -> ChasePause?

    /// Every pause that holds on `date`, by customer id, in customer-id order (what the worklist shows).
    func pauses(organisationID: String, on date: LocalDate) async throws -> [(customerID: String, pause: ChasePause)]
}

/// Why a pause was refused; nothing was written. `field` names the input at fault as the API and the web form name it
/// (`until`, `reason`, `by`; `--until`, `--reason`, `--by` on the command line).
public struct PauseRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var description: String

    public init(field: String, description: String) {
        self.field = field
        self.description = description
    }
}

extension PauseStore {
    /// Pauses the chase of a customer from `context.date` to `until` (its last day), as a collector asks: the one
    /// function `duly pause`, the API and the account page call.
    /// - Throws: `PauseRefusal` naming the field for a day passed or too far, or no reason or name;
    ///   `StoreError.customerNotFound` for an unknown customer.
    @discardableResult
    public func pauseChase(
        customerID: String, until: LocalDate, reason: String, by person: String, organisationID: String,
        context: RecordingContext
    ) async throws -> ChasePause {
        let pause = ChasePause(
            setOn: context.date, until: until, reason: reason.trimmedForRecord, requestedBy: person.trimmedForRecord)
        if let problem = pause.problems(asOf: context.date).first {
            throw PauseRefusal(field: problem.field, description: problem.description)
        }
        try await setPause(pause, customerID: customerID, organisationID: organisationID, context: context)
        return pause
    }

    /// The client says they have paid (the portal's "I have paid"): the chase pauses from `context.date` for the
    /// playbook's `paidClaimPauseDays`, recorded as the client's claim, so the bank can catch up. `claimedBy` is who
    /// at the client said so (the contact's name, else the customer's); `note` their own words, if any.
    @discardableResult
    public func recordPaidClaim(
        customerID: String, claimedBy: String, note: String?, playbook: Playbook, organisationID: String,
        context: RecordingContext
    ) async throws -> ChasePause {
        let words = note?.trimmedForRecord
        let pause = ChasePause.paidClaim(
            asOf: context.date, playbook: playbook, claimedBy: claimedBy.trimmedForRecord,
            note: words?.isEmpty == false ? words : nil)
        if let problem = pause.problems(asOf: context.date).first {
            throw PauseRefusal(field: problem.field, description: problem.description)
        }
        try await setPause(pause, customerID: customerID, organisationID: organisationID, context: context)
        return pause
    }
}

extension String {
    // What a person typed, without the spaces and line ends around it.
    fileprivate var trimmedForRecord: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
