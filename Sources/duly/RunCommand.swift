import ArgumentParser
import DulyCore
import DulyImport
import DulyServer
import DulyStore
import Foundation

/// `duly run`: the collection day.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan the day's reminders, calls and escalations for every open invoice.",
        discussion: """
            Evaluates the open invoices for one date and writes the actions due to the outbox. Running the same \
            day again plans nothing new. After the first run, a run looks only at the accounts that changed since \
            (a payment, a call, a message sent…) or whose next step, state change or commitment falls due; another \
            playbook looks at every account again. With --json, prints one JSON object per action this run planned.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption

    @Flag(help: "Decide and print, but write nothing.")
    var dryRun = false

    @Flag(help: "One JSON object per planned action, on standard output.")
    var json = false

    @Option(
        help: """
            With several nodes on one database: how long this node's claim on a batch of the day lasts without news, \
            in seconds. Another node takes a batch over once its claim lapses (a node that died).
            """)
    var leaseSeconds = WorkLease.runSeconds

    @Option(help: "Customers read, planned and claimed together: the unit several nodes share the day in.")
    var batchSize = 500

    @Option(
        help: """
            With --dry-run: a playbook YAML file to try instead of the adopted one (a real run plans with the \
            adopted one: duly playbook adopt FILE).
            """)
    var playbook: String?

    func validate() throws {
        if leaseSeconds < 1 { throw ValidationError("--lease-seconds must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if playbook != nil && !dryRun {
            throw ValidationError(
                "--playbook is for a dry run (and duly simulate): adopt the file with `duly playbook adopt "
                    + "\(playbook!)` so that every command plans with it, or add --dry-run to try it")
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        let today = SystemClock.today(inTimeZone: organisation.timeZone)
        // A real run writes actions dated its day; one dated after today would hold every real day back.
        if !dryRun && date > today {
            throw CLIError(
                "--as-of \(date) is after today (\(today) in \(organisation.timeZone)): a real run would date its "
                    + "actions then; look ahead with --dry-run or `duly simulate`")
        }
        let chosenPlaybook = try await playbookToTry(playbook, store, organisation)
        let progress = Progress(label: "Planning")
        var shown = 0
        let report = try await collectionDay(
            store, organisation: organisation, playbook: chosenPlaybook, asOf: date,
            recordedAt: SystemClock.timestamp(),
            dryRun: dryRun, batchSize: batchSize,
            lease: .system(
                seconds: leaseSeconds,
                waitingNote: "Waiting for batches another node holds: it writes them, or they are taken over once its "
                    + "claim lapses (within \(leaseSeconds) s if it died).")
        ) { batch in
            for action in batch.actions {
                if json {
                    try JSONOutput.printLine(ActionJSON(action))
                } else if shown < 40 {
                    if shown == 0 { print("Actions for \(date):") }
                    print("  " + describe(action))
                    shown += 1
                }
            }
            progress.update(batch.accounts, unit: "accounts")
        }
        progress.finish()
        let total = report.planned + report.awaitingApproval + report.skipped
        if json {
            return
        }
        if total > shown && shown > 0 { print("  … and \(total - shown) more (use --json for all)") }
        print(summary(report, dryRun: dryRun))
    }

    private func describe(_ action: PlannedAction) -> String {
        var text =
            "\(action.customerID): \(action.stepID) by \(action.channel.rawValue) for "
            + action.invoiceNumbers.joined(separator: ", ")
        if action.status == .awaitingApproval { text += " (awaiting approval)" }
        if action.status == .skipped { text += " (skipped: \(action.note ?? ""))" }
        return text
    }

    private func summary(_ report: CollectionDayReport, dryRun: Bool) -> String {
        var lines: [String] = []
        let verb = dryRun ? "would plan" : "planned"
        lines.append(
            "Collection day \(report.asOf)\(dryRun ? " (dry run, nothing written)" : ""): "
                + "\(counted(report.accounts, "account")), \(verb) \(counted(report.planned, "action")), "
                + "\(report.awaitingApproval) awaiting approval, "
                + "\(report.skipped) skipped, \(report.cancelled) cancelled.")
        if report.batches < report.runBatches {
            lines.append(
                "This node planned \(report.batches) of the day's \(counted(report.runBatches, "batch", plural: "batches"));"
                    + " other nodes on the database planned the rest.")
        }
        if report.unchanged > 0 {
            lines.append(
                "\(counted(report.unchanged, "customer")) unchanged since their last review and not due today: "
                    + "not looked at.")
        }
        if !report.deferred.isEmpty {
            let reasons = report.deferred.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                "\($0.value) \($0.key.rawValue.split(separator: "_").joined(separator: " "))"
            }
            lines.append("Held back: " + reasons.joined(separator: ", ") + ".")
        }
        return lines.joined(separator: "\n")
    }
}

/// The collection day (`CollectionDay`, generic over its store) over the store a command opened as
/// `any StoreBackend`: calling this opens the existential to the backend's own type.
func collectionDay(
    _ store: some StoreBackend, organisation: Organisation, playbook: Playbook, asOf: LocalDate, recordedAt: String,
    dryRun: Bool, batchSize: Int = 500, lease: WorkLease = .solo(),
    onBatch: (CollectionBatch) throws -> Void = { _ in }
) async throws -> CollectionDayReport {
    try await CollectionDay(store: store, organisation: organisation, playbook: playbook, batchSize: batchSize).run(
        asOf: asOf, recordedAt: recordedAt, dryRun: dryRun, lease: lease, onBatch: onBatch)
}

/// The playbook the organisation plans with: the version it adopted (`duly playbook adopt`), else the built-in
/// one. Every command that judges states, plans or delivers reads it here, so they cannot disagree.
func adoptedPlaybook(_ store: some PlaybookStore, _ organisation: Organisation) async throws -> Playbook {
    try await adoptedPlaybook(store, organisationID: organisation.id)
}

/// The playbook an organisation plans with, by its id.
func adoptedPlaybook(_ store: some PlaybookStore, organisationID: String) async throws -> Playbook {
    do {
        return try PlaybookYAML.playbook(adopted: try await store.adoptedPlaybook(organisationID: organisationID))
    } catch let error as PlaybookYAMLError {
        throw CLIError(
            "the adopted playbook no longer reads: \(error); adopt a corrected file with duly playbook adopt")
    }
}

/// A playbook file tried without adopting it (`--playbook` on dry runs and `simulate`), else the adopted one.
func playbookToTry(
    _ path: String?, _ store: some PlaybookStore, _ organisation: Organisation
) async throws
    -> Playbook
{
    guard let path else { return try await adoptedPlaybook(store, organisation) }
    return try loadPlaybook(path)
}

/// Loads a playbook file, or the built-in one; errors name the file, line and field.
func loadPlaybook(_ path: String?) throws -> Playbook {
    guard let path else { return .standard }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read the playbook file '\(path)'")
    }
    do {
        return try PlaybookYAML.load(String(decoding: data, as: UTF8.self), fileName: path)
    } catch {
        throw CLIError("\(error)")
    }
}
