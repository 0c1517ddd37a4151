import ArgumentParser
import DulyCore
import DulyEvidence
import DulyStore
import Foundation

/// `duly evidence`: one account's evidence pack as a zip file, with the timeline's hash chain verified first.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract:
            "Export a customer's evidence pack: invoices, commitments, messages as sent, and the verified timeline.",
        discussion: """
            The zip holds manifest.json (for an agency's system), index.html (for a person), SHA256SUMS, \
            timeline/timeline.jsonl with timeline/VERIFY.txt (how to re-check the hash chain by hand), and every \
            message in communications/ exactly as it was sent. A broken chain is reported in the pack and on \
            standard error, and the command exits with 2; the pack is still written, as evidence of the change.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The customer id.") var customer: String
    @Option(help: ArgumentHelp("The zip file to write.", valueName: "file.zip")) var out: String
    @Flag(help: "Replace --out if it exists.") var force = false
    @Flag(help: "Print one JSON object describing the pack.") var json = false
    @OptionGroup var interestOptions: InterestOptions

    func run() async throws {
        let destination = URL(fileURLWithPath: out)
        // Refuse early, before any work; EvidenceArchive checks again when it moves the pack into place.
        if !force && FileManager.default.fileExists(atPath: destination.path) {
            throw CLIError(EvidenceArchiveError.exists(path: out).description)
        }
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        guard let account = try await store.account(organisationID: organisation.id, customerID: customer) else {
            throw CLIError(
                "no customer '\(customer)' in organisation '\(organisation.id)': nothing was written "
                    + "(`duly invoices` lists the customers' invoices)")
        }
        let invoices = try await store.invoices(organisationID: organisation.id, customerID: customer, openOnly: false)
        let timeline = try await store.timeline(organisationID: organisation.id, customerID: customer)
        let channels = Dictionary(
            try await store.actions(organisationID: organisation.id, customerID: customer).map {
                ($0.id, $0.action.channel)
            }, uniquingKeysWith: { first, _ in first })
        let communications = try await store.communications(organisationID: organisation.id, customerID: customer)
            .map { EvidenceMessage(communication: $0, channel: channels[$0.actionID]) }

        let interest = try await interestComputation(
            store: store, organisation: organisation, invoices: invoices, disputes: account.disputes, on: date)

        let records = EvidenceRecords(
            organisation: organisation, customer: account.customer, contacts: account.contacts, invoices: invoices,
            disputes: account.disputes, promises: account.promises, plans: account.plans, refusals: account.refusals,
            communications: communications, timeline: timeline, interest: interest,
            documents: try await store.documents(organisationID: organisation.id, customerID: customer))
        let pack = try EvidencePack(records: records, generatedFor: date, generatedAt: SystemClock.timestamp())
        do {
            try EvidenceArchive.write(pack.files, to: destination, overwrite: force, modificationDate: Date())
        } catch let error as EvidenceArchiveError {
            throw CLIError(error.description)
        }
        try report(pack, records: records)
        if case .broken(let sequence, let reason) = pack.verification {
            printError(
                "Timeline of \(customer) is broken at entry \(sequence): \(reason). The pack records this "
                    + "(manifest.json, timeline/VERIFY.txt, index.html).")
            throw DulyExit.chainBroken
        }
    }

    private func report(_ pack: EvidencePack, records: EvidenceRecords) throws {
        let written = records.communications.filter { !$0.communication.content.isEmpty }.count
        if json {
            struct Summary: Encodable {
                var file: String
                var customer: String
                var files: Int
                var invoices: Int
                var communications: Int
                var timelineEntries: Int
                var verification: String
                var firstBadEntry: Int?
                var chainHead: String?
                enum CodingKeys: String, CodingKey {
                    case file, customer, files, invoices, communications
                    case timelineEntries = "timeline_entries"
                    case verification
                    case firstBadEntry = "first_bad_entry"
                    case chainHead = "chain_head"
                }
            }
            var summary = Summary(
                file: out, customer: customer, files: pack.files.count, invoices: records.invoices.count,
                communications: written, timelineEntries: records.timeline.count, verification: "ok",
                chainHead: pack.chainHead)
            if case .broken(let sequence, _) = pack.verification {
                summary.verification = "broken"
                summary.firstBadEntry = sequence
            }
            try JSONOutput.printLine(summary)
            return
        }
        let chain: String
        switch pack.verification {
        case .valid(let count):
            chain = "chain intact over \(counted(count, "entry")) (head \(pack.chainHead ?? "none"))"
        case .broken(let sequence, _): chain = "chain BROKEN at entry \(sequence)"
        }
        print(
            "Evidence pack for \(records.customer.name) (\(customer)) written to \(out): "
                + [
                    counted(pack.files.count, "file"), counted(records.invoices.count, "invoice"),
                    counted(written, "message"), counted(records.timeline.count, "timeline entry"),
                ].joined(separator: ", ") + "; \(chain).")
    }
}

extension EvidenceCommand {
    /// The statutory interest and compensation each late invoice has earned by `date`, one line per invoice
    /// (rounded once, as `duly interest` shows it); nil when no regime applies to the organisation.
    func interestComputation(
        store: any StoreBackend, organisation: Organisation, invoices: [InvoiceBalance], disputes: [Dispute],
        on date: LocalDate
    ) async throws -> EvidenceInterest? {
        guard let setup = try interestOptions.resolveIfApplicable(for: organisation, global: global) else { return nil }
        let late = invoices.filter { $0.invoice.dueDate < date }.map(\.invoice.number)
        var lines: [EvidenceInterest.Line] = []
        var problems: [String] = []
        for history in try await store.invoiceHistories(organisationID: organisation.id, invoiceNumbers: late) {
            let claim: InterestClaim
            do {
                // The part under an open dispute is not claimed (see `InvoiceBalance.undisputedOpen`).
                claim = try InterestCalculator.claim(
                    for: history.invoice, payments: history.allocations, credits: history.creditNotes,
                    disputes: disputes, regime: setup.regime, rates: setup.rates,
                    contractualRate: setup.contractualRate, through: date)
            } catch {
                // A missing half-year is the operator's to add; the pack says so rather than leaving the invoice out.
                problems.append("\(history.invoice.number): \(error)")
                continue
            }
            guard let lastDay = claim.lastDay, claim.days > 0 else { continue }
            let segments = claim.segments.map {
                "\($0.from) to \($0.to), \(counted($0.days, "day")) at \($0.rate.percentString) %"
            }
            lines.append(
                EvidenceInterest.Line(
                    invoiceNumber: claim.invoiceNumber, principal: claim.principal, from: claim.firstLateDay,
                    through: lastDay, days: claim.days,
                    annualRatePercent: claim.currentRate?.percentString ?? "0",
                    interest: claim.interest, compensation: claim.compensation,
                    basis: ([claim.legalBasis] + segments).joined(separator: "; ")))
        }
        var method =
            "Interest from the day after the due date to \(date) (or the payment date), on the balance unpaid, "
            + "rounded once per invoice, half to even; reference rates from \(setup.ratesSource)."
        if !problems.isEmpty { method += " Not computed: " + problems.joined(separator: "; ") }
        return EvidenceInterest(regime: setup.regime.jurisdiction.rawValue, asOf: date, lines: lines, method: method)
    }
}
