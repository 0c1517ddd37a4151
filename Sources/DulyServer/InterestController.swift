import DulyCore
import DulyEvidence
import DulyImport
import DulyStore
import Hummingbird

/// `GET /invoices/{invoice_number}/interest` and `GET /customers/{customer_id}/interest`: the statutory late-payment
/// interest and fixed compensation `duly interest` works out, with its working, read only. The parameters are the
/// command's: `as_of`, `regime` (UK, EU, DE, FR, NL, IE; default the organisation's country's law) and
/// `contract_rate` (an agreed yearly rate in percent); the rate file is the one `duly serve` was given.
struct InterestController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.get("invoices/{invoice_number}/interest", use: invoice)
        group.get("customers/{customer_id}/interest", use: customer)
    }

    /// One invoice's claim, as `duly interest INVOICE --json` prints it. A claim that needs a reference rate not yet
    /// known is refused (422) with what to add to the rate file.
    @Sendable func invoice(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let number = try context.parameters.require("invoice_number")
        let organisation = try await api.organisation(identity)
        let terms = try Terms(request, organisation: organisation, today: api.clock.today(organisation.timeZone))
        guard let found = try await claims([number], organisation: organisation, terms: terms).first else {
            throw Problem.notFound("invoice '\(number)'")
        }
        switch found.claim {
        case .success(let claim):
            return .json(InterestJSON(claim, invoice: found.invoice, asOf: terms.date, ratesSource: api.rates.source))
        case .failure(let error):
            throw Problem(.unprocessableContent, "\(error)", field: "as_of")
        }
    }

    /// The claims on every invoice of a customer due before `as_of`, each as `duly interest --json` prints it; an
    /// invoice whose claim needs a reference rate not yet known is listed in `not_computed` with the reason.
    @Sendable func customer(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let customerID = try context.parameters.require("customer_id")
        guard try await store.customer(organisationID: identity.organisationID, customerID: customerID) != nil else {
            throw Problem.notFound("customer '\(customerID)'")
        }
        let organisation = try await api.organisation(identity)
        let terms = try Terms(request, organisation: organisation, today: api.clock.today(organisation.timeZone))
        let late = try await store.invoices(organisationID: organisation.id, customerID: customerID, openOnly: false)
            .filter { $0.invoice.dueDate < terms.date }.map(\.invoice.number)
        var invoices: [JSONNode] = []
        var notComputed: [JSONNode] = []
        for found in try await claims(late, organisation: organisation, terms: terms) {
            switch found.claim {
            case .success(let claim):
                invoices.append(
                    try JSONNode(
                        encoding: InterestJSON(
                            claim, invoice: found.invoice, asOf: terms.date, ratesSource: api.rates.source)))
            case .failure(let error):
                notComputed.append(
                    .object(["invoice_number": .string(found.invoice.number), "detail": .string("\(error)")]))
            }
        }
        return .json(
            [
                "customer_id": .string(customerID), "as_of": .string(terms.date.description),
                "regime": .string(try terms.law().jurisdiction.rawValue), "invoices": .array(invoices),
                "not_computed": .array(notComputed),
            ] as JSONObject)
    }

    private func claims(
        _ numbers: [String], organisation: Organisation, terms: Terms
    ) async throws -> [InvoiceInterest] {
        try await store.interestClaims(
            invoiceNumbers: numbers, organisationID: organisation.id, regime: try terms.law(), rates: api.rates.table,
            contractualRate: terms.contractualRate, through: terms.date)
    }

    /// The law, the date and any agreed rate a request asks for, checked as `duly interest` checks its options.
    struct Terms {
        var date: LocalDate
        /// The law asked for, else the organisation's country's; nil when its country has none.
        var regime: InterestRegime?
        var contractualRate: AnnualRate?
        var country: String

        /// The law, or a refusal naming `regime` when the organisation's country has none and none was asked for.
        func law() throws -> InterestRegime {
            guard let regime else {
                throw Problem(
                    .unprocessableContent,
                    "no statutory late-payment interest for country '\(country)': Duly knows the UK and the EU member "
                        + "states; pass regime=UK|EU|DE|FR|NL|IE to apply one of them",
                    field: "regime")
            }
            return regime
        }

        /// The terms an evidence pack's interest section is worked out with; nil when no law applies.
        func evidence(_ rates: LoadedRates) -> EvidenceInterestTerms? {
            regime.map {
                EvidenceInterestTerms(
                    regime: $0, rates: rates.table, ratesSource: rates.source, contractualRate: contractualRate)
            }
        }

        init(_ request: Request, organisation: Organisation, today: LocalDate) throws {
            let query = request.uri.queryParameters
            date = try ReportsController<Store>.date(query.get("as_of"), field: "as_of") ?? today
            if let named = query.get("regime") {
                guard let chosen = InterestRegime.named(named) else {
                    throw Problem(.badRequest, "'\(named)' is not one of UK, EU, DE, FR, NL, IE", field: "regime")
                }
                regime = chosen
            } else {
                regime = InterestRegime.forCountry(organisation.country)
            }
            country = organisation.country
            if let text = query.get("contract_rate") {
                guard let rate = AnnualRate(percent: text), rate.millionths >= 0 else {
                    throw Problem(
                        .badRequest, "'\(text)' is not a yearly rate in percent, like 8 or 9.5 (no % sign)",
                        field: "contract_rate")
                }
                contractualRate = rate
            }
        }
    }
}
