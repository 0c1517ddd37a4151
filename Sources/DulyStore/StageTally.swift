import DulyCore

/// Walks every account with open invoices (or only `customerID`'s) and gives each open invoice's state on a date, as
/// the planner sees it: what `duly status`, `duly invoices` and the web dashboard's stage funnel read.
public func openInvoiceStates(
    store: some DeliveryStore, organisation: Organisation, playbook: Playbook, asOf: LocalDate,
    customerID: String? = nil, visit: (InvoiceBalance, InvoiceState) -> Void
) async throws {
    let planner = Planner(playbook: playbook, organisation: organisation)
    // One customer's account alone when one is named: not every account of a large organisation.
    if let customerID {
        guard let account = try await store.account(organisationID: organisation.id, customerID: customerID) else {
            return
        }
        let states = planner.states(of: account, asOf: asOf)
        for balance in account.invoices where !balance.isClosed { visit(balance, states[balance.invoice.number]!) }
        return
    }
    var after: String?
    while true {
        let accounts = try await store.accountsForRun(organisationID: organisation.id, after: after, limit: 1000)
        guard let last = accounts.last else { return }
        after = last.customer.id
        for account in accounts {
            let states = planner.states(of: account, asOf: asOf)
            for balance in account.invoices where !balance.isClosed { visit(balance, states[balance.invoice.number]!) }
        }
    }
}

/// The open invoices by state: how many, and how much is open per currency (never added across currencies).
public struct StageTally: Sendable, Equatable {
    public private(set) var counts: [InvoiceState: Int] = [:]
    public private(set) var amounts: [InvoiceState: [Currency: Money]] = [:]
    private var countsByCurrency: [InvoiceState: [Currency: Int]] = [:]

    public init() {}

    /// The organisation's open invoices on `asOf`, by state.
    public init(
        store: some DeliveryStore, organisation: Organisation, playbook: Playbook, asOf: LocalDate
    ) async throws {
        var tally = StageTally()
        try await openInvoiceStates(store: store, organisation: organisation, playbook: playbook, asOf: asOf) {
            tally.add($0, $1)
        }
        self = tally
    }

    /// Counts one open invoice in its state.
    public mutating func add(_ balance: InvoiceBalance, _ state: InvoiceState) {
        let currency = balance.invoice.currency
        counts[state, default: 0] += 1
        countsByCurrency[state, default: [:]][currency, default: 0] += 1
        amounts[state, default: [:]][currency] = amounts[state]?[currency].map { $0 + balance.open } ?? balance.open
    }

    /// The states with at least one open invoice, in the planner's order.
    public var states: [InvoiceState] { InvoiceState.allCases.filter { counts[$0] != nil } }

    /// The currencies any open invoice is in, by code.
    public var currencies: [Currency] {
        Set(amounts.values.flatMap(\.keys)).sorted { $0.code < $1.code }
    }

    /// How many open invoices in `currency` are in `state`.
    public func count(_ state: InvoiceState, in currency: Currency) -> Int {
        countsByCurrency[state]?[currency] ?? 0
    }

    /// What is open in `state` in `currency`; zero when nothing is.
    public func open(_ state: InvoiceState, in currency: Currency) -> Money {
        amounts[state]?[currency] ?? .zero(currency)
    }
}
