import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// What a store must offer for `duly serve`: the ledger, the outbox and the collector's records, the accounts, and
/// pages for the cursors, the days the server ran, the adopted playbook, the webhook outbox (a run announces the
/// stage changes it notices), reports, statements and payment providers.
public typealias ServerStore = AccountStore & CollectorStore & PagedStore & ServerRunStore & PlaybookStore
    & PauseStore
    & ReportingStore & WebhookStore & StatementStore & PaymentProviderStore & ChangeVersionStore

/// How the server learns the date and time. The server is an adapter, not the core, but it still never reads the
/// clock itself: the executable hands it one, and tests a fixed one.
public struct ServerClock: Sendable {
    /// Today's date in an IANA time zone.
    public var today: @Sendable (_ timeZone: String) -> LocalDate
    /// Now, as an RFC 3339 UTC timestamp for the timeline.
    public var timestamp: @Sendable () -> String
    /// Now, in Unix seconds: when idempotency keys are claimed (`IdempotencyRule`).
    public var unixTime: @Sendable () -> Int64

    public init(
        today: @escaping @Sendable (_ timeZone: String) -> LocalDate, timestamp: @escaping @Sendable () -> String,
        unixTime: @escaping @Sendable () -> Int64
    ) {
        self.today = today
        self.timestamp = timestamp
        self.unixTime = unixTime
    }
}

/// What every route shares: the store, the clock, and the rules for answering a POST.
struct API<Store: ServerStore>: Sendable {
    let store: Store
    let clock: ServerClock
    /// Reads the ids the API gave before numbering per organisation (`act_` and 11 characters).
    let legacyIDs: LegacyPublicIDs
    let metrics: ServerMetrics
    /// The reference rates interest is worked out with.
    let rates: LoadedRates

    var post: IdempotentPost<Store> { IdempotentPost(store: store, clock: clock) }

    /// The caller's organisation. A token outlives nothing: its organisation exists while the token does, unless
    /// the organisation was deleted since, and then the token opens nothing.
    func organisation(_ identity: TokenIdentity) async throws -> Organisation {
        guard let organisation = try await store.organisation(id: identity.organisationID) else {
            throw Problem.unauthorized
        }
        return organisation
    }

    /// Today where the organisation is, and now: what a change made through the API is recorded with.
    func recording(_ organisation: Organisation) -> RecordingContext {
        RecordingContext(date: clock.today(organisation.timeZone), recordedAt: clock.timestamp())
    }
}
