import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// `/invoices`: create with the fields of `invoices.csv`, read one by its number, list with filters and a cursor.
/// Each invoice shows its balance and its stage today, as `duly invoices` does.
struct InvoicesController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.get("invoices", use: list)
        group.get("invoices/{invoice_number}", use: get)
        group.post("invoices") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: create)
        }
    }

    /// Lists invoices in (customer, due date, number) order, filtered by `customer_id`, `collector` and `stage`.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let query = request.uri.queryParameters
        let limit = try Page.limit(request)
        var stage: InvoiceState?
        if let text = query.get("stage") {
            guard let state = InvoiceState(rawValue: text) else {
                let states = InvoiceState.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(.badRequest, "'\(text)' is not a stage or state; give one of \(states)", field: "stage")
            }
            stage = state
        }
        var after: InvoicePageKey?
        if let key = try Page.cursor(request, parts: 3) {
            guard let due = LocalDate(iso: key[1]) else {
                throw Problem(.badRequest, "not a cursor this list gave", field: "cursor")
            }
            after = InvoicePageKey(customerID: key[0], dueDate: due, number: key[2])
        }
        let organisation = try await api.organisation(identity)
        let filter = InvoiceFilter(customerID: query.get("customer_id"), collector: query.get("collector"))
        // Read in chunks until the page is full and one more match shows there is a next page. A stage filter may
        // pass few invoices: after a bounded number of chunks the page ends short, with a cursor where reading
        // stopped, so that no request reads the whole ledger.
        var matched: [(balance: InvoiceBalance, state: InvoiceState)] = []
        var scannedTo = after
        var more = true
        var chunks = 0
        reading: while more && chunks < 20 {
            let rows = try await store.invoicePage(
                organisationID: organisation.id, filter: filter, after: scannedTo, limit: limit + 1)
            chunks += 1
            more = rows.count == limit + 1
            let states = try await self.states(of: rows, organisation: organisation)
            for balance in rows {
                scannedTo = InvoicePageKey(balance.invoice)
                let state = try Self.state(of: balance, in: states)
                guard stage == nil || stage == state else { continue }
                matched.append((balance, state))
                if matched.count > limit { break reading }
            }
        }
        let shown = matched.prefix(limit)
        let next: InvoicePageKey?
        if matched.count > limit {
            next = shown.last.map { InvoicePageKey($0.balance.invoice) }
        } else {
            next = more ? scannedTo : nil
        }
        let page = Page(
            items: shown.map { .object(Self.json($0.balance, state: $0.state)) },
            nextCursor: next.map { [$0.customerID, $0.dueDate.description, $0.number] })
        return .json(page.json)
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let number = try context.parameters.require("invoice_number")
        guard let balance = try await store.invoice(organisationID: identity.organisationID, number: number) else {
            throw Problem.notFound("invoice '\(number)'")
        }
        let organisation = try await api.organisation(identity)
        let states = try await states(of: [balance], organisation: organisation)
        return .json(Self.json(balance, state: try Self.state(of: balance, in: states)))
    }

    /// Creates an invoice as `duly import invoices` would import it. The same invoice posted again answers 200;
    /// another invoice under a number already taken is a conflict (409), an unknown customer a 422.
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes, allowed: DulyCSV.invoiceColumns)
        let invoice = try CSVFields.record(body, columns: DulyCSV.invoiceColumns, read: DulyCSV.invoices)
        let organisation = try await api.organisation(identity)
        let refusals = try await store.importRefusals(invoices: [invoice], organisationID: organisation.id)
        if let refusal = refusals.first { throw Problem(refusal) }
        let existed = try await store.invoice(organisationID: organisation.id, number: invoice.number) != nil
        if !existed {
            _ = try await store.importInvoices(
                [invoice], organisationID: organisation.id, context: api.recording(organisation))
        }
        guard let stored = try await store.invoice(organisationID: organisation.id, number: invoice.number) else {
            throw StoreError.invoiceNotFound(invoice.number)
        }
        let states = try await states(of: [stored], organisation: organisation)
        return .json(
            Self.json(stored, state: try Self.state(of: stored, in: states)), status: existed ? .ok : .created)
    }

    // Each invoice's state today: an open one's from the planner, over its customer's account (as `duly invoices`
    // gives it, under the built-in playbook); a closed one's end state.
    private func states(
        of balances: [InvoiceBalance], organisation: Organisation
    ) async throws -> [String: InvoiceState] {
        let planner = Planner(
            playbook: try await servedPlaybook(for: organisation, in: api.store), organisation: organisation)
        let today = api.clock.today(organisation.timeZone)
        var states: [String: InvoiceState] = [:]
        var customers: [String] = []
        for balance in balances {
            if let end = balance.endState {
                states[balance.invoice.number] = InvoiceState(end)
            } else if customers.last != balance.invoice.customerID {
                customers.append(balance.invoice.customerID)
            }
        }
        for customerID in customers {
            guard let account = try await store.account(organisationID: organisation.id, customerID: customerID)
            else { continue }
            states.merge(planner.states(of: account, asOf: today)) { closed, _ in closed }
        }
        return states
    }

    // Every open invoice is on its customer's account; one that is not would be a store's fault, not the client's.
    private static func state(of balance: InvoiceBalance, in states: [String: InvoiceState]) throws -> InvoiceState {
        guard let state = states[balance.invoice.number] else {
            throw StoreError.backend("open invoice '\(balance.invoice.number)' is missing from its customer's account")
        }
        return state
    }

    /// An invoice as the API shows it: the columns of `invoices.csv`, then its balance, stage, payment reference and
    /// payment link.
    static func json(_ balance: InvoiceBalance, state: InvoiceState) -> JSONObject {
        let invoice = balance.invoice
        return [
            "invoice_number": .string(invoice.number), "customer_id": .string(invoice.customerID),
            "issue_date": .string(invoice.issueDate.description), "due_date": .string(invoice.dueDate.description),
            "currency": .string(invoice.currency.code), "total": .string(invoice.total.decimalString),
            "terms": .text(invoice.terms?.description), "po_number": .text(invoice.poNumber),
            "paid": .string(balance.paid.decimalString), "credited": .string(balance.credited.decimalString),
            "open": .string(balance.open.decimalString), "stage": .string(state.rawValue),
            "payment_reference": .text(invoice.paymentReference), "payment_url": .text(invoice.paymentURL),
        ]
    }
}

extension Problem {
    /// What an import would refuse, for the field it names: a record under a key already taken is a conflict (409),
    /// an unknown customer or invoice a 422.
    init(_ refusal: ImportRefusal) {
        self.init(
            refusal.kind == .conflict ? .conflict : .unprocessableContent, refusal.message, field: refusal.field)
    }
}
