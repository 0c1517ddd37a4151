import ArgumentParser
import DulyChannels
import DulyCore
import DulyImport
import DulyServer
import DulyStore
import DulyWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `duly serve`: the HTTP API, the deliverer and the scheduler, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (README, \"Serving the API\"), deliver and run each day, until stopped.",
        discussion: """
            Listens on --host and --port and prints the address once it accepts connections. GET /health says the \
            process is up, GET /ready that the database answers with the schema this build knows, GET /metrics \
            gives Prometheus metrics; the API is under /api/v1, described by /api/v1/openapi.json, and takes tokens \
            from `duly token create`; the web screens (README, "Web app") sign users in at /login. Alongside, it delivers what is due as `duly deliver` does (every \
            --deliver-every seconds; mail as --transport or $DULY_MAIL_URL says) and runs each organisation's \
            collection day once per working day at --run-at in the organisation's time zone (started later in the \
            day, it runs today's at once). On SIGTERM or SIGINT it stops taking connections, finishes the requests \
            and the message under way, and exits 0.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on; 0 takes a free one (printed on start).") var port = 8080

    @Option(
        help: """
            The address clients reach the server at (default: $DULY_PUBLIC_URL): with https, the web screens' \
            cookies are Secure; messages delivered carry links to the client portal under it.
            """)
    var publicURL: String?

    @Option(help: "The time of day, HH:MM in each organisation's time zone, to run its collection day.")
    var runAt = "07:00"

    @Option(help: "Seconds between two delivery passes.") var deliverEvery = 60

    @Flag(inversion: .prefixedNo, help: "Run each organisation's collection day at --run-at.")
    var schedule = true

    @Flag(
        inversion: .prefixedNo, help: "Deliver what is due (leave it to a `duly deliver` cron job with --no-deliver).")
    var deliver = true

    @Option(
        name: .customLong("as-of"),
        help: """
            Serve as if on this date, YYYY-MM-DD (demos and simulations): the API's today, the scheduler's day, and \
            the deliverer's, which then sends as if in business hours.
            """)
    var asOf: String?

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
        guard TimeOfDay(runAt) != nil else { throw ValidationError("--run-at '\(runAt)' is not a time; write HH:MM") }
        guard deliverEvery >= 1 else { throw ValidationError("--deliver-every \(deliverEvery) is not 1 or more") }
        if let asOf, LocalDate(iso: asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a YYYY-MM-DD date") }
    }

    func run() async throws {
        // Logs (one line per request, with its request id) go to standard error; standard output carries only the
        // address line, for scripts.
        LoggingSystem.bootstrap(ServerLogHandler.standardError)
        let store = try await global.openStore()
        let logger = {
            var logger = Logger(label: "duly.serve")
            logger.logLevel = .info
            return logger
        }()
        let simulated = asOf.flatMap { LocalDate(iso: $0) }
        let serviceClock = SystemServiceClock(simulated: simulated)
        let clock = ServerClock(
            today: { simulated ?? SystemClock.today(inTimeZone: $0) }, timestamp: { SystemClock.timestamp() },
            unixTime: { Int64(Date().timeIntervalSince1970) })
        let metrics = ServerMetrics()
        let host = self.host
        let rates = try delivery.interest.loadedRates(global: global)
        let publicURL = self.publicURL ?? environment("DULY_PUBLIC_URL")
        let screens = try await ServeCommand.screens(store: store, clock: clock, publicURL: publicURL, rates: rates)
        let app = try await buildApplication(
            store: store, clock: clock, address: ServerAddress(host: host, port: port), logger: logger,
            metrics: metrics, rates: rates, screens: screens
        ) { port in
            // Scripts and tests read this line to learn the port (with --port 0) and that the server is up.
            let line =
                "Serving the Duly API on http://\(host):\(port)/ (document: /api/v1/openapi.json; sign in to the "
                + "web screens at /login)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        var services: [any Service] = [app]
        if deliver {
            // Built once: a mail URL that names no transport stops the start, not each pass.
            let transports = try delivery.transports()
            let (options, global) = (delivery, global)
            services.append(
                DeliveryService(
                    clock: serviceClock, interval: TimeInterval(deliverEvery), metrics: metrics, logger: logger
                ) { now, isStopping in
                    try await ServeCommand.deliveryPass(
                        options: options, global: global, store: store, transports: transports, now: now,
                        simulated: simulated, publicURL: publicURL, isStopping: isStopping, logger: logger)
                })
        }
        if schedule {
            services.append(
                ServeCommand.scheduler(
                    store: store, clock: serviceClock, runAt: TimeOfDay(runAt)!, metrics: metrics, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The web screens over the store opened as `any StoreBackend` (a generic function opens the existential).
    static func screens(
        store: some WebStore, clock: ServerClock, publicURL: String?, rates: LoadedRates = .builtIn
    ) async throws -> Screens {
        try await WebScreens(store: store, clock: clock, publicURL: publicURL, rates: rates).mounted
    }

    /// The scheduler over the store opened as `any StoreBackend`: a generic function opens the existential, which a
    /// generic type's initialiser does not.
    private static func scheduler(
        store: some ServerStore, clock: some ServiceClock, runAt: TimeOfDay, metrics: ServerMetrics, logger: Logger
    ) -> any Service {
        Scheduler(store: store, clock: clock, runAt: runAt, metrics: metrics, logger: logger)
    }

    /// One delivery pass over every organisation that has a sender, as `duly deliver` makes it for one; stops
    /// between organisations (and, through the transports, between messages) once the server is stopping.
    static func deliveryPass(
        options: DeliveryOptions, global: GlobalOptions, store: any StoreBackend,
        transports: [Channel: any MessageTransport], now: Date, simulated: LocalDate?, publicURL: String?,
        isStopping: @escaping @Sendable () -> Bool, logger: Logger
    ) async throws -> [DeliveryTally] {
        let portal = try await DeliveryOptions.portal(publicURL: publicURL, store: store)
        let guarded = transports.mapValues {
            StopBetweenMessages(wrapped: $0, isStopping: isStopping) as any MessageTransport
        }
        var tallies: [DeliveryTally] = []
        for id in try await store.organisationIDs() {
            guard !isStopping() else { break }
            guard let organisation = try await store.organisation(id: id), let sender = organisation.sender else {
                continue
            }
            do {
                let pass = try await DeliveryPass.run(
                    options: options, global: global, store: store, organisation: organisation, sender: sender,
                    playbook: try await servedPlaybook(for: organisation, in: store), transports: guarded, now: now,
                    simulated: simulated, portal: portal, lease: .system(seconds: WorkLease.deliverySeconds))
                tallies.append(
                    DeliveryTally(
                        organisationID: id, sent: pass.report.sent.count, failed: pass.report.failed,
                        stopped: pass.stopped))
            } catch {
                // One organisation's trouble (a converter missing for its attachments) does not stop the others'.
                logger.error("delivery failed", metadata: ["organisation": "\(id)", "error": "\(error)"])
            }
        }
        return tallies
    }
}

/// The services' clock: the system's, or with `--as-of` a day that stands still at its noon (UTC), while waits
/// still take their real time.
struct SystemServiceClock: ServiceClock {
    let simulated: LocalDate?

    func now() -> Date {
        guard let simulated else { return Date() }
        return Date(timeIntervalSince1970: TimeInterval(simulated.daysSinceEpoch) * 86_400 + 12 * 3600)
    }

    func sleep(until instant: Date) async throws {
        // A simulated day stands still: wait the interval asked for from the real now instead.
        let seconds = simulated == nil ? instant.timeIntervalSinceNow : instant.timeIntervalSince(now())
        guard seconds > 0 else { return }
        try await Task.sleep(for: .seconds(seconds))
    }
}
