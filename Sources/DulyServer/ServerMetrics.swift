import DulyCore
import DulyStore
import Hummingbird
import Prometheus
import Synchronization

/// What `GET /metrics` shows, in Prometheus's text format: requests by route, method and status with their latency,
/// actions planned, messages sent and failed (counted by this process since it started), and, read from the store
/// at each scrape, every organisation's outbox depth, webhook backlog and last collection day.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    // Buckets from 1 ms to 10 s: the API's target is a p99 under 20 ms (BENCHMARKS.md), runs take seconds.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(10),
    ]

    public init() {}

    /// One answered request. `route` is the route's pattern (`/api/v1/invoices/{invoice_number}`), never the path
    /// as asked, so that the series stay few.
    func request(route: String, method: String, status: Int, took duration: Duration) {
        let series = RequestSeries(route: route, method: method, status: status)
        // The registry is asked once per series: it builds the series' name and labels and looks them up under its
        // lock each time, a cost every request paid before.
        let (counter, histogram) = requestSeries.withLock { known in
            if let found = known[series] { return found }
            let made = (
                registry.makeCounter(
                    name: "duly_http_requests_total",
                    labels: [("route", route), ("method", method), ("status", "\(status)")]),
                registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(
                        namespace: "duly", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                        helpText: "Time from a request's arrival to its answer, by route and method."),
                    labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets)
            )
            known[series] = made
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    // One series of the request metrics, and what the registry made for it.
    private struct RequestSeries: Hashable {
        var route: String
        var method: String
        var status: Int
    }
    private let requestSeries = Mutex<[RequestSeries: (Counter, DurationHistogram)]>([:])

    /// A collection day ran for the organisation and planned `count` actions (those awaiting approval included).
    public func planned(_ count: Int, organisationID: String) {
        registry.makeCounter(name: "duly_actions_planned_total", labels: [("organisation", organisationID)])
            .increment(by: Int64(count))
    }

    /// A delivery pass for the organisation sent `sent` messages and failed `failed` for good.
    public func delivered(sent: Int, failed: Int, organisationID: String) {
        registry.makeCounter(name: "duly_messages_sent_total", labels: [("organisation", organisationID)])
            .increment(by: Int64(sent))
        registry.makeCounter(name: "duly_messages_failed_total", labels: [("organisation", organisationID)])
            .increment(by: Int64(failed))
    }

    /// The text a scrape answers, the store's gauges read now.
    func exposition(gauges: [OrganisationGauges]) -> [UInt8] {
        for gauge in gauges {
            let labels = [("organisation", gauge.organisationID)]
            registry.makeGauge(name: "duly_outbox_depth", labels: labels).set(Int64(gauge.outboxDepth))
            registry.makeGauge(name: "duly_webhook_backlog", labels: labels).set(Int64(gauge.webhookBacklog))
            if let day = gauge.lastCollectionDay {
                // The day as the Unix time of its midnight (UTC): Prometheus has no dates.
                registry.makeGauge(name: "duly_last_collection_day_timestamp_seconds", labels: labels)
                    .set(Int64(day.daysSinceEpoch) * 86_400)
            }
        }
        return registry.emitToBuffer()
    }
}

/// Counts every request under its route's pattern and status, and times it. Placed first, it sees the status the
/// client gets, problems included.
struct MetricsMiddleware: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        // An unknown path is counted under one label, so that a scan of random paths adds no series.
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.request(
                route: route, method: request.method.rawValue, status: response.status.code,
                took: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(
                route: route, method: request.method.rawValue, status: status, took: ContinuousClock.now - start)
            throw error
        }
    }
}
