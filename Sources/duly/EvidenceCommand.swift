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
        let terms = try interestOptions.resolveIfApplicable(for: organisation, global: global).map {
            EvidenceInterestTerms(
                regime: $0.regime, rates: $0.rates, ratesSource: $0.ratesSource, contractualRate: $0.contractualRate)
        }
        guard
            let records = try await EvidenceRecords.gather(
                from: store, organisation: organisation, customerID: customer, interest: terms, on: date)
        else {
            throw CLIError(
                "no customer '\(customer)' in organisation '\(organisation.id)': nothing was written "
                    + "(`duly invoices` lists the customers' invoices)")
        }
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
