import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Foundation
import Hummingbird

/// The home page: what needs a person today, as `duly worklist` and `GET /api/v1/worklist` list it (the same
/// `Worklist.tasks`), plus promises due and broken and bank credits that matched nothing; each section sorted by
/// what is at stake (open amount × days overdue), broken promises first. A call is logged on the page.
struct WorklistScreen<Store: WebStore> {
    let web: WebScreens<Store>

    func add(to group: RouterGroup<WebContext>) {
        group.get("worklist", use: page)
        group.post("calls/:action", use: logCall)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let store = web.store
        let (organisation, today, playbook) = try await web.workday(user)
        let tasks = try await Worklist.tasks(store: store, organisation: organisation, on: today)
        // Only the accounts on the page are read: those with tasks, and those with promises or plans.
        let committed = try await store.accountsWithCommitments(organisationID: organisation.id, customerID: nil)
        var open: [String: [InvoiceBalance]] = [:]
        var names: [String: String] = [:]
        for account in committed {
            open[account.customer.id] = account.invoices.filter { !$0.isClosed }
            names[account.customer.id] = account.customer.name
        }
        // Clients who said they have paid (the portal's "I have paid"): the chase waits while the bank catches up.
        let paidClaims = try await store.pauses(organisationID: organisation.id, on: today).filter(\.pause.byClient)
        for id in Set(tasks.map(\.customerID) + paidClaims.map(\.customerID)) where open[id] == nil {
            open[id] = try await store.invoices(organisationID: organisation.id, customerID: id, openOnly: true)
            names[id] = try await store.customer(organisationID: organisation.id, customerID: id)?.customer.name
        }
        let stakes = Stakes(open, on: today)
        func name(_ id: String) -> String { names[id] ?? id }
        let canLog = user.role >= .collector

        // Calls and meetings, each with its script and the form that records what came of it.
        var library: TemplateLibrary?
        var calls: [(weight: Int, item: [String: Any])] = []
        for task in tasks where task.kind == "call" || task.kind == "meeting" {
            guard let id = task.actionID, let stored = try await store.action(organisationID: organisation.id, id: id),
                let account = try await store.account(organisationID: organisation.id, customerID: task.customerID)
            else { continue }
            if library == nil {
                library = try await TemplateLibrary.organisation(organisation.id, playbook: playbook, store: store)
            }
            let script = try? CallScript(
                action: stored, account: account, organisation: organisation, library: library!, on: today)
            var item = taskItem(task, name: name(task.customerID), stakes: stakes)
            item["script_who"] = script?.who ?? ""
            item["script_subject"] = script?.subject ?? ""
            item["script_text"] = script?.text ?? "No script: the call's template does not render."
            item["form"] = canLog ? callForm(action: id, back: "worklist", today: today) : nil
            calls.append((stakes.weight(task.customerID, task.invoiceNumbers), item))
        }

        // Promises and plans: broken ones first of everything, then those due today.
        var broken: [(weight: Int, item: [String: Any])] = []
        var dueToday: [(weight: Int, item: [String: Any])] = []
        var fromPortal: [(weight: Int, item: [String: Any])] = []
        let grace = playbook.promiseGraceDays
        for account in committed {
            let customer = account.customer
            for promise in account.promises {
                let state = promise.state(on: today, graceDays: grace, receipts: account.receipts)
                let open = stakes.open(customer.id, promise.invoiceNumbers)
                let item: [String: Any] = [
                    "customer_id": customer.id, "customer": customer.name, "amount": promise.amount.description,
                    "date": promise.promisedDate.description,
                    "invoices": promise.invoiceNumbers.joined(separator: ", "),
                    "what": "promise",
                ]
                let weight = stakes.weight(customer.id, promise.invoiceNumbers)
                if state == .broken && open {
                    broken.append((weight, item))
                } else if state == .live && promise.promisedDate == today {
                    dueToday.append((weight, item))
                } else if state == .live && promise.promisedBy == PortalScreen<Store>.client
                    && promise.madeOn.days(until: today) < 7
                {
                    // A promise the client made on the portal this week: for the team to know, before it falls due.
                    fromPortal.append((weight, item))
                }
            }
            for plan in account.plans where plan.acceptedOn != nil {
                guard plan.state(on: today, graceDays: grace, receipts: account.receipts) == .broken,
                    stakes.open(customer.id, plan.invoiceNumbers)
                else { continue }
                broken.append(
                    (
                        stakes.weight(customer.id, plan.invoiceNumbers),
                        [
                            "customer_id": customer.id, "customer": customer.name, "amount": plan.total.description,
                            "date": plan.brokenOn(date: today, graceDays: grace, receipts: account.receipts)?
                                .description
                                ?? "", "invoices": plan.invoiceNumbers.joined(separator: ", "), "what": "payment plan",
                        ]
                    ))
            }
        }

        // What clients asked for that waits on the team: plans proposed and not yet accepted, and open disputes
        // (from a call, the API or the client portal), oldest first within what is at stake.
        var answers: [(weight: Int, item: [String: Any])] = []
        for account in committed {
            let customer = account.customer
            for plan in account.plans where plan.acceptedOn == nil {
                answers.append(
                    (
                        stakes.weight(customer.id, plan.invoiceNumbers),
                        [
                            "customer_id": customer.id, "customer": customer.name, "what": "plan to accept or refuse",
                            "by": plan.proposedBy == .client ? "proposed by the client" : "proposed by a collector",
                            "amount": plan.total.description, "invoices": plan.invoiceNumbers.joined(separator: ", "),
                            "detail": "\(plan.instalments.count) instalments from "
                                + (plan.instalments.first?.dueDate.description ?? ""),
                        ]
                    ))
            }
            for dispute in account.disputes where dispute.isOpen(on: today) {
                answers.append(
                    (
                        stakes.weight(customer.id, [dispute.invoiceNumber]),
                        [
                            "customer_id": customer.id, "customer": customer.name, "what": "dispute to resolve",
                            "by": "opened \(dispute.openedOn)", "amount": dispute.amount?.description ?? "all of it",
                            "invoices": dispute.invoiceNumber, "detail": dispute.reason,
                        ]
                    ))
            }
        }

        // Whoever matches the bank's credits checks each claim.
        for (customerID, pause) in paidClaims {
            answers.append(
                (
                    stakes.weight(customerID, []),
                    [
                        "customer_id": customerID, "customer": name(customerID), "what": "says they have paid",
                        "by": "on \(pause.setOn); the chase waits until \(pause.until)",
                        "amount": stakes.label(customerID, []), "detail": pause.reason,
                    ]
                ))
        }

        func section(_ kinds: Set<String>) -> [[String: Any]] {
            sorted(
                tasks.filter { kinds.contains($0.kind) }.map {
                    (
                        stakes.weight($0.customerID, $0.invoiceNumbers),
                        taskItem($0, name: name($0.customerID), stakes: stakes)
                    )
                })
        }
        let credits: [[String: Any]] = try await store.unmatchedCredits(organisationID: organisation.id).map {
            [
                "date": $0.record.bookingDate.description, "amount": $0.record.amount.description,
                "debtor": $0.record.debtorName ?? "unknown payer", "reference": $0.record.reference ?? "",
                "remittance": $0.record.remittance.joined(separator: " "),
            ]
        }
        var values = try await web.frame(user, title: "Worklist", section: "worklist")
        let sections: [String: [[String: Any]]] = [
            "broken": sorted(broken), "calls": sorted(calls), "due_today": sorted(dueToday),
            "approvals": section(["approval"]), "bounced": section(["failed_delivery", "skipped"]),
            "held": section(["held_escalation"]), "credits": credits, "answers": sorted(answers),
            "from_portal": sorted(fromPortal),
        ]
        for (key, items) in sections {
            values[key] = items
            values["has_" + key] = !items.isEmpty
        }
        values["today"] = today.description
        values["empty"] = sections.values.allSatisfy(\.isEmpty)
        values["logged"] = request.uri.queryParameters.get("logged")
        return web.pages.render("worklist", values)
    }

    /// Records a call's outcome by the rule `duly log-call` uses, then returns to the page the form was on.
    @Sendable func logCall(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.collector)
        let form = try await web.form(request, context: context)
        let organisation = try await web.organisation(user)
        guard let id = context.parameters.get("action", as: Int64.self),
            let stored = try await web.store.action(organisationID: organisation.id, id: id),
            stored.action.channel == .call || stored.action.channel == .meeting
        else { throw WebError.notFound }
        guard let outcome = form["outcome"].flatMap(CallOutcome.init(rawValue:)) else {
            throw WebError(.badRequest, "Choose what came of the call (outcome), then send the form again.")
        }
        var date: LocalDate?
        if let text = form["date"] {
            guard let parsed = LocalDate(iso: text) else {
                throw WebError(.badRequest, "date: '\(text)' is not a date; write YYYY-MM-DD.")
            }
            date = parsed
        }
        let amountText = form["amount"]
        let logged: LoggedCall
        do {
            logged = try await web.store.logCall(
                stored, named: String(id), outcome: outcome, date: date,
                amount: { currency in
                    guard let amountText, !amountText.isEmpty else { return nil }
                    do { return try Money(parsing: amountText, currency: currency) } catch {
                        throw CommitmentRefusal.invalid("\(error)", field: "amount")
                    }
                },
                reason: form["reason"],
                reasonCode: form["reason_code"].flatMap(DisputeReason.init(rawValue:)) ?? .other,
                promisedBy: form["promised_by"], note: form["note"], organisationID: organisation.id,
                context: RecordingContext(
                    date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp()))
        } catch let refusal as CommitmentRefusal {
            throw WebError(.badRequest, "\(refusal.field.map { "\($0): " } ?? "")\(refusal.description).")
        }
        let summary = logged.summary
        let back = form["back"] == "worklist" ? "/worklist" : "/accounts/\(percentEncoded(stored.customerID))"
        return seeOther(back + "?logged=" + percentEncoded("Call \(id): \(summary)."))
    }

    private func taskItem(_ task: WorklistTask, name: String, stakes: Stakes) -> [String: Any] {
        [
            "action_id": task.actionID.map(String.init) ?? "", "customer_id": task.customerID, "customer": name,
            "date": task.date.description, "step": task.step ?? "", "channel": task.channel?.rawValue ?? "",
            "invoices": task.invoiceNumbers.joined(separator: ", "), "note": task.note ?? "",
            "at_stake": stakes.label(task.customerID, task.invoiceNumbers),
        ]
    }

    private func sorted(_ items: [(weight: Int, item: [String: Any])]) -> [[String: Any]] {
        items.enumerated().sorted { ($1.element.weight, $0.offset) < ($0.element.weight, $1.offset) }.map(
            \.element.item)
    }
}

/// The fields of the log-call form: outcomes, reason codes, the day.
func callForm(action: Int64, back: String, today: LocalDate) -> [String: Any] {
    [
        "action_id": String(action), "back": back, "today": today.description,
        "outcomes": CallOutcome.allCases.map {
            ["value": $0.rawValue, "label": $0.rawValue.replacingOccurrences(of: "-", with: " ")]
        },
        "reason_codes": DisputeReason.allCases.map { ["value": $0.rawValue] },
    ]
}

/// What is at stake on an account's invoices: open amount × days overdue, the worklist's order.
struct Stakes {
    private var invoices: [String: [InvoiceBalance]]
    let today: LocalDate

    /// Over each customer's open invoices.
    init(_ open: [String: [InvoiceBalance]], on today: LocalDate) {
        invoices = open
        self.today = today
    }

    private func covered(_ customerID: String, _ numbers: [String]) -> [InvoiceBalance] {
        let all = invoices[customerID] ?? []
        return numbers.isEmpty ? all : all.filter { numbers.contains($0.invoice.number) }
    }

    /// Σ open minor units × days overdue of the invoices (all the customer's when none are named).
    func weight(_ customerID: String, _ numbers: [String]) -> Int {
        covered(customerID, numbers).reduce(0) {
            $0 + $1.open.minorUnits * max(0, $1.invoice.dueDate.days(until: today))
        }
    }

    /// Whether any of the invoices is still open.
    func open(_ customerID: String, _ numbers: [String]) -> Bool {
        covered(customerID, numbers).contains { !$0.isClosed }
    }

    /// `EUR 1,200.00 open, 45 days overdue`: the open amounts per currency and the oldest overdue days.
    func label(_ customerID: String, _ numbers: [String]) -> String {
        let items = covered(customerID, numbers)
        guard !items.isEmpty else { return "" }
        let totals = Dictionary(grouping: items, by: \.open.currency).map { currency, items in
            items.reduce(Money.zero(currency)) { $0 + $1.open }
        }.sorted { $0.currency.code < $1.currency.code }
        let days = items.map { max(0, $0.invoice.dueDate.days(until: today)) }.max() ?? 0
        return totals.map(\.description).joined(separator: " + ") + " open, \(days) days overdue"
    }
}

/// A path segment or query value, percent-encoded.
func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
}
