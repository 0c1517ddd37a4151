import ArgumentParser
import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Foundation

/// `duly demo`: a small agency's ledger lived through 90 days of collection, then today's collection day.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a demo agency's ledger, live through its last 90 days of collection, then run today.",
        discussion: """
            Works on the organisation 'demo' only: running it again resets the demo's own data and nothing else. \
            Afterwards, explore with --org demo (for example `duly status --org demo`).
            """)

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp("Database URL (default: $DULY_DATABASE_URL, else sqlite:duly.sqlite).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("as-of"), help: "The demo's 'today', YYYY-MM-DD (default: today in Amsterdam).")
    var asOf: String?

    @Option(help: "Days of history to live through before today.")
    var history = 90

    @Option(
        help: ArgumentHelp(
            "A folder of template overrides to write today's messages with (a translator's preview; README, "
                + "Templates for translators).", valueName: "dir"))
    var templates: String?

    @Flag(
        help: """
            Then serve the demo (`duly serve` on --port, standing on the demo's day), with a demo login for the web \
            screens (printed as `email: … password: …`) and an API token for the organisation 'demo'.
            """)
    var serve = false

    @Option(help: "The port to serve the demo on, with --serve.")
    var port = 8080

    @Option(
        help: """
            The address the demo's portal links point at (default: http://localhost:PORT, the demo server's, so \
            the links in outbox/demo open with --serve).
            """)
    var publicURL: String?

    /// Where the demo's messages send clients: the server `--serve` starts.
    var portalURL: String { publicURL ?? "http://localhost:\(port)" }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
        if let asOf, LocalDate(iso: asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a YYYY-MM-DD date") }
        guard (1...365).contains(history) else { throw ValidationError("--history must be between 1 and 365 days") }
    }

    func run() async throws {
        // The templates first: a damaged installation or a wrong override is said before any work is done.
        var library = TemplateLibrary()
        do {
            try TemplateLibrary.checkBuiltIns()
            if let templates { try library.loadOverrides(from: templates) }
        } catch {
            throw CLIError("\(error)")
        }
        var global = GlobalOptions()
        global.databaseURL = databaseURL
        global.organisationID = "demo"
        let store = try await global.openStore()
        var today = asOf.flatMap { LocalDate(iso: $0) } ?? SystemClock.today(inTimeZone: "Europe/Amsterdam")
        if asOf == nil && !Playbook.standard.workingDays.contains(today.weekday) {
            // Nothing goes out at a weekend: show the last working day, so the demo always has a day's mail to read.
            let weekend = today
            while !Playbook.standard.workingDays.contains(today.weekday) { today = today.adding(days: -1) }
            print(
                "Today, \(weekend), is a \(weekend.weekday.rawValue.capitalized): the demo shows \(today), the last working day.\n"
            )
        }
        let ledger = DemoLedger(today: today)
        let organisation = ledger.organisation

        try await store.deleteOrganisation(id: organisation.id)
        try await store.saveOrganisation(organisation)
        let start = today.adding(days: -history)
        let firstDay = RecordingContext(date: start, recordedAt: "\(start)T07:00:00Z")
        _ = try await store.importCustomers(ledger.customers, organisationID: organisation.id, context: firstDay)

        let progress = Progress(label: "Living through the last \(counted(history, "day"))")
        for offset in 0...history {
            let date = start.adding(days: offset)
            let context = RecordingContext(date: date, recordedAt: "\(date)T07:00:00Z")
            try await record(ledger, on: date, isFirstDay: offset == 0, store: store, context: context)
            if date == today { break }
            _ = try await collectionDay(
                store, organisation: organisation, playbook: .standard, asOf: date, recordedAt: "\(date)T08:00:00Z",
                dryRun: false)
            try await deliver(store: store, organisationID: organisation.id, on: date)
            progress.update(offset + 1, of: history, unit: "days")
        }
        progress.finish()

        print(
            "Duly demo: \(organisation.name), a small agency with \(counted(ledger.customers.count, "client")) and",
            terminator: " ")
        print(
            "\(counted(ledger.invoices.count, "invoice")); the last \(counted(history, "day")) of collection lived through, then today.\n"
        )
        var planned: [PlannedAction] = []
        let report = try await collectionDay(
            store, organisation: organisation, playbook: .standard, asOf: today, recordedAt: SystemClock.timestamp(),
            dryRun: false
        ) {
            planned += $0.actions
        }
        print("Today, \(today) (\(today.weekday.rawValue.capitalized)), the collection day planned:")
        if planned.isEmpty { print("  nothing (\(playbookDayNote(today)))") }
        let names = Dictionary(uniqueKeysWithValues: ledger.customers.map { ($0.customer.id, $0.customer.name) })
        for action in planned {
            var line =
                "  \(names[action.customerID] ?? action.customerID): \(action.stepID.split(separator: "_").joined(separator: " "))"
                + " by \(action.channel.rawValue), \(action.invoiceNumbers.joined(separator: ", "))"
            if action.status == .awaitingApproval { line += " (awaiting a manager's approval)" }
            if action.status == .skipped { line += " (skipped: \(action.note ?? ""))" }
            print(line)
        }
        if report.cancelled > 0 {
            print("  \(counted(report.cancelled, "pending action")) withdrawn (paid, disputed or promised)")
        }

        // Today's emails and letters go to folders (the demo never sends real mail): read them as the client would.
        let mailFolder = "outbox/demo"
        let letterFolder = "letters/demo"
        for folder in [mailFolder, letterFolder] { try? FileManager.default.removeItem(atPath: folder) }
        var composer = TemplateComposer(
            library: library, organisation: organisation, sender: organisation.sender!,
            dateHeader: SystemClock.rfc5322(
                now: SystemClock.morning(of: today, timeZone: organisation.timeZone), timeZone: organisation.timeZone))
        composer.portal = try await DeliveryOptions.portal(publicURL: portalURL, store: store)
        // A generic function opens the store (`any StoreBackend`) for the deliverer, generic over its store.
        func deliverToFolders(_ store: some DeliveryStore) async throws -> DeliveryReport {
            try await Deliverer(
                store: store, organisation: organisation, playbook: .standard, composer: composer,
                transports: [
                    .email: FileTransport(folder: mailFolder), .letter: LetterTransport(folder: letterFolder),
                ],
                messageIDDomain: "northwind.example"
            ).deliver(dueBy: today, now: 0, keepBusinessHours: false, recordedAt: "\(today)T09:00:00Z")
        }
        let delivered = try await deliverToFolders(store)
        let files = { (folder: String, suffix: String) in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }.count
        }
        print(
            "\nDelivered \(delivered.sent.count): \(counted(files(mailFolder, ".eml"), "email")) in \(mailFolder)/ (open "
                + "any .eml in a mail client), \(counted(files(letterFolder, ".html"), "letter")) in \(letterFolder)/ "
                + "(print-ready HTML).")

        var counts: [InvoiceState: Int] = [:]
        try await openInvoiceStates(store: store, organisation: organisation, playbook: .standard, asOf: today) {
            counts[$1, default: 0] += 1
        }
        print("\nOpen invoices by state:")
        for state in InvoiceState.allCases where counts[state] != nil {
            print("  \(state.label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(counts[state]!)")
        }
        let waiting = try await store.actions(organisationID: organisation.id, customerID: nil)
            .filter { $0.action.status == .awaitingApproval }
        if !waiting.isEmpty {
            print("\nAwaiting a manager's approval:")
            for stored in waiting {
                print(
                    "  \(names[stored.customerID] ?? stored.customerID): \(stored.action.stepID) for "
                        + "\(stored.action.invoiceNumbers.joined(separator: ", ")) (planned \(stored.action.date))")
            }
        }
        let url = global.resolvedDatabaseURL
        let shown = global.shownDatabaseURL
        // A URL with a password is shown without it: the hints then read it from DULY_DATABASE_URL.
        let databaseOption = databaseURL == nil || shown != url ? "" : " --database \(url)"
        if shown != url {
            print("\nSet DULY_DATABASE_URL to the database's URL, with its password, before trying the commands below.")
        }
        print(
            """

            Explore (the demo lives in \(shown), organisation 'demo'):
              swift run duly status --org demo\(databaseOption) --as-of \(today)
              swift run duly invoices --org demo\(databaseOption) --open --as-of \(today)
              swift run duly report aging --org demo\(databaseOption) --as-of \(today)
              swift run duly report kpis --org demo\(databaseOption) --as-of \(today)
              swift run duly timeline C007 --org demo\(databaseOption)
              swift run duly timeline C007 --verify --org demo\(databaseOption)
              swift run duly approvals --org demo\(databaseOption) --as-of \(today)
              swift run duly promise list --org demo\(databaseOption) --as-of \(today)
              swift run duly plan list --org demo\(databaseOption) --as-of \(today)
              swift run duly dispute list --org demo\(databaseOption) --as-of \(today)
            \(interestHint(today, databaseOption: databaseOption))
              swift run duly evidence C007 --out C007-evidence.zip --org demo\(databaseOption) --as-of \(today)
              swift run duly simulate --org demo\(databaseOption) --from \(today) --to \(today.adding(days: 30))
            """)
        guard serve else { return }
        try await serveDemo(store: store, databaseURL: url, today: today)
    }

    /// Adds the demo's owner with a fresh password and token, prints them, and serves the demo until stopped. The
    /// server stands on the demo's day; the day has run already, so the scheduler stays off.
    private func serveDemo(store: any StoreBackend, databaseURL: String, today: LocalDate) async throws {
        let email = "demo@duly.example"
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let password = String((0..<20).map { _ in alphabet.randomElement()! })
        let token: String
        do {
            try await Members.add(email: email, password: password, role: .owner, organisationID: "demo", store: store)
            token = try await Members.createToken(
                name: "demo \(SystemClock.timestamp())", email: email, organisationID: "demo",
                createdAt: SystemClock.timestamp(), store: store)
        } catch let refusal as Members.Refusal {
            throw CLIError(refusal.description)
        }
        print(
            """

            Demo login (organisation 'demo', role owner; shown this once):
              email: \(email) password: \(password)
              token     \(token)
            Sign in to the web screens at /login on the address below, or try: curl -H "Authorization: Bearer \(token)" http://127.0.0.1:\(port)/api/v1/worklist

            """)
        // The server writes its address line straight to the file descriptor: what `print` holds (every C stream
        // flushed) goes first.
        fflush(nil)
        let command = try ServeCommand.parse([
            "--database", databaseURL, "--port", "\(port)", "--as-of", today.description, "--no-schedule",
            "--transport", "file:outbox/demo", "--letters", "letters/demo", "--public-url", portalURL,
        ])
        try await command.run()
    }

    // Every hint must work on the demo's data at its date. `duly interest` needs the reference rate of the half-year
    // NW-0988's interest starts in; past the built-in rates it fails by design (it asks for a rate file), so the hint
    // is given only when the rate is there, and otherwise says what to add.
    private func interestHint(_ date: LocalDate, databaseOption: String) -> String {
        let command = "  swift run duly interest NW-0988 --org demo\(databaseOption) --as-of \(date)"
        guard let regime = InterestRegime.forCountry("NL"),
            let invoice = DemoLedger(today: date).invoices.first(where: { $0.number == "NW-0988" })
        else { return command }
        let missing = InterestCalculator.missingRates(
            for: [invoice], regime: regime, rates: .builtIn, through: date)
        guard let first = missing.first else { return command }
        return "  (`duly interest` needs the \(first.halfYear) rate first: add `\(first.rateFileLine)` to a rate file,"
            + " see README, Interest)"
    }

    private func playbookDayNote(_ date: LocalDate) -> String {
        Playbook.standard.workingDays.contains(date.weekday) ? "no step is due today" : "not a working day"
    }

    /// Records what happened on `date`: invoices issued, payments received, disputes, promises and plans.
    private func record(
        _ ledger: DemoLedger, on date: LocalDate, isFirstDay: Bool, store: some DulyStore, context: RecordingContext
    ) async throws {
        let id = ledger.organisation.id
        let invoices = ledger.invoices.filter { isFirstDay ? $0.issueDate <= date : $0.issueDate == date }
        if !invoices.isEmpty { _ = try await store.importInvoices(invoices, organisationID: id, context: context) }
        let payments = ledger.payments.filter { isFirstDay ? $0.date <= date : $0.date == date }
        if !payments.isEmpty { _ = try await store.importPayments(payments, organisationID: id, context: context) }
        for note in ledger.creditNotes where isFirstDay ? note.date <= date : note.date == date {
            try await store.recordCreditNote(note, organisationID: id, context: context)
        }
        for (_, dispute) in ledger.disputes where isFirstDay ? dispute.openedOn <= date : dispute.openedOn == date {
            try await store.recordDispute(dispute, organisationID: id, context: context)
        }
        for (_, promise) in ledger.promises where isFirstDay ? promise.madeOn <= date : promise.madeOn == date {
            try await store.recordPromise(promise, organisationID: id, context: context)
        }
        for (_, plan) in ledger.plans {
            let accepted = plan.acceptedOn ?? date
            if isFirstDay ? accepted <= date : accepted == date {
                try await store.recordPlan(plan, organisationID: id, context: context)
            }
        }
    }

    /// Plays the deliverer and the manager for the simulated days: what was planned goes out the same day, and a
    /// manager approves final notices the next working day. Agency hand-overs are left for the demo's user to see.
    private func deliver(store: some DulyStore, organisationID: String, on date: LocalDate) async throws {
        let context = RecordingContext(date: date, recordedAt: "\(date)T16:00:00Z")
        for stored in try await store.actions(organisationID: organisationID, customerID: nil) {
            let action = stored.action
            switch action.status {
            case .planned, .approved:
                let outcome: ActionStatus = action.channel == .call || action.channel == .meeting ? .done : .sent
                try await store.updateActionStatus(
                    id: stored.id, to: outcome, organisationID: organisationID, context: context)
            case .awaitingApproval where action.escalatesTo?.isExternal != true && action.date < date:
                try await store.updateActionStatus(
                    id: stored.id, to: .approved, organisationID: organisationID, context: context)
            default:
                break
            }
        }
    }
}
