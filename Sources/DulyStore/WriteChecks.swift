import DulyCore

/// The checks a store makes before it writes, decided once for every backend: each backend reads what a check needs
/// (an invoice's balance, who owns an invoice) in its own transaction and throws what the check returns.
public enum WriteChecks {
    /// Why `action` cannot be written, if it cannot: it covers no invoice, names one twice, or covers an invoice that
    /// does not exist or is another customer's. `owners` maps the invoice numbers the batch names to their customers.
    public static func refusal(of action: PlannedAction, owners: [String: String]) -> StoreError? {
        guard !action.steps.isEmpty else {
            return .invalid("an action for '\(action.customerID)' covers no invoice")
        }
        // An invoice climbs one step per action: the steps are stored as an object keyed by invoice number.
        guard Set(action.steps.map(\.invoiceNumber)).count == action.steps.count else {
            return .invalid("an action for '\(action.customerID)' names an invoice twice")
        }
        for step in action.steps {
            guard let owner = owners[step.invoiceNumber] else { return .invoiceNotFound(step.invoiceNumber) }
            guard owner == action.customerID else {
                return .invalid(
                    "an action for '\(action.customerID)' covers invoice '\(step.invoiceNumber)' of '\(owner)'")
            }
        }
        return nil
    }

    /// Why a new credit note (called `label` in messages) cannot be booked against its invoice's `balance`: another
    /// currency, more than is open, or a write-off of less than all that is open.
    public static func refusal(of note: CreditNote, label: String, against balance: InvoiceBalance) -> StoreError? {
        guard note.amount.currency == balance.invoice.currency else {
            return .invalid(
                "\(label) is in \(note.amount.currency) but invoice '\(note.invoiceNumber)' is in "
                    + "\(balance.invoice.currency)")
        }
        guard note.amount.minorUnits <= balance.open.minorUnits else {
            return .invalid(
                "\(label) of \(note.amount) is more than the \(balance.open) still open on invoice "
                    + "'\(note.invoiceNumber)'")
        }
        if note.kind == .writeOff && note.amount != balance.open {
            return .invalid(
                "\(label): a write-off takes the whole \(balance.open) still open on '\(note.invoiceNumber)'")
        }
        return nil
    }

    /// A bank credit of `amount` matched by hand to the invoices `numbers` (each counted once, in the order given):
    /// its customer and its share of each, or why it cannot be. `balances` holds the named invoices that exist.
    public static func manualMatch(
        of amount: Money, to numbers: [String], balances: [String: InvoiceBalance]
    ) throws -> (customerID: String, invoices: [MatchedInvoice]) {
        guard !numbers.isEmpty else { throw StoreError.invalid("name at least one invoice") }
        var customerID: String?
        var open: [(number: String, open: Money)] = []
        var seen: Set<String> = []
        for number in numbers where seen.insert(number).inserted {
            guard let balance = balances[number] else { throw StoreError.invoiceNotFound(number) }
            guard balance.invoice.currency == amount.currency else {
                throw StoreError.invalid(
                    "invoice '\(number)' is in \(balance.invoice.currency.code), the credit in " + amount.currency.code)
            }
            guard !balance.isClosed else { throw StoreError.invalid("invoice '\(number)' is already closed") }
            if let customerID, customerID != balance.invoice.customerID {
                throw StoreError.invalid("the invoices named belong to different customers")
            }
            customerID = balance.invoice.customerID
            open.append((number, balance.open))
        }
        return (customerID!, MatchedInvoice.split(amount, over: open))
    }

    /// Why a webhook subscriber cannot be added: a URL that is not HTTP(S), a secret shorter than 16 bytes, or an
    /// empty list of events (nil means every event).
    public static func refusal(
        ofSubscriberAt url: String, events: Set<WebhookEventType>?, secret: String
    ) -> StoreError? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return .invalid("a webhook URL must start with http:// or https://")
        }
        guard secret.utf8.count >= 16 else { return .invalid("a webhook secret needs 16 characters or more") }
        if let events, events.isEmpty { return .invalid("a webhook subscriber needs at least one event") }
        return nil
    }
}
