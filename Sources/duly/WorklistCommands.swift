import ArgumentParser
import DulyChannels
import DulyCore
import DulyStore
import Foundation

/// `duly worklist`: what needs a person today.
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract:
            "Calls and meetings to make, escalations awaiting approval, deliveries that failed, and bank credits "
            + "that matched no invoice.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "One JSON object per task.") var json = false
    @Option(help: "Print the call script of this call or meeting: what to say and what to offer.")
    var script: ActionNumber?

    struct Task: Encodable {
        var kind: String
        /// Nil for an open dispute, which is a record rather than an action.
        var actionID: Int64?
        var customerID: String
        var date: String
        var step: String?
        var channel: String?
        var invoiceNumbers: [String]
        var note: String?
        var disputeID: String?
        var ageDays: Int?

        enum CodingKeys: String, CodingKey {
            case kind
            case actionID = "action_id"
            case customerID = "customer_id"
            case date, step, channel
            case invoiceNumbers = "invoice_numbers"
            case note
            case disputeID = "dispute_id"
            case ageDays = "age_days"
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        if let script {
            try await printScript(script.number, store: store, organisation: organisation, date: date)
            return
        }
        let tasks = try await Worklist.tasks(store: store, organisation: organisation, on: date).map(Task.init)
        let unmatched = try await store.unmatchedCredits(organisationID: organisation.id)
        if json {
            for task in tasks { try JSONOutput.printLine(task) }
            for credit in unmatched { try JSONOutput.printLine(UnmatchedPayments.Task(credit)) }
            for account in try await store.accountsWithCommitments(organisationID: organisation.id, customerID: nil) {
                for dispute in account.disputes where dispute.isOpen(on: date) {
                    try JSONOutput.printLine(
                        Task(
                            kind: "dispute", actionID: nil, customerID: account.customer.id,
                            date: dispute.openedOn.description, invoiceNumbers: [dispute.invoiceNumber],
                            note: "\(dispute.reasonCode.rawValue): \(dispute.reason)", disputeID: dispute.id,
                            ageDays: dispute.age(on: date)))
                }
            }
            return
        }
        let disputes = try await openDisputes(
            store: store, organisationID: organisation.id, customerID: nil, on: date, includeResolved: false)
        guard !tasks.isEmpty || !disputes.rows.isEmpty || !unmatched.isEmpty else {
            print("Nothing needs a person on \(date).")
            return
        }
        let titles = [
            "call": "Calls to make", "meeting": "Meetings to hold", "approval": "Awaiting a manager's approval",
            "failed_delivery": "Deliveries that failed (fix the address, then re-plan)",
            "waiting_delivery": "Deliveries waiting for a later day (they go by themselves)",
            "held_escalation": "Escalations held back (reach the client, or wait for the reason to pass)",
            "skipped": "Not sent this week: no way to reach the client (complete the customer's details)",
        ]
        for kind in [
            "call", "meeting", "approval", "failed_delivery", "waiting_delivery", "skipped", "held_escalation",
        ] {
            let group = tasks.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            print("\(titles[kind]!):")
            var table = TextTable(headers: ["action", "customer", "date", "step", "invoices", "note"])
            for task in group {
                table.rows.append([
                    task.actionID.map(PublicID.action.id) ?? "", task.customerID, task.date, task.step ?? "",
                    task.invoiceNumbers.joined(separator: ","), task.note ?? "",
                ])
            }
            print(table.render() + "\n")
        }
        if !unmatched.isEmpty { print(UnmatchedPayments.render(unmatched)) }
        if !disputes.rows.isEmpty {
            print("Open disputes, oldest first (resolve with `duly dispute resolve ID --outcome …`):")
            print(disputes.render() + "\n")
        }
        print(
            "Record a call with `duly log-call ACTION --outcome …`; see why an escalation qualifies with "
                + "`duly approvals`, decide with `duly approve ACTION --by NAME`.")
    }
}

extension WorklistCommand.Task {
    /// A task as `--json` prints it.
    init(_ task: WorklistTask) {
        self.init(
            kind: task.kind, actionID: task.actionID, customerID: task.customerID, date: task.date.description,
            step: task.step, channel: task.channel?.rawValue, invoiceNumbers: task.invoiceNumbers, note: task.note)
    }
}

extension WorklistCommand {
    /// Renders the call's template for its client, in their language, with today's figures.
    func printScript(_ id: Int64, store: any StoreBackend, organisation: Organisation, date: LocalDate) async throws {
        guard let stored = try await store.action(organisationID: organisation.id, id: id) else {
            throw CLIError(
                "no action \(PublicID.action.id(id)) in organisation '\(organisation.id)': see `duly worklist` for the calls "
                    + "and meetings")
        }
        guard stored.action.channel == .call || stored.action.channel == .meeting else {
            throw CLIError(
                "action \(id) is \(stored.action.channel.rawValue == "email" ? "an" : "a") \(stored.action.channel.rawValue), not a call or meeting"
            )
        }
        guard let account = try await store.account(organisationID: organisation.id, customerID: stored.customerID)
        else { throw CLIError("no customer '\(stored.customerID)'") }
        let library = try await loadTemplates(store: store, organisationID: organisation.id, folder: nil)
        let script = try CallScript(
            action: stored, account: account, organisation: organisation, library: library, on: date)
        print(script.who)
        print(script.subject)
        print(script.text)
        print(
            "Record the outcome: duly log-call \(PublicID.action.id(id)) --outcome reached|voicemail|wrong-number|promise|dispute|refused|call-back"
        )
    }
}

/// `duly log-call`: what happened on a call (or meeting), and what follows from it.
struct LogCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-call",
        abstract:
            "Record a call's outcome: a promise pauses the chase, a dispute pauses the invoice, a refusal moves the "
            + "account to non_payment.")

    typealias Outcome = CallOutcome

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The call's action id, act_N or N (see `duly worklist`).") var action: ActionNumber
    @Option(help: "reached, voicemail, wrong-number, promise, dispute, refused or call-back.") var outcome: Outcome
    @Option(help: "The promised payment date, or the date to call back (YYYY-MM-DD).") var date: String?
    @Option(
        parsing: .unconditional,
        help: "The promised amount, like 1250.00 (default: all that is open on the call's invoices).")
    var amount: String?
    @Option(help: "Why the client disputes the invoice, in their words.") var reason: String?
    @Option(
        name: .customLong("reason-code"),
        help: "For a dispute: pricing, quantity, quality, not_received, already_paid, duplicate, terms or other.")
    var reasonCode: DisputeReason = .other
    @Option(name: .customLong("promised-by"), help: "For a promise: who at the client promised.")
    var promisedBy: String?
    @Option(help: "Anything worth keeping from the conversation.") var note: String?

    func validate() throws {
        if let date, LocalDate(iso: date) == nil { throw ValidationError("--date '\(date)' is not a YYYY-MM-DD date") }
        if let refusal = outcome.refusal(date: date.flatMap { LocalDate(iso: $0) }, reason: reason) {
            throw ValidationError("\(refusal) (--\(refusal.field ?? "outcome"))")
        }
    }

    func run() async throws {
        // The day of the call: today, or --as-of when a past call is recorded late (or in a simulation).
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, context) = (command.store, command.organisation, command.recording)
        guard let stored = try await store.action(organisationID: organisation.id, id: action.number) else {
            throw CLIError(
                "no action \(PublicID.action.id(action.number)) in organisation '\(organisation.id)': see `duly worklist` for the calls to "
                    + "record")
        }
        let logged = try await store.logCall(
            stored, named: String(action.number), outcome: outcome, date: date.flatMap { LocalDate(iso: $0) },
            amount: { currency in try amount.map { try parseAmount($0, option: "--amount", currency: currency) } },
            reason: reason, reasonCode: reasonCode, promisedBy: promisedBy, note: note, organisationID: organisation.id,
            context: context)
        if outcome == .promise {
            print(
                "Call \(PublicID.action.id(action.number)): \(logged.summary). The chase of those invoices waits until then."
            )
            return
        }
        print("Call \(PublicID.action.id(action.number)): \(logged.summary).")
    }
}

extension CallOutcome: ExpressibleByArgument {}
