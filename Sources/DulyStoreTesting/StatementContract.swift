import DulyCore
import DulyStore

/// The bank-statement part of the storage contract (`StatementStore`), as cases any test framework can run.
public enum StatementContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any StatementStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("aMatchedCreditPaysTheInvoicesItNames", aMatchedCreditPaysTheInvoicesItNames),
        ("recordingTheSameCreditsAgainChangesNothing", recordingTheSameCreditsAgainChangesNothing),
        ("anUnmatchedCreditWaitsOnTheQueueWithItsCandidates", anUnmatchedCreditWaitsOnTheQueueWithItsCandidates),
        (
            "aQueuedCreditIsResolvedOnceToOpenInvoicesInItsCurrency",
            aQueuedCreditIsResolvedOnceToOpenInvoicesInItsCurrency
        ),
        ("anIgnoredCreditLeavesTheQueueAndPaysNothing", anIgnoredCreditLeavesTheQueueAndPaysNothing),
        ("matchingDataHasOpenInvoicesAndThePayersSeenBefore", matchingDataHasOpenInvoicesAndThePayersSeenBefore),
        ("statementsBelongToOneOrganisationAndGoWithIt", statementsBelongToOneOrganisationAndGoWithIt),
    ]

    /// A matched credit becomes one payment per invoice it names, each paying that invoice, and the match is on the
    /// customer's timeline once, the chain still whole.
    public static func aMatchedCreditPaysTheInvoicesItNames(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        let summary = try await store.recordStatementCredits(
            [matched("K/1.1", ["INV-1": 100_00, "INV-2": 50_00])], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        try check(
            summary.recorded == 1 && summary.matched == 1 && summary.payments == 2 && summary.unmatched == 0,
            "one credit recorded, matched, as two payments; got \(summary)")
        try check(try await Fixture.balance(store, "acme", "INV-1").paid == Fixture.eur(100_00), "INV-1 paid in full")
        try check(try await Fixture.balance(store, "acme", "INV-2").paid == Fixture.eur(50_00), "INV-2 paid in full")
        try check(try await Fixture.balance(store, "acme", "INV-3").paid.minorUnits == 0, "INV-3 untouched")
        let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
        let matches = timeline.filter { $0.timelineKind == .paymentMatched }
        try check(matches.count == 1, "the match is on the timeline once, got \(matches.count)")
        try check(matches.first?.details["invoices"] == "INV-1,INV-2", "the match names the invoices it paid")
        try check(TimelineVerifier.verify(timeline) == .valid(entries: timeline.count), "the chain holds")
    }

    /// The same statement imported twice: the second time every credit is known and nothing is paid or queued again.
    public static func recordingTheSameCreditsAgainChangesNothing(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        let credits = [matched("K/1.1", ["INV-1": 100_00]), unmatched("K/2.1", 70_00)]
        _ = try await store.recordStatementCredits(credits, organisationID: "acme", context: Fixture.on("2026-04-10"))
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        let again = try await store.recordStatementCredits(
            credits, organisationID: "acme", context: Fixture.on("2026-04-11"))
        try check(
            again.recorded == 0 && again.alreadyImported == 2 && again.payments == 0 && again.unmatched == 0,
            "nothing new the second time; got \(again)")
        try check(try await Fixture.balance(store, "acme", "INV-1").paid == Fixture.eur(100_00), "INV-1 paid once")
        try check(try await store.unmatchedCredits(organisationID: "acme").count == 1, "queued once")
        try check(
            try await store.timeline(organisationID: "acme", customerID: "C1").count == entries,
            "no timeline entry for credits already recorded")
        try check(
            try await store.knownCreditKeys(["K/1.1", "K/2.1", "K/9.9"], organisationID: "acme") == ["K/1.1", "K/2.1"],
            "matched and queued credits are both known, others not")
    }

    /// A credit nobody could match pays nothing and waits for a person, with why and the candidates found.
    public static func anUnmatchedCreditWaitsOnTheQueueWithItsCandidates(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        let summary = try await store.recordStatementCredits(
            [unmatched("K/2.1", 50_00)], organisationID: "acme", context: Fixture.on("2026-04-10"))
        try check(summary.recorded == 1 && summary.unmatched == 1 && summary.payments == 0, "queued, not paid")
        let queue = try await store.unmatchedCredits(organisationID: "acme")
        try check(queue.count == 1 && queue[0].status == .unmatched, "one credit on the queue, unmatched")
        guard let match = queue.first?.record.match, case .unmatched(let reason, let candidates, _) = match else {
            throw ContractViolation("the queued credit lost its unmatched reason")
        }
        try check(reason.hasPrefix("payer unknown"), "the reason as recorded, got '\(reason)'")
        try check(
            candidates.map(\.invoiceNumber) == ["INV-2"] && candidates.first?.open == Fixture.eur(50_00),
            "the candidate as recorded, got \(candidates)")
        try check(try await Fixture.balance(store, "acme", "INV-2").paid.minorUnits == 0, "nothing paid")
    }

    /// Resolving a queued credit pays open invoices in its currency only, and only once.
    public static func aQueuedCreditIsResolvedOnceToOpenInvoicesInItsCurrency(
        _ store: any StatementStore
    ) async throws {
        try await Fixture.ledger(store)
        _ = try await store.recordStatementCredits(
            [unmatched("K/2.1", 100_00)], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let id = try await store.unmatchedCredits(organisationID: "acme")[0].id
        try await expectInvalid("resolving a euro credit to a pound invoice") {
            _ = try await store.resolveCredit(
                id: id, .invoices(["INV-GBP"]), organisationID: "acme", context: Fixture.on("2026-04-11"))
        }
        let resolved = try await store.resolveCredit(
            id: id, .invoices(["INV-3"]), organisationID: "acme", context: Fixture.on("2026-04-11"))
        try check(resolved.status == .resolved, "the credit is resolved")
        try check(try await Fixture.balance(store, "acme", "INV-3").paid == Fixture.eur(100_00), "INV-3 is paid")
        try check(try await store.unmatchedCredits(organisationID: "acme").isEmpty, "the queue is empty")
        try await expectInvalid("resolving the same credit twice") {
            _ = try await store.resolveCredit(
                id: id, .ignore(reason: "twice"), organisationID: "acme", context: Fixture.on("2026-04-12"))
        }
    }

    /// A credit dismissed with a reason leaves the queue as ignored and pays no invoice.
    public static func anIgnoredCreditLeavesTheQueueAndPaysNothing(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.recordStatementCredits(
            [unmatched("K/2.1", 50_00)], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let id = try await store.unmatchedCredits(organisationID: "acme")[0].id
        let ignored = try await store.resolveCredit(
            id: id, .ignore(reason: "a refund from the landlord"), organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try check(ignored.status == .ignored, "the credit is ignored, got \(ignored.status)")
        try check(try await store.unmatchedCredits(organisationID: "acme").isEmpty, "the queue is empty")
        let paid = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
            .filter { $0.paid.minorUnits != 0 }
        try check(paid.isEmpty, "no invoice was paid, got \(paid.map(\.invoice.number))")
    }

    /// What matching reads: the invoices still open, and who paid from which account before (spaces dropped).
    public static func matchingDataHasOpenInvoicesAndThePayersSeenBefore(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.recordStatementCredits(
            [matched("K/1.1", ["INV-1": 100_00], iban: "NL20 INGB 0001 2345 67")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        let data = try await store.matchingData(organisationID: "acme")
        try check(
            data.invoices.map(\.number).sorted() == ["INV-2", "INV-3", "INV-GBP"],
            "the open invoices, got \(data.invoices.map(\.number))")
        try check(data.customerNames == ["C1": "Customer C1"], "the customers' names, got \(data.customerNames)")
        try check(data.payerAccounts == ["NL20INGB0001234567": "C1"], "the payer's account, got \(data.payerAccounts)")
    }

    /// Another organisation sees none of it, and deleting the organisation takes its credits and payers with it.
    public static func statementsBelongToOneOrganisationAndGoWithIt(_ store: any StatementStore) async throws {
        try await Fixture.ledger(store)
        try await Fixture.seed(store, "other")
        _ = try await store.recordStatementCredits(
            [matched("K/1.1", ["INV-1": 100_00], iban: "NL20INGB0001234567"), unmatched("K/2.1", 50_00)],
            organisationID: "acme", context: Fixture.on("2026-04-10"))
        try check(try await store.unmatchedCredits(organisationID: "other").isEmpty, "no queue seen from another")
        try check(
            try await store.knownCreditKeys(["K/1.1", "K/2.1"], organisationID: "other").isEmpty,
            "no credit known to another")
        try check(try await store.matchingData(organisationID: "other").payerAccounts.isEmpty, "no payer for another")
        try await store.deleteOrganisation(id: "acme")
        try await Fixture.ledger(store)
        try check(try await store.unmatchedCredits(organisationID: "acme").isEmpty, "the queue went with acme")
        try check(
            try await store.knownCreditKeys(["K/1.1", "K/2.1"], organisationID: "acme").isEmpty,
            "the recorded credits went with acme")
        try check(try await store.matchingData(organisationID: "acme").payerAccounts.isEmpty, "the payers went too")
    }

    // MARK: - Credits

    /// A credit of C1's from a statement, matched to these invoices (number: euro cents).
    private static func matched(
        _ key: String, _ invoices: KeyValuePairs<String, Int>, iban: String? = nil
    ) -> StatementCreditRecord {
        let parts = invoices.map { MatchedInvoice(invoiceNumber: $0.key, amount: Fixture.eur($0.value)) }
        let total = parts.reduce(0) { $0 + $1.amount.minorUnits }
        return credit(
            key, total,
            .matched(customerID: "C1", invoices: parts, key: .remittanceText, confidence: .high, notes: []),
            iban: iban)
    }

    /// A credit nobody matched, with INV-2 as its one candidate.
    private static func unmatched(_ key: String, _ amount: Int) -> StatementCreditRecord {
        credit(
            key, amount,
            .unmatched(
                reason: "payer unknown",
                candidates: [
                    MatchCandidate(
                        invoiceNumber: "INV-2", customerID: "C1", open: Fixture.eur(50_00), why: "same open amount")
                ], notes: ["RF19X fails its check digits: not trusted"]))
    }

    private static func credit(
        _ key: String, _ amount: Int, _ match: CreditMatch, iban: String? = nil
    ) -> StatementCreditRecord {
        StatementCreditRecord(
            key: key, statementID: "S1", account: "NL91ABNA0417164300", bookingDate: Fixture.day("2026-04-10"),
            valueDate: Fixture.day("2026-04-09"), amount: Fixture.eur(amount), debtorName: "Payer", debtorIBAN: iban,
            reference: nil, endToEndId: nil, remittance: ["text"], match: match)
    }
}
