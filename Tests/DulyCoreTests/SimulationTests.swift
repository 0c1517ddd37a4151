import DulyCore
import Testing

/// A generated ledger lived through day by day: payments arrive, disputes open and close, promises are made and
/// kept or broken, the planner runs every day and the team does its daily work: messages are delivered (a few
/// fail), calls are logged with varied outcomes (reached, voicemail, wrong number, a promise, a call-back asked
/// for), and a manager approves or rejects what waits for approval in a weekly review.
struct Simulation {
    struct Scheduled {
        var payments: [LocalDate: [Payment]] = [:]
        var disputes: [String: [Dispute]] = [:]
        var promises: [String: [PromiseToPay]] = [:]
    }

    let playbook: Playbook
    /// Whether someone listens for stage changes: then a day an invoice changes state is a review day too.
    let announcingStages: Bool
    /// The organisation is in England: Good Friday and Easter Monday 2026 fall inside the 120 days.
    let country = "GB"
    let start = day("2026-01-05")
    var accounts: [String: Account] = [:]
    var scheduled = Scheduled()
    var nextActionID: Int64 = 1
    /// Every plan the planner made, with the day, for the invariants.
    var log: [(date: LocalDate, customerID: String, plan: AccountPlan, states: [String: InvoiceState])] = []
    var rerunProblems: [String] = []
    /// Rules checked at the end of every day, after the team's work: what broke them, and when.
    var dailyProblems: [String] = []
    /// What the team did, so that a test can see every kind of outcome happened.
    var teamWork: [String: Int] = [:]
    /// Escalations a manager rejected: (action id, invoice, step, day).
    var rejections: [(id: Int64, invoice: String, stepID: String, on: LocalDate)] = []
    /// Days an account was left alone because nothing had changed and its next review had not come, and what the
    /// full planner would have done on such a day that the review missed.
    var daysLeftAlone = 0
    var reviewProblems: [String] = []
    // Per account: as it stood after its last review, the states that day, and the next review's day.
    private var reviews: [String: (account: Account, states: [String: InvoiceState], next: LocalDate?)] = [:]
    private var random = SeededGenerator(state: 0)

    // The rule tests' ladder by default: with two contacts a week and more rungs, invoices meet at steps and
    // approvals join often enough for every rule to be exercised.
    init(seed: UInt64, customers: Int, playbook: Playbook = ladderPlaybook, announcingStages: Bool = true) {
        self.playbook = playbook
        self.announcingStages = announcingStages
        var random = SeededGenerator(state: seed)
        for index in 0..<customers {
            let id = "C\(index)"
            var customer = Customer(id: id, name: "Customer \(index)")
            if Int.random(in: 0..<10, using: &random) == 0 { customer.optedOut = [.email] }
            // Clients in three countries, most with a postal address for letters.
            customer.country = ["GB", "NL", "DE"][Int.random(in: 0..<3, using: &random)]
            if Int.random(in: 0..<5, using: &random) > 0 {
                customer.address = PostalAddress(line1: "\(index) High Street", city: "Town")
            }
            var contact = Contact(role: .billing, name: "Billing \(index)", email: "ap\(index)@example.com")
            if Int.random(in: 0..<4, using: &random) > 0 { contact.phone = "+44 20 7946 \(1000 + index)" }
            // A senior person at most clients, for a playbook that escalates to one.
            let senior = Contact(role: .senior, name: "Director \(index)", email: "director\(index)@example.com")
            let contacts = Int.random(in: 0..<4, using: &random) > 0 ? [contact, senior] : [contact]
            var account = Account(customer: customer, contacts: contacts)
            for number in 0..<Int.random(in: 1...6, using: &random) {
                let issue = start.adding(days: Int.random(in: -120...90, using: &random))
                let total = euros(Int.random(in: 50_00...20_000_00, using: &random))
                let invoice = Invoice(
                    number: "\(id)-\(number)", customerID: id, issueDate: issue, dueDate: issue.adding(days: 30),
                    total: total, terms: .net(days: 30))
                account.invoices.append(InvoiceBalance(invoice: invoice))
                let behaviour = Int.random(in: 0..<10, using: &random)
                if behaviour < 6 {
                    // Pays in full some day between ten days early and a hundred days late.
                    let date = invoice.dueDate.adding(days: Int.random(in: -10...100, using: &random))
                    scheduled.payments[date, default: []].append(
                        Payment(
                            id: "P-\(invoice.number)", customerID: id, date: date, amount: total,
                            invoiceNumber: invoice.number))
                } else if behaviour == 6 {
                    let opened = invoice.dueDate.adding(days: Int.random(in: 1...20, using: &random))
                    let resolved = Bool.random(using: &random) ? opened.adding(days: 15) : nil
                    scheduled.disputes[id, default: []].append(
                        Dispute(
                            id: "D-\(invoice.number)", invoiceNumber: invoice.number, openedOn: opened,
                            reason: "quality", resolvedOn: resolved))
                } else if behaviour == 7 {
                    let madeOn = invoice.dueDate.adding(days: Int.random(in: 5...40, using: &random))
                    let promise = PromiseToPay(
                        id: "PR-\(invoice.number)", invoiceNumbers: [invoice.number], amount: total,
                        promisedDate: madeOn.adding(days: 7), madeOn: madeOn)
                    scheduled.promises[id, default: []].append(promise)
                    if Bool.random(using: &random) {
                        scheduled.payments[promise.promisedDate, default: []].append(
                            Payment(
                                id: "P-\(invoice.number)", customerID: id, date: promise.promisedDate, amount: total,
                                invoiceNumber: invoice.number))
                    }
                }
            }
            accounts[id] = account
        }
        self.random = random
    }

    mutating func live(days: Int) {
        let planner = Planner(playbook: playbook, organisationID: "sim", organisationCountry: country)
        for offset in 0..<days {
            let today = start.adding(days: offset)
            receivePayments(on: today)
            for id in accounts.keys.sorted() {
                var account = accounts[id]!
                account.disputes = scheduled.disputes[id, default: []].filter { $0.openedOn <= today }
                account.promises = scheduled.promises[id, default: []].filter { $0.madeOn <= today }
                let plan = planner.plan(account, asOf: today)
                let states = planner.states(of: account, asOf: today)
                log.append((today, id, plan, states))
                checkTheReview(account, plan: plan, states: states, on: today)
                let next = planner.nextReview(
                    of: account, after: plan, on: today, announcingStages: announcingStages)
                apply(plan, to: &account)
                reviews[id] = (account, states, next)
                // Re-running the same day must change nothing.
                let again = planner.plan(account, asOf: today)
                if !again.actions.isEmpty || !again.cancellations.isEmpty {
                    rerunProblems.append("\(id) on \(today): a second run planned \(again.actions.count) more")
                }
                work(&account, on: today, planner: planner)
                accounts[id] = account
                checkTheDay(account, on: today)
            }
        }
    }

    /// An account unchanged since its last review, before its next review's day, is one the collection day leaves
    /// alone: the full planner must find nothing to do for it and, when stages are announced, no invoice's state
    /// changed. (A step may be held back on such a day, by the contact cap or a weekend, when it could not go out
    /// anyway.)
    private mutating func checkTheReview(
        _ account: Account, plan: AccountPlan, states: [String: InvoiceState], on today: LocalDate
    ) {
        guard let review = reviews[account.customer.id], review.account == account,
            review.next.map({ today < $0 }) ?? true
        else { return }
        daysLeftAlone += 1
        if !plan.actions.isEmpty || !plan.cancellations.isEmpty || (announcingStages && states != review.states) {
            reviewProblems.append(
                "\(account.customer.id) on \(today), next review \(review.next.map(\.description) ?? "none"): "
                    + "\(plan.actions.map(\.stepID)) planned, \(plan.cancellations.count) cancelled, "
                    + "states \(states == review.states ? "same" : "changed")")
        }
    }

    /// The rules that hold at the end of every day, whatever the team did.
    private mutating func checkTheDay(_ account: Account, on today: LocalDate) {
        let id = account.customer.id
        let live = account.history.filter { $0.status != .cancelled }
        // One voice a day: one message or call reaching the client today, whatever its channel or step (a senior
        // contact is the client; the manager's note is internal).
        let voices = live.filter { $0.date == today && $0.contactsCustomer && $0.status != .skipped }
        if voices.count > 1 {
            dailyProblems.append("\(id) on \(today): \(voices.count) voices, \(voices.map(\.steps))")
        }
        // One decision per customer and step: never two approvals waiting for the same step.
        let waiting = live.filter { $0.status == .awaitingApproval }
        for (index, first) in waiting.enumerated() {
            let firstSteps = Set(first.steps.map(\.stepID))
            for second in waiting[(index + 1)...] where !firstSteps.isDisjoint(with: second.steps.map(\.stepID)) {
                dailyProblems.append("\(id) on \(today): approvals \(first.id) and \(second.id) for one step")
            }
        }
        // No invoice takes the same rung twice, whichever message it was in.
        var rungs: Set<InvoiceStep> = []
        for step in live.flatMap(\.steps) where playbook.index(of: step.stepID) != nil {
            if !rungs.insert(step).inserted {
                dailyProblems.append("\(id) on \(today): \(step.invoiceNumber) took \(step.stepID) twice")
            }
        }
    }

    private mutating func receivePayments(on today: LocalDate) {
        for payment in scheduled.payments[today, default: []] {
            var account = accounts[payment.customerID]!
            let (allocations, _) = Allocator.allocate(payment, to: account.invoices)
            for allocation in allocations {
                let index = account.invoices.firstIndex { $0.invoice.number == allocation.invoiceNumber }!
                account.invoices[index].paid = account.invoices[index].paid + allocation.amount
                account.receipts.append(
                    Receipt(invoiceNumber: allocation.invoiceNumber, date: today, amount: allocation.amount))
            }
            accounts[payment.customerID] = account
        }
    }

    private mutating func apply(_ plan: AccountPlan, to account: inout Account) {
        for cancellation in plan.cancellations {
            let index = account.history.firstIndex { $0.id == cancellation.actionID }!
            account.history[index].status = .cancelled
        }
        for action in plan.actions {
            // Each invoice's own rung is what the ladder reads back, not the step that leads the message.
            if action.invoiceSteps
                != Dictionary(uniqueKeysWithValues: action.steps.map { ($0.invoiceNumber, $0.stepID) })
                || action.stepID != action.steps.max(by: { rank($0.stepID) < rank($1.stepID) })?.stepID
            {
                dailyProblems.append(
                    "\(action.customerID) on \(action.date): steps \(action.steps) led by \(action.stepID)")
            }
            account.history.append(
                ActionRecord(
                    id: nextActionID, date: action.date, channel: action.channel, status: action.status,
                    escalatesTo: action.escalatesTo, steps: action.steps))
            nextActionID += 1
        }
    }

    private func rank(_ stepID: String) -> Int { playbook.index(of: stepID) ?? -1 }

    /// The team's day: the deliverer sends, collectors make their calls and log them, a manager decides.
    private mutating func work(_ account: inout Account, on today: LocalDate, planner: Planner) {
        let id = account.customer.id
        for index in account.history.indices where account.history[index].date <= today {
            let action = account.history[index]
            switch action.status {
            case .planned, .approved:
                guard action.channel == .call || action.channel == .meeting else {
                    // One message in twenty bounces or is refused by the server.
                    let failed = Int.random(in: 0..<20, using: &random) == 0
                    account.history[index].status = failed ? .failed : .sent
                    teamWork[failed ? "failed" : "sent", default: 0] += 1
                    continue
                }
                let outcome = Int.random(in: 0..<10, using: &random)
                switch outcome {
                case 0..<4:
                    account.history[index].status = .done
                    account.history[index].clientReached = true
                    teamWork["reached", default: 0] += 1
                case 4, 5:
                    account.history[index].status = .done
                    account.history[index].clientReached = false
                    teamWork["voicemail", default: 0] += 1
                case 6:
                    account.history[index].status = .failed
                    account.history[index].clientReached = false
                    teamWork["wrong number", default: 0] += 1
                case 7, 8:
                    // A promise to pay in a week, kept half the time.
                    account.history[index].status = .done
                    account.history[index].clientReached = true
                    let numbers = action.steps.map(\.invoiceNumber).filter { number in
                        account.invoices.contains { $0.invoice.number == number && !$0.open.isZero }
                    }
                    guard !numbers.isEmpty else { continue }
                    let promised = today.adding(days: 7)
                    let open = numbers.map { number in account.invoices.first { $0.invoice.number == number }!.open }
                    let promise = PromiseToPay(
                        id: "PR-call-\(action.id)", invoiceNumbers: numbers,
                        amount: open.dropFirst().reduce(open[0], +),
                        promisedDate: promised, madeOn: today)
                    scheduled.promises[id, default: []].append(promise)
                    if Bool.random(using: &random) {
                        for (number, amount) in zip(numbers, open) {
                            scheduled.payments[promised, default: []].append(
                                Payment(
                                    id: "P-call-\(action.id)-\(number)", customerID: id, date: promised, amount: amount,
                                    invoiceNumber: number))
                        }
                    }
                    teamWork["promise", default: 0] += 1
                default:
                    // Asked to be called back on the next working day: a call of its own, no new rung.
                    account.history[index].status = .done
                    account.history[index].clientReached = true
                    let when = planner.calendar.workingDay(onOrAfter: today.adding(days: 1))
                    account.history.append(
                        ActionRecord(
                            id: nextActionID, date: when, channel: .call, status: .planned,
                            steps: action.steps.map {
                                InvoiceStep(invoiceNumber: $0.invoiceNumber, stepID: "call_back")
                            })
                    )
                    nextActionID += 1
                    teamWork["call-back", default: 0] += 1
                }
            case .awaitingApproval where action.date < today && today.weekday == .friday:
                // The manager decides in a weekly review on Fridays: mostly yes, sometimes no, sometimes not yet.
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<7:
                    account.history[index].status = .approved
                    teamWork["approved", default: 0] += 1
                case 7, 8:
                    account.history[index].status = .cancelled
                    account.history[index].rejectedOn = today
                    for step in action.steps {
                        rejections.append((action.id, step.invoiceNumber, step.stepID, today))
                    }
                    teamWork["rejected", default: 0] += 1
                default:
                    break
                }
            default:
                break
            }
        }
    }
}

@Suite("120 days of collection over a generated ledger")
struct SimulationTests {
    /// The standard playbook with a senior-contact email in non-payment, between the manager's note and the final
    /// notice: the escalation the issue found on the same day as another email.
    static let withSeniorContact: Playbook = {
        var playbook = Playbook.standard
        let finalNotice = playbook.index(of: "final_notice")!
        playbook.steps.insert(
            PlaybookStep(
                id: "senior_contact_escalation", stage: .nonPayment, anchor: .stageEntry, offsetDays: 3, gapDays: 3,
                channel: .email, escalatesTo: .seniorContact),
            at: finalNotice)
        return playbook
    }()

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theRulesHoldEveryDayWhileTheTeamWorks(seed: UInt64) throws {
        try check(Simulation(seed: seed, customers: 60))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func withNobodyListeningForStagesAStateChangeAloneIsNoReviewDayAndNothingIsMissed(seed: UInt64) throws {
        var listened = Simulation(seed: seed, customers: 60)
        listened.live(days: 120)
        let unheard = try check(Simulation(seed: seed, customers: 60, announcingStages: false))
        #expect(unheard.daysLeftAlone > listened.daysLeftAlone)
    }

    @Test(arguments: [4, 5] as [UInt64])
    func aSeniorContactEscalationNeverMakesASecondEmailThatDay(seed: UInt64) throws {
        try check(Simulation(seed: seed, customers: 60, playbook: Self.withSeniorContact))
    }

    // Lives 120 days from `start` and checks every rule; returns the simulation as it ended.
    @discardableResult
    private func check(_ start: Simulation) throws -> Simulation {
        var simulation = start
        simulation.live(days: 120)
        let playbook = simulation.playbook
        #expect(simulation.rerunProblems.isEmpty, "\(simulation.rerunProblems.prefix(3))")
        // Every day: one voice per client, one approval per client and step, no rung taken twice, each invoice's
        // own step recorded.
        #expect(simulation.dailyProblems.isEmpty, "\(simulation.dailyProblems.prefix(5))")
        // Leaving alone the accounts whose review has not come misses nothing the full day would have done; with
        // the team changing accounts every day, still a third of the account-days or more are left alone.
        #expect(simulation.reviewProblems.isEmpty, "\(simulation.reviewProblems.prefix(5))")
        #expect(
            simulation.daysLeftAlone * 3 > simulation.log.count,
            "\(simulation.daysLeftAlone) of \(simulation.log.count) account-days left alone")

        // Enough happened for the invariants to mean something.
        let actions = simulation.log.flatMap(\.plan.actions)
        #expect(actions.count > 200)
        #expect(Set(actions.map(\.stepID)).count == playbook.steps.count, "every step of the ladder was used")
        for kind in [
            "sent", "failed", "reached", "voicemail", "wrong number", "promise", "call-back", "approved", "rejected",
        ] {
            #expect(simulation.teamWork[kind, default: 0] > 0, "the team never logged \(kind)")
        }
        // Approvals were joined: a second invoice reached a step already waiting for a manager.
        #expect(simulation.log.contains { $0.plan.cancellations.contains { $0.reason.hasPrefix("joined into") } })
        // Consolidated messages happened, some led by a step above one of their invoices' own.
        #expect(actions.contains { action in action.steps.contains { $0.stepID != action.stepID } })

        for entry in simulation.log {
            for action in entry.plan.actions {
                for number in action.invoiceNumbers {
                    // Nothing is ever planned for a paid, credited, disputed, promised or planned invoice.
                    #expect(
                        entry.states[number]?.isChased == true,
                        "\(number) planned on \(entry.date) while \(entry.states[number]!)")
                }
            }
        }

        for entry in simulation.log {
            let customer = simulation.accounts[entry.customerID]!.customer
            for action in entry.plan.actions where action.status != .skipped && action.escalatesTo != .manager {
                // No customer-facing message on a public holiday, the organisation's or the client's.
                #expect(
                    PublicHolidays.holiday(on: entry.date, country: simulation.country) == nil,
                    "\(entry.customerID) contacted on a holiday, \(entry.date)")
                if [Channel.email, .call, .sms].contains(action.channel) {
                    #expect(
                        PublicHolidays.holiday(on: entry.date, country: customer.country) == nil,
                        "\(entry.customerID) emailed or called on a holiday in \(customer.country ?? "?"), \(entry.date)"
                    )
                }
            }
        }

        for (customerID, account) in simulation.accounts {
            let history = account.history.filter { $0.status != .cancelled }
            // One voice a day: at most one customer-facing action per customer per day.
            let voices = history.filter { $0.contactsCustomer && $0.status != .skipped }
            #expect(Set(voices.map(\.date)).count == voices.count, "\(customerID) heard two voices on one day")
            // No customer gets more contacts from the ladder in any 7 days than the cap; a call-back the client
            // asked for is theirs, not the ladder's.
            let contacts = history.filter {
                $0.contactsCustomer && $0.status != .skipped && $0.status != .failed
                    && !$0.steps.contains { $0.stepID == "call_back" }
            }
            for contact in contacts {
                let window = contacts.filter { $0.date <= contact.date && $0.date > contact.date.adding(days: -7) }
                #expect(
                    window.count <= playbook.maxContactsPerSevenDays, "\(customerID) over the cap on \(contact.date)")
            }
            for balance in account.invoices {
                let number = balance.invoice.number
                let steps = history.compactMap { action -> (ActionRecord, String)? in
                    guard let step = action.steps.first(where: { $0.invoiceNumber == number }),
                        playbook.index(of: step.stepID) != nil
                    else { return nil }
                    return (action, step.stepID)
                }.sorted { $0.0.id < $1.0.id }
                let indices = steps.map { playbook.index(of: $0.1)! }
                // Steps in the playbook's order, one rung a day, never the same rung twice.
                #expect(indices == indices.sorted() && Set(indices).count == indices.count, "\(number): \(indices)")
                #expect(Set(steps.map(\.0.date)).count == steps.count, "\(number) took two steps on one day")
                // None of the overdue steps skipped: they form an unbroken run from the first overdue step.
                let firstOverdue = playbook.steps.firstIndex { $0.stage != .preDue }!
                let overdue = indices.filter { $0 >= firstOverdue }
                #expect(overdue == Array(firstOverdue..<(firstOverdue + overdue.count)), "\(number): \(overdue)")
                // Contacts actually made about the invoice: messages sent, calls that reached someone.
                let made = account.history.filter { record in
                    record.isContactMade && record.steps.contains { $0.invoiceNumber == number }
                }
                // No escalation without a contact actually made about the invoice before it.
                for (action, stepID) in steps where playbook.step(stepID)?.isEscalation == true {
                    #expect(
                        made.contains { $0.id < action.id },
                        "\(number): \(stepID) on \(action.date) without a contact made")
                }
                // No agency hand-over without two contacts made on two channels before it.
                for (action, stepID) in steps where playbook.step(stepID)?.escalatesTo?.isExternal == true {
                    let before = made.filter { $0.id < action.id }
                    #expect(before.count >= 2 && Set(before.map(\.channel)).count >= 2, "\(number) handed over early")
                }
                // A rejected escalation comes back only after a new contact made or the playbook's wait.
                for rejection in simulation.rejections where rejection.invoice == number {
                    for (action, stepID) in steps where stepID == rejection.stepID && action.id > rejection.id {
                        let contactSince = made.contains { $0.date > rejection.on && $0.id < action.id }
                        #expect(
                            contactSince || action.date >= rejection.on.adding(days: playbook.escalationRetryDays),
                            "\(number): \(stepID) proposed again on \(action.date) after a rejection on \(rejection.on)"
                        )
                    }
                }
            }
        }
        return simulation
    }
}
