import DulyCore
import Testing

/// A deterministic pseudo-random generator (SplitMix64), so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A generated ledger lived through day by day: payments arrive, disputes open and close, promises are made and
/// kept or broken, the planner runs every day and a simulated deliverer carries its actions out (a manager approves
/// what needs approval two days later).
struct Simulation {
    struct Scheduled {
        var payments: [LocalDate: [Payment]] = [:]
        var disputes: [String: [Dispute]] = [:]
        var promises: [String: [PromiseToPay]] = [:]
    }

    let playbook = Playbook.standard
    /// The organisation is in England: Good Friday and Easter Monday 2026 fall inside the 120 days.
    let country = "GB"
    let start = day("2026-01-05")
    var accounts: [String: Account] = [:]
    var scheduled = Scheduled()
    var nextActionID: Int64 = 1
    /// Every plan the planner made, with the day, for the invariants.
    var log: [(date: LocalDate, customerID: String, plan: AccountPlan, states: [String: InvoiceState])] = []
    var rerunProblems: [String] = []

    init(seed: UInt64, customers: Int) {
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
            var account = Account(customer: customer, contacts: [contact])
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
                log.append((today, id, plan, planner.states(of: account, asOf: today)))
                apply(plan, to: &account)
                // Re-running the same day must change nothing.
                let again = planner.plan(account, asOf: today)
                if !again.actions.isEmpty || !again.cancellations.isEmpty {
                    rerunProblems.append("\(id) on \(today): a second run planned \(again.actions.count) more")
                }
                deliver(&account, on: today)
                accounts[id] = account
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
            account.history.append(
                ActionRecord(
                    id: nextActionID, date: action.date, channel: action.channel, status: action.status,
                    escalatesTo: action.escalatesTo, steps: action.steps))
            nextActionID += 1
        }
    }

    private func deliver(_ account: inout Account, on today: LocalDate) {
        for index in account.history.indices {
            switch account.history[index].status {
            case .planned, .approved:
                account.history[index].status = account.history[index].channel == .call ? .done : .sent
            case .awaitingApproval where account.history[index].date.days(until: today) >= 2:
                account.history[index].status = .approved
            default:
                break
            }
        }
    }
}

@Suite("120 days of collection over a generated ledger")
struct SimulationTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theRulesHoldEveryDay(seed: UInt64) throws {
        var simulation = Simulation(seed: seed, customers: 60)
        simulation.live(days: 120)
        let playbook = simulation.playbook
        #expect(simulation.rerunProblems.isEmpty, "\(simulation.rerunProblems.prefix(3))")

        // Enough happened for the invariants to mean something.
        let actions = simulation.log.flatMap(\.plan.actions)
        #expect(actions.count > 200)
        #expect(Set(actions.map(\.stepID)).count == playbook.steps.count, "every step of the ladder was used")

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
            // No customer gets more contacts in any 7 days than the cap.
            let contacts = history.filter { $0.contactsCustomer && $0.status != .skipped && $0.status != .failed }
            for contact in contacts {
                let window = contacts.filter { $0.date <= contact.date && $0.date > contact.date.adding(days: -7) }
                #expect(
                    window.count <= playbook.maxContactsPerSevenDays, "\(customerID) over the cap on \(contact.date)")
            }
            for balance in account.invoices {
                let number = balance.invoice.number
                let steps = history.filter { $0.steps.contains { $0.invoiceNumber == number } }
                    .sorted { $0.id < $1.id }
                    .map { action in (action, action.steps.first { $0.invoiceNumber == number }!.stepID) }
                let indices = steps.map { playbook.index(of: $0.1)! }
                // Steps in the playbook's order, one rung a day, each pre-due step at most once.
                #expect(indices == indices.sorted() && Set(indices).count == indices.count, "\(number): \(indices)")
                #expect(Set(steps.map(\.0.date)).count == steps.count, "\(number) took two steps on one day")
                // None of the overdue steps skipped: they form an unbroken run from the first overdue step.
                let firstOverdue = playbook.steps.firstIndex { $0.stage != .preDue }!
                let overdue = indices.filter { $0 >= firstOverdue }
                #expect(overdue == Array(firstOverdue..<(firstOverdue + overdue.count)), "\(number): \(overdue)")
                // No escalation without a contact actually made about the invoice before it.
                for (action, stepID) in steps where playbook.step(stepID)?.isEscalation == true {
                    let made = steps.map(\.0).filter { $0.id < action.id && $0.isContactMade }
                    #expect(!made.isEmpty, "\(number): \(stepID) on \(action.date) without a contact made")
                }
                // No agency hand-over without two earlier contacts on two channels.
                for (action, stepID) in steps where playbook.step(stepID)?.escalatesTo?.isExternal == true {
                    let before = steps.map(\.0).filter {
                        $0.id < action.id && $0.contactsCustomer && ($0.status == .sent || $0.status == .done)
                    }
                    #expect(before.count >= 2 && Set(before.map(\.channel)).count >= 2, "\(number) handed over early")
                }
            }
        }
    }
}
