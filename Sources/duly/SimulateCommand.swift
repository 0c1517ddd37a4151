import ArgumentParser
import DulyCore
import DulyServer
import DulyStore
import Foundation

/// `duly simulate`: what a playbook would do over the coming days, before it is adopted; with `--portfolio`, how it
/// collects from a generated portfolio of clients against a naive reminder ladder.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a playbook day by day on the current ledger and print what would go out when.",
        discussion: """
            Nothing is written and nothing is sent. The replay assumes every message goes out on its day, every \
            call is made and every approval is given, and that no payment arrives: it shows the most a playbook \
            would do, so a new one can be tried before it is adopted.

            With --portfolio no database is needed: a portfolio of clients fixed by --seed (prompt, forgetful and \
            slow payers, disputers who are right or wrong, promisers who keep or break their word, non-payers; \
            README.md, "The default playbook") lives --days days under the playbook, driven by the planner with the \
            team's daily work, and under a naive ladder (a reminder about each overdue invoice every 7 days, no \
            consolidation, no pauses, no calls). It prints money recovered by day 30, 60 and 90, contacts per \
            customer, contacts during live disputes and kept promises, and escalations. A contact is a message or \
            call to the client that went out (a voicemail included); notes to the manager, approvals, skipped and \
            withdrawn actions are not.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The playbook YAML file to try (default: the adopted one, else the built-in one).")
    var playbook: String?
    @Option(help: "The first day, YYYY-MM-DD (default: today where the organisation is).") var from: String?
    @Option(help: "The last day, YYYY-MM-DD (default: 30 days after the first).") var to: String?
    @Option(help: "Only this customer.") var customer: String?
    @Flag(help: "One JSON object per action, in date order (with --portfolio: one object with both outcomes).")
    var json = false
    @Flag(help: "Play a generated portfolio of clients instead of the ledger; no database needed.")
    var portfolio = false
    @Option(help: "With --portfolio: the seed that fixes the clients and their behaviour.") var seed: UInt64 = 1
    @Option(help: "With --portfolio: how many clients.") var customers = 300
    @Option(help: "With --portfolio: how many days to live (--from is the first, default 2026-01-05).")
    var days = 120

    func run() async throws {
        if portfolio { return try runPortfolio() }
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let first =
            try from.map { try parseDate($0, option: "--from") }
            ?? SystemClock.today(inTimeZone: organisation.timeZone)
        let last = try to.map { try parseDate($0, option: "--to") } ?? first.adding(days: 30)
        guard first <= last else { throw ValidationError("--to must not be before --from") }
        guard first.days(until: last) <= 366 else { throw ValidationError("simulate at most a year at a time") }
        let chosen = try await playbookToTry(playbook, store, organisation)
        let planner = Planner(playbook: chosen, organisation: organisation)

        var actions: [PlannedAction] = []
        var after: String?
        while true {
            let batch = try await store.accountsForRun(organisationID: organisation.id, after: after, limit: 500)
            guard let lastAccount = batch.last else { break }
            after = lastAccount.customer.id
            for account in batch where customer == nil || account.customer.id == customer {
                actions += WhatIf.replay(account, planner: planner, from: first, to: last)
            }
        }
        actions.sort { ($0.date, $0.customerID, $0.channel) < ($1.date, $1.customerID, $1.channel) }

        if json {
            for action in actions { try JSONOutput.printLine(ActionJSON(action)) }
            return
        }
        print("Simulated \(chosen.name) from \(first) to \(last) (nothing written, nothing sent):")
        guard !actions.isEmpty else {
            print("  nothing would go out.")
            return
        }
        var day: LocalDate?
        for action in actions.prefix(200) {
            if action.date != day {
                day = action.date
                print("\(action.date) (\(action.date.weekday.rawValue.prefix(3))):")
            }
            var line = "  \(action.customerID): \(action.stepID) by \(action.channel.rawValue) for "
            line += action.invoiceNumbers.joined(separator: ", ")
            if action.status == .awaitingApproval { line += " (needs approval)" }
            if action.status == .skipped { line += " (skipped: \(action.note ?? ""))" }
            print(line)
        }
        if actions.count > 200 { print("  … and \(actions.count - 200) more (use --json for all)") }
        var bySteps: [String: Int] = [:]
        for action in actions { bySteps[action.stepID, default: 0] += 1 }
        var table = TextTable(headers: ["step", "actions"], rightAligned: [1])
        let order = chosen.steps.map(\.id)
        for (step, count) in bySteps.sorted(by: {
            (order.firstIndex(of: $0.key) ?? order.count, $0.key) < (
                order.firstIndex(of: $1.key) ?? order.count, $1.key
            )
        }) {
            table.rows.append([step, String(count)])
        }
        print(
            "\nIn all: \(counted(actions.count, "action")), "
                + "\(actions.filter { $0.status == .awaitingApproval }.count) needing approval, "
                + "\(counted(Set(actions.map(\.customerID)).count, "customer")).")
        print(table.render())
    }

    private func runPortfolio() throws {
        guard to == nil, customer == nil else {
            throw ValidationError("--portfolio generates its own clients: leave out --to and --customer (use --days)")
        }
        guard (1...100_000).contains(customers) else { throw ValidationError("--customers must be 1 to 100000") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366") }
        let start = try from.map { try parseDate($0, option: "--from") } ?? Portfolio.defaultStart
        let chosen = try loadPlaybook(playbook)
        let generated = Portfolio(seed: seed, customers: customers, start: start)
        let simulation = PortfolioSimulation(portfolio: generated, days: days)
        let comparison = PortfolioComparison(
            playbook: simulation.run(playbook: chosen), naive: simulation.runNaiveLadder())
        let report = PortfolioReport(portfolio: generated, days: days, comparison: comparison)
        if json {
            try JSONOutput.printLine(report.json)
        } else {
            print(report.text)
        }
    }

    private func parseDate(_ text: String, option: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw ValidationError("\(option) '\(text)' is not YYYY-MM-DD") }
        return date
    }
}
