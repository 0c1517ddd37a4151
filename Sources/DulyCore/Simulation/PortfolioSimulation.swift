/// What one way of collecting achieved on a portfolio (`duly simulate --portfolio`).
///
/// A contact is a customer-facing message or call that actually went out: an email, letter or text sent, a call or
/// meeting made (a voicemail included). Notes to the collector's manager, approvals still waiting, skipped and
/// withdrawn actions are not contacts.
public struct PortfolioOutcome: Hashable, Sendable {
    public var strategy: String
    public var customers: Int
    public var invoiced: Money
    /// Credited to clients who were right to dispute.
    public var credited: Money
    /// Money received by the end of each day checked (day 1 is the first simulated day), in day order.
    public var recovered: [Recovered]
    public var contacts: Int
    /// Contacts by the kind of client they went to.
    public var contactsByKind: [PayerKind: Int]
    /// Contacts by the step that led them (`reminder` for the naive ladder).
    public var contactsByStep: [String: Int]
    /// Contacts about an invoice while a dispute about it was open.
    public var contactsDuringDisputes: Int
    /// Contacts about an invoice while a promise about it that was then kept was running.
    public var contactsDuringKeptPromises: Int
    /// Escalations that went out: notes to the manager, senior contacts, final notices, hand-overs.
    public var escalations: Int
    /// Of the escalations, hand-overs to an agency or a lawyer.
    public var handOvers: Int
    /// Thank-you messages (counted in the contacts).
    public var thankYous: Int

    /// Money received by the end of `day`.
    public func recovered(byDay day: Int) -> Money {
        recovered.last { $0.day <= day }?.amount ?? .zero(invoiced.currency)
    }
}

/// Money received by the end of a day of the simulation (day 1 is the first).
public struct Recovered: Hashable, Sendable {
    public var day: Int
    public var amount: Money
}

/// A portfolio lived day by day for a number of days under one way of collecting: the clients pay, dispute and
/// promise as their `PayerKind` says, in answer to what reaches them, and never from the future.
///
/// `run(playbook:)` drives the real `Planner` every day, as `duly run` does per account, with the team's daily work:
/// every message is delivered, every call is made (it reaches the client as `Portfolio.callReaches` says), a
/// manager approves what waits for approval on the next working day (hand-overs within the playbook's monthly cap),
/// and an approved message that would be a second voice that day or go over the 7-day cap waits, as the deliverer
/// makes it. `runNaiveLadder()` plays the
/// comparison: `NaiveLadder`.
public struct PortfolioSimulation: Sendable {
    public let portfolio: Portfolio
    public let days: Int
    /// The days money recovered is reported for.
    public static let checkpoints = [30, 60, 90]

    public init(portfolio: Portfolio, days: Int = 120) {
        self.portfolio = portfolio
        self.days = days
    }

    /// The portfolio collected by `playbook` through the planner.
    public func run(playbook: Playbook, organisationCountry: String? = nil) -> PortfolioOutcome {
        var world = World(portfolio: portfolio, strategy: playbook.name)
        let planner = Planner(playbook: playbook, organisationID: "portfolio", organisationCountry: organisationCountry)
        var team = Team(portfolio: portfolio, planner: planner)
        for offset in 0..<days {
            let today = portfolio.start.adding(days: offset)
            let paid = world.settle(on: today)
            team.thank(paid, world: world)
            for client in portfolio.clients {
                team.work(client, on: today, world: &world)
            }
        }
        return world.outcome(days: days)
    }

    /// The portfolio collected by the naive ladder: a reminder every 7 days, nothing else.
    public func runNaiveLadder() -> PortfolioOutcome {
        var world = World(portfolio: portfolio, strategy: NaiveLadder.name)
        for offset in 0..<days {
            let today = portfolio.start.adding(days: offset)
            _ = world.settle(on: today)
            for client in portfolio.clients {
                for entry in client.entries {
                    let number = entry.invoice.number
                    guard world.isOpen(number), NaiveLadder.remindsOn(today, dueDate: entry.invoice.dueDate) else {
                        continue
                    }
                    world.contact(client, about: [(number, .reminder)], on: today, step: NaiveLadder.stepID)
                }
            }
        }
        return world.outcome(days: days)
    }
}

/// The comparison a playbook has to beat: a reminder email about each overdue invoice every 7 days after its due
/// date, one message per invoice, on any day of the week, until it is paid or credited. No consolidation, no pauses
/// for disputes or promises, no calls, no escalation.
public enum NaiveLadder {
    public static let name = "naive ladder"
    /// What its one kind of message is called in `PortfolioOutcome.contactsByStep`.
    public static let stepID = "reminder"
    public static let everyDays = 7

    /// Whether an open invoice gets a reminder on `day`: 7, 14, 21… days after its due date.
    public static func remindsOn(_ day: LocalDate, dueDate: LocalDate) -> Bool {
        let late = dueDate.days(until: day)
        return late >= everyDays && late % everyDays == 0
    }
}

// MARK: - The clients' side

/// The truth of the portfolio as it unfolds: balances, disputes, promises, payments, and the tally of contacts.
private struct World {
    let portfolio: Portfolio
    let strategy: String
    var memories: [String: PayerMemory] = [:]
    var balances: [String: InvoiceBalance] = [:]
    var payments: [LocalDate: [String]] = [:]
    var disputes: [String: Dispute] = [:]
    var resolutions: [LocalDate: [(invoice: String, upheld: Bool)]] = [:]
    var promises: [String: [(promise: PromiseToPay, keeps: Bool)]] = [:]
    var receipts: [String: [Receipt]] = [:]
    var received: [(date: LocalDate, amount: Money)] = []
    var credited = 0
    var contacts = 0
    var contactsByKind: [PayerKind: Int] = [:]
    var contactsByStep: [String: Int] = [:]
    var duringDisputes = 0
    var duringKeptPromises = 0
    var escalations = 0
    var handOvers = 0
    var thankYous = 0

    init(portfolio: Portfolio, strategy: String) {
        self.portfolio = portfolio
        self.strategy = strategy
        for client in portfolio.clients {
            for entry in client.entries {
                let number = entry.invoice.number
                var memory = PayerMemory(
                    kind: entry.kind, dueDate: entry.invoice.dueDate, disputeDays: entry.disputeDays)
                if let day = memory.ownPayment(earlyDays: entry.earlyDays) { payments[day, default: []].append(number) }
                memories[number] = memory
                balances[number] = InvoiceBalance(invoice: entry.invoice)
            }
        }
    }

    func isOpen(_ number: String) -> Bool { balances[number].map { !$0.isClosed } ?? false }

    /// The day's money and decisions, before anyone is contacted: payments that arrive, disputes resolved.
    /// - Returns: the invoices paid in full today.
    mutating func settle(on today: LocalDate) -> [InvoiceBalance] {
        for (number, upheld) in resolutions.removeValue(forKey: today) ?? [] {
            disputes[number]?.resolvedOn = today
            disputes[number]?.outcome = upheld ? .upheld : .rejected
            if upheld, var balance = balances[number] {
                credited += balance.open.minorUnits
                balance.credited = balance.credited + balance.open
                balances[number] = balance
            }
        }
        var paid: [InvoiceBalance] = []
        for number in payments.removeValue(forKey: today) ?? [] {
            guard var balance = balances[number], !balance.isClosed else { continue }
            let amount = balance.open
            balance.paid = balance.paid + amount
            balances[number] = balance
            receipts[balance.invoice.customerID, default: []].append(
                Receipt(invoiceNumber: number, date: today, amount: amount))
            received.append((today, amount))
            paid.append(balance)
        }
        return paid
    }

    /// One contact with a client about some invoices, each as the client experiences it; the client answers.
    mutating func contact(
        _ client: Portfolio.Client, about invoices: [(String, PayerContact)], on today: LocalDate, step: String
    ) {
        contacts += 1
        contactsByKind[client.kind, default: 0] += 1
        contactsByStep[step, default: 0] += 1
        let numbers = invoices.map(\.0)
        if numbers.contains(where: { disputes[$0].map { $0.openedOn < today && $0.isOpen(on: today) } ?? false }) {
            duringDisputes += 1
        }
        // A kept promise runs from the day after it was made until the money arrives (on the promised date).
        let keptPromiseRunning = numbers.contains { number in
            isOpen(number)
                && promises[number, default: []].contains {
                    $0.keeps && $0.promise.madeOn < today && today <= $0.promise.promisedDate
                }
        }
        if keptPromiseRunning { duringKeptPromises += 1 }
        for (number, contact) in invoices {
            guard var memory = memories[number] else { continue }
            let decidedBefore = memory.paysOn
            let answer = memory.answer(contact, on: today)
            memories[number] = memory
            switch answer {
            case .disputes(let resolvedOn, let upheld):
                disputes[number] = Dispute(
                    id: "D-\(number)", invoiceNumber: number, openedOn: today, reasonCode: .quality,
                    reason: upheld ? "the work was not as ordered" : "thinks the work was not as ordered")
                resolutions[resolvedOn, default: []].append((number, upheld))
            case .promises(let date, let keeps):
                let promise = PromiseToPay(
                    id: "PR-\(number)-\(promises[number, default: []].count + 1)", invoiceNumbers: [number],
                    amount: balances[number]!.open, promisedDate: date, madeOn: today, channel: nil)
                promises[number, default: []].append((promise, keeps))
            case .pays, nil:
                break
            }
            // A payment the client just decided on arrives on its day, never today or earlier.
            if decidedBefore == nil, let day = memory.paysOn, day > today { payments[day, default: []].append(number) }
        }
    }

    func outcome(days: Int) -> PortfolioOutcome {
        var recovered: [Recovered] = []
        for day in PortfolioSimulation.checkpoints.filter({ $0 < days }) + [days] {
            let end = portfolio.start.adding(days: day - 1)
            let sum = received.filter { $0.date <= end }.reduce(0) { $0 + $1.amount.minorUnits }
            recovered.append(Recovered(day: day, amount: Money(minorUnits: sum, currency: Portfolio.currency)))
        }
        return PortfolioOutcome(
            strategy: strategy, customers: portfolio.clients.count, invoiced: portfolio.invoiced,
            credited: Money(minorUnits: credited, currency: Portfolio.currency), recovered: recovered,
            contacts: contacts, contactsByKind: contactsByKind, contactsByStep: contactsByStep,
            contactsDuringDisputes: duringDisputes,
            contactsDuringKeptPromises: duringKeptPromises, escalations: escalations, handOvers: handOvers,
            thankYous: thankYous)
    }

    /// The client's account as the books show it today: what `duly run` would read.
    func account(_ client: Portfolio.Client, history: [ActionRecord], thanksDue: [InvoiceBalance]) -> Account {
        let numbers = client.entries.map(\.invoice.number)
        return Account(
            customer: client.customer, contacts: client.contacts, invoices: numbers.compactMap { balances[$0] },
            history: history, disputes: numbers.compactMap { disputes[$0] },
            promises: numbers.flatMap { promises[$0, default: []].map(\.promise) },
            receipts: receipts[client.customer.id, default: []], thanksDue: thanksDue)
    }
}

// MARK: - Duly's side

/// The collection day and the team's daily work on every client, as `duly run`, `duly deliver`, `duly log-call` and
/// `duly approve` would do them.
private struct Team {
    let portfolio: Portfolio
    let planner: Planner
    var histories: [String: [ActionRecord]] = [:]
    var thanksDue: [String: [InvoiceBalance]] = [:]
    /// Hand-overs approved per month (year × 12 + month).
    var handOversApproved: [Int: Int] = [:]
    /// The day each contact went out (a late-approved one goes after the day it was planned for).
    var wentOn: [Int64: LocalDate] = [:]
    var nextID: Int64 = 1

    init(portfolio: Portfolio, planner: Planner) {
        self.portfolio = portfolio
        self.planner = planner
    }

    /// Invoices paid in full that Duly had contacted the client about are thanked for, as the store queues them.
    mutating func thank(_ paid: [InvoiceBalance], world: World) {
        for balance in paid {
            let chased = histories[balance.invoice.customerID, default: []].contains { record in
                (record.status == .sent || record.status == .done) && record.contactsCustomer
                    && record.steps.contains {
                        $0.invoiceNumber == balance.invoice.number && $0.stepID != Playbook.thankYouStepID
                    }
            }
            if chased { thanksDue[balance.invoice.customerID, default: []].append(balance) }
        }
    }

    mutating func work(_ client: Portfolio.Client, on today: LocalDate, world: inout World) {
        let id = client.customer.id
        var history = histories[id, default: []]
        let account = world.account(client, history: history, thanksDue: thanksDue[id, default: []])
        let plan = planner.plan(account, asOf: today)
        for cancellation in plan.cancellations {
            if let index = history.firstIndex(where: { $0.id == cancellation.actionID }) {
                history[index].status = .cancelled
            }
        }
        for action in plan.actions {
            history.append(
                ActionRecord(
                    id: nextID, date: action.date, channel: action.channel, status: action.status,
                    escalatesTo: action.escalatesTo, steps: action.steps))
            nextID += 1
            let thanked = Set(action.steps.filter { $0.stepID == Playbook.thankYouStepID }.map(\.invoiceNumber))
            thanksDue[id, default: []].removeAll { thanked.contains($0.invoice.number) }
        }

        let isWorkingDay = planner.calendar.isWorkingDay(today)
        for index in history.indices where history[index].date <= today {
            let record = history[index]
            switch record.status {
            case .awaitingApproval where record.date < today && isWorkingDay:
                // The manager decides on the next working day and says yes, but approves no more hand-overs in a
                // month than the playbook allows (`duly approve` refuses the next one): the rest wait.
                let month = today.year * 12 + today.month
                if record.escalatesTo?.isExternal == true {
                    guard handOversApproved[month, default: 0] < planner.playbook.maxExternalEscalationsPerMonth else {
                        continue
                    }
                    handOversApproved[month, default: 0] += 1
                }
                history[index].status = .approved
                fallthrough
            case .planned, .approved:
                let status = history[index].status
                guard status == .planned || status == .approved else { continue }
                if record.date < today && !roomToday(history, on: today) { continue }
                deliver(&history[index], client: client, on: today, world: &world)
            default:
                continue
            }
        }
        histories[id] = history
    }

    /// Whether a message approved late may go today: the client heard nobody today and the week has room.
    private func roomToday(_ history: [ActionRecord], on today: LocalDate) -> Bool {
        let went = history.filter { $0.contactsCustomer }.compactMap { wentOn[$0.id] }
        return !went.contains(today)
            && went.filter { $0 > today.adding(days: -7) }.count
                < planner.playbook.maxContactsPerSevenDays
    }

    private mutating func deliver(
        _ record: inout ActionRecord, client: Portfolio.Client, on today: LocalDate, world: inout World
    ) {
        let steps = record.steps.compactMap { step in
            planner.playbook.step(step.stepID).map { (step.invoiceNumber, $0) }
                ?? (Playbook.eventStepIDs.contains(step.stepID)
                    ? (
                        step.invoiceNumber,
                        PlaybookStep(
                            id: step.stepID, stage: .delayed, offsetDays: 0, gapDays: 1, channel: record.channel)
                    )
                    : nil)
        }
        if steps.contains(where: { $0.1.isEscalation }) {
            world.escalations += 1
            if record.escalatesTo?.isExternal == true { world.handOvers += 1 }
        }
        guard record.contactsCustomer else {
            record.status = .sent
            return
        }
        wentOn[record.id] = today
        var reached = true
        if record.channel == .call || record.channel == .meeting {
            reached = portfolio.callReaches(client, on: today)
            record.status = .done
            record.clientReached = reached
        } else {
            record.status = .sent
        }
        if steps.contains(where: { $0.1.id == Playbook.thankYouStepID }) { world.thankYous += 1 }
        let lead = steps.max { planner.playbook.index(of: $0.1.id) ?? -1 < planner.playbook.index(of: $1.1.id) ?? -1 }
        world.contact(
            client, about: steps.map { ($0.0, PayerContact(step: $0.1, reached: reached)) }, on: today,
            step: lead?.1.id ?? "")
    }
}

/// A playbook's outcome against the naive ladder's on the same portfolio, judged by issue 10's target: at least as
/// much recovered by day 60, at least 30 % fewer contacts, and no contact while a dispute or a kept promise runs.
public struct PortfolioComparison: Hashable, Sendable {
    public var playbook: PortfolioOutcome
    public var naive: PortfolioOutcome
    /// The day by which the playbook must have recovered at least as much.
    public static let recoveryDay = 60
    /// How much fewer the playbook's contacts must be, in percent.
    public static let fewerContactsPercent = 30

    public init(playbook: PortfolioOutcome, naive: PortfolioOutcome) {
        self.playbook = playbook
        self.naive = naive
    }

    /// Whether the playbook recovered at least as much as the naive ladder by day 60.
    public var recoversAtLeastAsMuch: Bool {
        playbook.recovered(byDay: Self.recoveryDay).minorUnits >= naive.recovered(byDay: Self.recoveryDay).minorUnits
    }

    /// How many fewer contacts the playbook made than the naive ladder, in whole percent (rounded down; negative
    /// when it made more).
    public var fewerContacts: Int {
        guard naive.contacts > 0 else { return 0 }
        let difference = (naive.contacts - playbook.contacts) * 100
        return difference >= 0 ? difference / naive.contacts : -((-difference + naive.contacts - 1) / naive.contacts)
    }

    /// Whether the playbook never contacted a client about an invoice under a live dispute or kept promise.
    public var respectsPauses: Bool {
        playbook.contactsDuringDisputes == 0 && playbook.contactsDuringKeptPromises == 0
    }

    /// All three together.
    public var meetsTarget: Bool {
        recoversAtLeastAsMuch && fewerContacts >= Self.fewerContactsPercent && respectsPauses
    }
}
