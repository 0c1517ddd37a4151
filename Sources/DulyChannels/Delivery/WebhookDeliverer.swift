import Crypto
import DulyCore
import DulyStore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// How an HTTP POST ended: a status code, or no answer at all.
public enum WebhookPostResult: Sendable, Equatable {
    case status(Int)
    case unreachable(String)
}

/// Sends one signed POST. The live one is `URLSessionWebhookPoster`; tests may stand in their own.
public protocol WebhookPoster: Sendable {
    func post(url: String, headers: [(String, String)], body: [UInt8]) async -> WebhookPostResult
}

/// Posts with Foundation's URLSession, as `WebhookSMSTransport` does.
public struct URLSessionWebhookPoster: WebhookPoster {
    /// Seconds to wait for an answer.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 10) { self.timeout = timeout }

    public func post(url: String, headers: [(String, String)], body: [UInt8]) async -> WebhookPostResult {
        guard let target = URL(string: url) else { return .unreachable("not a URL: \(url)") }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return .status((response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            return .unreachable(error.localizedDescription)
        }
    }
}

/// The signature scheme shared with `WebhookSMSTransport`: `Duly-Signature: t=TIMESTAMP,v1=HEX`, HEX being
/// HMAC-SHA256 with the subscriber's secret over `TIMESTAMP.BODY`.
public enum WebhookSignature {
    public static func header(secret: String, body: [UInt8], timestamp: Int64) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + Hex.encode(mac)
    }
}

/// What one pass of the webhook deliverer did.
public struct WebhookDeliveryReport: Sendable, Equatable {
    public var delivered = 0
    public var retrying = 0
    public var failed = 0

    public init() {}
}

/// Drains the webhook outbox: each due delivery is POSTed, signed, and its attempt recorded.
///
/// 2xx is delivered; 408, 429, 5xx and no answer are retried with the policy's backoff; any other status fails the
/// delivery at once, and so does the last allowed attempt. Delivery is at least once: a crash between the POST and
/// its record sends the event again, with the same `Duly-Event-Id`, which receivers de-duplicate on. `now` comes
/// from the caller, for the signature's timestamp and the backoff.
public struct WebhookDeliverer<Store: WebhookStore, Poster: WebhookPoster>: Sendable {
    public let store: Store
    public let poster: Poster
    public var policy: WebhookRetryPolicy
    /// How long claimed deliveries are this deliverer's: longer than the POSTs of a pass take.
    public var claimSeconds: Int64 = 600

    public init(store: Store, poster: Poster, policy: WebhookRetryPolicy = WebhookRetryPolicy()) {
        self.store = store
        self.poster = poster
        self.policy = policy
    }

    /// Delivers up to `limit` due deliveries of the organisation. They are claimed first, for `claimSeconds`: other
    /// deliverers on the same database pass them over meanwhile, and take them over after that if this one dies.
    public func deliver(organisationID: String, now: Int64, limit: Int) async throws -> WebhookDeliveryReport {
        var report = WebhookDeliveryReport()
        let jobs = try await store.claimWebhookDeliveries(
            organisationID: organisationID, now: now, until: now + claimSeconds, limit: limit)
        for job in jobs {
            let outcome = await attempt(job, now: now)
            try await store.recordWebhookAttempt(
                deliveryID: job.deliveryID, outcome: outcome, organisationID: organisationID, now: now)
            switch outcome {
            case .delivered: report.delivered += 1
            case .retry: report.retrying += 1
            case .failed: report.failed += 1
            }
        }
        return report
    }

    /// The headers of a POST of `event` signed at `now`.
    public static func headers(
        for event: WebhookEvent, body: [UInt8], secret: String, now: Int64, replay: Bool
    )
        -> [(String, String)]
    {
        var headers = [
            ("Content-Type", "application/json"),
            ("Duly-Event-Id", event.id),
            ("Duly-Event-Type", event.type.rawValue),
            ("Duly-Signature", WebhookSignature.header(secret: secret, body: body, timestamp: now)),
        ]
        if replay { headers.append(("Duly-Replay", "true")) }
        return headers
    }

    private func attempt(_ job: WebhookDeliveryJob, now: Int64) async -> WebhookAttemptOutcome {
        let body = job.event.body
        let result = await poster.post(
            url: job.subscriber.url,
            headers: WebhookDeliverer.headers(
                for: job.event, body: body, secret: job.subscriber.secret, now: now, replay: job.replay),
            body: body)
        let status: Int?
        let error: String
        switch result {
        case .status(let code) where (200..<300).contains(code):
            return .delivered(status: code)
        case .status(let code) where code == 408 || code == 429 || code >= 500:
            (status, error) = (code, "the subscriber answered \(code)")
        case .status(let code):
            return .failed(status: code, error: "the subscriber refused the event (\(code))")
        case .unreachable(let reason):
            (status, error) = (nil, "no answer: \(reason)")
        }
        guard
            let next = policy.nextAttempt(afterAttempt: job.attempts + 1, deliveryID: job.deliveryID, now: now)
        else { return .failed(status: status, error: error + "; given up after \(job.attempts + 1) attempts") }
        return .retry(status: status, error: error, nextAttemptAt: next)
    }
}
