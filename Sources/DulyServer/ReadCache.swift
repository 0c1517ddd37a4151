import DulyStore
import Hummingbird
import Synchronization

/// What `duly serve` answers from memory while nothing was committed to the database: API tokens and the answers to
/// GET requests under `/api/v1`, each remembered with the store's change version it was made after
/// (`ChangeVersionStore`). A request reads the version once; an answer or a token made after reading that same
/// version is the database's as it stands, so the cache is never stale: the first request after any commit (by this
/// server, another node or the command line) finds the version moved and everything is forgotten at once.
///
/// A backend that cannot tell cheaply (PostgreSQL) gives no version, and then nothing is remembered.
final class ReadCache: Sendable {
    /// One answer as it was sent.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    fileprivate struct State {
        var version: Int64?
        var answers: [String: Answer] = [:]
        var identities: [String: TokenIdentity] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    /// The most memory the answers may hold; past it, everything is forgotten and the cache fills again.
    let budget: Int
    /// Answers larger than this (an evidence pack, a long report) are made afresh each time.
    let largestAnswer: Int

    init(budget: Int = 64 << 20, largestAnswer: Int = 256 << 10) {
        self.budget = budget
        self.largestAnswer = largestAnswer
    }

    /// The identity a token's hash was found to speak for, if remembered under `version`.
    func identity(secretHash: String, version: Int64) -> TokenIdentity? {
        state.withLock { state in
            state.moveTo(version)
            return state.identities[secretHash]
        }
    }

    /// Remembers what a token speaks for, found after reading `version`.
    func remember(_ identity: TokenIdentity, secretHash: String, version: Int64) {
        state.withLock { state in
            guard state.version == version else { return }
            state.identities[secretHash] = identity
        }
    }

    /// The answer made for `key`, if remembered under `version`.
    func answer(_ key: String, version: Int64) -> Answer? {
        state.withLock { state in
            state.moveTo(version)
            return state.answers[key]
        }
    }

    /// Remembers an answer made after reading `version`; nothing when the version moved meanwhile.
    func remember(_ answer: Answer, for key: String, version: Int64) {
        let size = answer.body.readableBytes + key.utf8.count
        guard size <= largestAnswer else { return }
        state.withLock { state in
            guard state.version == version else { return }
            if state.bytes + size > budget {
                state.answers = [:]
                state.bytes = 0
            }
            state.answers[key] = answer
            state.bytes += size
        }
    }
}

extension ReadCache.State {
    // Versions are compared for equality only: any other version means something was committed, or that this
    // request read the version before another did; either way what is remembered is not known to be current.
    fileprivate mutating func moveTo(_ version: Int64) {
        guard self.version != version else { return }
        self.version = version
        answers = [:]
        identities = [:]
        bytes = 0
    }
}

/// Answers a GET from `ReadCache` when the same caller asked the same thing since the last commit; otherwise lets the
/// route answer and remembers a successful answer. Runs after `TokenAuthenticator`, which reads the change version.
struct ReadCacheMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let cache: ReadCache
    let clock: ServerClock

    func handle(
        _ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get, let identity = context.identity, let version = context.changeVersion else {
            return try await next(request, context)
        }
        // The caller's organisation, user and role are part of the key, so an answer never reaches someone whose role
        // would not let them see it. So is the quarter hour: every time zone's offset is a whole number of quarter
        // hours, so no organisation's "today" changes within one.
        let key = [
            identity.organisationID, identity.email, identity.role.rawValue, String(clock.unixTime() / 900),
            request.uri.description,
        ].joined(separator: "\u{1F}")
        if let answer = cache.answer(key, version: version) {
            return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: answer.body))
        }
        let response = try await next(request, context)
        guard response.status == .ok, let length = response.body.contentLength, length <= cache.largestAnswer else {
            return response
        }
        var collector = BodyCollector()
        try await response.body.write(collector)
        let body = collector.buffer.value
        cache.remember(
            ReadCache.Answer(status: response.status, headers: response.headers, body: body), for: key,
            version: version)
        return Response(status: response.status, headers: response.headers, body: ResponseBody(byteBuffer: body))
    }
}

/// Gathers a response body's bytes (an API answer is one buffer) so that it can be both remembered and sent.
private struct BodyCollector: ResponseBodyWriter {
    final class Box: @unchecked Sendable {
        // Written by one request's task only, before the answer is sent.
        var value = ByteBuffer()
    }
    let buffer = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.value.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
