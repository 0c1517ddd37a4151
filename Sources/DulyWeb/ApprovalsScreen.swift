import DulyCore
import DulyServer
import DulyStore
import Hummingbird

/// Escalations and offers awaiting a manager, each with why its account qualifies (`EscalationReview`, what
/// `duly approvals` shows); a manager approves or rejects with a note, by the rule `duly approve` uses. Everyone
/// may look; only a manager sees the buttons, and a POST by anyone else is refused.
struct ApprovalsScreen<Store: WebStore> {
    let web: WebScreens<Store>

    func add(to group: RouterGroup<WebContext>) {
        group.get("approvals", use: page)
        group.post("approvals/:action", use: decide)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let store = web.store
        let (organisation, today, playbook) = try await web.workday(user)
        // The queue `duly approvals` and the API show, each action reviewed as the planner sees its account today.
        let queue = try await store.approvalQueue(organisation: organisation, playbook: playbook, on: today)
        var items: [[String: Any]] = []
        for waiting in queue.waiting {
            let (stored, account, review) = (waiting.stored, waiting.account, waiting.review)
            let external = stored.action.escalatesTo?.isExternal == true
            items.append([
                "action_id": String(stored.id), "customer_id": stored.customerID, "customer": account.customer.name,
                "step": stored.action.stepID,
                "target": stored.action.escalatesTo.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") } ?? "",
                "invoices": review.invoices.sorted { NaturalOrder.precedes($0.number, $1.number) }.map {
                    var line: [String: Any] = [
                        "number": $0.number, "open": $0.open.description, "days": $0.daysOverdue,
                        "state": $0.state.rawValue.replacingOccurrences(of: "_", with: " "),
                    ]
                    line["disputed"] = $0.disputed?.description
                    return line
                },
                "contacts": review.contactsMade,
                "channels": review.channelsUsed.map(\.rawValue).joined(separator: ", "),
                "first_contact": review.firstContact?.description ?? "",
                "last_contact": review.lastContact?.description ?? "",
                "attempts": review.attempts.map {
                    "\($0.date) \($0.channel.rawValue) \($0.stepID): \($0.outcome.rawValue)"
                },
                "broken_promises": review.brokenPromises, "refusals": review.refusals,
                "last_resort": external
                    ? (review.lastResortMet
                        ? "met (two or more contacts on two or more channels)"
                        : "NOT met: fewer than two contacts on two channels") : "",
                "external_cap": external
                    ? "\(queue.externalApproved) of at most \(queue.externalCap) this month" : "",
            ])
        }
        var values = try await web.frame(user, title: "Approvals", section: "approvals")
        values["items"] = items
        values["empty"] = items.isEmpty
        values["can_decide"] = user.role >= .manager
        values["decided"] = request.uri.queryParameters.get("decided")
        return web.pages.render("approvals", values)
    }

    @Sendable func decide(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.manager)
        let form = try await web.form(request, context: context)
        let organisation = try await web.organisation(user)
        guard let id = context.parameters.get("action", as: Int64.self),
            let stored = try await web.store.action(organisationID: organisation.id, id: id)
        else { throw WebError.notFound }
        guard let decision = form["decision"], decision == "approve" || decision == "reject" else {
            throw WebError(.badRequest, "decision: choose approve or reject.")
        }
        do {
            try await web.store.decide(
                stored, approve: decision == "approve", by: user.email, note: form["note"],
                playbook: try await servedPlaybook(for: organisation, in: web.store), organisationID: organisation.id,
                context: RecordingContext(
                    date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp()))
        } catch let refusal as ApprovalRefusal {
            throw WebError(.conflict, "Action \(id): \(refusal).")
        }
        let done = decision == "approve" ? "approved" : "rejected"
        return seeOther(
            "/approvals?decided="
                + percentEncoded("Action \(id) (\(stored.action.stepID) for \(stored.customerID)) \(done)."))
    }
}
