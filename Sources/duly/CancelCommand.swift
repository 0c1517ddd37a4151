import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly cancel`: withdraw planned actions that never went out, on the record (a mistaken run, a wrong step).
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel planned actions that were never sent (a mistaken run), with who and why on the timeline.",
        discussion: """
            Name the actions, or a whole run with --date DATE (the actions planned for that day) or \
            --planned-after DATE (every action dated after it). Only actions not yet sent can be cancelled: \
            planned, awaiting approval, or approved and not yet handed to delivery. The ladder then goes on as if \
            they had never been planned.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The action ids, act_N or N (see `duly worklist`, `duly approvals`, `duly timeline`).")
    var actions: [ActionNumber] = []
    @Option(help: "Cancel every action not yet sent that is dated this day (YYYY-MM-DD).") var date: String?
    @Option(name: .customLong("planned-after"), help: "Cancel every action not yet sent dated after this day.")
    var plannedAfter: String?
    @Option(help: "Who cancels (default: the USER environment variable).") var by: String?
    @Option(help: "Why; kept on the timeline.") var reason: String

    func validate() throws {
        let forms = [!actions.isEmpty, date != nil, plannedAfter != nil].filter { $0 }.count
        guard forms == 1 else {
            throw ValidationError("name the actions to cancel, or give one of --date DATE and --planned-after DATE")
        }
        for (option, value) in [("--date", date), ("--planned-after", plannedAfter)] {
            if let value, LocalDate(iso: value) == nil {
                throw ValidationError("\(option) '\(value)' is not a date in the form YYYY-MM-DD")
            }
        }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("say why with --reason TEXT") }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, today) = (command.store, command.organisation, command.date)
        let person = by ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !person.isEmpty else { throw ValidationError("say who cancels with --by NAME") }
        var ids = actions.map(\.number)
        if date != nil || plannedAfter != nil {
            let day = date.flatMap { LocalDate(iso: $0) }
            let after = plannedAfter.flatMap { LocalDate(iso: $0) }
            ids = try await store.actions(organisationID: organisation.id, customerID: nil).filter { stored in
                stored.action.status.isPending
                    && (day.map { stored.action.date == $0 } ?? true) && (after.map { stored.action.date > $0 } ?? true)
            }.map(\.id)
            guard !ids.isEmpty else {
                print("No action waiting to go out is dated \(day.map { "\($0)" } ?? "after \(after!)").")
                return
            }
        }
        let result: ActionWithdrawal
        do {
            result = try await store.withdrawActions(
                ids, by: person, reason: reason, organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
        } catch StoreError.actionNotFound(let id) {
            throw CLIError(
                "no action \(PublicID.action.id(id)); see `duly timeline CUSTOMER` for the actions of a customer")
        }
        if !result.withdrawn.isEmpty {
            let count = result.withdrawn.count
            let list = result.withdrawn.map(PublicID.action.id).joined(separator: ", ")
            print("Cancelled \(count) action\(count == 1 ? "" : "s") (\(list)) by \(person): \(reason).")
        }
        for refusal in result.refused {
            printError("action \(PublicID.action.id(refusal.actionID)) was not cancelled: \(refusal.reason).")
        }
        if !result.refused.isEmpty { throw ExitCode(1) }
    }
}
