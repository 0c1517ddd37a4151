import DulyCore

/// The `events` column of `webhook_subscribers`, the same in every backend: `*` for every type (present and future),
/// else the types' names in order, separated by commas.
public enum WebhookEventsColumn {
    /// The column's text for a subscriber's types (nil: every type).
    public static func text(for events: Set<WebhookEventType>?) -> String {
        guard let events else { return "*" }
        return events.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// The types a stored column names (nil: every type); names this build does not know are ignored.
    public static func events(from text: String) -> Set<WebhookEventType>? {
        if text == "*" { return nil }
        return Set(text.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) })
    }
}
