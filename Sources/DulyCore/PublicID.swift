/// The ids people and programs see for the rows each organisation numbers for itself: `act_57` is the
/// organisation's 57th action, whatever other organisations hold and whichever database holds it. The command line,
/// the API, the web screens and webhook payloads show the same id and accept it back.
public enum PublicID: String, CaseIterable, Hashable, Sendable {
    /// A planned action (`act_`).
    case action = "act_"
    /// A webhook event (`evt_`).
    case webhookEvent = "evt_"
    /// A webhook subscriber (`whk_`).
    case webhookSubscriber = "whk_"
    /// A bank credit from a statement or a payment provider (`bcr_`).
    case bankCredit = "bcr_"

    /// The prefix and the number: `act_57`.
    public func id(_ number: Int64) -> String { rawValue + String(number) }

    /// The number in `act_57`; with `bare`, `57` too (the command line accepts both). Nil for anything else: another
    /// kind's prefix, a zero, a sign, a space.
    public func number(in text: String, bare: Bool = false) -> Int64? {
        let digits: Substring
        if text.hasPrefix(rawValue) {
            digits = text.dropFirst(rawValue.count)
        } else if bare {
            digits = Substring(text)
        } else {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int64(digits),
            number > 0
        else { return nil }
        return number
    }
}
