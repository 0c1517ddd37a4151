import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly report`: reports on the receivables.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports on the receivables.",
        discussion: """
            Every report is per currency: amounts in different currencies are never added. Days and percentages are \
            computed exactly and rounded once, half to even, to two decimals; "n/a" (null in JSON, empty in CSV) \
            where a formula would divide by zero.
            """,
        subcommands: [
            AgingCommand.self, DSOCommand.self, KPIsCommand.self, PromisesCommand.self, CollectedCommand.self,
        ])
}

// MARK: - Shared options

/// The period a report covers.
struct PeriodOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: """
            The report date, YYYY-MM-DD (default: today where the organisation is). The period is then the three \
            calendar months up to it: 2026-03-31 gives 2026-01-01 to 2026-03-31.
            """)
    var asOf: String?

    @Option(help: "The period's first day, YYYY-MM-DD (with --to, instead of --as-of).") var from: String?
    @Option(help: "The period's last day, YYYY-MM-DD (with --from); balances are taken at its end.") var to: String?

    func validate() throws {
        if asOf != nil && (from != nil || to != nil) {
            throw ValidationError("give either --as-of or --from and --to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    func period(for organisation: Organisation) throws -> ReportPeriod {
        if let from, let to {
            let start = try PeriodOptions.date(from, option: "--from")
            let end = try PeriodOptions.date(to, option: "--to")
            guard let period = ReportPeriod(from: start, to: end) else {
                throw ValidationError("--from \(from) is after --to \(to)")
            }
            return period
        }
        let date =
            try asOf.map { try PeriodOptions.date($0, option: "--as-of") }
            ?? SystemClock.today(inTimeZone: organisation.timeZone)
        return .threeMonths(endingOn: date)
    }

    private static func date(_ text: String, option: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else {
            throw ValidationError("\(option) '\(text)' is not a date in the form YYYY-MM-DD")
        }
        return date
    }
}

/// `--json` or `--csv`, never both; neither prints a table for people.
struct FormatOptions: ParsableArguments {
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print CSV with a header row.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }
}

/// A figure for people and CSV ("n/a" / empty when there is none) and for JSON (null).
private func text(_ ratio: Ratio?) -> String { ratio?.decimalString() ?? "n/a" }
private func csvText(_ ratio: Ratio?) -> String { ratio?.decimalString() ?? "" }
private func jsonValue(_ ratio: Ratio?) -> Any { ratio?.decimalString() ?? NSNull() }

/// Prints a JSON object on one line, keys sorted; built with `JSONSerialization` so that "n/a" can be a real null.
func printJSONObject(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

/// Scans the organisation's invoice histories up to the period's end into a receivables report.
private func receivablesReport(
    store: some ReportingStore, organisation: Organisation, period: ReportPeriod
) async throws -> ReceivablesReport {
    var report = ReceivablesReport(period: period)
    try await store.scanInvoiceHistories(organisationID: organisation.id, through: period.to, into: &report)
    return report
}

// MARK: - aging

/// `duly report aging`: open amounts by age.
struct AgingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Open amounts by days past due: current, 1-30, 31-60, 61-90, 90+, per currency.",
        discussion: """
            Balances are those at the end of --as-of: invoices issued by then, less the payments and credit notes \
            dated by then, so a past date shows the aging as it was.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        let report = try await receivablesReport(
            store: store, organisation: organisation, period: ReportPeriod(from: date, to: date)!
        ).aging
        let buckets = AgingReport.Bucket.allCases
        if json {
            struct Row: Encodable {
                var currency: String
                var buckets: [String: String]
                var counts: [String: Int]
                var total: String
            }
            struct Report: Encodable {
                var asOf: String
                var rows: [Row]
                enum CodingKeys: String, CodingKey {
                    case asOf = "as_of"
                    case rows
                }
            }
            try JSONOutput.printLine(
                Report(
                    asOf: date.description,
                    rows: report.rows.map { row in
                        Row(
                            currency: row.currency.code,
                            buckets: Dictionary(
                                uniqueKeysWithValues: buckets.map { ($0.rawValue, row.amounts[$0]!.decimalString) }),
                            counts: Dictionary(uniqueKeysWithValues: buckets.map { ($0.rawValue, row.counts[$0]!) }),
                            total: row.total.decimalString)
                    }))
        } else if csv {
            print((["currency"] + buckets.map(\.rawValue) + ["total"]).joined(separator: ","))
            for row in report.rows {
                print(
                    ([row.currency.code] + buckets.map { row.amounts[$0]!.decimalString } + [row.total.decimalString])
                        .joined(separator: ","))
            }
        } else {
            print("Aging as of \(date)")
            var table = TextTable(headers: ["currency"] + buckets.map(\.rawValue) + ["total"], rightAligned: Set(1...6))
            for row in report.rows {
                table.rows.append(
                    [row.currency.code] + buckets.map { row.amounts[$0]!.decimalString } + [row.total.decimalString])
            }
            print(report.rows.isEmpty ? "Nothing open." : table.render())
        }
    }
}

// MARK: - dso

/// `duly report dso`: days sales outstanding, two ways.
struct DSOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dso", abstract: "Days sales outstanding: standard and count-back, per currency.",
        discussion: """
            Standard DSO = AR at the period's end / credit sales in the period x days in the period. Count-back DSO \
            takes each calendar month's credit sales off the ending AR, newest first (the last month up to the \
            period's end), adding its days, and the month that exhausts the AR for its share of days.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var format: FormatOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let period = try period.period(for: organisation)
        let kpis = try await receivablesReport(store: store, organisation: organisation, period: period).kpis
        if format.json {
            try printJSONObject([
                "from": period.from.description, "to": period.to.description, "days": period.days,
                "currencies": kpis.map { kpi -> [String: Any] in
                    [
                        "currency": kpi.currency.code, "ending_ar": kpi.ending.total.decimalString,
                        "credit_sales": kpi.creditSales.decimalString, "dso": jsonValue(kpi.dso),
                        "count_back_dso": jsonValue(kpi.countBackDSO),
                    ]
                },
            ])
        } else if format.csv {
            print(
                CSVText.line(["currency", "from", "to", "days", "ending_ar", "credit_sales", "dso", "count_back_dso"]))
            for kpi in kpis {
                print(
                    CSVText.line([
                        kpi.currency.code, period.from.description, period.to.description, String(period.days),
                        kpi.ending.total.decimalString, kpi.creditSales.decimalString, csvText(kpi.dso),
                        csvText(kpi.countBackDSO),
                    ]))
            }
        } else {
            print("DSO, \(period) (\(counted(period.days, "day")))")
            var table = TextTable(
                headers: ["currency", "ending AR", "credit sales", "DSO", "count-back DSO"], rightAligned: [1, 2, 3, 4])
            for kpi in kpis {
                table.rows.append([
                    kpi.currency.code, kpi.ending.total.decimalString, kpi.creditSales.decimalString, text(kpi.dso),
                    text(kpi.countBackDSO),
                ])
            }
            print(kpis.isEmpty ? "No invoices." : table.render())
        }
    }
}

// MARK: - kpis

/// `duly report kpis`: every receivables KPI for a period.
struct KPIsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpis",
        abstract: "DSO, count-back DSO, best possible DSO, ADD, CEI, % current and % over 90, per currency.",
        discussion: """
            AR at a date = totals of the invoices issued by then - payments allocated and credit notes dated by \
            then. Credit sales = totals of the invoices issued in the period. Current = not yet due at the period's \
            end; over 90 = more than 90 days past due. BPDSO = current AR / credit sales x days; ADD = DSO - BPDSO. \
            CEI = (beginning AR + S - ending AR) / (beginning AR + S - ending current AR) x 100, with \
            S = credit sales / N, N = the calendar months the period touches (CRF's convention; a quarter gives \
            sales / 3). Beginning AR is the AR at the end of the day before the period.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var format: FormatOptions

    private static let columns = [
        "currency", "from", "to", "days", "months", "beginning_ar", "ending_ar", "current_ar", "over_90_ar",
        "credit_sales", "dso", "count_back_dso", "best_possible_dso", "add", "cei", "percent_current",
        "percent_over_90",
    ]

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let period = try period.period(for: organisation)
        let kpis = try await receivablesReport(store: store, organisation: organisation, period: period).kpis
        func figures(_ kpi: CurrencyKPIs) -> [Ratio?] {
            [
                kpi.dso, kpi.countBackDSO, kpi.bestPossibleDSO, kpi.averageDaysDelinquent,
                kpi.collectionEffectivenessIndex, kpi.percentCurrent, kpi.percentOver90,
            ]
        }
        func amounts(_ kpi: CurrencyKPIs) -> [String] {
            [kpi.beginning, kpi.ending.total, kpi.ending.current, kpi.ending.over90, kpi.creditSales].map(
                \.decimalString)
        }
        if format.json {
            try printJSONObject([
                "from": period.from.description, "to": period.to.description, "days": period.days,
                "months": period.months, "cei_convention": KPIFormulas.CEIConvention.averageMonthlySales.rawValue,
                "currencies": kpis.map { kpi -> [String: Any] in
                    var object: [String: Any] = ["currency": kpi.currency.code]
                    for (name, value) in zip(KPIsCommand.columns[5...9], amounts(kpi)) { object[name] = value }
                    for (name, value) in zip(KPIsCommand.columns[10...], figures(kpi)) {
                        object[name] = jsonValue(value)
                    }
                    if let caveat = kpi.collectionEffectivenessCaveat { object["cei_note"] = caveat }
                    return object
                },
            ])
        } else if format.csv {
            print(CSVText.line(KPIsCommand.columns))
            for kpi in kpis {
                print(
                    CSVText.line(
                        [
                            kpi.currency.code, period.from.description, period.to.description, String(period.days),
                            String(period.months),
                        ] + amounts(kpi) + figures(kpi).map(csvText)))
            }
        } else {
            print(
                "Receivables KPIs, \(period) (\(counted(period.days, "day")), \(counted(period.months, "month")))")
            guard !kpis.isEmpty else {
                print("No invoices.")
                return
            }
            let labels = [
                "AR at start", "AR at end", "current AR", "AR over 90 days", "credit sales", "DSO (days)",
                "count-back DSO (days)", "best possible DSO (days)", "average days delinquent", "CEI (%)",
                "current (%)", "over 90 days (%)",
            ]
            var table = TextTable(
                headers: ["figure"] + kpis.map(\.currency.code), rightAligned: Set(1...max(1, kpis.count)))
            let columns = kpis.map { amounts($0) + figures($0).map(text) }
            for (row, label) in labels.enumerated() { table.rows.append([label] + columns.map { $0[row] }) }
            print(table.render())
            // A CEI outside 0-100 % is not a share of anything: say why beside it rather than leave a bare figure.
            for kpi in kpis {
                guard let caveat = kpi.collectionEffectivenessCaveat else { continue }
                let figure = kpi.collectionEffectivenessIndex.map { "\($0.decimalString()) %" } ?? "n/a"
                print("CEI (\(kpi.currency.code)) \(figure) is \(caveat).")
            }
        }
    }
}

// MARK: - promises

/// `duly report promises`: how well promises to pay are kept.
struct PromisesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promises", abstract: "Promise-kept rate per customer and overall; live promises apart.",
        discussion: """
            Counted: promises whose promised date is in the period and whose outcome is known at its end. Kept when \
            the money reached the promised amount by the promised date plus the playbook's promise_grace_days; a \
            partial payment is a broken promise. Rate = kept / (kept + broken). Promises still live at the period's \
            end are listed apart and not counted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var format: FormatOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let period = try period.period(for: organisation)
        let grace = try await adoptedPlaybook(store, organisation).promiseGraceDays
        let promises = try await store.promiseHistories(
            organisationID: organisation.id, customerID: nil, through: period.to)
        let report = PromiseKeptReport(promises: promises, period: period, graceDays: grace)
        func tallyObject(_ tally: PromiseKeptReport.Tally) -> [String: Any] {
            ["kept": tally.kept, "broken": tally.broken, "kept_rate": jsonValue(tally.keptRate)]
        }
        if format.json {
            try printJSONObject([
                "from": period.from.description, "to": period.to.description, "grace_days": grace,
                "overall": tallyObject(report.overall),
                "customers": report.customers.map { customer -> [String: Any] in
                    tallyObject(customer.tally).merging(["customer_id": customer.customerID]) { $1 }
                },
                "live": report.live.map { live -> [String: Any] in
                    [
                        "promise_id": live.promise.id, "customer_id": live.customerID,
                        "currency": live.promise.amount.currency.code, "amount": live.promise.amount.decimalString,
                        "promised_date": live.promise.promisedDate.description,
                        "invoice_numbers": live.promise.invoiceNumbers,
                    ]
                },
            ])
        } else if format.csv {
            // One row per customer and one for all of them; live promises are in the JSON and the table.
            print(CSVText.line(["scope", "customer_id", "kept", "broken", "kept_rate"]))
            for customer in report.customers {
                print(
                    CSVText.line([
                        "customer", customer.customerID, String(customer.tally.kept), String(customer.tally.broken),
                        csvText(customer.tally.keptRate),
                    ]))
            }
            print(
                CSVText.line([
                    "overall", "", String(report.overall.kept), String(report.overall.broken),
                    csvText(report.overall.keptRate),
                ]))
        } else {
            print("Promises to pay due \(period), judged on \(period.to) with \(grace) grace days")
            var table = TextTable(headers: ["customer", "kept", "broken", "kept %"], rightAligned: [1, 2, 3])
            for customer in report.customers {
                table.rows.append([
                    customer.customerID, String(customer.tally.kept), String(customer.tally.broken),
                    text(customer.tally.keptRate),
                ])
            }
            table.rows.append([
                "all", String(report.overall.kept), String(report.overall.broken), text(report.overall.keptRate),
            ])
            print(table.render())
            guard !report.live.isEmpty else { return }
            print("\nLive (no outcome yet):")
            var live = TextTable(headers: ["promise", "customer", "amount", "promised for"], rightAligned: [2])
            for history in report.live {
                live.rows.append([
                    history.promise.id, history.customerID, history.promise.amount.description,
                    history.promise.promisedDate.description,
                ])
            }
            print(live.render())
        }
    }
}

// MARK: - collected

/// `duly report collected`: money collected by stage and channel.
struct CollectedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collected", abstract: "Money collected in the period, by stage and by channel, per currency.",
        discussion: """
            Each payment's allocation to an invoice counts once, on the payment's date. Stage: pre_due when paid by \
            the due date, non_payment when paid the playbook's non_payment_after_days or more days late, delayed in \
            between (by age only). Channel: that of the last action about the invoice sent or done strictly before \
            the payment's date (internal escalations to a manager excluded); none when Duly never contacted the \
            client about it. Unallocated money is not counted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var format: FormatOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let period = try period.period(for: organisation)
        let threshold = try await adoptedPlaybook(store, organisation).nonPaymentAfterDaysPastDue
        let facts = try await store.collectionFacts(organisationID: organisation.id, period: period)
        let report = CollectionsReport(
            collections: facts.collections, contacts: facts.contacts, period: period,
            nonPaymentAfterDaysPastDue: threshold)
        let channel = { (row: CollectionsReport.Row) in row.channel?.rawValue ?? "none" }
        if format.json {
            try printJSONObject([
                "from": period.from.description, "to": period.to.description,
                "non_payment_after_days": threshold,
                "rows": report.rows.map { row -> [String: Any] in
                    [
                        "currency": row.currency.code, "stage": row.stage.rawValue, "channel": channel(row),
                        "amount": row.amount.decimalString, "allocations": row.allocations,
                    ]
                },
                "totals": report.totals.map { ["currency": $0.currency.code, "amount": $0.decimalString] },
            ])
        } else if format.csv {
            print(CSVText.line(["currency", "stage", "channel", "amount", "allocations"]))
            for row in report.rows {
                print(
                    CSVText.line([
                        row.currency.code, row.stage.rawValue, channel(row), row.amount.decimalString,
                        String(row.allocations),
                    ]))
            }
        } else {
            print("Collected \(period), by stage and channel")
            guard !report.rows.isEmpty else {
                print("Nothing collected.")
                return
            }
            var table = TextTable(
                headers: ["currency", "stage", "channel", "amount", "payments"], rightAligned: [3, 4])
            for row in report.rows {
                table.rows.append([
                    row.currency.code, row.stage.rawValue, channel(row), row.amount.decimalString,
                    String(row.allocations),
                ])
            }
            for total in report.totals {
                table.rows.append([total.currency.code, "total", "", total.decimalString, ""])
            }
            print(table.render())
        }
    }
}
