/// A timeline as a person reads it: by business date (recording order within a day), each entry in words rather
/// than step and action ids. Display only: the entries, their hashes and the chain's order are untouched.
public enum TimelineNarrative {
    /// The entries by date, and by sequence within a day: an entry recorded later for an earlier day (a payment
    /// imported a week late) shows where it happened, so dates never go backwards.
    public static func byDate(_ entries: [TimelineEntry]) -> [TimelineEntry] {
        entries.sorted { ($0.date, $0.sequence) < ($1.date, $1.sequence) }
    }

    /// Each entry's summary in words, by sequence: step ids become words (`first_follow_up` → `first follow up`) and
    /// "Action 12" becomes what the action was (`First follow up by email for INV-1`), taken from the entry that
    /// planned it. An entry whose action is not on this timeline keeps its summary.
    public static func sentences(_ entries: [TimelineEntry]) -> [Int: String] {
        var actions: [String: (step: String, channel: String, invoices: String)] = [:]
        for entry in entries {
            guard let id = entry.details["action"], let step = entry.details["step"] else { continue }
            actions[id] = (
                words(step), entry.details["channel"] ?? "",
                (entry.details["invoices"] ?? "").split(separator: ",").joined(separator: ", ")
            )
        }
        var sentences: [Int: String] = [:]
        for entry in entries {
            var text = entry.summary
            if let id = entry.details["action"], let action = actions[id] {
                if let step = entry.details["step"] {
                    text = text.replacingFirst(step, with: action.step)
                } else {
                    let what = action.invoices.isEmpty ? action.step : "\(action.step) for \(action.invoices)"
                    let named = what.prefix(1).uppercased() + what.dropFirst()
                    let channel = action.channel.isEmpty ? "" : " by \(action.channel)"
                    text = text.replacingFirst("Action \(id) ", with: "\(named)\(channel): ")
                    text = text.replacingFirst("action \(id)", with: "the \(what)")
                }
            }
            sentences[entry.sequence] = text
        }
        return sentences
    }

    /// A step id in words: `call_offer_plan` → `call offer plan`.
    public static func words(_ stepID: String) -> String {
        stepID.split(separator: "_").joined(separator: " ")
    }
}

extension String {
    // The core has no Foundation: a plain search for the first occurrence.
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var start = startIndex
        while start < endIndex {
            if self[start...].hasPrefix(target) {
                let end = index(start, offsetBy: target.count)
                return String(self[..<start]) + replacement + String(self[end...])
            }
            start = index(after: start)
        }
        return self
    }
}
