import DulyImport
import DulyStore
import Hummingbird
import Logging

/// Routes another target adds beside the API (the web screens), and their home, where `/` sends a browser.
public struct Screens: Sendable {
    public var home: String
    public var add: @Sendable (Router<APIContext>) -> Void

    public init(home: String, add: @escaping @Sendable (Router<APIContext>) -> Void) {
        self.home = home
        self.add = add
    }
}

/// The API's routes over a store: `/`, `/health`, `/ready`, `/metrics`, the document, and `/api/v1` behind bearer tokens.
public func buildRouter<Store: ServerStore>(
    store: Store, clock: ServerClock, metrics: ServerMetrics = ServerMetrics(), rates: LoadedRates = .builtIn,
    screens: Screens? = nil
) async throws -> Router<APIContext> {
    let router = Router(context: APIContext.self)
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    // One log line per request, with its request id; headers (and so tokens) are never logged.
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ProblemMiddleware())
    OperationsController(
        store: store, document: try APIDocument.load(), metrics: metrics, browserHome: screens?.home
    ).add(to: router)
    screens?.add(router)
    let secret = try await store.serverSecret(named: LegacyPublicIDs.secretName, generated: randomBytes(32))
    let api = API(
        store: store, clock: clock, legacyIDs: LegacyPublicIDs(secret: secret), metrics: metrics, rates: rates)
    let cache = ReadCache()
    let group = router.group("api/v1")
        .add(middleware: TokenAuthenticator(store: store, cache: cache))
        .add(middleware: ReadCacheMiddleware(cache: cache, clock: clock))
    CustomersController(api: api).add(to: group)
    InvoicesController(api: api).add(to: group)
    PaymentsController(api: api).add(to: group)
    RunsController(api: api).add(to: group)
    ActionsController(api: api).add(to: group)
    WorklistController(api: api).add(to: group)
    TimelineController(api: api).add(to: group)
    ReportsController(api: api).add(to: group)
    InterestController(api: api).add(to: group)
    EvidenceController(api: api).add(to: group)
    WebhooksController(api: api).add(to: group)
    BankCreditsController(api: api).add(to: group)
    StripeController(api: api).add(to: group)
    // Stripe signs its events and sends no token: its route is outside the guarded group.
    StripeController(api: api).add(to: router)
    ApprovalsController(api: api).add(to: group)
    CallOutcomesController(api: api).add(to: group)
    PromisesController(api: api).add(to: group)
    PausesController(api: api).add(to: group)
    PlansController(api: api).add(to: group)
    DisputesController(api: api).add(to: group)
    EndStatesController(api: api).add(to: group)
    ContactsController(api: api).add(to: group)
    return router
}

/// Where `duly serve` listens.
public struct ServerAddress: Sendable {
    public var host: String
    /// 0 asks the system for a free port; `onListening` says which it gave.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The HTTP server as a service for a `ServiceGroup` (the composition root runs it). `onListening` receives the
/// port actually bound once the server accepts connections; `rates` are the reference rates interest is worked out
/// with (the rate file as `duly interest` reads it).
public func buildApplication<Store: ServerStore>(
    store: Store, clock: ServerClock, address: ServerAddress, logger: Logger, metrics: ServerMetrics = ServerMetrics(),
    rates: LoadedRates = .builtIn, screens: Screens? = nil,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    Application(
        router: try await buildRouter(store: store, clock: clock, metrics: metrics, rates: rates, screens: screens),
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: "duly"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? address.port) },
        logger: logger)
}
