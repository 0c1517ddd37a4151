import ArgumentParser
import DulyChannels
import DulyCore
import DulyStore
import Foundation

/// `duly webhooks`: signed JSON events to other systems.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Signed JSON events for other systems: subscribers, delivery, the delivery log, replay.",
        discussion: """
            Events (\(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", "))) are written with the \
            change they announce and POSTed by `duly webhooks deliver`, signed with HMAC-SHA256 in the \
            Duly-Signature header (t=UNIX,v1=HEX over "UNIX.BODY"). See README, "Webhooks".
            """,
        subcommands: [
            WebhooksAddCommand.self, WebhooksListCommand.self, WebhooksRemoveCommand.self,
            WebhooksDeliverCommand.self, WebhooksLogCommand.self, WebhooksReplayCommand.self,
            WebhooksEventsCommand.self,
        ])
}

/// `--now`: the Unix time a delivery command works at (the system clock by default).
struct NowOption: ParsableArguments {
    @Option(help: "The current time as Unix seconds (default: the system clock; for tests and simulations).")
    var now: Int64?

    var seconds: Int64 { now ?? Int64(Date().timeIntervalSince1970) }
    var timestamp: String { SystemClock.timestamp(now: Date(timeIntervalSince1970: TimeInterval(seconds))) }
}

struct WebhooksAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a subscriber; prints its secret once when Duly makes it up.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where events are POSTed (http:// or https://).") var url: String
    @Option(help: "Event types separated by commas, or `all`.") var events = "all"
    @Option(help: "Read the signing secret from this environment variable (default: a new random one).")
    var secretEnv: String?
    @OptionGroup var now: NowOption
    @Flag(help: "Print the subscriber as JSON (with its secret when it was made up).") var json = false

    func validate() throws {
        do throws(WebhookSubscription.Refusal) {
            try WebhookSubscription.check(url: url)
        } catch {
            throw ValidationError(error.description)
        }
        _ = try WebhooksAddCommand.parse(events: events)
    }

    static func parse(events text: String) throws -> Set<WebhookEventType>? {
        do throws(WebhookSubscription.Refusal) {
            return try WebhookSubscription.eventTypes(text.split(separator: ",").map(String.init))
        } catch .noEventType {
            throw ValidationError("--events names no event type")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let secret: String
        let generated: Bool
        if let secretEnv {
            guard let value = environment(secretEnv) else {
                throw ValidationError("the environment variable \(secretEnv) is not set")
            }
            secret = value
            generated = false
        } else {
            secret = WebhookSubscription.newSecret()
            generated = true
        }
        let subscriber = try await store.addWebhookSubscriber(
            url: url, events: try WebhooksAddCommand.parse(events: events), secret: secret,
            organisationID: organisation.id, createdAt: now.timestamp)
        if json {
            try JSONOutput.printLine(SubscriberLine(subscriber, secret: generated ? secret : nil))
            return
        }
        print(
            "Subscriber \(PublicID.webhookSubscriber.id(subscriber.id)) added: \(url) (\(WebhooksListCommand.describe(subscriber.events)))."
        )
        if generated {
            print("Signing secret (shown once, keep it with the receiver): \(secret)")
        } else {
            print("Signing secret taken from $\(secretEnv!).")
        }
    }
}

/// A subscriber for `--json`; the secret only when it was just made up.
struct SubscriberLine: Encodable {
    var id: Int64
    var url: String
    var events: [String]
    var createdAt: String
    var secret: String?

    init(_ subscriber: WebhookSubscriber, secret: String?) {
        id = subscriber.id
        url = subscriber.url
        events = subscriber.events.map { $0.sorted().map(\.rawValue) } ?? ["all"]
        createdAt = subscriber.createdAt
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, url, events, secret
        case createdAt = "created_at"
    }
}

struct WebhooksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the subscribers.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "One JSON object per subscriber (secrets are never listed).") var json = false

    static func describe(_ events: Set<WebhookEventType>?) -> String {
        events.map { $0.sorted().map(\.rawValue).joined(separator: ", ") } ?? "all events"
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let subscribers = try await store.webhookSubscribers(organisationID: organisation.id)
        if json {
            for subscriber in subscribers { try JSONOutput.printLine(SubscriberLine(subscriber, secret: nil)) }
            return
        }
        guard !subscribers.isEmpty else {
            print("No webhook subscribers. Add one with `duly webhooks add URL --events all`.")
            return
        }
        var table = TextTable(headers: ["id", "url", "events", "since"], rightAligned: [0])
        for subscriber in subscribers {
            table.rows.append([
                PublicID.webhookSubscriber.id(subscriber.id), subscriber.url,
                WebhooksListCommand.describe(subscriber.events),
                subscriber.createdAt,
            ])
        }
        print(table.render())
    }
}

struct WebhooksRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a subscriber (what it was still due is cancelled; its log stays).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subscriber's id, whk_N or N (see `duly webhooks list`).") var id: SubscriberNumber
    @OptionGroup var now: NowOption

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        guard
            try await store.removeWebhookSubscriber(
                id: id.number, organisationID: organisation.id, removedAt: now.timestamp)
        else {
            throw CLIError(
                "no webhook subscriber \(PublicID.webhookSubscriber.id(id.number)) in organisation '\(organisation.id)'"
            )
        }
        print("Subscriber \(PublicID.webhookSubscriber.id(id.number)) removed.")
    }
}

struct WebhooksDeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "POST the due events to their subscribers, retrying failures with backoff.",
        discussion: """
            2xx is delivered; 408, 429, 5xx and no answer are retried (after 1, 2, 4… minutes plus a little jitter, \
            at most 6 hours apart); any other answer, or the 8th failure, fails the delivery (see `duly webhooks \
            log`). Safe to run at any time; run it from cron or after `duly run`.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Deliveries to attempt at most in this pass.") var limit = 1000
    @OptionGroup var now: NowOption
    @Flag(help: "Print one JSON object with what was done.") var json = false

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        // A generic function opens the store (`any StoreBackend`) for the deliverer, generic over its store.
        func deliver(_ store: some WebhookStore) async throws -> WebhookDeliveryReport {
            try await WebhookDeliverer(store: store, poster: URLSessionWebhookPoster()).deliver(
                organisationID: organisation.id, now: now.seconds, limit: limit)
        }
        let report = try await deliver(store)
        if json {
            struct Outcome: Encodable {
                var delivered: Int
                var retrying: Int
                var failed: Int
            }
            try JSONOutput.printLine(
                Outcome(delivered: report.delivered, retrying: report.retrying, failed: report.failed))
            return
        }
        var parts = ["\(report.delivered) delivered"]
        if report.retrying > 0 { parts.append("\(report.retrying) to retry") }
        if report.failed > 0 { parts.append("\(report.failed) failed (see `duly webhooks log`)") }
        print("Webhooks: " + parts.joined(separator: ", ") + ".")
    }
}

struct WebhooksLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "The delivery log: each attempt, its answer, and when the next one is due.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this event (evt_N or N).") var event: String?
    @Option(help: "Only this subscriber (whk_N or N).") var subscriber: SubscriberNumber?
    @Flag(help: "One JSON object per attempt (or per delivery not yet tried).") var json = false

    struct Line: Encodable {
        var deliveryID: Int64
        var eventID: String
        var eventType: String
        var subscriberID: Int64
        var replay: Bool
        var state: String
        var attempt: Int?
        var attemptedAt: Int64?
        var statusCode: Int?
        var error: String?
        var nextAttemptAt: Int64?

        enum CodingKeys: String, CodingKey {
            case replay, state, attempt, error
            case deliveryID = "delivery_id"
            case eventID = "event_id"
            case eventType = "event_type"
            case subscriberID = "subscriber_id"
            case attemptedAt = "attempted_at"
            case statusCode = "status_code"
            case nextAttemptAt = "next_attempt_at"
        }

        // Absent values are written as null, so every line has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(deliveryID, forKey: .deliveryID)
            try container.encode(eventID, forKey: .eventID)
            try container.encode(eventType, forKey: .eventType)
            try container.encode(subscriberID, forKey: .subscriberID)
            try container.encode(replay, forKey: .replay)
            try container.encode(state, forKey: .state)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(attemptedAt, forKey: .attemptedAt)
            try container.encode(statusCode, forKey: .statusCode)
            try container.encode(error, forKey: .error)
            try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        }
    }

    func validate() throws {
        if let event, WebhookEvent.sequence(fromID: event) == nil {
            throw ValidationError("--event '\(event)' is not an event id (evt_N)")
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let entries = try await store.webhookLog(
            organisationID: organisation.id, eventSequence: event.flatMap(WebhookEvent.sequence(fromID:)),
            subscriberID: subscriber?.number)
        if json {
            for entry in entries {
                try JSONOutput.printLine(
                    Line(
                        deliveryID: entry.deliveryID, eventID: entry.eventID, eventType: entry.eventType.rawValue,
                        subscriberID: entry.subscriberID, replay: entry.replay, state: entry.state.rawValue,
                        attempt: entry.attempt, attemptedAt: entry.attemptedAt, statusCode: entry.statusCode,
                        error: entry.error, nextAttemptAt: entry.nextAttemptAt))
            }
            return
        }
        guard !entries.isEmpty else {
            print("No webhook deliveries yet.")
            return
        }
        var table = TextTable(
            headers: ["delivery", "event", "type", "to", "state", "try", "at", "answer", "next try"],
            rightAligned: [0, 3, 5])
        for entry in entries {
            table.rows.append([
                String(entry.deliveryID), entry.eventID + (entry.replay ? " (replay)" : ""), entry.eventType.rawValue,
                PublicID.webhookSubscriber.id(entry.subscriberID), entry.state.rawValue,
                entry.attempt.map(String.init) ?? "-",
                entry.attemptedAt.map(WebhooksLogCommand.time) ?? "-",
                entry.statusCode.map(String.init) ?? entry.error ?? "-",
                entry.nextAttemptAt.map(WebhooksLogCommand.time) ?? "-",
            ])
        }
        print(table.render())
    }

    static func time(_ seconds: Int64) -> String {
        SystemClock.timestamp(now: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

struct WebhooksReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Queue an event again (same event id, marked as a replay); `deliver` sends it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The event's id (evt_N or N).") var event: String
    @Option(help: "Only to this subscriber (default: every subscriber that wants the event's type).")
    var subscriber: SubscriberNumber?
    @OptionGroup var now: NowOption

    func validate() throws {
        if WebhookEvent.sequence(fromID: event) == nil {
            throw ValidationError("'\(event)' is not an event id (evt_N)")
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let sequence = WebhookEvent.sequence(fromID: event)!
        let queued = try await store.replayWebhookEvent(
            sequence: sequence, subscriberID: subscriber?.number, organisationID: organisation.id,
            createdAt: now.timestamp)
        print(
            "evt_\(sequence) queued again for \(counted(queued, "subscriber")); `duly webhooks deliver` sends it."
        )
    }
}

struct WebhooksEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "The latest events, newest first, as they are delivered.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many.") var limit = 50
    @Flag(help: "Print each event's JSON body, one per line.") var json = false

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let events = try await store.webhookEvents(organisationID: organisation.id, limit: limit)
        if json {
            for event in events { print(String(decoding: event.body, as: UTF8.self)) }
            return
        }
        guard !events.isEmpty else {
            print("No webhook events yet (events are only written while someone subscribes).")
            return
        }
        var table = TextTable(headers: ["event", "type", "customer", "occurred", "recorded"])
        for event in events {
            table.rows.append([
                event.id, event.type.rawValue, event.customerID, event.occurredOn.description, event.recordedAt,
            ])
        }
        print(table.render())
    }
}
