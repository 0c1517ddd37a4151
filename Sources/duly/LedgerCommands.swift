import ArgumentParser
import DulyCore
import DulyImport
import DulyStore
import Foundation

/// `duly status`: where the open invoices stand.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Open invoices by stage and side state, with amounts per currency.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "Print one JSON object.") var json = false
    // Final notices state interest under the organisation's law: status says when a missing rate keeps them from it.
    @OptionGroup(title: "Interest in non-payment messages") var interest: InterestOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        var tally = StageTally()
        var nonPayment: [Invoice] = []
        try await openInvoiceStates(
            store: store, organisation: organisation, playbook: try await adoptedPlaybook(store, organisation),
            asOf: date
        ) { balance, state in
            if state == .nonPayment { nonPayment.append(balance.invoice) }
            tally.add(balance, state)
        }
        let (counts, amounts) = (tally.counts, tally.amounts)
        let states = tally.states
        let warnings = try interest.missingRateAdvice(
            for: nonPayment, organisation: organisation, global: global, on: date)
        if json {
            struct Row: Encodable {
                var state: String
                var invoices: Int
                var open: [String: String]
            }
            struct Status: Encodable {
                var organisation: String
                var asOf: String
                var states: [Row]
                var warnings: [String]
                enum CodingKeys: String, CodingKey {
                    case organisation
                    case asOf = "as_of"
                    case states, warnings
                }
            }
            let rows = states.map { state in
                Row(
                    state: state.rawValue, invoices: counts[state]!,
                    open: Dictionary(
                        uniqueKeysWithValues: amounts[state]!.map { ($0.key.code, $0.value.decimalString) }))
            }
            try JSONOutput.printLine(
                Status(organisation: organisation.id, asOf: date.description, states: rows, warnings: warnings))
            return
        }
        print("\(organisation.name): open invoices as of \(date)")
        guard !states.isEmpty else {
            print("Nothing open.")
            return
        }
        var table = TextTable(headers: ["state", "invoices", "open"], rightAligned: [1, 2])
        for state in states {
            let money = amounts[state]!.values.sorted { $0.currency.code < $1.currency.code }.map(\.description)
            table.rows.append([state.label, String(counts[state]!), money.joined(separator: ", ")])
        }
        print(table.render())
        if !warnings.isEmpty { print("\n" + warnings.joined(separator: "\n")) }
    }
}

/// `duly invoices`: the invoices, with what is open and where each stands.
struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices", abstract: "List invoices with their open amount and stage.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Only this customer's invoices.") var customer: String?
    @Flag(help: "Only invoices with something still open.") var open = false
    @Flag(help: "One JSON object per invoice.") var json = false

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        try await global.requireCustomer(customer, of: organisation, in: store)
        var states: [String: InvoiceState] = [:]
        try await openInvoiceStates(
            store: store, organisation: organisation, playbook: try await adoptedPlaybook(store, organisation),
            asOf: date,
            customerID: customer
        ) { states[$0.invoice.number] = $1 }
        let balances = try await store.invoices(organisationID: organisation.id, customerID: customer, openOnly: open)
            .sorted { NaturalOrder.precedes($0.invoice.number, $1.invoice.number) }
        struct Row: Encodable {
            var invoiceNumber: String
            var customerID: String
            var issueDate: String
            var dueDate: String
            var currency: String
            var total: String
            var open: String
            var stage: String
            enum CodingKeys: String, CodingKey {
                case invoiceNumber = "invoice_number"
                case customerID = "customer_id"
                case issueDate = "issue_date"
                case dueDate = "due_date"
                case currency
                case total
                case open
                case stage
            }
        }
        var table = TextTable(
            headers: ["invoice", "customer", "due", "currency", "total", "open", "stage"], rightAligned: [4, 5])
        for balance in balances {
            let invoice = balance.invoice
            let state = states[invoice.number] ?? balance.endState.map(InvoiceState.init) ?? .paid
            if json {
                try JSONOutput.printLine(
                    Row(
                        invoiceNumber: invoice.number, customerID: invoice.customerID,
                        issueDate: invoice.issueDate.description, dueDate: invoice.dueDate.description,
                        currency: invoice.currency.code, total: invoice.total.decimalString,
                        open: balance.open.decimalString, stage: state.rawValue))
            } else {
                table.rows.append([
                    invoice.number, invoice.customerID, invoice.dueDate.description, invoice.currency.code,
                    invoice.total.decimalString, balance.open.decimalString, state.label,
                ])
            }
        }
        if !json { print(balances.isEmpty ? "No invoices." : table.render()) }
    }
}

/// `duly timeline`: an account's history, and a check of its hash chain.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show a customer's timeline by date, in words; --verify checks its hash chain.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer id.") var customer: String
    @Flag(help: "Check every entry's hash and link; name the first bad one.") var verify = false
    @Flag(help: "One JSON object per entry.") var json = false

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let entries = try await store.timeline(organisationID: organisation.id, customerID: customer)
        guard !entries.isEmpty else { throw CLIError("no timeline for customer '\(customer)'") }
        if verify {
            switch TimelineVerifier.verify(entries) {
            case .valid(let count):
                print(
                    "Timeline of \(customer): \(counted(count, "entry")), chain intact (last hash \(entries.last!.hash))."
                )
            case .broken(let sequence, let reason):
                printError("Timeline of \(customer) is broken at entry \(sequence): \(reason).")
                throw DulyExit.chainBroken
            }
            return
        }
        // Chain order for --verify and --json (scripts compare it with evidence packs); date order and words for
        // people. The chain itself is untouched.
        let sentences = TimelineNarrative.sentences(entries)
        for entry in json ? entries : TimelineNarrative.byDate(entries) {
            if json {
                struct Row: Encodable {
                    var sequence: Int
                    var date: String
                    var recordedAt: String
                    var kind: String
                    var summary: String
                    var details: [String: String]
                    var previousHash: String
                    var hash: String
                    enum CodingKeys: String, CodingKey {
                        case sequence
                        case date
                        case recordedAt = "recorded_at"
                        case kind
                        case summary
                        case details
                        case previousHash = "previous_hash"
                        case hash
                    }
                }
                try JSONOutput.printLine(
                    Row(
                        sequence: entry.sequence, date: entry.date.description, recordedAt: entry.recordedAt,
                        kind: entry.kind, summary: entry.summary, details: entry.details,
                        previousHash: entry.previousHash, hash: entry.hash))
            } else {
                print("\(entry.date)  \(sentences[entry.sequence] ?? entry.summary)")
            }
        }
    }
}

/// `duly playbook`: see, check and adopt playbooks.
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "See, check and adopt the playbook every command plans with.",
        discussion: """
            An organisation plans with the built-in playbook until it adopts its own (`duly playbook adopt FILE`). \
            Every command then reads the adopted one: the run, delivery, approvals, the worklist and the reports. \
            Each adoption is a new version, the earlier ones kept (`duly playbook history`), and each action records \
            the version that planned it. A file can be tried without adopting it: `duly run --dry-run --playbook \
            FILE` or `duly simulate --playbook FILE`.
            """,
        subcommands: [Show.self, Check.self, Adopt.self, History.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a playbook as YAML: a file's, else the adopted one, else the built-in one.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A playbook file.") var file: String?
        func run() async throws {
            if let file {
                print(PlaybookYAML.render(try loadPlaybook(file)), terminator: "")
                return
            }
            // Without a database there is nothing adopted: the built-in one.
            guard global.databaseExists else {
                print(PlaybookYAML.render(.standard), terminator: "")
                return
            }
            let store = try await global.openStore()
            if try await store.organisation(id: global.organisationID) != nil,
                let adopted = try await store.adoptedPlaybook(organisationID: global.organisationID)
            {
                print(adopted.source, terminator: adopted.source.hasSuffix("\n") ? "" : "\n")
            } else {
                print(PlaybookYAML.render(.standard), terminator: "")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a playbook file; errors name line and field.")
        @Argument(help: "A playbook file.") var file: String
        func run() throws {
            let playbook = try loadPlaybook(file)
            print("\(file): playbook '\(playbook.name)' is valid, \(counted(playbook.steps.count, "step")).")
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adopt a playbook file: from now on every command plans with it (a new version, kept).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "A playbook file.") var file: String
        @Option(help: "Who adopts it, for the history.") var by: String?

        func run() async throws {
            let playbook = try loadPlaybook(file)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read the playbook file '\(file)'")
            }
            let command = try await CommandContext(global, asOf: asOf)
            let (store, organisation) = (command.store, command.organisation)
            let adopted = try await store.adoptPlaybook(
                name: playbook.name, source: String(decoding: data, as: UTF8.self), adoptedBy: by,
                organisationID: organisation.id, context: command.recording)
            print(
                "Adopted playbook '\(playbook.name)' as version \(adopted.version) for '\(organisation.id)': every "
                    + "command now plans with it (\(counted(playbook.steps.count, "step"))).")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every playbook version adopted, oldest first.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let command = try await CommandContext(global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            let history = try await store.playbookHistory(organisationID: organisation.id)
            guard !history.isEmpty else {
                print(
                    "No playbook adopted: '\(organisation.id)' plans with the built-in one (duly playbook adopt FILE).")
                return
            }
            for version in history {
                let by = version.adoptedBy.map { " by \($0)" } ?? ""
                let current = version == history.last ? " (in force)" : ""
                print("v\(version.version)  \(version.adoptedOn)  '\(version.name)'\(by)\(current)")
            }
        }
    }
}
