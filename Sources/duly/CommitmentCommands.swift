import ArgumentParser
import DulyCore
import DulyStore
import Foundation

// The collector's tools (docs/PRODUCT.md, "Stages" and "Concepts"): promises, payment plans and disputes, each a record
// that the collection day obeys.

/// Parses a decimal amount in the currency of the invoices it is about, or says which option is wrong; an amount of
/// zero or less is refused (amount options parse `-100.00` as their value, so it reaches this check).
func parseAmount(_ text: String, option: String, currency: Currency) throws -> Money {
    let amount: Money
    do { amount = try Money(parsing: text, currency: currency) } catch { throw ValidationError("\(option): \(error)") }
    guard amount.minorUnits > 0 else {
        throw ValidationError("\(option): \(CommitmentError.amountNotPositive(amount))")
    }
    return amount
}

// MARK: - Promises

/// `duly promise`: promises to pay, and how well each client keeps them.
struct PromiseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promise",
        abstract: "Record a promise to pay, withdraw one recorded by mistake, or list promises with the kept rate.",
        subcommands: [Add.self, Withdraw.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a promise: the chase of its invoices waits until the date plus the grace days.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The customer who promised.") var customer: String
        @Option(name: .customLong("invoice"), help: "An invoice the promise covers (repeat for several).")
        var invoices: [String] = []
        @Option(
            parsing: .unconditional,
            help: "The amount promised, like 1250.00 (default: all that is open on those invoices).")
        var amount: String?
        @Option(help: "The promised payment date, YYYY-MM-DD.") var date: String
        @Option(help: "How it was promised: email, letter, call, meeting or sms.") var channel: Channel?
        @Option(name: .customLong("promised-by"), help: "Who at the client promised.") var promisedBy: String?
        @Option(help: "An id of your own for the promise (default: PRM-CUSTOMER-DATE-N).") var id: String?

        func validate() throws {
            guard LocalDate(iso: date) != nil else { throw ValidationError("--date '\(date)' is not YYYY-MM-DD") }
            guard !invoices.isEmpty else { throw ValidationError("name at least one --invoice") }
        }

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            let promise = try await store.addPromise(
                customerID: customer, invoiceNumbers: invoices,
                amount: { currency in try amount.map { try parseAmount($0, option: "--amount", currency: currency) } },
                promisedDate: LocalDate(iso: date)!, channel: channel, promisedBy: promisedBy, id: id,
                organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            print(
                "Promise \(promise.id): \(promise.amount) by \(promise.promisedDate) for \(invoices.joined(separator: ", ")). "
                    + "The chase waits until then.")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a promise recorded by mistake, on the record: it is then neither kept nor broken, "
                + "pauses nothing and leaves the kept rate.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The promise's id (see `duly promise list`).") var promise: String
        @Option(help: "Who withdraws it.") var by: String
        @Option(help: "Why; kept on the timeline.") var reason: String

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            let withdrawal = PromiseWithdrawal(promiseID: promise, withdrawnOn: today, withdrawnBy: by, reason: reason)
            if let problem = withdrawal.problem { throw ValidationError(problem) }
            let withdrawn: PromiseToPay
            do {
                withdrawn = try await store.withdrawPromise(
                    withdrawal, organisationID: organisation.id,
                    context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
            print(
                "Promise \(promise) (\(withdrawn.amount) by \(withdrawn.promisedDate)) withdrawn by \(by); the chase of "
                    + "\(withdrawn.invoiceNumbers.joined(separator: ", ")) no longer waits for it.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Promises with where each stands (live, kept, broken, withdrawn) and each client's kept rate.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Option(help: "Only this customer.") var customer: String?
        @Flag(help: "One JSON object per promise.") var json = false

        struct Line: Encodable {
            var id: String
            var customerID: String
            var invoices: [String]
            var amount: String
            var currency: String
            var promisedDate: String
            var madeOn: String
            var channel: String?
            var promisedBy: String?
            var state: String
            var received: String
            var withdrawnOn: String? = nil
            var withdrawnBy: String? = nil
            var withdrawalReason: String? = nil

            enum CodingKeys: String, CodingKey {
                case id, invoices, amount, currency, channel, state, received
                case withdrawnOn = "withdrawn_on"
                case withdrawnBy = "withdrawn_by"
                case withdrawalReason = "withdrawal_reason"
                case customerID = "customer_id"
                case promisedDate = "promised_date"
                case madeOn = "made_on"
                case promisedBy = "promised_by"
            }
        }

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            try await command.requireCustomer(customer)
            let grace = try await adoptedPlaybook(store, organisation).promiseGraceDays
            var lines: [Line] = []
            var rates: [(customer: String, kept: Int, broken: Int)] = []
            for account in try await store.accountsWithCommitments(
                organisationID: organisation.id, customerID: customer)
            where !account.promises.isEmpty {
                var kept = 0
                var broken = 0
                for promise in account.promises {
                    let state = promise.state(on: today, graceDays: grace, receipts: account.receipts)
                    if state == .kept { kept += 1 }
                    if state == .broken { broken += 1 }
                    lines.append(
                        Line(
                            id: promise.id, customerID: account.customer.id, invoices: promise.invoiceNumbers,
                            amount: promise.amount.decimalString, currency: promise.amount.currency.code,
                            promisedDate: promise.promisedDate.description, madeOn: promise.madeOn.description,
                            channel: promise.channel?.rawValue, promisedBy: promise.promisedBy, state: state.rawValue,
                            received: promise.received(on: today, graceDays: grace, receipts: account.receipts)
                                .decimalString))
                }
                rates.append((account.customer.id, kept, broken))
            }
            // Withdrawn promises are listed for the record, and count neither way.
            for withdrawn in try await store.withdrawnPromises(organisationID: organisation.id, customerID: customer) {
                let promise = withdrawn.promise
                lines.append(
                    Line(
                        id: promise.id, customerID: withdrawn.customerID, invoices: promise.invoiceNumbers,
                        amount: promise.amount.decimalString, currency: promise.amount.currency.code,
                        promisedDate: promise.promisedDate.description, madeOn: promise.madeOn.description,
                        channel: promise.channel?.rawValue, promisedBy: promise.promisedBy, state: "withdrawn",
                        received: "", withdrawnOn: withdrawn.withdrawal.withdrawnOn.description,
                        withdrawnBy: withdrawn.withdrawal.withdrawnBy, withdrawalReason: withdrawn.withdrawal.reason))
            }
            if json {
                for line in lines { try JSONOutput.printLine(line) }
                return
            }
            guard !lines.isEmpty else {
                print("No promises.")
                return
            }
            var table = TextTable(
                headers: ["promise", "customer", "amount", "received", "by", "made", "channel", "state"],
                rightAligned: [2, 3])
            for line in lines {
                table.rows.append([
                    line.id, line.customerID, "\(line.currency) \(line.amount)", line.received, line.promisedDate,
                    line.madeOn, line.channel ?? "",
                    line.withdrawnOn.map { "withdrawn on \($0) by \(line.withdrawnBy ?? "")" } ?? line.state,
                ])
            }
            print(table.render())
            guard !rates.isEmpty else { return }
            print("\nPromise-kept rate (kept out of kept and broken; live and withdrawn promises not counted):")
            for rate in rates {
                let decided = rate.kept + rate.broken
                let percent = decided == 0 ? "n/a" : "\((rate.kept * 100 + decided / 2) / decided) %"
                print("  \(rate.customer): \(percent) (\(rate.kept) kept, \(rate.broken) broken)")
            }
        }
    }
}

// MARK: - Payment plans

/// `duly plan`: instalments agreed for one or more invoices.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Propose, accept and list payment plans: an accepted plan's dates drive the reminders.",
        subcommands: [Propose.self, Accept.self, List.self])

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a plan (from the collector or the client); it pauses nothing until accepted.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The customer.") var customer: String
        @Option(name: .customLong("invoice"), help: "An invoice the plan covers (repeat for several).")
        var invoices: [String] = []
        @Option(
            name: .customLong("instalment"),
            help: "An instalment as DATE=AMOUNT, like 2026-12-15=250.00 (repeat for each).")
        var instalments: [String] = []
        @Option(name: .customLong("proposed-by"), help: "collector or client.") var proposedBy: PaymentPlan.Proposer =
            .collector
        @Flag(help: "Both sides agree already: accept it today.") var accepted = false
        @Option(help: "An id of your own for the plan (default: PLN-CUSTOMER-DATE).") var id: String?

        func run() async throws {
            guard !invoices.isEmpty, !instalments.isEmpty else {
                throw ValidationError("a plan needs at least one --invoice and one --instalment")
            }
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            let (plan, open) = try await store.proposePlan(
                customerID: customer, invoiceNumbers: invoices,
                instalments: { currency in
                    try instalments.map { text -> PaymentPlan.Instalment in
                        let parts = text.split(separator: "=", maxSplits: 1)
                        guard parts.count == 2, let date = LocalDate(iso: parts[0]) else {
                            throw ValidationError(
                                "--instalment '\(text)': expected DATE=AMOUNT, like 2026-12-15=250.00")
                        }
                        return PaymentPlan.Instalment(
                            dueDate: date,
                            amount: try parseAmount(String(parts[1]), option: "--instalment", currency: currency))
                    }
                }, proposedBy: proposedBy, accepted: accepted, id: id, organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            if plan.total != open {
                print("Note: the instalments add up to \(plan.total); \(open) is open on those invoices.")
            }
            print(
                "Plan \(plan.id): \(counted(plan.instalments.count, "instalment")), \(plan.total) in all, "
                    + (accepted
                        ? "accepted today."
                        : "proposed by the \(proposedBy.rawValue); accept it with "
                            + "`duly plan accept \(plan.id)`."))
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a proposed plan: from today its instalments replace the chase of its invoices.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The plan's id.") var plan: String

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            guard let found = try await store.paymentPlan(organisationID: organisation.id, id: plan) else {
                throw CLIError(
                    "no plan '\(plan)' in organisation '\(organisation.id)': see `duly plan list` for the ids")
            }
            _ = try await store.acceptPlan(
                found, organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            print("Plan \(plan) accepted on \(today).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Payment plans and where each stands.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Option(help: "Only this customer.") var customer: String?

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            try await command.requireCustomer(customer)
            let grace = try await adoptedPlaybook(store, organisation).promiseGraceDays
            var table = TextTable(headers: ["plan", "customer", "invoices", "instalments", "state", "next due"])
            for account in try await store.accountsWithCommitments(
                organisationID: organisation.id, customerID: customer)
            {
                for plan in account.plans {
                    let state =
                        plan.acceptedOn == nil
                        ? "proposed by \(plan.proposedBy.rawValue)"
                        : plan.state(on: today, graceDays: grace, receipts: account.receipts).rawValue
                    let next = plan.nextInstalment(on: today, graceDays: grace, receipts: account.receipts)
                    table.rows.append([
                        plan.id, account.customer.id, plan.invoiceNumbers.joined(separator: ","),
                        plan.instalments.map { "\($0.dueDate) \($0.amount.decimalString)" }.joined(separator: "; "),
                        state, next.map { "\($0.dueDate) \($0.amount)" } ?? "",
                    ])
                }
            }
            print(table.rows.isEmpty ? "No payment plans." : table.render())
        }
    }
}

// MARK: - Disputes

/// `duly dispute`: an invoice (or part of it) the client contests.
struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute", abstract: "Open, resolve and list disputes: the disputed amount is not chased.",
        subcommands: [Open.self, Resolve.self, List.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a dispute on an invoice or part of it.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The invoice number.") var invoice: String
        @Option(
            name: .customLong("reason-code"),
            help: "pricing, quantity, quality, not_received, already_paid, duplicate, terms or other.")
        var reasonCode: DisputeReason = .other
        @Option(help: "The client's words.") var reason: String
        @Option(parsing: .unconditional, help: "The disputed part, like 120.00 (default: the whole invoice).")
        var amount: String?
        @Option(help: "Who at your organisation works on it.") var owner: String?
        @Option(help: "An id of your own (default: DSP-INVOICE-DATE).") var id: String?

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            let dispute = try await store.openDispute(
                invoiceNumber: invoice,
                amount: { currency in try amount.map { try parseAmount($0, option: "--amount", currency: currency) } },
                reasonCode: reasonCode, reason: reason, owner: owner, id: id, organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            let part = dispute.amount
            print(
                "Dispute \(dispute.id) on \(invoice) (\(reasonCode.rawValue)): "
                    + (part.map { "\($0) is not chased" } ?? "the invoice is not chased") + " until it is resolved.")
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a dispute: upheld (credited), rejected (the chase resumes, the client is told), or "
                + "settled (an agreed amount; the rest is waived, with a manager's approval).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The dispute's id.") var dispute: String
        @Option(help: "upheld, rejected or settled.") var outcome: DisputeOutcome
        @Option(
            name: .customLong("agreed-amount"), parsing: .unconditional, help: "For settled: what the client will pay.")
        var agreedAmount: String?
        @Option(help: "Why, or what was found; kept on the timeline, and a rejection tells the client.") var note:
            String?
        @Option(name: .customLong("approved-by"), help: "For settled: the manager who approved waiving the rest.")
        var approvedBy: String?

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            guard let found = try await store.dispute(organisationID: organisation.id, id: dispute) else {
                throw CLIError(
                    "no dispute '\(dispute)' in organisation '\(organisation.id)': see `duly dispute list` for the ids")
            }
            if outcome == .settled && (agreedAmount == nil || (approvedBy ?? "").isEmpty) {
                throw ValidationError("--outcome settled needs --agreed-amount and --approved-by")
            }
            let resolved = try await store.resolve(
                found, outcome: outcome,
                agreedAmount: { currency in
                    try agreedAmount.map { try parseAmount($0, option: "--agreed-amount", currency: currency) }
                }, note: note, approvedBy: approvedBy, organisationID: organisation.id,
                context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
            let follows: String
            switch outcome {
            case .upheld: follows = "the disputed amount is credited."
            case .rejected: follows = "the next run tells the client the invoice stands, then the chase resumes."
            case .settled: follows = "\(resolved.agreed!) is now what is chased; the rest is booked as a settlement."
            }
            print("Dispute \(dispute) \(outcome.rawValue): \(follows)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disputes, oldest first, with their age and outcome (resolved ones too, unless --open).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Option(help: "Only this customer.") var customer: String?
        @Flag(help: "Only the disputes still open.") var open = false

        func run() async throws {
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation, today) = (command.store, command.organisation, command.date)
            try await command.requireCustomer(customer)
            let rows = try await openDisputes(
                store: store, organisationID: organisation.id, customerID: customer, on: today, includeResolved: !open)
            print(rows.rows.isEmpty ? (open ? "No open disputes." : "No disputes.") : rows.render())
        }
    }
}

/// Disputes as a table, oldest first: what the worklist and `dispute list` show.
func openDisputes(
    store: any StoreBackend, organisationID: String, customerID: String?, on date: LocalDate, includeResolved: Bool
) async throws -> TextTable {
    var disputes: [(customer: String, dispute: Dispute)] = []
    for account in try await store.accountsWithCommitments(organisationID: organisationID, customerID: customerID) {
        for dispute in account.disputes where includeResolved || dispute.isOpen(on: date) {
            disputes.append((account.customer.id, dispute))
        }
    }
    disputes.sort { ($0.dispute.openedOn, $0.dispute.id) < ($1.dispute.openedOn, $1.dispute.id) }
    var table = TextTable(
        headers: ["dispute", "customer", "invoice", "amount", "reason", "owner", "age (days)", "outcome"],
        rightAligned: [6])
    for (customer, dispute) in disputes {
        table.rows.append([
            dispute.id, customer, dispute.invoiceNumber, dispute.amount?.description ?? "whole invoice",
            "\(dispute.reasonCode.rawValue): \(dispute.reason)", dispute.owner ?? "", String(dispute.age(on: date)),
            outcome(of: dispute, on: date),
        ])
    }
    return table
}

// A resolved dispute's outcome and day, as of `date`: one resolved later is still open then.
private func outcome(of dispute: Dispute, on date: LocalDate) -> String {
    guard let outcome = dispute.outcome, let resolvedOn = dispute.resolvedOn, resolvedOn <= date else { return "open" }
    return "\(outcome.rawValue) on \(resolvedOn)"
}

// MARK: - End states

/// `duly write-off` and `duly settle`: ending an invoice for less, with a reason and a manager's approval.
struct WriteOffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-off",
        abstract: "Write off what is open on an invoice as uncollectable (needs a reason and an approver).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The invoice number.") var invoice: String
    @Option(help: "Why it cannot be collected.") var reason: String
    @Option(name: .customLong("approved-by"), help: "The manager who approved it.") var approvedBy: String

    func run() async throws {
        try await bookEndState(
            .writeOff, invoice: invoice, agreed: nil, reason: reason, approvedBy: approvedBy, global: global,
            asOf: asOf)
    }
}

struct SettleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Settle an invoice for an agreed lower amount; the rest is waived (needs a reason and an approver).",
        discussion: """
            Without --agreed-amount, what is open now is waived and the invoice ends as settled (the client paid \
            what was agreed). With it, the difference is waived now and the agreed amount is chased; the invoice \
            ends as settled once it is paid.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The invoice number.") var invoice: String
    @Option(
        name: .customLong("agreed-amount"), parsing: .unconditional,
        help: "What the client still pays (default: nothing more).")
    var agreedAmount: String?
    @Option(help: "Why the rest is waived.") var reason: String
    @Option(name: .customLong("approved-by"), help: "The manager who approved it.") var approvedBy: String

    func run() async throws {
        try await bookEndState(
            .settlement, invoice: invoice, agreed: agreedAmount, reason: reason, approvedBy: approvedBy,
            global: global, asOf: asOf)
    }
}

private func bookEndState(
    _ kind: CreditNote.Kind, invoice: String, agreed: String?, reason: String, approvedBy: String,
    global: GlobalOptions, asOf: AsOfOption
) async throws {
    let command = try await CommandContext(global, asOf: asOf)
    let (store, organisation, today) = (command.store, command.organisation, command.date)
    let ended = try await store.endInvoice(
        kind, invoiceNumber: invoice,
        agreed: { currency in try agreed.map { try parseAmount($0, option: "--agreed-amount", currency: currency) } },
        reason: reason, approvedBy: approvedBy, organisationID: organisation.id,
        context: RecordingContext(date: today, recordedAt: SystemClock.timestamp()))
    let (waived, keep) = (ended.note.amount, ended.stillChased)
    let ending = kind == .writeOff ? "written off" : "settled"
    if let keep {
        print("Invoice \(invoice): \(waived) waived (approved by \(approvedBy)); \(keep) is still chased.")
    } else {
        print("Invoice \(invoice) \(ending): \(waived) (approved by \(approvedBy)). Nothing more is chased.")
    }
}

extension Channel: ExpressibleByArgument {}
extension DisputeReason: ExpressibleByArgument {}
extension DisputeOutcome: ExpressibleByArgument {}
extension PaymentPlan.Proposer: ExpressibleByArgument {}
