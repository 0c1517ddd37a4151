import DulyCore

/// Who ran a collection day inside `duly serve`: the scheduler at its time of day, or a caller of `POST /runs`.
public enum ServerRunSource: String, Sendable, CaseIterable {
    case schedule
    case api
}

/// What an organisation's outbox and webhooks hold, and its last collection day: what `/metrics` shows of it.
public struct OrganisationGauges: Sendable, Equatable {
    public var organisationID: String
    /// Planned or approved actions not yet sent, failed or withdrawn.
    public var outboxDepth: Int
    /// Webhook deliveries pending or waiting for a retry.
    public var webhookBacklog: Int
    /// The latest day the server ran (by schedule or through the API); nil before its first.
    public var lastCollectionDay: LocalDate?

    public init(organisationID: String, outboxDepth: Int, webhookBacklog: Int, lastCollectionDay: LocalDate?) {
        self.organisationID = organisationID
        self.outboxDepth = outboxDepth
        self.webhookBacklog = webhookBacklog
        self.lastCollectionDay = lastCollectionDay
    }
}

/// The records `duly serve` keeps of the days it ran, so that a restart never runs a day twice.
public protocol ServerRunStore: Sendable {
    /// Every organisation's id, in order.
    func organisationIDs() async throws -> [String]
    /// Records that `source` ran the organisation's day `date` (again: the latest `finishedAt` and count stay).
    func recordServerRun(
        organisationID: String, date: LocalDate, source: ServerRunSource, planned: Int, finishedAt: String
    ) async throws
    /// The latest day `source` ran for the organisation (any source when nil).
    func lastServerRun(organisationID: String, source: ServerRunSource?) async throws -> LocalDate?
    /// Every organisation's outbox depth, webhook backlog and last collection day.
    func organisationGauges() async throws -> [OrganisationGauges]
}
