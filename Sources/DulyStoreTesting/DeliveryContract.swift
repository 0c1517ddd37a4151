import DulyCore
import DulyStore

/// The outbox's part of the storage contract (`DeliveryStore`), as cases any test framework can run.
public enum DeliveryContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any DeliveryStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("aSentDeliveryKeepsItsContentAndMovesTheActionOn", aSentDeliveryKeepsItsContentAndMovesTheActionOn),
        ("aCollectorsDetailsAreKeptPerOrganisationAndReplaced", aCollectorsDetailsAreKeptPerOrganisationAndReplaced),
        ("aRetryWaitsForItsTimeAndKeepsTheMessageID", aRetryWaitsForItsTimeAndKeepsTheMessageID),
        ("aCrashedDeliveryComesBackWithItsState", aCrashedDeliveryComesBackWithItsState),
        ("aBounceFailsTheActionAndMarksTheAddress", aBounceFailsTheActionAndMarksTheAddress),
        ("onlyPendingActionsGoOut", onlyPendingActionsGoOut),
        ("theNextEmailThreadsUnderTheLastOneSent", theNextEmailThreadsUnderTheLastOneSent),
        ("deletingAnOrganisationTakesItsDeliveriesToo", deletingAnOrganisationTakesItsDeliveriesToo),
        ("aRefusalIsRecordedOnceAndReachesThePlanner", aRefusalIsRecordedOnceAndReachesThePlanner),
        ("aCallOutcomeClosesTheTaskOnce", aCallOutcomeClosesTheTaskOnce),
        ("aPaymentClosingAChasedInvoiceQueuesAThankYou", aPaymentClosingAChasedInvoiceQueuesAThankYou),
        ("aHeldDeliveryStaysDueWithItsReasonUntilItGoes", aHeldDeliveryStaysDueWithItsReasonUntilItGoes),
    ]

    /// A collector's details come back by name, one organisation's only; setting them again replaces them.
    public static func aCollectorsDetailsAreKeptPerOrganisationAndReplaced(_ store: any DeliveryStore) async throws {
        try await Fixture.seed(store, "acme")
        try await Fixture.seed(store, "other")
        try await store.saveCollector(Collector(name: "Jonas", phone: "+31 20 1"), organisationID: "acme")
        try await store.saveCollector(Collector(name: "Ada", email: "ada@other.example"), organisationID: "other")
        try check(
            try await store.collectors(organisationID: "acme") == [Collector(name: "Jonas", phone: "+31 20 1")],
            "only acme's collector")
        try await store.saveCollector(Collector(name: "Jonas", email: "j@acme.example"), organisationID: "acme")
        try check(
            try await store.collectors(organisationID: "acme") == [Collector(name: "Jonas", email: "j@acme.example")],
            "set again, replaced whole")
    }

    /// Sent: the action is sent, the content is kept byte for byte, and the timeline says so.
    public static func aSentDeliveryKeepsItsContentAndMovesTheActionOn(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        let due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 0, limit: 10)
        try check(due.map(\.actionID) == [id] && due[0].state == nil && due[0].attempts == 0, "due before any attempt")
        let content = Array("Subject: hello\r\n\r\nline one\r\n.line with a dot\r\n".utf8)
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: content,
            context: Fixture.on("2026-04-10"))
        try await store.markDeliveryCommitted(organisationID: "acme", actionID: id)
        try await store.finishDelivery(
            organisationID: "acme", actionID: id, outcome: .sent(to: "ap@c1.example", confirmed: true),
            context: Fixture.on("2026-04-10"))
        let actions = try await store.actions(organisationID: "acme", customerID: "C1")
        try check(actions.first { $0.id == id }?.action.status == .sent, "the action is sent")
        let communications = try await store.communications(organisationID: "acme", customerID: "C1")
        try check(
            communications == [
                Communication(actionID: id, customerID: "C1", messageID: "<k-1@duly>", state: .sent, content: content)
            ], "the content as sent")
        let again = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-30"), now: 0, limit: 10)
        try check(again.isEmpty, "a sent action is not due again")
        let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
        try check(timeline.last?.timelineKind == .messageSent, "the timeline records the message")
        try check(TimelineVerifier.verify(timeline) == .valid(entries: timeline.count), "the chain holds")
    }

    /// A temporary failure comes back only at its time, with the same Message-ID and one more attempt.
    public static func aRetryWaitsForItsTimeAndKeepsTheMessageID(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-10"))
        try await store.finishDelivery(
            organisationID: "acme", actionID: id, outcome: .retry(error: "451 try later", nextAttemptAt: 1000),
            context: Fixture.on("2026-04-10"))
        let early = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 999, limit: 10)
        try check(early.isEmpty, "not due before its retry time")
        let due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 1000, limit: 10)
        try check(due.count == 1 && due[0].state == .retrying && due[0].attempts == 1, "due at its retry time")
        try check(due[0].messageID == "<k-1@duly>", "the Message-ID is kept")
        try check(
            try await store.actions(organisationID: "acme", customerID: "C1").first { $0.id == id }?.action.status
                == .planned, "still pending while retrying")
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<other@duly>", content: [2],
            context: Fixture.on("2026-04-10"))
        let second = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 1000, limit: 10)
        try check(second.first?.attempts == 2 && second.first?.messageID == "<k-1@duly>", "second attempt, same id")
    }

    /// A crash leaves `sending` (send again) or `committed` (count as sent); both come back as due with that state.
    public static func aCrashedDeliveryComesBackWithItsState(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-10"))
        var due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 0, limit: 10)
        try check(due.first?.state == .sending, "an interrupted send comes back as sending")
        try await store.markDeliveryCommitted(organisationID: "acme", actionID: id)
        due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 0, limit: 10)
        try check(due.first?.state == .committed, "an interrupted commit comes back as committed")
    }

    /// A permanent refusal fails the action and marks the address as bouncing, so the planner stops using it.
    public static func aBounceFailsTheActionAndMarksTheAddress(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-10"))
        let account = try await store.account(organisationID: "acme", customerID: "C1")
        let address = try require(account?.contacts.first?.email, "the customer has an email address")
        try await store.finishDelivery(
            organisationID: "acme", actionID: id,
            outcome: .failed(error: "550 5.1.1 no such user", bouncedAddress: address.uppercased()),
            context: Fixture.on("2026-04-10"))
        let after = try await store.account(organisationID: "acme", customerID: "C1")
        try check(after?.contacts.first?.emailBouncing == true, "the address is marked bouncing")
        try check(
            try await store.actions(organisationID: "acme", customerID: "C1").first { $0.id == id }?.action.status
                == .failed, "the action failed")
        try check(
            try await store.timeline(organisationID: "acme", customerID: "C1").last?.timelineKind == .deliveryFailed,
            "the timeline records the failure")
    }

    /// A held action stays pending and due, its reason kept (the timeline hears of it once per reason) until it goes.
    public static func aHeldDeliveryStaysDueWithItsReasonUntilItGoes(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        for _ in 1...2 {
            try await store.holdDelivery(
                organisationID: "acme", actionID: id, reason: "one message a day", context: Fixture.on("2026-04-10"))
        }
        try check(
            try await store.heldDeliveries(organisationID: "acme")
                == [
                    DeliveryHold(
                        actionID: id, customerID: "C1", heldOn: Fixture.day("2026-04-10"), reason: "one message a day")
                ],
            "the hold and its reason")
        let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
        try check(timeline.filter { $0.timelineKind == .deliveryHeld }.count == 1, "the timeline hears of it once")
        let due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-11"), now: 0, limit: 10)
        try check(due.map(\.actionID) == [id] && due[0].state == nil, "a held action is due again the next day")
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-11"))
        try await store.finishDelivery(
            organisationID: "acme", actionID: id, outcome: .sent(to: "ap@c1.example", confirmed: true),
            context: Fixture.on("2026-04-11"))
        try check(try await store.heldDeliveries(organisationID: "acme").isEmpty, "sent, it no longer waits")
    }

    /// Cancelled, awaiting-approval and future actions are not due; an unknown action cannot begin.
    public static func onlyPendingActionsGoOut(_ store: any DeliveryStore) async throws {
        try await Fixture.ledger(store)
        var waiting = Fixture.action("C1", invoices: ["INV-2"], key: "k-2")
        waiting.status = .awaitingApproval
        let future = Fixture.action("C1", invoices: ["INV-3"], key: "k-3", date: "2026-04-20")
        _ = try await store.commitRun(
            actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-1"), waiting, future], cancellations: [],
            organisationID: "acme", context: Fixture.on("2026-04-10"))
        let planned = try await store.actions(organisationID: "acme", customerID: "C1")
        let first = try require(planned.first { $0.action.idempotencyKey == "k-1" }?.id, "the first action")
        _ = try await store.commitRun(
            actions: [], cancellations: [Cancellation(actionID: first, reason: "INV-1 paid")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        let due = try await store.dueDeliveries(
            organisationID: "acme", channels: [.email], dueBy: Fixture.day("2026-04-10"), now: 0, limit: 10)
        try check(due.isEmpty, "nothing cancelled, awaiting approval or dated later is due")
        do {
            try await store.beginDelivery(
                organisationID: "acme", actionID: first, messageID: "<x@duly>", content: [1],
                context: Fixture.on("2026-04-10"))
            throw ContractViolation("a cancelled action began a delivery")
        } catch is StoreError {}
    }

    /// The last email sent is what the next one replies to.
    public static func theNextEmailThreadsUnderTheLastOneSent(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try check(try await store.lastMessageID(organisationID: "acme", customerID: "C1") == nil, "nothing sent yet")
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-10"))
        try check(try await store.lastMessageID(organisationID: "acme", customerID: "C1") == nil, "not sent yet")
        try await store.finishDelivery(
            organisationID: "acme", actionID: id, outcome: .sent(to: "ap@c1.example", confirmed: true),
            context: Fixture.on("2026-04-10"))
        try check(
            try await store.lastMessageID(organisationID: "acme", customerID: "C1") == "<k-1@duly>", "threads under it")
    }

    /// An organisation with messages sent can still be deleted whole, and comes back empty.
    public static func deletingAnOrganisationTakesItsDeliveriesToo(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try await store.beginDelivery(
            organisationID: "acme", actionID: id, messageID: "<k-1@duly>", content: [1],
            context: Fixture.on("2026-04-10"))
        try await store.deleteOrganisation(id: "acme")
        try check(try await store.organisation(id: "acme") == nil, "the organisation is gone")
        try await Fixture.seed(store, "acme", customers: ["C1"])
        try check(
            try await store.communications(organisationID: "acme", customerID: "C1").isEmpty, "no message survives")
    }

    /// A refusal comes back with the account (for the planner) and on the timeline, once per day.
    public static func aRefusalIsRecordedOnceAndReachesThePlanner(_ store: any DeliveryStore) async throws {
        try await Fixture.ledger(store)
        try await store.recordRefusal(
            customerID: "C1", note: "says the work was never ordered", organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        try await store.recordRefusal(
            customerID: "C1", note: "says the work was never ordered", organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        let account = try await store.account(organisationID: "acme", customerID: "C1")
        try check(account?.refusals == [Fixture.day("2026-04-10")], "the refusal reaches the account")
        let batch = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10)
        try check(batch.first?.refusals == [Fixture.day("2026-04-10")], "and the collection day's batch")
        let refusals = try await store.timeline(organisationID: "acme", customerID: "C1").filter {
            $0.timelineKind == .paymentRefused
        }
        try check(refusals.count == 1, "one timeline entry for one refusal")
        do {
            try await store.recordRefusal(
                customerID: "C9", note: nil, organisationID: "acme", context: Fixture.on("2026-04-10"))
            throw ContractViolation("a refusal for an unknown customer was recorded")
        } catch is StoreError {}
    }

    /// A call is closed once with its outcome; emails are not tasks.
    public static func aCallOutcomeClosesTheTaskOnce(_ store: any DeliveryStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.commitRun(
            actions: [
                Fixture.action("C1", invoices: ["INV-1"], key: "k-call", channel: .call),
                Fixture.action("C1", invoices: ["INV-2"], key: "k-mail"),
            ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let actions = try await store.actions(organisationID: "acme", customerID: "C1")
        let call = try require(actions.first { $0.action.channel == .call }?.id, "the call")
        let mail = try require(actions.first { $0.action.channel == .email }?.id, "the email")
        try await store.completeTask(
            organisationID: "acme", actionID: call, status: .done, outcome: "reached", note: "pays Friday",
            context: Fixture.on("2026-04-10"))
        let after = try await store.actions(organisationID: "acme", customerID: "C1")
        try check(after.first { $0.id == call }?.action.status == .done, "the call is done")
        try check(
            try await store.timeline(organisationID: "acme", customerID: "C1").last?.summary.contains("pays Friday")
                == true, "the outcome is on the timeline")
        for (id, what) in [(call, "a call closed twice"), (mail, "an email closed as a task")] {
            do {
                try await store.completeTask(
                    organisationID: "acme", actionID: id, status: .done, outcome: "reached", note: nil,
                    context: Fixture.on("2026-04-10"))
                throw ContractViolation("\(what) was accepted")
            } catch is StoreError {}
        }
    }

    /// Paid in full after a reminder went out: the customer comes to the collection day with a thank-you due, until
    /// the thank-you is planned. An invoice nobody chased earns none.
    public static func aPaymentClosingAChasedInvoiceQueuesAThankYou(_ store: any DeliveryStore) async throws {
        let id = try await plannedEmail(store)
        try await store.updateActionStatus(id: id, to: .sent, organisationID: "acme", context: Fixture.on("2026-04-10"))
        _ = try await store.importPayments(
            [
                Fixture.payment("P1", "C1", amount: 100_00, invoice: "INV-1"),
                Fixture.payment("P2", "C1", amount: 50_00, invoice: "INV-2"),
            ], organisationID: "acme", context: Fixture.on("2026-04-12"))
        let account = try await store.account(organisationID: "acme", customerID: "C1")
        try check(account?.thanksDue.map(\.invoice.number) == ["INV-1"], "INV-1 was chased and paid; INV-2 not chased")
        var thanks = Fixture.action("C1", invoices: ["INV-1"], key: "k-thanks", date: "2026-04-13")
        thanks.stepID = Playbook.thankYouStepID
        thanks.steps = [InvoiceStep(invoiceNumber: "INV-1", stepID: Playbook.thankYouStepID)]
        _ = try await store.commitRun(
            actions: [thanks], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-13"))
        let after = try await store.account(organisationID: "acme", customerID: "C1")
        try check(after?.thanksDue.isEmpty == true, "planning the thank-you empties the queue")
    }

    // MARK: - Helpers

    private static func plannedEmail(_ store: any DeliveryStore) async throws -> Int64 {
        try await Fixture.ledger(store)
        _ = try await store.commitRun(
            actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-1")], cancellations: [], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        let actions = try await store.actions(organisationID: "acme", customerID: "C1")
        return try require(actions.first?.id, "the planned action")
    }

    private static func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ContractViolation("missing: \(what)") }
        return value
    }
}
