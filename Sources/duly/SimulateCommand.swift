import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly simulate`: what a playbook would do over the coming days, before it is adopted.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a playbook day by day on the current ledger and print what would go out when.",
        discussion: """
            Nothing is written and nothing is sent. The replay assumes every message goes out on its day, every \
            call is made and every approval is given, and that no payment arrives: it shows the most a playbook \
            would do, so a new one can be tried before it is adopted.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The playbook YAML file to try (default: the built-in one).") var playbook: String?
    @Option(help: "The first day, YYYY-MM-DD (default: today where the organisation is).") var from: String?
    @Option(help: "The last day, YYYY-MM-DD (default: 30 days after the first).") var to: String?
    @Option(help: "Only this customer.") var customer: String?
    @Flag(help: "One JSON object per action, in date order.") var json = false

    func run() async throws {
        let store = try await global.openStore()
        let organisation = try await global.requireOrganisation(in: store)
        let first =
            try from.map { try parseDate($0, option: "--from") }
            ?? SystemClock.today(inTimeZone: organisation.timeZone)
        let last = try to.map { try parseDate($0, option: "--to") } ?? first.adding(days: 30)
        guard first <= last else { throw ValidationError("--to must not be before --from") }
        guard first.days(until: last) <= 366 else { throw ValidationError("simulate at most a year at a time") }
        let chosen = try loadPlaybook(playbook)
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

    private func parseDate(_ text: String, option: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw ValidationError("\(option) '\(text)' is not YYYY-MM-DD") }
        return date
    }
}
