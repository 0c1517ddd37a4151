import ArgumentParser
import DulyCore
import DulyImport
import DulyStore
import Foundation

/// `duly interest INVOICE`: the statutory late-payment interest and fixed compensation one invoice has earned, with
/// the working.
struct InterestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interest",
        abstract: "Late-payment interest and fixed compensation on one invoice, with the working.",
        discussion: """
            The law is the organisation's country's: UK (Late Payment of Commercial Debts (Interest) Act 1998), \
            Germany, France, the Netherlands, Ireland, or the EU Directive's minimum for the other member states. \
            Interest runs from the day after the due date to the payment date (or --as-of), on the balance \
            actually unpaid, and is rounded once, half to even. Reference rates for half-years after the built-in \
            ones come from a rate file (--rates, else $DULY_RATES, else rates.csv beside the SQLite database) with \
            the columns reference,valid_from,rate_percent (e.g. BOE,2026-07-01,3.75).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The invoice number.")
    var invoice: String

    @OptionGroup var asOf: AsOfOption

    @Flag(help: "Print one JSON object (amounts as decimal strings).")
    var json = false

    @OptionGroup var interest: InterestOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        let setup = try interest.resolve(for: organisation, global: global)
        guard
            let found = try await store.interestClaims(
                invoiceNumbers: [invoice], organisationID: organisation.id, regime: setup.regime, rates: setup.rates,
                contractualRate: setup.contractualRate, through: date
            ).first
        else {
            throw CLIError("no invoice '\(invoice)' in organisation '\(organisation.id)'")
        }
        let claim: InterestClaim
        do {
            claim = try found.claim.get()
        } catch {
            throw CLIError("\(error)")
        }
        if json {
            try JSONOutput.printLine(
                InterestJSON(claim, invoice: found.invoice, asOf: date, ratesSource: setup.ratesSource))
        } else {
            print(InterestCommand.working(claim, invoice: found.invoice, asOf: date, ratesSource: setup.ratesSource))
        }
    }

    /// The working as a person reads it.
    static func working(_ claim: InterestClaim, invoice: Invoice, asOf: LocalDate, ratesSource: String) -> String {
        let regime = claim.regime
        let currency = invoice.currency
        var lines = [
            "Invoice \(invoice.number) (customer \(invoice.customerID)): \(invoice.total), due \(invoice.dueDate)",
            "Law: \(regime.jurisdiction.rawValue), \(claim.legalBasis)",
        ]
        if let contract = claim.contractualRate {
            lines.append("Rate: the agreed contractual rate, \(contract) a year, simple")
        } else {
            let policy: String
            switch regime.ratePolicy {
            case .fixedAtStart: policy = "fixed for the debt at the half-year interest starts in"
            case .fixedAtDueDate: policy = "fixed for the debt at the half-year of the due date"
            case .perHalfYear: policy = "the rate of each half-year"
            }
            lines.append(
                "Rate: \(regime.reference) + \(regime.margin.percentString) points, \(policy), "
                    + "days/\(regime.dayBasis == .actual365 ? "365" : "365 or 366 in a leap year")"
                    + (regime.compoundsYearly ? ", compounded yearly" : ", simple"))
        }
        guard let lastDay = claim.lastDay else {
            lines.append("Interest: none as of \(asOf), 0 days.")
            lines += claim.notes.map { "Note: \($0)" }
            return lines.joined(separator: "\n")
        }
        lines.append("Interest runs from \(claim.firstLateDay) to \(lastDay): \(counted(claim.days, "day"))")
        lines.append("")
        var table = TextTable(
            headers: ["from", "to", "days", "principal", "rate", "reference", "interest (exact)"],
            rightAligned: [2, 3, 4, 6])
        for segment in claim.segments {
            // The reference as the law reads it: Bank Rate on 31 Dec / 30 Jun, the ECB rate on 1 Jan / 1 Jul.
            let reference =
                segment.referenceRate.map { rate in
                    "\(rate.percentString)% on \(regime.reference.referenceDay(of: segment.referenceHalfYear!))"
                } ?? "contract"
            table.rows.append([
                segment.from.description, segment.to.description, String(segment.days),
                segment.principal.decimalString, segment.rate.description + "/\(segment.yearDays)", reference,
                segment.exactInterest.decimalString(in: currency, extraPlaces: 4),
            ])
        }
        lines.append(table.render())
        for capitalisation in claim.capitalisations {
            lines.append("Added to the principal from \(capitalisation.from): \(capitalisation.amount)")
        }
        lines.append("")
        lines.append("Interest (rounded once, half to even): \(claim.interest)")
        if let compensation = claim.compensation {
            lines.append("Fixed compensation (\(regime.compensationBasis)): \(compensation)")
            if compensation.currency == claim.interest.currency {
                lines.append("Total claimed besides the debt: \(claim.interest + compensation)")
            }
        }
        lines += claim.notes.map { "Note: \($0)" }
        lines.append("Reference rates: \(ratesSource)")
        return lines.joined(separator: "\n")
    }
}

/// Where the law, the rates and any contractual rate come from; shared by `interest` and `deliver`.
struct InterestOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A reference-rate file (default: $DULY_RATES, else rates.csv beside the SQLite database).",
            valueName: "file"))
    var rates: String?

    @Option(help: ArgumentHelp("An agreed yearly rate, in percent, replacing the statutory one.", valueName: "percent"))
    var contractRate: String?

    @Option(help: ArgumentHelp("The law to apply instead of the organisation's country's: UK, EU, DE, FR, NL, IE."))
    var regime: String?

    /// The regime, the rate table and the contractual rate for an organisation.
    struct Setup {
        var regime: InterestRegime
        var rates: ReferenceRateTable
        var ratesSource: String
        var contractualRate: AnnualRate?
    }

    /// The setup, or a clear error: no regime for the country, a bad rate file, a bad rate.
    func resolve(for organisation: Organisation, global: GlobalOptions) throws -> Setup {
        guard let setup = try resolveIfApplicable(for: organisation, global: global) else {
            throw CLIError(
                "no statutory late-payment interest for country '\(organisation.country)': Duly knows the UK and the "
                    + "EU member states; pass --regime UK|EU|DE|FR|NL|IE to apply one of them")
        }
        return setup
    }

    /// The setup, or nil when the organisation's country has no regime and none was chosen.
    func resolveIfApplicable(for organisation: Organisation, global: GlobalOptions) throws -> Setup? {
        let chosen: InterestRegime?
        if let regime {
            guard let named = InterestRegime.named(regime) else {
                throw ValidationError("--regime '\(regime)' is not one of UK, EU, DE, FR, NL, IE")
            }
            chosen = named
        } else {
            chosen = InterestRegime.forCountry(organisation.country)
        }
        guard let chosen else { return nil }
        var contractual: AnnualRate?
        if let contractRate {
            guard let parsed = AnnualRate(percent: contractRate), parsed.millionths >= 0 else {
                throw ValidationError(
                    "--contract-rate '\(contractRate)' is not a yearly rate in percent, like 8 or 9.5 (no % sign)")
            }
            contractual = parsed
        }
        let rates = try loadedRates(global: global)
        return Setup(regime: chosen, rates: rates.table, ratesSource: rates.source, contractualRate: contractual)
    }

    /// The reference rates: the built-in table with the rate file over it, or a clear error for a bad file.
    func loadedRates(global: GlobalOptions) throws -> LoadedRates {
        do {
            return try LoadedRates.load(overlaying: ratesFile(global: global))
        } catch let error as RateFileError {
            throw CLIError("the rate file has bad rows, none of it was used:\n\(error)")
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// What to tell a person when interest on these invoices cannot be stated on `date` for want of a reference
    /// rate: one line per missing rate, then the line to add to the rate file and how to use it; empty when every
    /// figure can be stated (or no law applies). `deliver`, `status` and `approvals` all say it the same way.
    func missingRateAdvice(
        for invoices: [Invoice], organisation: Organisation, global: GlobalOptions, on date: LocalDate
    ) throws -> [String] {
        guard !invoices.isEmpty, let setup = try resolveIfApplicable(for: organisation, global: global) else {
            return []
        }
        let missing = InterestCalculator.missingRates(
            for: invoices, regime: setup.regime, rates: setup.rates, contractualRate: setup.contractualRate,
            through: date)
        guard !missing.isEmpty else { return [] }
        let file = ratesFile(global: global) ?? besideDatabase(global: global) ?? "rates.csv"
        var lines = missing.map { rate in
            "Interest: \(rate) is missing, so non-payment messages (final notices, hand-overs) for "
                + "\(rate.invoiceNumbers.joined(separator: ", ")) state no interest or compensation figures."
        }
        let rows = missing.map { "`\($0.rateFileLine)`" }.joined(separator: " and ")
        lines.append(
            "  Once published, add \(rows) to \(file) (columns reference,valid_from,rate_percent; RATE in percent "
                + "like 4.75), then pass --rates \(file) (or set $DULY_RATES; rates.csv beside the database is read "
                + "by itself) and check with `duly interest \(missing[0].invoiceNumbers[0]) --rates \(file)`.")
        return lines
    }

    // Where a rate file would be read from by default: `rates.csv` beside a SQLite database.
    private func besideDatabase(global: GlobalOptions) -> String? {
        RateFile.besideDatabase(global.resolvedDatabaseURL)
    }

    /// --rates, else $DULY_RATES, else `rates.csv` beside a SQLite database when there is one.
    private func ratesFile(global: GlobalOptions) -> String? {
        RateFile.location(given: rates, environment: environment("DULY_RATES"), databaseURL: global.resolvedDatabaseURL)
    }
}
