import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// The dashboard: aging, the DSO trend, the open invoices by stage, cash collected by stage and channel, and
/// promises kept, each a chart drawn on the server (`Chart`) with the same figures in a table beside it. The figures
/// are the reports' own (`duly report aging|dso|collected|promises`, `duly status`, the API's report routes), per
/// currency and never added across currencies; this screen only lays them out.
struct DashboardScreen<Store: WebStore> {
    let web: WebScreens<Store>

    /// How many month ends the DSO trend shows, the current month (up to today) last.
    static var trendMonths: Int { 6 }

    func add(to group: RouterGroup<WebContext>) {
        group.get("dashboard", use: page)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let (organisation, today, playbook) = try await web.workday(user)
        let period = ReportPeriod.threeMonths(endingOn: today)
        var values = try await web.frame(user, title: "Dashboard", section: "dashboard")
        values["today"] = today.description
        values["period"] = period.description
        values["charts"] =
            try await aging(organisation, today) + dsoTrend(organisation, today) + funnel(organisation, playbook, today)
            + collected(organisation, playbook, period) + promises(organisation, playbook, period)
        return web.pages.render("dashboard", values)
    }

    // MARK: - The charts, each as its section: a title, the SVG, and the table of its figures

    private func aging(_ organisation: Organisation, _ today: LocalDate) async throws -> [[String: Any]] {
        let report = try await receivables(organisation, ReportPeriod(from: today, to: today)!).aging
        guard !report.rows.isEmpty else {
            return [empty("aging", "Aging on \(today)", "Nothing is open.")]
        }
        return report.rows.map { row in
            let data = AgingReport.Bucket.allCases.map { bucket in
                Chart.Datum(
                    label: bucket == .current ? "current" : "\(bucket.rawValue) days",
                    value: Double(row.amounts[bucket]!.minorUnits),
                    text: "\(row.amounts[bucket]!) (\(row.counts[bucket]!))")
            }
            return chart(
                "aging-\(row.currency.code)",
                "Aging on \(today), \(row.currency.code): open amount (invoices) by days past due",
                bars: data, columns: ["Days past due", "Open (invoices)"],
                note: "Total open: \(row.total).")
        }
    }

    private func dsoTrend(_ organisation: Organisation, _ today: LocalDate) async throws -> [[String: Any]] {
        // Each point is `duly report dso --as-of` on that day: the three months up to it.
        let ends = (1..<Self.trendMonths).reversed().map { today.adding(months: -$0).endOfMonth } + [today]
        var points: [Currency: [LocalDate: Ratio?]] = [:]
        for end in ends {
            for kpi in try await receivables(organisation, .threeMonths(endingOn: end)).kpis {
                points[kpi.currency, default: [:]][end] = .some(kpi.dso)
            }
        }
        guard !points.isEmpty else {
            return [empty("dso", "DSO trend", "No invoices yet.")]
        }
        return points.keys.sorted { $0.code < $1.code }.map { currency in
            let data = ends.map { end in
                let dso = points[currency]?[end] ?? nil
                return Chart.Datum(
                    label: end == today ? "today" : String(end.description.prefix(7)),
                    value: dso.map { Double($0.numerator) / Double($0.denominator) },
                    text: dso?.decimalString() ?? "n/a")
            }
            return chart(
                "dso-\(currency.code)", "DSO in days, \(currency.code), over the three months up to each month end",
                line: data, columns: ["Up to", "DSO (days)"],
                note: "n/a: no credit sales in those three months.")
        }
    }

    private func funnel(
        _ organisation: Organisation, _ playbook: Playbook, _ today: LocalDate
    ) async throws -> [[String: Any]] {
        let tally = try await StageTally(store: web.store, organisation: organisation, playbook: playbook, asOf: today)
        guard !tally.states.isEmpty else {
            return [empty("stages", "Open invoices by stage on \(today)", "Nothing is open.")]
        }
        return tally.currencies.map { currency in
            let data = tally.states.filter { tally.amounts[$0]?[currency] != nil }.map { state in
                Chart.Datum(
                    label: state.rawValue.replacingOccurrences(of: "_", with: " "),
                    value: Double(tally.open(state, in: currency).minorUnits),
                    text: "\(tally.open(state, in: currency)) (\(tally.count(state, in: currency)))")
            }
            return chart(
                "stages-\(currency.code)",
                "Open invoices by stage on \(today), \(currency.code): open amount (invoices)",
                bars: data, columns: ["Stage or state", "Open (invoices)"],
                note: "As `duly status` counts them.")
        }
    }

    private func collected(
        _ organisation: Organisation, _ playbook: Playbook, _ period: ReportPeriod
    ) async throws -> [[String: Any]] {
        let facts = try await web.store.collectionFacts(organisationID: organisation.id, period: period)
        let report = CollectionsReport(
            collections: facts.collections, contacts: facts.contacts, period: period,
            nonPaymentAfterDaysPastDue: playbook.nonPaymentAfterDaysPastDue)
        guard !report.rows.isEmpty else {
            return [empty("collected", "Cash collected, \(period)", "Nothing was collected in the period.")]
        }
        return report.totals.map { total in
            let data = report.rows.filter { $0.currency == total.currency }.map { row in
                Chart.Datum(
                    label: "\(row.stage.rawValue.replacingOccurrences(of: "_", with: " ")) · "
                        + (row.channel?.rawValue ?? "none"),
                    value: Double(row.amount.minorUnits), text: "\(row.amount) (\(row.allocations))")
            }
            return chart(
                "collected-\(total.currency.code)",
                "Cash collected, \(period), \(total.currency.code): by stage when paid and the channel that asked",
                bars: data, columns: ["Stage · channel", "Collected (payments)"], note: "Total collected: \(total).")
        }
    }

    private func promises(
        _ organisation: Organisation, _ playbook: Playbook, _ period: ReportPeriod
    ) async throws -> [[String: Any]] {
        let histories = try await web.store.promiseHistories(
            organisationID: organisation.id, customerID: nil, through: period.to)
        let report = PromiseKeptReport(promises: histories, period: period, graceDays: playbook.promiseGraceDays)
        let tally = report.overall
        let data = [
            Chart.Datum(label: "kept", value: Double(tally.kept), text: String(tally.kept)),
            Chart.Datum(label: "broken", value: Double(tally.broken), text: String(tally.broken)),
        ]
        return [
            chart(
                "promises", "Promises kept and broken, \(period)", bars: data, columns: ["Promises", "How many"],
                note: "Kept rate: " + (tally.keptRate.map { "\($0.decimalString()) %" } ?? "n/a (none came due)")
                    + "; \(report.live.count) still live.")
        ]
    }

    // MARK: - Building blocks

    private func receivables(_ organisation: Organisation, _ period: ReportPeriod) async throws -> ReceivablesReport {
        var report = ReceivablesReport(period: period)
        try await web.store.scanInvoiceHistories(organisationID: organisation.id, through: period.to, into: &report)
        return report
    }

    private func chart(
        _ id: String, _ title: String, bars: [Chart.Datum] = [], line: [Chart.Datum] = [], columns: [String],
        note: String
    ) -> [String: Any] {
        let data = line.isEmpty ? bars : line
        return [
            "id": id, "title": title, "note": note, "head_label": columns[0], "head_figure": columns[1],
            "svg": line.isEmpty
                ? Chart.bars(bars, title: title, id: id) : Chart.line(line, title: title, id: id),
            "rows": data.map { ["label": $0.label, "figure": $0.text] },
        ]
    }

    private func empty(_ id: String, _ title: String, _ note: String) -> [String: Any] {
        ["id": id, "title": title, "note": note, "empty": true]
    }
}
