import ArgumentParser
import DulyCore
import DulyStore

/// `duly pause`: hold the whole chase of one customer until a date, or end such a pause early.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause the chase of a customer until a date (with a reason), or end the pause with --end.",
        discussion: """
            While a customer is paused nothing is planned for them and nothing pending reaches them (a note to the \
            team still goes); the invoices keep ageing. The pause ends by itself after --until: the next run plans \
            again from the day after. Setting and ending a pause go on the customer's timeline.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The customer's id.") var customer: String
    @Option(help: "The last day paused (YYYY-MM-DD); contact may resume the day after.") var until: String?
    @Option(help: "Why; kept on the timeline.") var reason: String?
    @Option(help: "Who asked for the pause (default: the user running the command).") var by: String?
    @Flag(help: "End the customer's pause now, before its day.") var end = false

    func validate() throws {
        if end {
            guard until == nil, reason == nil else {
                throw ValidationError("--end takes neither --until nor --reason")
            }
            return
        }
        guard let until else { throw ValidationError("give --until DATE (the last day paused), or --end") }
        guard LocalDate(iso: until) != nil else { throw ValidationError("--until '\(until)' is not YYYY-MM-DD") }
        guard reason != nil else { throw ValidationError("give --reason: why the chase pauses") }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        try await command.requireCustomer(customer)
        let person = by ?? environment("USER") ?? "duly"
        do {
            if end {
                let ended = try await command.store.endPause(
                    customerID: customer, by: person, organisationID: command.organisation.id,
                    context: command.recording)
                if let ended {
                    print("The pause of \(customer) until \(ended.until) is withdrawn; the next run chases again.")
                } else {
                    print("\(customer) is not paused on \(command.date); nothing changed.")
                }
                return
            }
            let pause = try await command.store.pauseChase(
                customerID: customer, until: LocalDate(iso: until!)!, reason: reason!, by: person,
                organisationID: command.organisation.id, context: command.recording)
            print(
                "The chase of \(customer) is paused until \(pause.until) (\(pause.reason)); contact may resume on "
                    + "\(pause.until.adding(days: 1)).")
        } catch let refusal as PauseRefusal {
            throw ValidationError("--\(refusal.field): \(refusal.description)")
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }
}
