import DulyCore
import DulyStore

/// The behaviour every `CollectorStore` backend must show for the worklist's pages: only what may need a person is
/// read, in order, a page at a time, within the organisation. Each case gets a fresh, migrated, empty store.
public enum WorklistContract {
    public typealias Case = (name: String, run: @Sendable (any CollectorStore) async throws -> Void)

    public static let allCases: [Case] = [
        ("theWorklistReadsOnlyActionsThatMayNeedAPersonInIdOrder", onlyActionsThatMayNeedAPerson),
        ("heldEscalationsAreTheOnesTheLastReviewOfEachCustomerWrote", heldEscalationsFollowTheLastReview),
        ("openDisputesComeOldestFirstAPageAtATime", openDisputesOldestFirst),
    ]

    /// Of six actions, a planned email is nobody's task and a step skipped nine days ago is past; the call, the
    /// approval, the held email (with its reason) and the failure come in id order, pages continuing where the last
    /// ended; another organisation reads none of them.
    public static func onlyActionsThatMayNeedAPerson(_ store: any CollectorStore) async throws {
        try await Fixture.ledger(store)
        try await Fixture.seed(store, "other")
        var approval = Fixture.action("C1", invoices: ["INV-1"], key: "approval", escalatesTo: .manager)
        approval.requiresApproval = true
        approval.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [
                Fixture.action("C1", invoices: ["INV-1"], key: "email"),
                Fixture.action("C1", invoices: ["INV-1"], key: "call", channel: .call),
                approval,
                Fixture.action("C1", invoices: ["INV-2"], key: "held"),
                Fixture.action("C1", invoices: ["INV-2"], key: "failed"),
                Fixture.action("C1", invoices: ["INV-3"], key: "skipped", date: "2026-04-01", channel: .letter),
            ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-01"))
        let ids = Dictionary(
            uniqueKeysWithValues: try await store.actions(organisationID: "acme", customerID: "C1").map {
                ($0.action.idempotencyKey, $0.id)
            })
        func id(_ key: String) throws -> Int64 {
            guard let id = ids[key] else { throw ContractViolation("action \(key) was not written") }
            return id
        }
        try await store.holdDelivery(
            organisationID: "acme", actionID: try id("held"), reason: "the client's public holiday",
            context: Fixture.on("2026-04-10"))
        try await store.updateActionStatus(
            id: try id("failed"), to: .failed, organisationID: "acme", context: Fixture.on("2026-04-10"))
        try await store.updateActionStatus(
            id: try id("skipped"), to: .skipped, organisationID: "acme", context: Fixture.on("2026-04-01"))
        let day = Fixture.day("2026-04-10")

        let all = try await store.worklistActions(organisationID: "acme", on: day, after: nil, limit: 10)
        try StoreContract.expectEqual(
            all.map(\.stored.id), try ["call", "approval", "held", "failed"].map(id), "the actions, in id order")
        try StoreContract.expectEqual(
            all.map(\.holdReason), [nil, nil, "the client's public holiday", nil], "only the held one has a reason")
        let first = try await store.worklistActions(organisationID: "acme", on: day, after: nil, limit: 2)
        let second = try await store.worklistActions(
            organisationID: "acme", on: day, after: first.last?.stored.id, limit: 2)
        try StoreContract.expectEqual((first + second).map(\.stored.id), all.map(\.stored.id), "two pages, the same")
        let earlier = try await store.worklistActions(
            organisationID: "acme", on: Fixture.day("2026-04-05"), after: nil, limit: 10)
        try StoreContract.expect(
            earlier.contains { $0.stored.id == ids["skipped"] }, "a step skipped four days before is still read")
        try StoreContract.expect(
            try await store.worklistActions(organisationID: "other", on: day, after: nil, limit: 10).isEmpty,
            "another organisation reads none")
    }

    /// A review with held escalations lists them, customer by customer; the next review of the customer replaces
    /// them (here with none).
    public static func heldEscalationsFollowTheLastReview(_ store: any CollectorStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2", "C3"])
        let held = [
            Deferral(customerID: "C3", invoiceNumber: "INV-9", stepID: "agency", reason: .escalationRejected),
            Deferral(customerID: "C1", invoiceNumber: "INV-1", stepID: "lawyer", reason: .lastResortNotMet),
            Deferral(customerID: "C1", invoiceNumber: "INV-2", stepID: "manager", reason: .noContactMade),
        ]
        func review(_ customerID: String, _ held: [Deferral]) async throws -> CustomerReview {
            let read = try await store.accountsForReview(organisationID: "acme", customerIDs: [customerID])
            guard let changes = read.first?.changes else { throw ContractViolation("\(customerID) is not read") }
            return CustomerReview(customerID: customerID, changes: changes, nextReview: nil, held: held)
        }
        _ = try await store.commitRun(
            actions: [], cancellations: [],
            reviews: [
                try await review("C1", Array(held[1...])), try await review("C2", []),
                try await review("C3", [held[0]]),
            ], organisationID: "acme", context: Fixture.on("2026-04-10"))
        try StoreContract.expectEqual(
            try await store.heldEscalations(organisationID: "acme", from: nil, limit: 10),
            Array(held[1...]) + [held[0]],
            "by customer, each customer's in the planner's order")
        try StoreContract.expectEqual(
            try await store.heldEscalations(organisationID: "acme", from: "C2", limit: 10), [held[0]],
            "from a customer on")
        try StoreContract.expectEqual(
            try await store.heldEscalations(organisationID: "acme", from: nil, limit: 1), Array(held[1...]),
            "whole customers: C1's two for a limit of one")
        _ = try await store.commitRun(
            actions: [], cancellations: [], reviews: [try await review("C1", [])], organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try StoreContract.expectEqual(
            try await store.heldEscalations(organisationID: "acme", from: nil, limit: 10), [held[0]],
            "C1's next review held nothing back")
    }

    /// Three disputes opened on different days, one resolved: the two open ones, oldest first, one per page.
    public static func openDisputesOldestFirst(_ store: any CollectorStore) async throws {
        try await Fixture.ledger(store)
        for (id, invoice, opened) in [
            ("D-B", "INV-1", "2026-04-02"), ("D-A", "INV-2", "2026-04-03"), ("D-C", "INV-3", "2026-04-01"),
        ] {
            try await store.recordDispute(
                Dispute(id: id, invoiceNumber: invoice, openedOn: Fixture.day(opened), reason: "wrong price"),
                organisationID: "acme", context: Fixture.on(opened))
        }
        try await store.resolveDispute(
            id: "D-C", outcome: .rejected, agreedAmount: nil, note: "price as agreed", approvedBy: nil,
            organisationID: "acme", context: Fixture.on("2026-04-05"))
        let day = Fixture.day("2026-04-10")
        let open = try await store.openDisputes(organisationID: "acme", on: day, after: nil, limit: 10)
        try StoreContract.expectEqual(open.map(\.dispute.id), ["D-B", "D-A"], "open ones, oldest first")
        try StoreContract.expectEqual(open.map(\.customerID), ["C1", "C1"], "with their customer")
        let next = try await store.openDisputes(
            organisationID: "acme", on: day, after: DisputePageKey(openedOn: Fixture.day("2026-04-02"), id: "D-B"),
            limit: 1)
        try StoreContract.expectEqual(next.map(\.dispute.id), ["D-A"], "the page after D-B")
        let before = try await store.openDisputes(
            organisationID: "acme", on: Fixture.day("2026-04-04"), after: nil, limit: 10)
        try StoreContract.expectEqual(before.map(\.dispute.id), ["D-C", "D-B", "D-A"], "before D-C was resolved")
    }
}
