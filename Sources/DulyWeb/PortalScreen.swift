import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// The client portal (README, "Client portal"): `GET /p/TOKEN` shows one customer what is open, in their language,
/// with the terms, the early-payment saving while it lasts and how to pay; its forms promise a date, propose a plan
/// or dispute an invoice, each recorded by the rule the command line and the API use, as the client's. No sign-in:
/// the signed token is the key (`PortalLinks`). A tampered, expired or revoked token answers 403 with a plain page.
struct PortalScreen<Store: WebStore> {
    let web: WebScreens<Store>
    let keyring = PortalKeyring()

    /// Who the timeline names for what the client does on the portal.
    static var client: String { "client via portal" }

    func add(to group: RouterGroup<WebContext>) {
        group.get("p/:token", use: page)
        group.post("p/:token/promise", use: promise)
        group.post("p/:token/plan", use: plan)
        group.post("p/:token/dispute", use: dispute)
        group.post("p/:token/paid", use: paid)
        group.get("p/:token/documents/:invoice", use: document)
    }

    // MARK: - The page

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        try await guarded(context) { visit in
            let done = request.uri.queryParameters.get("done").flatMap(Done.init(rawValue:))
            return try await render(visit, done: done, problem: nil, status: .ok)
        }
    }

    /// What the page shows, with a word of what was just done or of what was refused.
    private func render(
        _ visit: Visit, done: Done?, problem: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let store = web.store
        let (organisation, customer, today) = (visit.organisation, visit.customer, visit.today)
        let open = try await store.invoices(organisationID: organisation.id, customerID: customer.id, openOnly: true)
        let commitments = try await store.accountsWithCommitments(
            organisationID: organisation.id, customerID: customer.id
        ).first
        let disputes = commitments?.disputes ?? []
        let statement = PortalStatement(
            organisation: organisation, customer: customer, invoices: open, disputes: disputes, on: today)
        let words = PortalWords(statement.language)
        let documents = Set(
            try await store.documents(organisationID: organisation.id, customerID: customer.id).map(\.invoiceNumber))
        let base = "/p/" + visit.token

        var values = statement.values
        values["w"] = words.table
        values["lang"] = statement.language.rawValue
        values["title"] = "\(words["heading"]) \(organisation.name)"
        values["base"] = base
        values["csrf"] = visit.links.formToken(for: visit.token)
        values["today"] = today.description
        values["nothing_open"] = open.isEmpty
        values["has_open"] = !open.isEmpty
        values["invoices"] = (values["invoices"] as? [[String: Any]] ?? []).map { row -> [String: Any] in
            var row = row
            if let number = row["number"] as? String, documents.contains(number) {
                row["document"] = base + "/documents/" + percentEncoded(number)
            }
            if let saving = row["early_payment_saving"] as? String, let deadline = row["early_payment_deadline"],
                let amount = row["early_payment_amount"]
            {
                row["saving_line"] = words.saving(amount: "\(amount)", by: "\(deadline)", saving: saving)
            }
            return row
        }
        values["invoice_choices"] = open.map { ["number": $0.invoice.number] }
        values["several_open"] = open.count > 1
        values["reason_codes"] = DisputeReason.allCases.map {
            ["value": $0.rawValue, "label": statement.words(for: $0)]
        }
        values["payment_code"] = statement.paymentCodeSVG
        values["has_payment_code"] = statement.paymentCodeSVG != nil

        // What the client told us that still stands: live promises, plans waiting for an answer, open disputes.
        let grace = try await servedPlaybook(for: organisation, in: store).promiseGraceDays
        let receipts = commitments?.receipts ?? []
        var told: [String] = []
        for promise in commitments?.promises ?? []
        where promise.state(on: today, graceDays: grace, receipts: receipts) == .live {
            told.append(
                words.promised(
                    amount: statement.format(promise.amount), by: statement.format(promise.promisedDate),
                    invoices: promise.invoiceNumbers.joined(separator: ", ")))
        }
        for plan in commitments?.plans ?? [] where plan.acceptedOn == nil {
            told.append(
                words.planProposed(
                    instalments: plan.instalments.map {
                        "\(statement.format($0.dueDate)): \(statement.format($0.amount))"
                    }.joined(separator: "; "), invoices: plan.invoiceNumbers.joined(separator: ", ")))
        }
        for dispute in disputes where dispute.isOpen(on: today) {
            told.append(words.disputed(invoice: dispute.invoiceNumber, reason: dispute.reason))
        }
        values["told"] = told
        values["has_told"] = !told.isEmpty
        values["done"] = done.map { words["done_" + $0.rawValue] }
        values["problem"] = problem.map { "\(words["problem"]) \($0)" }
        return web.pages.render("portal", values, status: status)
    }

    // MARK: - What the client may do

    /// Records a promise to pay by a date, of all that is open on the invoices chosen or of the amount given.
    @Sendable func promise(_ request: Request, context: WebContext) async throws -> Response {
        try await acting(request, context) { visit, form in
            guard let text = form["date"], let date = LocalDate(iso: text) else {
                throw CommitmentRefusal.invalid("choose the date you will pay by", field: "date")
            }
            let chosen = try await chosenInvoices(form, visit)
            _ = try await web.store.addPromise(
                customerID: visit.customer.id, invoiceNumbers: chosen.numbers,
                amount: { currency in
                    try amount(form["amount"], currency) ?? Money(minorUnits: chosen.askedFor, currency: currency)
                }, promisedDate: date, channel: nil,
                promisedBy: Self.client, id: nil, organisationID: visit.organisation.id,
                context: recording(visit))
            return .promise
        }
    }

    /// Records a plan the client proposes: what is open on the invoices chosen in equal monthly instalments from the
    /// first date (the last takes the cents left over). A collector accepts it or not.
    @Sendable func plan(_ request: Request, context: WebContext) async throws -> Response {
        try await acting(request, context) { visit, form in
            guard let count = form["instalments"].flatMap(Int.init), (2...12).contains(count) else {
                throw CommitmentRefusal.invalid("choose 2 to 12 instalments", field: "instalments")
            }
            guard let text = form["first"], let first = LocalDate(iso: text) else {
                throw CommitmentRefusal.invalid("choose the day of the first instalment", field: "first")
            }
            guard first >= visit.today else {
                throw CommitmentRefusal.invalid("the first instalment cannot be before today", field: "first")
            }
            let chosen = try await chosenInvoices(form, visit)
            let (numbers, units) = (chosen.numbers, chosen.askedFor)
            _ = try await web.store.proposePlan(
                customerID: visit.customer.id, invoiceNumbers: numbers,
                instalments: { currency in
                    (0..<count).map { index in
                        let share = units / count + (index == count - 1 ? units % count : 0)
                        return PaymentPlan.Instalment(
                            dueDate: first.adding(months: index), amount: Money(minorUnits: share, currency: currency))
                    }
                }, proposedBy: .client, accepted: false, id: nil, organisationID: visit.organisation.id,
                context: recording(visit))
            return .plan
        }
    }

    /// Opens a dispute on one of the customer's invoices, or on part of it, with the client's reason.
    @Sendable func dispute(_ request: Request, context: WebContext) async throws -> Response {
        try await acting(request, context) { visit, form in
            let all = try await web.store.invoices(
                organisationID: visit.organisation.id, customerID: visit.customer.id, openOnly: true)
            // Only the customer's own invoices: the store finds invoices by number across the organisation.
            guard let number = form["invoice"], all.contains(where: { $0.invoice.number == number }) else {
                throw CommitmentRefusal.invalid("choose one of your open invoices", field: "invoice")
            }
            guard let reason = form["reason"] else {
                throw CommitmentRefusal.invalid("tell us what is wrong", field: "reason")
            }
            _ = try await web.store.openDispute(
                invoiceNumber: number, amount: { try amount(form["amount"], $0) },
                reasonCode: form["reason_code"].flatMap(DisputeReason.init(rawValue:)) ?? .other,
                reason: String(reason.prefix(2000)), owner: nil, id: nil, organisationID: visit.organisation.id,
                context: recording(visit))
            return .dispute
        }
    }

    /// The client says they have paid: the chase pauses for the playbook's `paid_claim_pause_days` while the bank
    /// catches up (`PauseStore.recordPaidClaim`), recorded as the client's word.
    @Sendable func paid(_ request: Request, context: WebContext) async throws -> Response {
        try await acting(request, context) { visit, form in
            let playbook = try await servedPlaybook(for: visit.organisation, in: web.store)
            _ = try await web.store.recordPaidClaim(
                customerID: visit.customer.id, claimedBy: Self.client,
                note: form["note"].map { String($0.prefix(500)) },
                playbook: playbook, organisationID: visit.organisation.id, context: recording(visit))
            return .paid
        }
    }

    /// The document kept with one of the customer's invoices (a PDF before the XML); 404 when there is none.
    @Sendable func document(_ request: Request, context: WebContext) async throws -> Response {
        try await guarded(context) { visit in
            guard let number = context.parameters.get("invoice") else { throw WebError.notFound }
            let kept = try await web.store.documents(
                organisationID: visit.organisation.id, customerID: visit.customer.id
            ).filter { $0.invoiceNumber == number }
            guard let document = kept.first(where: { $0.mediaType == "application/pdf" }) ?? kept.first else {
                return web.pages.render(
                    "portal_denied",
                    ["title": "Not found", "not_found": true], status: .notFound)
            }
            let name = String(
                document.fileName.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
            return Response(
                status: .ok,
                headers: [
                    .contentType: document.mediaType, .contentDisposition: "attachment; filename=\"\(name)\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
        }
    }

    // MARK: - Tokens, forms and refusals

    /// Who the link speaks for, on the organisation's today.
    struct Visit {
        var token: String
        var links: PortalLinks
        var organisation: Organisation
        var customer: Customer
        var today: LocalDate
    }

    /// What a form did, named in the page's address after it (`?done=promise`).
    enum Done: String {
        case promise, plan, dispute, paid
    }

    /// Opens the link, then `body`; a link that does not open answers 403 with the plain page, saying no more.
    private func guarded(
        _ context: WebContext, _ body: (Visit) async throws -> Response
    ) async throws -> Response {
        guard let visit = try await visit(context) else {
            return web.pages.render("portal_denied", ["title": "Link not valid"], status: .forbidden)
        }
        return try await body(visit)
    }

    private func visit(_ context: WebContext) async throws -> Visit? {
        guard let token = context.parameters.get("token") else { return nil }
        let links = try await keyring.links(web.store)
        guard let claims = try? links.verified(token),
            let organisation = try await web.store.organisation(id: claims.organisationID),
            let record = try await web.store.customer(
                organisationID: organisation.id, customerID: claims.customerID)
        else { return nil }
        let today = web.clock.today(organisation.timeZone)
        do {
            _ = try await web.store.openPortal(token, links: links, on: today)
        } catch is PortalLinks.Refusal {
            return nil
        }
        return Visit(
            token: token, links: links, organisation: organisation, customer: record.customer, today: today)
    }

    /// A form of the portal: its token checked against the link (403 otherwise), then `body`; a refusal shows the
    /// page again with what to change, a success returns to the page saying what was done.
    private func acting(
        _ request: Request, _ context: WebContext, _ body: (Visit, Form) async throws -> Done
    ) async throws -> Response {
        try await guarded(context) { visit in
            let form = Form(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
            guard let token = form["csrf"], visit.links.isValidFormToken(token, for: visit.token) else {
                return web.pages.render("portal_denied", ["title": "Form not valid", "form": true], status: .forbidden)
            }
            do {
                let done = try await body(visit, form)
                return seeOther("/p/\(visit.token)?done=\(done.rawValue)")
            } catch let refusal as CommitmentRefusal {
                return try await render(
                    visit, done: nil, problem: "\(refusal.field.map { "\($0): " } ?? "")\(refusal.description).",
                    status: .badRequest)
            } catch let refusal as PauseRefusal {
                return try await render(visit, done: nil, problem: "\(refusal.description).", status: .badRequest)
            } catch StoreError.conflict {
                return try await render(
                    visit, done: nil, problem: "this was recorded today already.", status: .conflict)
            }
        }
    }

    /// The invoices a form names, one of the customer's open invoices or all of them (`*`, the default), and what
    /// is asked for on them in minor units: the open amount less what an open dispute covers. "All" leaves out what
    /// is wholly disputed.
    private func chosenInvoices(_ form: Form, _ visit: Visit) async throws -> (numbers: [String], askedFor: Int) {
        let disputes =
            try await web.store.accountsWithCommitments(
                organisationID: visit.organisation.id, customerID: visit.customer.id
            ).first?.disputes ?? []
        let open = try await web.store.invoices(
            organisationID: visit.organisation.id, customerID: visit.customer.id, openOnly: true
        ).map { InvoiceFacts($0, disputes: disputes, asOf: visit.today) }
        let chosen: [InvoiceFacts]
        if let number = form["invoice"], number != "*" {
            chosen = open.filter { $0.number == number }
            guard !chosen.isEmpty else {
                throw CommitmentRefusal.invalid("choose one of your open invoices", field: "invoice")
            }
        } else {
            chosen = open.filter { !$0.open.isZero }
            guard !chosen.isEmpty else { throw CommitmentRefusal.invalid("nothing is asked for", field: "invoice") }
        }
        return (chosen.map(\.number), chosen.reduce(0) { $0 + $1.open.minorUnits })
    }

    private func recording(_ visit: Visit) -> RecordingContext {
        RecordingContext(date: visit.today, recordedAt: web.clock.timestamp())
    }
}

/// An amount as a client types it (`1200`, `1200.50`, `1.200,50`), in `currency`; nil when left empty.
private func amount(_ text: String?, _ currency: Currency) throws -> Money? {
    guard var text = text?.replacingOccurrences(of: " ", with: ""), !text.isEmpty else { return nil }
    // A comma after the last point is a decimal comma (`1.200,50`, `99,5`).
    if let comma = text.lastIndex(of: ","), text.lastIndex(of: ".").map({ $0 < comma }) ?? true {
        text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
    } else {
        text = text.replacingOccurrences(of: ",", with: "")
    }
    do { return try Money(parsing: text, currency: currency) } catch {
        throw CommitmentRefusal.invalid("'\(text)' is not an amount in \(currency.code)", field: "amount")
    }
}

/// The portal's signing keys, read from the database once (`PortalLinks.secretName`): the deliverer signs with the
/// same secret, so a link made by any node opens on every node.
actor PortalKeyring {
    private var cached: PortalLinks?

    func links(_ store: some AccountStore) async throws -> PortalLinks {
        if let cached { return cached }
        let links = PortalLinks(
            secret: try await store.serverSecret(named: PortalLinks.secretName, generated: randomBytes(32)))
        cached = links
        return links
    }
}
