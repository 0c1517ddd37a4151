import DulyCore
import Foundation

/// The rules for adding a webhook subscriber, the same from `duly webhooks add` and the API: where events may go,
/// which types it may ask for, and the secret Duly makes up for it.
public enum WebhookSubscription {
    /// Why a subscription is refused.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notHTTP(url: String)
        case unknownEventType(String)
        case noEventType

        public var description: String {
            switch self {
            case .notHTTP(let url): "'\(url)' is not an http:// or https:// URL"
            case .unknownEventType(let name):
                "unknown event type '\(name)'; known: all, "
                    + WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")
            case .noEventType: "names no event type"
            }
        }
    }

    /// Checks that events can be POSTed to `url`: http or https, with a host.
    public static func check(url: String) throws(Refusal) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", parsed.host?.isEmpty == false
        else { throw .notHTTP(url: url) }
    }

    /// The event types named (`all` or `*` for every type, present and future: nil); blank names are skipped.
    public static func eventTypes(_ names: [String]) throws(Refusal) -> Set<WebhookEventType>? {
        if names == ["all"] || names == ["*"] { return nil }
        var types: Set<WebhookEventType> = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let type = WebhookEventType(rawValue: name) else { throw .unknownEventType(name) }
            types.insert(type)
        }
        guard !types.isEmpty else { throw .noEventType }
        return types
    }

    /// A new signing secret: `whsec_` and 32 random bytes in hex.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
