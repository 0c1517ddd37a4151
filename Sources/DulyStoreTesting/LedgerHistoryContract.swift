import DulyCore
import DulyStore

/// The ledger-history part of the storage contract, as cases any test framework can run.
public enum LedgerHistoryContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any LedgerHistoryStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("historiesCarryDatedPaymentsAndCredits", historiesCarryDatedPaymentsAndCredits),
        ("historiesBelongToOneOrganisation", historiesBelongToOneOrganisation),
    ]

    /// Each allocation and credit note comes back with its date and amount, oldest first; unknown numbers are left out.
    public static func historiesCarryDatedPaymentsAndCredits(_ store: any LedgerHistoryStore) async throws {
        try await Fixture.ledger(store)
        // INV-1 (EUR 100, due 31 Mar) gets EUR 30 on 10 Apr and EUR 20 on 20 Apr, and a EUR 10 credit on 15 Apr.
        _ = try await store.importPayments(
            [
                Fixture.payment("P2", "C1", amount: 20_00, date: "2026-04-20", invoice: "INV-1"),
                Fixture.payment("P1", "C1", amount: 30_00, date: "2026-04-10", invoice: "INV-1"),
            ], organisationID: "acme", context: Fixture.on("2026-04-20"))
        try await store.recordCreditNote(
            CreditNote(id: "CN1", invoiceNumber: "INV-1", date: Fixture.day("2026-04-15"), amount: Fixture.eur(10_00)),
            organisationID: "acme", context: Fixture.on("2026-04-15"))

        let histories = try await store.invoiceHistories(
            organisationID: "acme", invoiceNumbers: ["INV-2", "NOPE", "INV-1"])
        try check(histories.map(\.invoice.number) == ["INV-2", "INV-1"], "the invoices asked for, in that order")
        try check(histories[0].allocations.isEmpty && histories[0].creditNotes.isEmpty, "INV-2 has nothing")
        let history = histories[1]
        try check(history.invoice.total == Fixture.eur(100_00), "the invoice as imported")
        try check(
            history.allocations.map { "\($0.paymentID) \($0.date) \($0.amount.minorUnits)" }
                == ["P1 2026-04-10 3000", "P2 2026-04-20 2000"],
            "allocations oldest first, got \(history.allocations)")
        try check(
            history.creditNotes
                == [
                    CreditNote(
                        id: "CN1", invoiceNumber: "INV-1", date: Fixture.day("2026-04-15"), amount: Fixture.eur(10_00))
                ], "the credit note")
    }

    /// Another organisation's invoice of the same number is never seen.
    public static func historiesBelongToOneOrganisation(_ store: any LedgerHistoryStore) async throws {
        try await Fixture.ledger(store, "acme")
        try await Fixture.seed(store, "other")
        try check(
            try await store.invoiceHistories(organisationID: "other", invoiceNumbers: ["INV-1"]).isEmpty,
            "not seen from another organisation")
    }
}
