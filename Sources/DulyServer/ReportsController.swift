import DulyCore
import DulyStore
import Hummingbird

/// `GET /reports/NAME`: the reports of `duly report` (aging, dso, kpis with the CEI, promises, collected), with its
/// parameters (`as_of`, or `from` and `to`) and the members of its `--json` object. Each report is its own route, so
/// that the document gives each its own schema.
struct ReportsController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    /// The reports by name, as `duly report NAME` names them.
    static var names: [String] { ["aging", "dso", "kpis", "promises", "collected"] }

    func add(to group: RouterGroup<APIContext>) {
        for name in Self.names {
            group.get("reports/\(name)") { request, context in try await report(name, request, context: context) }
        }
    }

    func report(_ name: String, _ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        let query = request.uri.queryParameters
        let asOf = try Self.date(query.get("as_of"), field: "as_of")
        let from = try Self.date(query.get("from"), field: "from")
        let to = try Self.date(query.get("to"), field: "to")
        if name == "aging" {
            // Aging is taken on one day, as `duly report aging --as-of` takes it.
            if from != nil || to != nil {
                throw Problem(
                    .badRequest, "the aging report is taken on one day: give as_of, not from and to",
                    field: from != nil ? "from" : "to")
            }
            return .json(try await aging(organisation, on: asOf ?? today))
        }
        let period = try Self.period(asOf: asOf, from: from, to: to, today: today)
        switch name {
        case "dso": return .json(try await dso(organisation, period))
        case "kpis": return .json(try await kpis(organisation, period))
        case "promises": return .json(try await promises(organisation, period))
        default: return .json(try await collected(organisation, period))
        }
    }

    // MARK: - Parameters

    /// A date parameter, nil when absent; 400 naming it when it is not `YYYY-MM-DD`.
    static func date(_ text: String?, field: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(iso: text) else {
            throw Problem(.badRequest, "'\(text)' is not a date in the form YYYY-MM-DD", field: field)
        }
        return date
    }

    /// The period as `duly report` takes it: `from` and `to`, else the three calendar months up to `as_of` (today
    /// by default).
    static func period(asOf: LocalDate?, from: LocalDate?, to: LocalDate?, today: LocalDate) throws -> ReportPeriod {
        if asOf != nil && (from != nil || to != nil) {
            throw Problem(.badRequest, "give either as_of or from and to, not both", field: "as_of")
        }
        switch (from, to) {
        case (let from?, let to?):
            guard let period = ReportPeriod(from: from, to: to) else {
                throw Problem(.badRequest, "from \(from) is after to \(to)", field: "from")
            }
            return period
        case (nil, nil):
            return .threeMonths(endingOn: asOf ?? today)
        default:
            throw Problem(.badRequest, "from and to go together", field: from == nil ? "from" : "to")
        }
    }

    // MARK: - Reports

    private func receivables(_ organisation: Organisation, _ period: ReportPeriod) async throws -> ReceivablesReport {
        var report = ReceivablesReport(period: period)
        try await store.scanInvoiceHistories(organisationID: organisation.id, through: period.to, into: &report)
        return report
    }

    private func aging(_ organisation: Organisation, on date: LocalDate) async throws -> JSONObject {
        let report = try await receivables(organisation, ReportPeriod(from: date, to: date)!).aging
        let buckets = AgingReport.Bucket.allCases
        let rows: [JSONNode] = report.rows.map { row in
            .object([
                "currency": .string(row.currency.code),
                "buckets": .object(JSONObject(buckets.map { ($0.rawValue, .string(row.amounts[$0]!.decimalString)) })),
                "counts": .object(JSONObject(buckets.map { ($0.rawValue, .integer(row.counts[$0]!)) })),
                "total": .string(row.total.decimalString),
            ])
        }
        return ["as_of": .string(date.description), "rows": .array(rows)]
    }

    private func dso(_ organisation: Organisation, _ period: ReportPeriod) async throws -> JSONObject {
        let kpis = try await receivables(organisation, period).kpis
        let currencies: [JSONNode] = kpis.map { kpi in
            .object([
                "currency": .string(kpi.currency.code), "ending_ar": .string(kpi.ending.total.decimalString),
                "credit_sales": .string(kpi.creditSales.decimalString), "dso": Self.figure(kpi.dso),
                "count_back_dso": Self.figure(kpi.countBackDSO),
            ])
        }
        return Self.period(period) + [("currencies", .array(currencies))]
    }

    private func kpis(_ organisation: Organisation, _ period: ReportPeriod) async throws -> JSONObject {
        let kpis = try await receivables(organisation, period).kpis
        let currencies: [JSONNode] = kpis.map { kpi in
            .object([
                "currency": .string(kpi.currency.code), "beginning_ar": .string(kpi.beginning.decimalString),
                "ending_ar": .string(kpi.ending.total.decimalString),
                "current_ar": .string(kpi.ending.current.decimalString),
                "over_90_ar": .string(kpi.ending.over90.decimalString),
                "credit_sales": .string(kpi.creditSales.decimalString), "dso": Self.figure(kpi.dso),
                "count_back_dso": Self.figure(kpi.countBackDSO),
                "best_possible_dso": Self.figure(kpi.bestPossibleDSO),
                "add": Self.figure(kpi.averageDaysDelinquent), "cei": Self.figure(kpi.collectionEffectivenessIndex),
                "percent_current": Self.figure(kpi.percentCurrent), "percent_over_90": Self.figure(kpi.percentOver90),
                "cei_note": .text(kpi.collectionEffectivenessCaveat),
            ])
        }
        return Self.period(period) + [
            ("months", .integer(period.months)),
            ("cei_convention", .string(KPIFormulas.CEIConvention.averageMonthlySales.rawValue)),
            ("currencies", .array(currencies)),
        ]
    }

    private func promises(_ organisation: Organisation, _ period: ReportPeriod) async throws -> JSONObject {
        let grace = try await servedPlaybook(for: organisation, in: store).promiseGraceDays
        let histories = try await store.promiseHistories(
            organisationID: organisation.id, customerID: nil, through: period.to)
        let report = PromiseKeptReport(promises: histories, period: period, graceDays: grace)
        func tally(_ tally: PromiseKeptReport.Tally) -> [(name: String, value: JSONNode)] {
            [
                ("kept", .integer(tally.kept)), ("broken", .integer(tally.broken)),
                ("kept_rate", Self.figure(tally.keptRate)),
            ]
        }
        let customers: [JSONNode] = report.customers.map {
            .object(JSONObject([("customer_id", .string($0.customerID))] + tally($0.tally)))
        }
        let live: [JSONNode] = report.live.map { live in
            .object([
                "promise_id": .string(live.promise.id), "customer_id": .string(live.customerID),
                "currency": .string(live.promise.amount.currency.code),
                "amount": .string(live.promise.amount.decimalString),
                "promised_date": .string(live.promise.promisedDate.description),
                "invoice_numbers": .array(live.promise.invoiceNumbers.map(JSONNode.string)),
            ])
        }
        return JSONObject([
            ("from", .string(period.from.description)), ("to", .string(period.to.description)),
            ("grace_days", .integer(grace)), ("overall", .object(JSONObject(tally(report.overall)))),
            ("customers", .array(customers)), ("live", .array(live)),
        ])
    }

    private func collected(_ organisation: Organisation, _ period: ReportPeriod) async throws -> JSONObject {
        let threshold = try await servedPlaybook(for: organisation, in: store).nonPaymentAfterDaysPastDue
        let facts = try await store.collectionFacts(organisationID: organisation.id, period: period)
        let report = CollectionsReport(
            collections: facts.collections, contacts: facts.contacts, period: period,
            nonPaymentAfterDaysPastDue: threshold)
        let rows: [JSONNode] = report.rows.map { row in
            .object([
                "currency": .string(row.currency.code), "stage": .string(row.stage.rawValue),
                "channel": .string(row.channel?.rawValue ?? "none"), "amount": .string(row.amount.decimalString),
                "allocations": .integer(row.allocations),
            ])
        }
        let totals: [JSONNode] = report.totals.map {
            .object(["currency": .string($0.currency.code), "amount": .string($0.decimalString)])
        }
        return JSONObject([
            ("from", .string(period.from.description)), ("to", .string(period.to.description)),
            ("non_payment_after_days", .integer(threshold)), ("rows", .array(rows)), ("totals", .array(totals)),
        ])
    }

    // MARK: - JSON

    // A figure as a decimal string with two places, null where its formula would divide by zero (the CLI's "n/a").
    private static func figure(_ ratio: Ratio?) -> JSONNode { .text(ratio?.decimalString()) }

    private static func period(_ period: ReportPeriod) -> JSONObject {
        [
            "from": .string(period.from.description), "to": .string(period.to.description),
            "days": .integer(period.days),
        ]
    }
}

extension JSONObject {
    /// The object with `more` members after its own.
    static func + (object: JSONObject, more: [(name: String, value: JSONNode)]) -> JSONObject {
        JSONObject(object.members + more)
    }
}
