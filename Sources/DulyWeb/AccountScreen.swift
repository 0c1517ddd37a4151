import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// One customer's account: balances per currency, invoices with their stage or side state, contacts, promises,
/// plans, disputes, the timeline with each message viewable as sent, and the calls to log.
struct AccountScreen<Store: WebStore> {
    let web: WebScreens<Store>

    func add(to group: RouterGroup<WebContext>) {
        group.get("accounts/:customer", use: page)
        group.get("accounts/:customer/messages/:action", use: message)
        group.post("accounts/:customer/pause", use: pause)
        // The account's actions: promise, plan, dispute, settlement, write-off, evidence pack.
        AccountActions(web: web, screen: self).add(to: group)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        guard let customerID = context.parameters.get("customer") else { throw WebError.notFound }
        return try await render(
            user: user, customerID: customerID, notice: request.uri.queryParameters.get("logged"), failed: nil,
            status: .ok)
    }

    /// The page, with `notice` on top, and `failed` (a refused form) filled in again with its reason.
    func render(
        user: WebUser, customerID: String, notice: String?, failed: FailedForm?, status: HTTPResponse.Status
    ) async throws -> Response {
        let store = web.store
        let (organisation, today, playbook) = try await web.workday(user)
        guard let record = try await store.customer(organisationID: organisation.id, customerID: customerID)
        else { throw WebError.notFound }
        let account = try await store.account(organisationID: organisation.id, customerID: customerID)
        let commitments = try await store.accountsWithCommitments(
            organisationID: organisation.id, customerID: customerID
        ).first
        let states =
            account.map { Planner(playbook: playbook, organisation: organisation).states(of: $0, asOf: today) } ?? [:]
        let invoices = try await store.invoices(
            organisationID: organisation.id, customerID: customerID, openOnly: false)
        let balances = Dictionary(grouping: invoices, by: \.open.currency).map { currency, items in
            items.reduce(Money.zero(currency)) { $0 + $1.open }
        }.sorted { $0.currency.code < $1.currency.code }
        let grace = playbook.promiseGraceDays
        let receipts = commitments?.receipts ?? []
        let sent = Set(
            try await store.communications(organisationID: organisation.id, customerID: customerID).map(\.actionID))
        let actions = try await store.actions(organisationID: organisation.id, customerID: customerID)
        let calls = actions.filter {
            ($0.action.channel == .call || $0.action.channel == .meeting)
                && ($0.action.status == .planned || $0.action.status == .approved) && $0.action.date <= today
        }

        var values = try await web.frame(user, title: record.customer.name, section: "account")
        values["customer"] = [
            "id": record.customer.id, "name": record.customer.name, "language": record.customer.language,
        ]
        values["balances"] = balances.map(\.description).joined(separator: " · ")
        values["invoices"] = invoices.map { balance -> [String: Any] in
            let state = balance.endState.map(InvoiceState.init) ?? states[balance.invoice.number] ?? .paid
            return [
                "number": balance.invoice.number, "issued": balance.invoice.issueDate.description,
                "due": balance.invoice.dueDate.description, "total": balance.invoice.total.description,
                "open": balance.open.description, "state": state.rawValue.replacingOccurrences(of: "_", with: " "),
                "days": balance.isClosed ? "" : String(max(0, balance.invoice.dueDate.days(until: today))),
            ]
        }
        values["contacts"] = record.contacts.map {
            [
                "role": $0.role.rawValue, "name": $0.name ?? "", "email": $0.email ?? "", "phone": $0.phone ?? "",
            ]
        }
        values["promises"] = (commitments?.promises ?? []).map {
            [
                "id": $0.id, "amount": $0.amount.description, "date": $0.promisedDate.description,
                "invoices": $0.invoiceNumbers.joined(separator: ", "),
                "state": $0.state(on: today, graceDays: grace, receipts: receipts).rawValue,
            ]
        }
        values["plans"] = (commitments?.plans ?? []).map {
            [
                "id": $0.id, "total": $0.total.description, "invoices": $0.invoiceNumbers.joined(separator: ", "),
                "instalments": $0.instalments.map { "\($0.dueDate): \($0.amount)" }.joined(separator: "; "),
                "state": $0.acceptedOn == nil
                    ? "proposed" : $0.state(on: today, graceDays: grace, receipts: receipts).rawValue,
            ]
        }
        values["disputes"] = (commitments?.disputes ?? []).map {
            [
                "id": $0.id, "invoice": $0.invoiceNumber, "opened": $0.openedOn.description,
                "reason": "\($0.reasonCode.rawValue): \($0.reason)",
                "state": $0.isOpen(on: today) ? "open" : "resolved" + ($0.outcome.map { " (\($0.rawValue))" } ?? ""),
            ]
        }
        values["timeline"] = try await store.timeline(organisationID: organisation.id, customerID: customerID)
            .reversed().map { entry -> [String: Any] in
                var item: [String: Any] = [
                    "date": entry.date.description, "kind": entry.kind.replacingOccurrences(of: "_", with: " "),
                    "summary": entry.summary,
                ]
                // Only what was sent has a message to show.
                if let action = entry.details["action"].flatMap(Int64.init), sent.contains(action) {
                    item["message"] = "/accounts/\(percentEncoded(customerID))/messages/\(action)"
                }
                return item
            }
        values["no_commitments"] =
            (commitments?.promises.isEmpty ?? true) && (commitments?.plans.isEmpty ?? true)
            && (commitments?.disputes.isEmpty ?? true)
        if user.role >= .collector {
            values["has_calls"] = !calls.isEmpty
            values["calls"] = calls.map { stored -> [String: Any] in
                var form = callForm(action: stored.id, back: "account", today: today)
                form["label"] = "\(stored.action.stepID) (\(stored.action.channel.rawValue), \(stored.action.date))"
                return form
            }
        }
        values.merge(pauseValues(account, user: user, today: today, customerID: customerID)) { _, pause in pause }
        values["logged"] = notice
        values["refused"] = failed.map { "Not recorded: \($0.message). The form below keeps what was sent." }
        // The forms of the account's actions (AccountActions), for the signed-in role.
        values["actions"] =
            AccountForms(
                role: user.role, customerID: customerID, invoices: invoices, commitments: commitments, today: today,
                failed: failed
            ).values
        return web.pages.render("account", values, status: status)
    }

    /// A message exactly as it was handed to the transport, shown as text (never as markup).
    @Sendable func message(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let organisation = try await web.organisation(user)
        guard let customerID = context.parameters.get("customer"),
            let actionID = context.parameters.get("action", as: Int64.self),
            let communication = try await web.store.communications(
                organisationID: organisation.id, customerID: customerID
            ).first(where: { $0.actionID == actionID })
        else { throw WebError.notFound }
        var values = try await web.frame(user, title: "Message \(communication.messageID)", section: "account")
        values["customer_id"] = customerID
        values["message_id"] = communication.messageID
        values["state"] = "\(communication.state)"
        values["content"] = String(decoding: communication.content, as: UTF8.self)
        return web.pages.render("message", values)
    }
}
