import DulyCore
import DulyStore

/// The behaviour every `CollectorStore` backend must show: discounts, settlements and write-offs, the end of
/// disputes, and approvals. Each case gets a fresh, migrated, empty store.
public enum CollectorContract {
    public typealias Case = (name: String, run: @Sendable (any CollectorStore) async throws -> Void)

    public static let allCases: [Case] = [
        ("aPaymentInsideTheDiscountPeriodClosesTheInvoiceWithTheDiscount", discountClosesTheInvoice),
        ("settlementsAndWriteOffsNeedAReasonAndAnApproverAndEndTheInvoice", settlementsAndWriteOffs),
        ("anUpheldDisputeCreditsTheDisputedAmount", upheldDisputeCredits),
        ("aSettledDisputeWaivesTheRestAndChasesTheAgreedAmount", settledDisputeWaivesTheRest),
        ("aRejectedDisputeOnlyEndsAndCannotEndTwice", rejectedDisputeEndsOnce),
        ("approvalsRecordWhoDecidedAndExternalOnesAreCountedPerMonth", approvalsAreRecordedAndCounted),
        ("theApprovalQueueHoldsWhatAwaitsADecisionInThisOrganisationOldestFirst", approvalQueueHoldsWhatAwaits),
        ("commitmentsCarryTheirNewFieldsBack", commitmentsRoundTrip),
        ("oneDisputeAndOnePlanAreReadByIdWithinTheirOrganisationOnly", disputeAndPlanByID),
        ("aSettlementOfferPaidByItsDeadlineSettlesTheInvoices", settlementOfferTaken),
    ]

    private static let org = "acme-org"

    private static func setUp(_ store: any CollectorStore, invoices: [Invoice]) async throws {
        try await store.saveOrganisation(Fixture.organisation(org))
        _ = try await store.importCustomers(
            [Fixture.customer("acme")], organisationID: org, context: Fixture.on("2026-03-01"))
        _ = try await store.importInvoices(invoices, organisationID: org, context: Fixture.on("2026-03-01"))
    }

    private static func balance(_ store: any CollectorStore, _ number: String) async throws -> InvoiceBalance {
        guard
            let found = try await store.invoices(organisationID: org, customerID: "acme", openOnly: false)
                .first(where: { $0.invoice.number == number })
        else { throw ContractViolation("invoice \(number) is missing") }
        return found
    }

    /// docs/DOMAIN.md, "Payment terms", PT-12: 2/10 net 30 on 1,000.00 issued 2026-01-15; 980.00 paid by 2026-01-25
    /// closes it, 20.00 booked as a discount. The same amount a day late leaves 20.00 open.
    public static func discountClosesTheInvoice(_ store: any CollectorStore) async throws {
        let terms = try PaymentTerms(parsing: "2/10 net 30")
        func invoice(_ number: String) -> Invoice {
            Invoice(
                number: number, customerID: "acme", issueDate: Fixture.day("2026-01-15"),
                dueDate: Fixture.day("2026-02-14"), total: Fixture.eur(1000_00), terms: terms)
        }
        try await setUp(store, invoices: [invoice("INV-ON-TIME"), invoice("INV-LATE")])
        _ = try await store.importPayments(
            [
                Fixture.payment("P1", "acme", amount: 980_00, date: "2026-01-25", invoice: "INV-ON-TIME"),
                Fixture.payment("P2", "acme", amount: 980_00, date: "2026-01-26", invoice: "INV-LATE"),
            ], organisationID: org, context: Fixture.on("2026-01-27"))
        let onTime = try await balance(store, "INV-ON-TIME")
        try expect(onTime.isClosed && onTime.endState == .paid, "the discounted payment closes INV-ON-TIME as paid")
        try expect(onTime.credited == Fixture.eur(20_00), "the 20.00 discount is booked")
        let late = try await balance(store, "INV-LATE")
        try expect(late.open == Fixture.eur(20_00), "a day late, 20.00 stays open on INV-LATE")
        let entries = try await store.timeline(organisationID: org, customerID: "acme")
        try expect(entries.contains { $0.timelineKind == .discountRecorded }, "the discount is on the timeline")
        try await StoreContract.verifyTimelines(store, org)
    }

    public static func settlementsAndWriteOffs(_ store: any CollectorStore) async throws {
        try await setUp(
            store,
            invoices: [
                Fixture.invoice("INV-S", "acme", due: "2026-01-10", total: 500_00),
                Fixture.invoice("INV-W", "acme", due: "2026-01-10", total: 300_00),
            ])
        let context = Fixture.on("2026-03-02")
        // Without a reason or an approver, nothing is waived.
        try await expectInvalid("a settlement without an approver") {
            try await store.recordCreditNote(
                CreditNote(
                    id: "S1", invoiceNumber: "INV-S", date: Fixture.day("2026-03-02"), amount: Fixture.eur(100_00),
                    kind: .settlement, reason: "goodwill"),
                organisationID: org, context: context)
        }
        try await expectInvalid("a write-off of less than what is open") {
            try await store.recordCreditNote(
                CreditNote(
                    id: "W1", invoiceNumber: "INV-W", date: Fixture.day("2026-03-02"), amount: Fixture.eur(100_00),
                    kind: .writeOff, reason: "insolvent", approvedBy: "mia"),
                organisationID: org, context: context)
        }
        // A settlement that leaves an agreed 400.00: still open, ends settled once paid.
        try await store.recordCreditNote(
            CreditNote(
                id: "S1", invoiceNumber: "INV-S", date: Fixture.day("2026-03-02"), amount: Fixture.eur(100_00),
                kind: .settlement, reason: "late delivery", approvedBy: "mia"),
            organisationID: org, context: context)
        try expect(try await balance(store, "INV-S").open == Fixture.eur(400_00), "400.00 left to chase on INV-S")
        _ = try await store.importPayments(
            [Fixture.payment("P1", "acme", amount: 400_00, date: "2026-03-05", invoice: "INV-S")],
            organisationID: org, context: Fixture.on("2026-03-05"))
        try expect(try await balance(store, "INV-S").endState == .settled, "INV-S ends settled")
        try await store.recordCreditNote(
            CreditNote(
                id: "W1", invoiceNumber: "INV-W", date: Fixture.day("2026-03-02"), amount: Fixture.eur(300_00),
                kind: .writeOff, reason: "insolvent", approvedBy: "mia"),
            organisationID: org, context: context)
        try expect(try await balance(store, "INV-W").endState == .writtenOff, "INV-W ends written off")
        // Recording the same write-off again changes nothing; with another reason it is a conflict.
        try await store.recordCreditNote(
            CreditNote(
                id: "W1", invoiceNumber: "INV-W", date: Fixture.day("2026-03-02"), amount: Fixture.eur(300_00),
                kind: .writeOff, reason: "insolvent", approvedBy: "mia"),
            organisationID: org, context: context)
        do {
            try await store.recordCreditNote(
                CreditNote(
                    id: "W1", invoiceNumber: "INV-W", date: Fixture.day("2026-03-02"), amount: Fixture.eur(300_00),
                    kind: .writeOff, reason: "gone", approvedBy: "mia"),
                organisationID: org, context: context)
            throw ContractViolation("a different reason for write-off W1 was accepted")
        } catch StoreError.conflict(_, _, let field) {
            try expect(field == "reason", "the conflict names the reason")
        }
        let kinds = try await store.timeline(organisationID: org, customerID: "acme").map(\.kind)
        try expect(
            kinds.contains("settlement_recorded") && kinds.contains("write_off_recorded"), "both on the timeline")
        try await StoreContract.verifyTimelines(store, org)
    }

    private static func openDispute(
        _ store: any CollectorStore, amount: Money? = nil, total: Int = 500_00
    ) async throws {
        try await setUp(store, invoices: [Fixture.invoice("INV-D", "acme", due: "2026-02-01", total: total)])
        try await store.recordDispute(
            Dispute(
                id: "D1", invoiceNumber: "INV-D", openedOn: Fixture.day("2026-02-10"), reasonCode: .quantity,
                reason: "two boxes short", amount: amount, owner: "sam"),
            organisationID: org, context: Fixture.on("2026-02-10"))
    }

    public static func upheldDisputeCredits(_ store: any CollectorStore) async throws {
        try await openDispute(store, amount: Fixture.eur(120_00))
        try await store.resolveDispute(
            id: "D1", outcome: .upheld, agreedAmount: nil, note: "boxes confirmed missing", approvedBy: nil,
            organisationID: org, context: Fixture.on("2026-02-20"))
        let invoice = try await balance(store, "INV-D")
        try expect(invoice.credited == Fixture.eur(120_00), "the disputed 120.00 is credited")
        try expect(invoice.open == Fixture.eur(380_00), "the rest, 380.00, is chased")
        guard let account = try await store.account(organisationID: org, customerID: "acme") else {
            throw ContractViolation("no account")
        }
        try expect(account.disputes.first?.outcome == .upheld, "the outcome is kept")
        try expect(account.disputes.first?.resolvedOn == Fixture.day("2026-02-20"), "resolved on the day")
        try await StoreContract.verifyTimelines(store, org)
    }

    public static func settledDisputeWaivesTheRest(_ store: any CollectorStore) async throws {
        try await openDispute(store)
        try await expectInvalid("a settlement without an approver") {
            try await store.resolveDispute(
                id: "D1", outcome: .settled, agreedAmount: Fixture.eur(450_00), note: nil, approvedBy: nil,
                organisationID: org, context: Fixture.on("2026-02-20"))
        }
        try await expectInvalid("an agreed amount above what is open") {
            try await store.resolveDispute(
                id: "D1", outcome: .settled, agreedAmount: Fixture.eur(600_00), note: "x", approvedBy: "mia",
                organisationID: org, context: Fixture.on("2026-02-20"))
        }
        try await store.resolveDispute(
            id: "D1", outcome: .settled, agreedAmount: Fixture.eur(450_00), note: "met halfway", approvedBy: "mia",
            organisationID: org, context: Fixture.on("2026-02-20"))
        let invoice = try await balance(store, "INV-D")
        try expect(invoice.open == Fixture.eur(450_00), "450.00 agreed is what is chased")
        try expect(invoice.adjustedAs == .settled, "the invoice will end as settled")
        try await StoreContract.verifyTimelines(store, org)
    }

    public static func rejectedDisputeEndsOnce(_ store: any CollectorStore) async throws {
        try await openDispute(store)
        try await store.resolveDispute(
            id: "D1", outcome: .rejected, agreedAmount: nil, note: "delivery note signed", approvedBy: nil,
            organisationID: org, context: Fixture.on("2026-02-20"))
        try expect(try await balance(store, "INV-D").open == Fixture.eur(500_00), "nothing is credited")
        try await expectInvalid("resolving twice") {
            try await store.resolveDispute(
                id: "D1", outcome: .upheld, agreedAmount: nil, note: nil, approvedBy: nil, organisationID: org,
                context: Fixture.on("2026-02-21"))
        }
        try await expectInvalid("an unknown dispute") {
            try await store.resolveDispute(
                id: "D9", outcome: .upheld, agreedAmount: nil, note: nil, approvedBy: nil, organisationID: org,
                context: Fixture.on("2026-02-21"))
        }
        let resolved = try await store.timeline(organisationID: org, customerID: "acme").last
        try expect(resolved?.timelineKind == .disputeResolved, "the resolution is the last entry")
        try expect(resolved?.details["note"] == "delivery note signed", "with the collector's note")
        try await StoreContract.verifyTimelines(store, org)
    }

    public static func approvalsAreRecordedAndCounted(_ store: any CollectorStore) async throws {
        try await setUp(store, invoices: [Fixture.invoice("INV-A", "acme", due: "2026-01-05", total: 900_00)])
        var handOver = Fixture.action(
            "acme", invoices: ["INV-A"], key: "k-agency", date: "2026-03-02", channel: .letter)
        handOver.escalatesTo = .agency
        handOver.requiresApproval = true
        handOver.status = .awaitingApproval
        var notice = Fixture.action("acme", invoices: ["INV-A"], key: "k-notice", date: "2026-03-02", channel: .letter)
        notice.requiresApproval = true
        notice.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [handOver, notice], cancellations: [], organisationID: org, context: Fixture.on("2026-03-02"))
        let ids = try await store.actions(organisationID: org, customerID: "acme").map(\.id)
        try await expectInvalid("an approval without a name") {
            try await store.decideApproval(
                actionID: ids[0], approve: true, by: "", note: nil, organisationID: org,
                context: Fixture.on("2026-03-03"))
        }
        try await store.decideApproval(
            actionID: ids[0], approve: true, by: "mia", note: "two calls, no answer", organisationID: org,
            context: Fixture.on("2026-03-03"))
        try await store.decideApproval(
            actionID: ids[1], approve: false, by: "mia", note: "give them a week", organisationID: org,
            context: Fixture.on("2026-03-03"))
        let statuses = try await store.actions(organisationID: org, customerID: "acme").map(\.action.status)
        try expect(statuses == [.approved, .cancelled], "approved and rejected: \(statuses)")
        try await expectInvalid("deciding twice") {
            try await store.decideApproval(
                actionID: ids[0], approve: false, by: "mia", note: nil, organisationID: org,
                context: Fixture.on("2026-03-04"))
        }
        let march = try await store.externalEscalationsApproved(
            organisationID: org, from: Fixture.day("2026-03-01"), to: Fixture.day("2026-03-31"))
        let april = try await store.externalEscalationsApproved(
            organisationID: org, from: Fixture.day("2026-04-01"), to: Fixture.day("2026-04-30"))
        try expect(march == 1 && april == 0, "one external hand-over approved in March (\(march)), none in April")
        let approved = try await store.timeline(organisationID: org, customerID: "acme").first {
            $0.timelineKind == .actionApproved
        }
        try expect(approved?.details["by"] == "mia", "the approver is on the timeline")
        try await StoreContract.verifyTimelines(store, org)
    }

    public static func approvalQueueHoldsWhatAwaits(_ store: any CollectorStore) async throws {
        try await setUp(
            store,
            invoices: [
                Fixture.invoice("INV-A", "acme", due: "2026-01-05", total: 900_00),
                Fixture.invoice("INV-B", "acme", due: "2026-01-06", total: 400_00),
            ])
        func awaiting(_ key: String, _ invoices: [String]) -> PlannedAction {
            var action = Fixture.action("acme", invoices: invoices, key: key, date: "2026-03-02", channel: .letter)
            action.requiresApproval = true
            action.status = .awaitingApproval
            return action
        }
        let reminder = Fixture.action("acme", invoices: ["INV-B"], key: "k-reminder", date: "2026-03-02")
        _ = try await store.commitRun(
            actions: [awaiting("k-first", ["INV-A", "INV-B"]), reminder, awaiting("k-second", ["INV-B"])],
            cancellations: [], organisationID: org, context: Fixture.on("2026-03-02"))
        // Another organisation's approval never shows in this one's queue.
        try await store.saveOrganisation(Fixture.organisation("other-org"))
        _ = try await store.importCustomers(
            [Fixture.customer("acme")], organisationID: "other-org", context: Fixture.on("2026-03-01"))
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-A", "acme", due: "2026-01-05", total: 100_00)], organisationID: "other-org",
            context: Fixture.on("2026-03-01"))
        _ = try await store.commitRun(
            actions: [awaiting("k-other", ["INV-A"])], cancellations: [], organisationID: "other-org",
            context: Fixture.on("2026-03-02"))

        let queue = try await store.actionsAwaitingApproval(organisationID: org)
        try expect(
            queue.map(\.action.idempotencyKey) == ["k-first", "k-second"],
            "both approvals, oldest first, without the reminder or the other organisation's: \(queue)")
        try expect(
            queue.first?.action.steps.map(\.invoiceNumber) == ["INV-A", "INV-B"],
            "an approval carries its invoices")
        let first = try await store.actions(organisationID: org, customerID: "acme")
            .first { $0.action.idempotencyKey == "k-first" }
        try expect(queue.first?.id == first?.id, "the queue's ids are the actions' own")
        try await store.decideApproval(
            actionID: queue[0].id, approve: true, by: "mia", note: nil, organisationID: org,
            context: Fixture.on("2026-03-03"))
        let left = try await store.actionsAwaitingApproval(organisationID: org).map(\.action.idempotencyKey)
        try expect(left == ["k-second"], "a decided approval leaves the queue: \(left)")
    }

    public static func commitmentsRoundTrip(_ store: any CollectorStore) async throws {
        try await setUp(store, invoices: [Fixture.invoice("INV-P", "acme", due: "2026-02-01", total: 500_00)])
        try await store.recordPromise(
            PromiseToPay(
                id: "P1", invoiceNumbers: ["INV-P"], amount: Fixture.eur(500_00),
                promisedDate: Fixture.day("2026-03-10"),
                madeOn: Fixture.day("2026-03-02"), channel: .call, promisedBy: "Ana"),
            organisationID: org, context: Fixture.on("2026-03-02"))
        try await store.recordPlan(
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-P"],
                instalments: [.init(dueDate: Fixture.day("2026-04-01"), amount: Fixture.eur(500_00))], acceptedOn: nil,
                proposedBy: .client),
            organisationID: org, context: Fixture.on("2026-03-02"))
        let accounts = try await store.accountsWithCommitments(organisationID: org, customerID: nil)
        try expect(accounts.map(\.customer.id) == ["acme"], "one account with commitments")
        try expect(accounts[0].promises.first?.channel == .call, "the promise's channel")
        try expect(accounts[0].promises.first?.promisedBy == "Ana", "who promised")
        try expect(accounts[0].plans.first?.proposedBy == .client, "who proposed the plan")
        try expect(
            try await store.accountsWithCommitments(organisationID: org, customerID: "nobody").isEmpty,
            "none for an unknown customer")
        let looked = try await store.invoice(organisationID: org, number: "INV-P")
        try expect(looked?.invoice.total == Fixture.eur(500_00), "one invoice looked up by number")
        try expect(try await store.invoice(organisationID: org, number: "INV-9") == nil, "no invoice INV-9")
        try expect(try await store.invoice(organisationID: "other", number: "INV-P") == nil, "not across organisations")
    }

    /// A dispute and a plan read by id are the ones the account holds, resolved or accepted ones too; another
    /// organisation's ids, and ids nobody has, read as nothing.
    public static func disputeAndPlanByID(_ store: any CollectorStore) async throws {
        try await openDispute(store, amount: Fixture.eur(120_00))
        try await store.recordPlan(
            PaymentPlan(
                id: "PL1", invoiceNumbers: ["INV-D"],
                instalments: [
                    .init(dueDate: Fixture.day("2026-03-01"), amount: Fixture.eur(200_00)),
                    .init(dueDate: Fixture.day("2026-04-01"), amount: Fixture.eur(180_00)),
                ], acceptedOn: nil, proposedBy: .client),
            organisationID: org, context: Fixture.on("2026-02-11"))
        // Another organisation with a dispute and a plan of its own under other ids.
        let other = "globex-org"
        try await store.saveOrganisation(Fixture.organisation(other))
        _ = try await store.importCustomers(
            [Fixture.customer("acme")], organisationID: other, context: Fixture.on("2026-02-01"))
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-G", "acme", due: "2026-02-01", total: 100_00)], organisationID: other,
            context: Fixture.on("2026-02-01"))
        try await store.recordDispute(
            Dispute(id: "D2", invoiceNumber: "INV-G", openedOn: Fixture.day("2026-02-10"), reason: "wrong price"),
            organisationID: other, context: Fixture.on("2026-02-10"))
        try await store.recordPlan(
            PaymentPlan(
                id: "PL2", invoiceNumbers: ["INV-G"],
                instalments: [.init(dueDate: Fixture.day("2026-03-01"), amount: Fixture.eur(100_00))],
                acceptedOn: Fixture.day("2026-02-11")),
            organisationID: other, context: Fixture.on("2026-02-11"))

        let account = try await store.accountsWithCommitments(organisationID: org, customerID: "acme").first
        let dispute = try await store.dispute(organisationID: org, id: "D1")
        try expect(dispute != nil && dispute == account?.disputes.first, "D1 as the account holds it")
        try expect(dispute?.amount == Fixture.eur(120_00) && dispute?.owner == "sam", "D1's amount and owner")
        let plan = try await store.paymentPlan(organisationID: org, id: "PL1")
        try expect(plan != nil && plan == account?.plans.first, "PL1 as the account holds it")
        try expect(plan?.proposedBy == .client && plan?.acceptedOn == nil, "PL1 proposed by the client")
        try expect(plan?.instalments.count == 2, "PL1's instalments, in order")
        try expect(try await store.dispute(organisationID: org, id: "D2") == nil, "no D2 across organisations")
        try expect(try await store.paymentPlan(organisationID: org, id: "PL2") == nil, "no PL2 across organisations")
        try expect(try await store.dispute(organisationID: other, id: "D1") == nil, "no D1 across organisations")
        try expect(try await store.paymentPlan(organisationID: other, id: "PL2") != nil, "PL2 in its organisation")
        try expect(try await store.dispute(organisationID: org, id: "D9") == nil, "no dispute D9")
        try expect(try await store.paymentPlan(organisationID: org, id: "PL9") == nil, "no plan PL9")
        // A resolved dispute and an accepted plan are still read by id.
        try await store.resolveDispute(
            id: "D1", outcome: .rejected, agreedAmount: nil, note: nil, approvedBy: nil, organisationID: org,
            context: Fixture.on("2026-02-20"))
        try expect(
            try await store.dispute(organisationID: org, id: "D1")?.outcome == .rejected, "D1 resolved, read by id")
    }

    /// An offer of 450.00 for two invoices of 300.00 and 200.00, sent on 2 March, open until 16 March: paid on
    /// time, the 50.00 left is waived as a settlement; an offer to another client paid a day late changes nothing.
    public static func settlementOfferTaken(_ store: any CollectorStore) async throws {
        try await store.saveOrganisation(Fixture.organisation(org))
        _ = try await store.importCustomers(
            [Fixture.customer("acme"), Fixture.customer("late")], organisationID: org,
            context: Fixture.on("2026-02-01"))
        _ = try await store.importInvoices(
            [
                Fixture.invoice("INV-A", "acme", due: "2026-01-10", total: 300_00),
                Fixture.invoice("INV-B", "acme", due: "2026-01-20", total: 200_00),
                Fixture.invoice("INV-L", "late", due: "2026-01-10", total: 500_00),
            ], organisationID: org, context: Fixture.on("2026-02-01"))
        func offer(_ customer: String, _ invoices: [String], key: String) -> PlannedAction {
            var action = Fixture.action(customer, invoices: invoices, key: key, date: "2026-03-02")
            action.offer = SettlementOffer(
                amount: Fixture.eur(450_00), deadline: Fixture.day("2026-03-16"), shareBasisPoints: 9000)
            return action
        }
        _ = try await store.commitRun(
            actions: [offer("acme", ["INV-A", "INV-B"], key: "o1"), offer("late", ["INV-L"], key: "o2")],
            cancellations: [], organisationID: org, context: Fixture.on("2026-03-02"))
        for stored in try await store.actions(organisationID: org, customerID: nil) {
            try expect(stored.action.offer?.amount == Fixture.eur(450_00), "the offer is stored with its action")
            try await store.updateActionStatus(
                id: stored.id, to: .sent, organisationID: org, context: Fixture.on("2026-03-02"))
        }
        _ = try await store.importPayments(
            [
                Fixture.payment("P1", "acme", amount: 250_00, date: "2026-03-05"),
                Fixture.payment("P2", "acme", amount: 200_00, date: "2026-03-16"),
                Fixture.payment("P3", "late", amount: 450_00, date: "2026-03-17"),
            ], organisationID: org, context: Fixture.on("2026-03-17"))
        let a = try await balance(store, "INV-A")
        let b = try await balance(store, "INV-B")
        // The payments went oldest first: INV-A was paid in full, INV-B kept 50.00 open, which the offer waives.
        try expect(a.endState == .paid && b.endState == .settled, "INV-A paid, INV-B settled")
        try expect(a.credited.minorUnits + b.credited.minorUnits == 50_00, "50.00 waived in all")
        let late = try await store.invoices(organisationID: org, customerID: "late", openOnly: false)[0]
        try expect(late.open == Fixture.eur(50_00), "paid a day late, the offer lapsed: 50.00 still open")
        try await StoreContract.verifyTimelines(store, org)
    }

    private static func expect(_ condition: Bool, _ what: String) throws {
        guard condition else { throw ContractViolation("expected: \(what)") }
    }

    private static func expectInvalid(_ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch StoreError.invalid {
            return
        }
        throw ContractViolation("\(what): expected StoreError.invalid to be thrown, nothing was")
    }
}
