/// A generated portfolio of clients whose behaviour is fixed by a seed: who they are, what they owe, and how each
/// pays (`PayerKind`). The same seed gives the same portfolio, so two ways of collecting can be compared on it.
public struct Portfolio: Sendable {
    /// One invoice and the client's character as far as it is concerned.
    public struct Entry: Hashable, Sendable {
        public var invoice: Invoice
        public var kind: PayerKind
        /// Days before the due date a prompt payer pays (0 to 3).
        public var earlyDays: Int
        /// Days a dispute about the invoice takes to resolve (10 to 20).
        public var disputeDays: Int
    }

    /// One client: its account as the books hold it, its kind, its invoices.
    public struct Client: Sendable {
        public var customer: Customer
        public var contacts: [Contact]
        public var kind: PayerKind
        public var entries: [Entry]
        /// Its place in the portfolio: with the seed, what decides whether a call reaches it.
        public var index: Int
    }

    /// Each kind's share of the clients, in percent: most pay on time or after a nudge, a few never do.
    public static let mix: [(kind: PayerKind, percent: Int)] = [
        (.prompt, 30), (.forgetful, 20), (.slow, 15), (.disputerRight, 4), (.disputerWrong, 6), (.promiseKeeper, 9),
        (.promiseBreaker, 6), (.nonPayer, 10),
    ]
    /// A Monday.
    public static let defaultStart = LocalDate(year: 2026, month: 1, day: 5)!
    /// Invoices fall due on one of this many days, from `firstDueDay` on, so that each has had 60 days by day 120
    /// and a prompt payer's early payment falls inside the simulation.
    public static let dueWithinDays = 60
    /// The first simulated day an invoice can fall due on (day 1 is the first).
    public static let firstDueDay = 8
    public static let currency = Currency(code: "EUR")!

    public let seed: UInt64
    public let start: LocalDate
    public let clients: [Client]

    public init(seed: UInt64, customers: Int, start: LocalDate = Portfolio.defaultStart) {
        self.seed = seed
        self.start = start
        var random = SeededGenerator(state: seed)
        var clients: [Client] = []
        for index in 0..<customers {
            let id = "C\(index + 1)"
            var draw = Int.random(in: 0..<100, using: &random)
            var kind = PayerKind.nonPayer
            for (candidate, percent) in Self.mix {
                if draw < percent {
                    kind = candidate
                    break
                }
                draw -= percent
            }
            let customer = Customer(
                id: id, name: "Client \(index + 1)",
                address: PostalAddress(line1: "\(index + 1) Main Street", city: "Town"))
            let contacts = [
                Contact(
                    role: .billing, name: "Accounts \(index + 1)", email: "ap\(index + 1)@example.com",
                    phone: "+44 20 7946 0000"),
                Contact(role: .senior, name: "Director \(index + 1)", email: "director\(index + 1)@example.com"),
            ]
            var entries: [Entry] = []
            for number in 1...Int.random(in: 1...4, using: &random) {
                let due = start.adding(
                    days: Self.firstDueDay - 1 + Int.random(in: 0..<Self.dueWithinDays, using: &random))
                let total = Money(
                    minorUnits: Int.random(in: 200_00...8_000_00, using: &random), currency: Self.currency)
                let invoice = Invoice(
                    number: "\(id)-\(number)", customerID: id, issueDate: due.adding(days: -30), dueDate: due,
                    total: total,
                    terms: .net(days: 30))
                entries.append(
                    Entry(
                        invoice: invoice, kind: kind, earlyDays: Int.random(in: 0...3, using: &random),
                        disputeDays: Int.random(in: 10...20, using: &random)))
            }
            clients.append(Client(customer: customer, contacts: contacts, kind: kind, entries: entries, index: index))
        }
        self.clients = clients
    }

    /// Every invoice's total, added up.
    public var invoiced: Money {
        Money(
            minorUnits: clients.flatMap(\.entries).reduce(0) { $0 + $1.invoice.total.minorUnits },
            currency: Self.currency)
    }

    /// Whether a call to the client on `day` reaches someone: seven calls in ten do, fixed by the seed, the client
    /// and the day; a non-payer never picks up.
    public func callReaches(_ client: Client, on day: LocalDate) -> Bool {
        guard client.kind != .nonPayer else { return false }
        var random = SeededGenerator(
            state: seed ^ (UInt64(client.index) &* 0x1_0000_0001) ^ UInt64(bitPattern: Int64(day.daysSinceEpoch)))
        return Int.random(in: 0..<10, using: &random) < 7
    }
}
