/// The kinds of row each organisation numbers on its own (`act_N`, `evt_N`, `whk_N`, `bcr_N`), as the
/// `organisation_counters` table names them in its `kind` column, for every backend.
public enum NumberedKind: String, Sendable, CaseIterable {
    case action
    case webhookEvent = "webhook_event"
    case webhookSubscriber = "webhook_subscriber"
    case bankCredit = "bank_credit"
}
