import DulyCore
import DulyStore

/// What every backend must keep when writes meet: the isolation each write states in its protocol's documentation
/// (docs/ARCHITECTURE.md, "Isolation"). The cases start the writes at once, several times over, and check that the
/// outcome is one the writes would have had one after the other. A backend with one writer (SQLite) keeps them by
/// serialising; one with many (PostgreSQL) must by the locks or the isolation level each write names. Each case gets
/// a fresh, migrated, empty store.
public enum ConcurrencyContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any StoreBackend) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("manyAppendsToOneCustomersTimelineAtOnceKeepOneValidChain", appendsAtOnceKeepOneChain),
        ("ofTwoDecisionsOnOneActionAtOnceExactlyOneIsRecorded", twoDecisionsOneWins),
        ("twoApprovalsAtOnceNeverPassTheMonthlyCapOnHandOvers", twoApprovalsKeepTheCap),
        ("theCapOnHandOversIsCheckedWhereTheDecisionIsWritten", capCheckedWithTheDecision),
        ("ofTwoOutcomesRecordedAtOnceForOneCallExactlyOneClosesIt", twoCallOutcomesOneWins),
        ("aDeliveryBegunWhileTheActionIsWithdrawnEitherGoesOrIsWithdrawnNeverBoth", deliveryOrWithdrawal),
        ("twoPaymentsAtOnceNeverPayOneInvoiceMoreThanItsTotal", paymentsAtOnceKeepTheBalance),
        ("aPlanAcceptedTwiceAtOnceIsAcceptedOnce", planAcceptedOnce),
    ]

    /// Runs `bodies` at once and returns, in order, whether each returned (true) or threw (false).
    private static func atOnce(_ bodies: [@Sendable () async throws -> Void]) async -> [Bool] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask {
                    do {
                        try await body()
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var results = Array(repeating: false, count: bodies.count)
            for await (index, succeeded) in group { results[index] = succeeded }
            return results
        }
    }

    /// Sixteen payments of one customer recorded at once (each one transaction appending to the timeline): every
    /// entry is there and the chain verifies, as the timeline's read-head-then-insert requires (an advisory lock per
    /// customer, or serialisable, on a backend with several writers).
    public static func appendsAtOnceKeepOneChain(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        let before = try await store.timeline(organisationID: "acme", customerID: "C1").count
        let results = await atOnce(
            (1...16).map { index in
                {
                    _ = try await store.importPayments(
                        [Fixture.payment("P\(index)", "C1", amount: 1_00)], organisationID: "acme",
                        context: Fixture.on("2026-04-10"))
                }
            })
        try check(results.allSatisfy { $0 }, "every payment recorded: \(results)")
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1")
        try check(entries.count == before + 16, "one entry per payment: \(entries.count - before) of 16")
        try check(
            Set(entries.map(\.sequence)).count == entries.count, "no two entries share a place in the chain")
        try await StoreContract.verifyTimelines(store, "acme")
    }

    /// Approve and reject of one action at once, eight times over: one decision is recorded, the other refused,
    /// and the action and its timeline agree with the one recorded.
    public static func twoDecisionsOneWins(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        for round in 1...8 {
            var action = Fixture.action("C1", invoices: ["INV-1"], key: "k-decide-\(round)", channel: .letter)
            action.requiresApproval = true
            action.status = .awaitingApproval
            _ = try await store.commitRun(
                actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
            let id = try await awaiting(store, key: "k-decide-\(round)")
            let results = await atOnce([
                {
                    try await store.decideApproval(
                        actionID: id, approve: true, by: "mia", note: nil, organisationID: "acme",
                        context: Fixture.on("2026-04-10"))
                },
                {
                    try await store.decideApproval(
                        actionID: id, approve: false, by: "noah", note: nil, organisationID: "acme",
                        context: Fixture.on("2026-04-10"))
                },
            ])
            try check(results.filter { $0 }.count == 1, "round \(round): exactly one decision recorded: \(results)")
            let status = try await store.action(organisationID: "acme", id: id)?.action.status
            try check(
                status == (results[0] ? .approved : .cancelled),
                "round \(round): the action is as decided: \(status as Any)")
            let decisions = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
                ($0.timelineKind == .actionApproved || $0.timelineKind == .actionRejected)
                    && $0.details["action"] == String(id)
            }
            try check(decisions.count == 1, "round \(round): one decision on the timeline, not \(decisions.count)")
        }
        try await StoreContract.verifyTimelines(store, "acme")
    }

    /// Two hand-overs to an agency approved at once under a cap of one a month: one is approved, the other refused
    /// with the cap, never both.
    public static func twoApprovalsKeepTheCap(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        for round in 1...4 {
            // One month per round, so each round starts under the cap.
            let day = Fixture.day("2026-04-10").adding(days: 31 * (round - 1))
            var ids: [Int64] = []
            for which in 1...2 {
                var action = Fixture.action(
                    "C1", invoices: ["INV-1"], key: "k-cap-\(round)-\(which)", date: day.description, channel: .letter,
                    escalatesTo: .agency)
                action.requiresApproval = true
                action.status = .awaitingApproval
                _ = try await store.commitRun(
                    actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on(day.description))
                ids.append(try await awaiting(store, key: "k-cap-\(round)-\(which)"))
            }
            let outcomes = await withTaskGroup(of: String.self) { group in
                for id in ids {
                    group.addTask {
                        do {
                            try await store.decideApproval(
                                actionID: id, approve: true, by: "mia", note: nil, externalEscalationCap: 1,
                                organisationID: "acme", context: Fixture.on(day.description))
                            return "approved"
                        } catch let refusal as ApprovalRefusal {
                            return "\(refusal)"
                        } catch {
                            return "failed: \(error)"
                        }
                    }
                }
                var outcomes: [String] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted()
            }
            let capReached = ApprovalRefusal.externalCapReached(approved: 1, cap: 1).description
            try check(
                outcomes == [capReached, "approved"], "round \(round): one approved, one over the cap: \(outcomes)")
            let month = day.calendarMonth
            let approved = try await store.externalEscalationsApproved(
                organisationID: "acme", from: month.first, to: month.last)
            try check(approved == 1, "round \(round): one hand-over approved in the month, not \(approved)")
        }
    }

    /// With a cap given, the decision itself refuses the hand-over beyond it and writes nothing: the check and the
    /// write are one unit of work, not a count read before and a decision written after.
    public static func capCheckedWithTheDecision(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        var ids: [Int64] = []
        for which in 1...3 {
            var action = Fixture.action(
                "C1", invoices: ["INV-1"], key: "k-hand-over-\(which)", channel: .letter,
                escalatesTo: which == 3 ? .manager : .lawyer)
            action.requiresApproval = true
            action.status = .awaitingApproval
            _ = try await store.commitRun(
                actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
            ids.append(try await awaiting(store, key: "k-hand-over-\(which)"))
        }
        try await store.decideApproval(
            actionID: ids[0], approve: true, by: "mia", note: nil, externalEscalationCap: 1, organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        do {
            try await store.decideApproval(
                actionID: ids[1], approve: true, by: "mia", note: nil, externalEscalationCap: 1,
                organisationID: "acme", context: Fixture.on("2026-04-11"))
            throw ContractViolation("a second hand-over in the month was approved under a cap of one")
        } catch let refusal as ApprovalRefusal {
            try check(refusal == .externalCapReached(approved: 1, cap: 1), "refused with the cap: \(refusal)")
        }
        try check(
            try await store.action(organisationID: "acme", id: ids[1])?.action.status == .awaitingApproval,
            "the refused hand-over still awaits approval")
        // Rejecting is never capped, and neither is an escalation to the manager (not a hand-over).
        try await store.decideApproval(
            actionID: ids[1], approve: false, by: "mia", note: nil, externalEscalationCap: 1, organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try await store.decideApproval(
            actionID: ids[2], approve: true, by: "mia", note: nil, externalEscalationCap: 1, organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        // The next month starts a new count.
        var next = Fixture.action(
            "C1", invoices: ["INV-2"], key: "k-hand-over-may", date: "2026-05-04", channel: .letter,
            escalatesTo: .agency)
        next.requiresApproval = true
        next.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [next], cancellations: [], organisationID: "acme", context: Fixture.on("2026-05-04"))
        try await store.decideApproval(
            actionID: try await awaiting(store, key: "k-hand-over-may"), approve: true, by: "mia", note: nil,
            externalEscalationCap: 1, organisationID: "acme", context: Fixture.on("2026-05-04"))
    }

    /// Two outcomes for one call recorded at once (two collectors closing the same task): one closes it, the other
    /// is refused, and the timeline tells one outcome.
    public static func twoCallOutcomesOneWins(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        for round in 1...8 {
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-call-\(round)", channel: .call)],
                cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
            let id = try await pending(store, key: "k-call-\(round)")
            let results = await atOnce(
                ["reached", "voicemail"].map { outcome in
                    {
                        try await store.completeTask(
                            organisationID: "acme", actionID: id, status: .done, outcome: outcome,
                            note: "round \(round)", context: Fixture.on("2026-04-10"))
                    }
                })
            try check(
                results.filter { $0 }.count == 1, "round \(round): exactly one outcome closes the call: \(results)")
            let told = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
                $0.summary.contains("round \(round)")
            }
            try check(told.count == 1, "round \(round): one outcome on the timeline, not \(told.count)")
        }
        try await StoreContract.verifyTimelines(store, "acme")
    }

    /// The deliverer begins a delivery while a person withdraws the action: either the message goes (and the
    /// withdrawal is refused) or the action is withdrawn (and the delivery refused), never both.
    public static func deliveryOrWithdrawal(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        for round in 1...8 {
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-race-\(round)")], cancellations: [],
                organisationID: "acme", context: Fixture.on("2026-04-10"))
            let id = try await pending(store, key: "k-race-\(round)")
            let withdrawal = WithdrawalBox()
            let results = await atOnce([
                {
                    try await store.beginDelivery(
                        organisationID: "acme", actionID: id, messageID: "<race-\(round)@duly>",
                        content: Array("Subject: reminder\r\n\r\nround \(round)\r\n".utf8),
                        context: Fixture.on("2026-04-10"))
                },
                {
                    let result = try await store.withdrawActions(
                        [id], by: "mia", reason: "sent by mistake", organisationID: "acme",
                        context: Fixture.on("2026-04-10"))
                    await withdrawal.set(result)
                },
            ])
            let withdrawn = await withdrawal.result?.withdrawn.contains(id) == true
            let began = results[0]
            try check(began != withdrawn, "round \(round): began \(began), withdrawn \(withdrawn): exactly one")
            let status = try await store.action(organisationID: "acme", id: id)?.action.status
            try check(
                status == (withdrawn ? .cancelled : .planned), "round \(round): the action is \(status as Any)")
        }
        try await StoreContract.verifyTimelines(store, "acme")
    }

    /// Two payments that each name INV-1 for all of it, recorded at once: the invoice is paid once, the other
    /// payment goes on (to the next invoice, or as credit), as a payment read against the invoice's balance in its
    /// own transaction requires (a row lock on the invoice, or serialisable).
    public static func paymentsAtOnceKeepTheBalance(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        let results = await atOnce(
            ["PA", "PB"].map { id in
                {
                    _ = try await store.importPayments(
                        [Fixture.payment(id, "C1", amount: 100_00, invoice: "INV-1")], organisationID: "acme",
                        context: Fixture.on("2026-04-10"))
                }
            })
        try check(results == [true, true], "both payments recorded: \(results)")
        let first = try await Fixture.balance(store, "acme", "INV-1")
        try check(first.paid.minorUnits == 100_00, "INV-1 paid exactly its total, not \(first.paid)")
        var paid = 0
        for number in ["INV-1", "INV-2", "INV-3"] {
            paid += try await Fixture.balance(store, "acme", number).paid.minorUnits
        }
        try check(paid == 200_00, "the second payment went on to the next invoices: \(paid)")
        try await StoreContract.verifyTimelines(store, "acme")
    }

    /// The client's acceptance of a proposed plan recorded twice at once (the API and a collector): the plan is
    /// accepted once, on the timeline once.
    public static func planAcceptedOnce(_ store: any StoreBackend) async throws {
        try await Fixture.ledger(store)
        for round in 1...8 {
            let proposed = PaymentPlan(
                id: "PLN-\(round)", invoiceNumbers: ["INV-1"],
                instalments: [.init(dueDate: Fixture.day("2026-05-01"), amount: Fixture.eur(100_00))], acceptedOn: nil)
            try await store.recordPlan(proposed, organisationID: "acme", context: Fixture.on("2026-04-10"))
            var accepted = proposed
            accepted.acceptedOn = Fixture.day("2026-04-11")
            let results = await atOnce(
                [accepted, accepted].map { plan in
                    { try await store.recordPlan(plan, organisationID: "acme", context: Fixture.on("2026-04-11")) }
                })
            try check(results == [true, true], "round \(round): both acceptances answered: \(results)")
            let entries = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
                $0.timelineKind == .planRecorded && $0.details["plan"] == "PLN-\(round)"
            }
            try check(entries.count == 2, "round \(round): proposed and accepted once, not \(entries.count) entries")
            let plan = try await store.paymentPlan(organisationID: "acme", id: "PLN-\(round)")
            try check(plan?.acceptedOn == Fixture.day("2026-04-11"), "round \(round): accepted on the day")
        }
        try await StoreContract.verifyTimelines(store, "acme")
    }

    // The id of the action written under `key`, awaiting approval.
    private static func awaiting(_ store: any StoreBackend, key: String) async throws -> Int64 {
        try await actionID(store, key: key, status: .awaitingApproval)
    }

    // The id of the action written under `key`, planned.
    private static func pending(_ store: any StoreBackend, key: String) async throws -> Int64 {
        try await actionID(store, key: key, status: .planned)
    }

    private static func actionID(_ store: any StoreBackend, key: String, status: ActionStatus) async throws -> Int64 {
        guard
            let found = try await store.actions(organisationID: "acme", customerID: "C1").first(where: {
                $0.action.idempotencyKey == key && $0.action.status == status
            })
        else { throw ContractViolation("no \(status.rawValue) action under \(key)") }
        return found.id
    }
}

// What a withdrawal running beside another write returned.
private actor WithdrawalBox {
    var result: ActionWithdrawal?
    func set(_ result: ActionWithdrawal) { self.result = result }
}
