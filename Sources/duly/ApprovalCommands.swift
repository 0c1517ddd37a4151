import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly approvals`: the approval queue, with why each account qualifies.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "Escalations and offers awaiting a manager's approval, with why each account qualifies.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "One JSON object per action awaiting approval.") var json = false
    // A final notice's letter claims interest: approvals say when a missing rate keeps it from stating the figures.
    @OptionGroup(title: "Interest in non-payment messages") var interest: InterestOptions

    struct Line: Encodable {
        struct Invoice: Encodable {
            var number: String
            var daysOverdue: Int
            /// What is asked for: the open amount less any part under dispute.
            var open: String
            /// The part under an open dispute, not asked for; absent when none is.
            var disputed: String?
            var currency: String
            var state: String

            enum CodingKeys: String, CodingKey {
                case number, open, disputed, currency, state
                case daysOverdue = "days_overdue"
            }
        }

        var actionID: Int64
        var customerID: String
        var step: String
        var escalatesTo: String?
        var invoices: [Invoice]
        var contactsMade: Int
        /// Each attempt to reach the client: `2026-03-02 email first_follow_up: sent`.
        var attempts: [String]
        var channelsUsed: [String]
        var firstContact: String?
        var lastContact: String?
        var brokenPromises: Int
        var refusals: Int
        var lastResortMet: Bool
        var externalThisMonth: Int?
        var externalCap: Int?
        /// Why the letter would state no interest figures, and the rate-file line that fixes it.
        var interestWarnings: [String]

        enum CodingKeys: String, CodingKey {
            case step, invoices, refusals
            case interestWarnings = "interest_warnings"
            case actionID = "action_id"
            case customerID = "customer_id"
            case escalatesTo = "escalates_to"
            case contactsMade = "contacts_made"
            case attempts
            case channelsUsed = "channels_used"
            case firstContact = "first_contact"
            case lastContact = "last_contact"
            case brokenPromises = "broken_promises"
            case lastResortMet = "last_resort_met"
            case externalThisMonth = "external_escalations_this_month"
            case externalCap = "external_escalations_cap"
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, today) = (command.store, command.organisation, command.date)
        let playbook = try await adoptedPlaybook(store, organisation)
        let month = today.calendarMonth
        let queue = try await store.approvalQueue(organisation: organisation, playbook: playbook, on: today)
        let used = queue.externalApproved
        var lines: [Line] = []
        var claimingInterest: [Invoice] = []
        for waiting in queue.waiting {
            let (stored, account, review) = (waiting.stored, waiting.account, waiting.review)
            let external = stored.action.escalatesTo?.isExternal == true
            // Non-payment messages state interest (the composer's rule): say when one cannot.
            let covered =
                stored.action.stage == .nonPayment
                ? account.invoices.map(\.invoice).filter { stored.action.invoiceNumbers.contains($0.number) } : []
            claimingInterest += covered
            let warnings = try interest.missingRateAdvice(
                for: covered, organisation: organisation, global: global, on: today)
            lines.append(
                Line(
                    actionID: stored.id, customerID: stored.customerID, step: stored.action.stepID,
                    escalatesTo: stored.action.escalatesTo?.rawValue,
                    invoices: review.invoices.sorted { NaturalOrder.precedes($0.number, $1.number) }.map {
                        Line.Invoice(
                            number: $0.number, daysOverdue: $0.daysOverdue, open: $0.open.decimalString,
                            disputed: $0.disputed?.decimalString, currency: $0.open.currency.code,
                            state: $0.state.rawValue)
                    },
                    contactsMade: review.contactsMade,
                    attempts: review.attempts.map {
                        "\($0.date) \($0.channel.rawValue) \($0.stepID): \($0.outcome.rawValue)"
                    },
                    channelsUsed: review.channelsUsed.map(\.rawValue),
                    firstContact: review.firstContact?.description, lastContact: review.lastContact?.description,
                    brokenPromises: review.brokenPromises, refusals: review.refusals,
                    lastResortMet: review.lastResortMet, externalThisMonth: external ? used : nil,
                    externalCap: external ? queue.externalCap : nil, interestWarnings: warnings))
        }
        if json {
            for line in lines { try JSONOutput.printLine(line) }
            return
        }
        guard !lines.isEmpty else {
            print("Nothing awaits approval.")
            return
        }
        print(
            "External escalations approved in \(month.first.year)-\(String(month.first.month).leftPadded(2)): "
                + "\(used) of at most \(playbook.maxExternalEscalationsPerMonth).\n")
        for line in lines {
            let target = line.escalatesTo.map { " → \($0.replacingOccurrences(of: "_", with: " "))" } ?? ""
            print("Action \(PublicID.action.id(line.actionID)): \(line.step)\(target) for \(line.customerID)")
            for invoice in line.invoices {
                print(
                    "  \(invoice.number): \(invoice.currency) \(invoice.open) open, \(counted(invoice.daysOverdue, "day")) "
                        + "overdue, \(invoice.state)"
                        + (invoice.disputed.map { " (\(invoice.currency) \($0) under dispute, not chased)" } ?? ""))
            }
            let channels = line.channelsUsed.isEmpty ? "" : " by \(line.channelsUsed.joined(separator: ", "))"
            let span = line.firstContact.map { " from \($0) to \(line.lastContact!)" } ?? ""
            print("  contacts made: \(line.contactsMade)\(channels)\(span)")
            for attempt in line.attempts { print("    \(attempt)") }
            print("  broken promises or plans: \(line.brokenPromises); refusals: \(line.refusals)")
            // The how-to line is the same for every action: printed once, at the end.
            for warning in line.interestWarnings.dropLast() { print("  \(warning)") }
            if line.escalatesTo == "agency" || line.escalatesTo == "lawyer" {
                print(
                    "  last resort: "
                        + (line.lastResortMet
                            ? "met (two or more contacts on two or more channels)"
                            : "NOT met: fewer than two contacts on two channels"))
            }
            print("")
        }
        print("Decide with `duly approve ACTION --by NAME [--note …]` or `duly approve ACTION --reject --by NAME`.")
        let advice = try interest.missingRateAdvice(
            for: claimingInterest, organisation: organisation, global: global, on: today)
        if let howTo = advice.last { print(howTo.trimmingCharacters(in: .whitespaces)) }
    }
}

/// `duly approve`: a manager's decision on an action awaiting approval.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve (or --reject) an action awaiting a manager's approval; the decision is on the record.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The action's id, act_N or N (see `duly approvals`).") var action: ActionNumber
    @Flag(help: "Refuse it instead: the action is cancelled.") var reject = false
    @Option(help: "Who decides (default: the USER environment variable).") var by: String?
    @Option(help: "Why; kept on the timeline.") var note: String?

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, today) = (command.store, command.organisation, command.date)
        let manager = by ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !manager.isEmpty else { throw ValidationError("say who decides with --by NAME") }
        guard let stored = try await store.action(organisationID: organisation.id, id: action.number) else {
            throw CLIError(
                "no action \(PublicID.action.id(action.number)) in organisation '\(organisation.id)': see `duly approvals` for the actions "
                    + "awaiting a decision")
        }
        do {
            try await store.decide(
                stored, approve: !reject, by: manager, note: note,
                playbook: try await adoptedPlaybook(store, organisation),
                organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
        } catch let refusal as ApprovalRefusal {
            if case .notAwaitingApproval = refusal {
                throw CLIError("action \(PublicID.action.id(action.number)) \(refusal)")
            }
            throw CLIError("\(refusal)")
        }
        print(
            "Action \(PublicID.action.id(action.number)) (\(stored.action.stepID) for \(stored.customerID)) \(reject ? "rejected" : "approved") "
                + "by \(manager).")
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
