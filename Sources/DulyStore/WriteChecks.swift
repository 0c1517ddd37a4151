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

    /// The customer a document's buyer is when no id matched: the one customer whose name is the buyer's (ignoring
    /// case), or nil when a new customer is to be made; `byName` holds up to two customers with that name. Refused
    /// when several customers have the name or the new customer would have no id.
    public static func customer(byName: [String], for buyer: DocumentBuyer) throws -> String? {
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw StoreError.invalid(
                "the buyer '\(buyer.name)' names no known identifier and several customers have that name "
                    + "(\(byName.joined(separator: ", "))); give the customer the buyer's identifier as its id")
        }
        guard !buyer.newCustomerID.isEmpty else { throw StoreError.invalid("a customer needs an id") }
        return nil
    }

    /// Why `credit` cannot be resolved by hand: it is not on the unmatched queue.
    public static func refusal(ofResolving credit: QueuedCredit) -> StoreError? {
        guard credit.status == .unmatched else {
            return .invalid("bank credit \(credit.id) is \(credit.status.rawValue), not on the unmatched queue")
        }
        return nil
    }

    /// What resolving a queued `credit` by hand writes: the credit as resolved or dismissed, and for a customer's
    /// money the customer and the payments it becomes. `balances` holds the named invoices that exist (for
    /// `.invoices`); a customer named by `.customer` has been found to exist.
    public static func resolved(
        _ credit: QueuedCredit, by resolution: CreditResolution, balances: [String: InvoiceBalance]
    ) throws -> ResolvedCredit {
        var credit = credit
        let record = credit.record
        switch resolution {
        case .ignore(let reason):
            guard !reason.isEmpty else { throw StoreError.invalid("dismissing a credit needs a reason") }
            credit.status = .ignored
            return ResolvedCredit(credit: credit, customerID: nil, payments: [], note: reason)
        case .customer(let customerID):
            credit.record.match = .matched(
                customerID: customerID, invoices: [], key: .manual, confidence: .high, notes: [])
            credit.status = .resolved
            // Allocation takes the customer's invoices oldest first, as for any payment without an invoice.
            let payment = Payment(
                id: record.key, customerID: customerID, date: record.valueDate ?? record.bookingDate,
                amount: record.amount, reference: record.reference ?? record.endToEndId ?? record.remittance.first)
            return ResolvedCredit(credit: credit, customerID: customerID, payments: [payment], note: nil)
        case .invoices(let numbers):
            let matched = try manualMatch(of: record.amount, to: numbers, balances: balances)
            credit.record.match = .matched(
                customerID: matched.customerID, invoices: matched.invoices, key: .manual, confidence: .high, notes: [])
            credit.status = .resolved
            return ResolvedCredit(
                credit: credit, customerID: matched.customerID, payments: credit.record.payments, note: nil)
        }
    }
}

/// A queued credit resolved by hand, as a store writes it.
public struct ResolvedCredit: Sendable {
    /// The credit, resolved or dismissed, with its match.
    public var credit: QueuedCredit
    /// The customer whose money it is; nil when dismissed.
    public var customerID: String?
    /// The payments it becomes (none when dismissed).
    public var payments: [Payment]
    /// Why it was dismissed.
    public var note: String?
}
