import DulyCore
import DulyStore
import Foundation
import Testing

@testable import DulyStoreSQLite

@Suite("Bank statements in the SQLite store")
struct StatementStoreTests {
    static let euro = Currency(code: "EUR")!

    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static func eur(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }
    static let context = RecordingContext(date: day("2026-03-10"), recordedAt: "2026-03-10T09:00:00Z")

    /// An organisation with customers C1 and C2 and the invoices given (number, customer, total).
    func seed(_ store: SQLiteStore, _ invoices: [(String, String, Int)]) async throws {
        try await store.saveOrganisation(
            Organisation(id: "acme", name: "Acme", baseCurrency: Self.euro, country: "NL", timeZone: "Europe/Amsterdam")
        )
        _ = try await store.importCustomers(
            ["C1", "C2"].map { CustomerRecord(customer: Customer(id: $0, name: "Customer \($0)"), contacts: []) },
            organisationID: "acme", context: Self.context)
        _ = try await store.importInvoices(
            invoices.map {
                Invoice(
                    number: $0.0, customerID: $0.1, issueDate: Self.day("2026-01-01"), dueDate: Self.day("2026-02-01"),
                    total: Self.eur($0.2))
            }, organisationID: "acme", context: Self.context)
    }

    func record(_ key: String, _ amount: Int, _ match: CreditMatch, iban: String? = nil) -> StatementCreditRecord {
        StatementCreditRecord(
            key: key, statementID: "S1", account: "NL91ABNA0417164300", bookingDate: Self.day("2026-03-10"),
            valueDate: Self.day("2026-03-09"), amount: Self.eur(amount), debtorName: "Payer", debtorIBAN: iban,
            reference: nil, endToEndId: nil, remittance: ["text"], match: match)
    }

    @Test func everyInvoiceGetsItsOwnValidReferenceEvenWhenNumbersSpellTheSame() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(
                store, [("INV-1", "C1", 10_00), ("INV1", "C1", 20_00), (String(repeating: "9", count: 30), "C2", 5_00)])
            let references = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
                .map { ($0.invoice.number, $0.invoice.paymentReference) }
            let byNumber = Dictionary(uniqueKeysWithValues: references)
            #expect(byNumber["INV-1"] == "RF47INV1")
            #expect(byNumber["INV1"] == CreditorReference.forInvoice(number: "INV1", attempt: 1))
            #expect(byNumber[String(repeating: "9", count: 30)]??.dropFirst(4).first == "D")
            #expect(Set(references.map(\.1)).count == 3)
            #expect(references.allSatisfy { CreditorReference.isValid($0.1 ?? "") })
        }
    }

    @Test func invoicesStoredBeforeTheMigrationGetTheirReferenceOnTheNextStart() async throws {
        try await TemporaryStore.with { store, temporary in
            try await seed(store, [("INV-1", "C1", 10_00), ("INV-2", "C1", 20_00)])
            try await store.rawWrite("UPDATE invoices SET payment_reference = NULL")
            let reopened = try SQLiteStore(path: temporary.path)
            try await reopened.migrate()
            let references = try await reopened.invoices(organisationID: "acme", customerID: nil, openOnly: false)
                .map(\.invoice.paymentReference)
            #expect(references == ["RF47INV1", "RF20INV2"])
        }
    }

    @Test func matchedCreditsBecomePaymentsOnceAndUnmatchedOnesWaitOnTheQueue() async throws {
        try await TemporaryStore.with { store, _ in
            try await seed(store, [("INV-1", "C1", 100_00), ("INV-2", "C1", 50_00), ("INV-3", "C2", 70_00)])
            let matched = record(
                "K/1.1", 150_00,
                .matched(
                    customerID: "C1",
                    invoices: [
                        MatchedInvoice(invoiceNumber: "INV-1", amount: Self.eur(100_00)),
                        MatchedInvoice(invoiceNumber: "INV-2", amount: Self.eur(50_00)),
                    ], key: .remittanceText, confidence: .high, notes: []),
                iban: "NL20 INGB 0001 2345 67")
            let unmatched = record(
                "K/2.1", 70_00,
                .unmatched(
                    reason: "payer unknown",
                    candidates: [
                        MatchCandidate(
                            invoiceNumber: "INV-3", customerID: "C2", open: Self.eur(70_00), why: "same open amount")
                    ],
                    notes: ["RF19X fails its check digits: not trusted"]))
            let first = try await store.recordStatementCredits(
                [matched, unmatched], organisationID: "acme", context: Self.context)
            #expect(first.recorded == 2 && first.matched == 1 && first.payments == 2 && first.unmatched == 1)
            let again = try await store.recordStatementCredits(
                [matched, unmatched], organisationID: "acme", context: Self.context)
            #expect(again.recorded == 0 && again.alreadyImported == 2 && again.payments == 0)
            // The match is on the customer's timeline once (what `payment.matched` webhooks announce), and the
            // chain still verifies after the payments' entries and this one in the same transaction.
            let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
            let matches = timeline.filter { $0.kind == "payment_matched" }
            #expect(matches.count == 1)
            #expect(matches.first?.details["invoices"] == "INV-1,INV-2")
            #expect(matches.first?.details["match_key"] == MatchKey.remittanceText.rawValue)
            #expect(TimelineVerifier.verify(timeline) == .valid(entries: timeline.count))
            #expect(try await store.knownCreditKeys(["K/1.1", "K/9.9"], organisationID: "acme") == ["K/1.1"])
            let open = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: true)
            #expect(open.map(\.invoice.number) == ["INV-3"])
            #expect(
                try await store.rawValue("SELECT group_concat(payment_id) FROM payments", as: String.self)
                    == "K/1.1/1,K/1.1/2")
            let data = try await store.matchingData(organisationID: "acme")
            #expect(data.invoices.map(\.number) == ["INV-3"])
            #expect(data.payerAccounts == ["NL20INGB0001234567": "C1"])

            let queue = try await store.unmatchedCredits(organisationID: "acme")
            let queued = try #require(queue.first)
            #expect(queue.count == 1)
            guard case .unmatched(let reason, let candidates, _) = queued.record.match else {
                Issue.record("not unmatched")
                return
            }
            #expect(reason.hasPrefix("payer unknown"))
            #expect(candidates.first?.invoiceNumber == "INV-3" && candidates.first?.open == Self.eur(70_00))

            await #expect(throws: StoreError.self) {
                _ = try await store.resolveCredit(
                    id: queued.id, .invoices(["INV-1"]), organisationID: "acme", context: Self.context)
            }
            let resolved = try await store.resolveCredit(
                id: queued.id, .invoices(["INV-3"]), organisationID: "acme", context: Self.context)
            #expect(resolved.status == .resolved)
            #expect(try await store.invoices(organisationID: "acme", customerID: nil, openOnly: true).isEmpty)
            #expect(try await store.unmatchedCredits(organisationID: "acme").isEmpty)
            await #expect(throws: StoreError.self) {
                _ = try await store.resolveCredit(
                    id: queued.id, .ignore(reason: "twice"), organisationID: "acme", context: Self.context)
            }
            // Erasing the organisation takes its bank credits and payer accounts too.
            try await store.deleteOrganisation(id: "acme")
            #expect(try await store.rawValue("SELECT count(*) FROM bank_credits", as: Int.self) == 0)
            #expect(try await store.rawValue("SELECT count(*) FROM payer_accounts", as: Int.self) == 0)
        }
    }
}
