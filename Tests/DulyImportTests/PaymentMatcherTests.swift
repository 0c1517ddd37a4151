import DulyCore
import DulyImport
import Foundation
import Testing

/// The matching table: statement lines and what they must match (docs/DOMAIN.md, "camt.053").
@Suite struct PaymentMatcherTests {
    static let eur = Currency(code: "EUR")!
    static let gbp = Currency(code: "GBP")!

    static func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: eur) }

    static func invoice(
        _ number: String, _ customer: String, _ open: Int, due: String = "2026-02-01"
    ) -> MatchableInvoice {
        MatchableInvoice(
            number: number, customerID: customer, open: euros(open), dueDate: LocalDate(iso: due)!,
            paymentReference: CreditorReference.forInvoice(number: number))
    }

    /// Acme owes four invoices (two of the same amount), Brightside two, Cobalt one; one is in pounds.
    static let ledger: [MatchableInvoice] = [
        invoice("INV-1001", "ACME", 100_00, due: "2026-01-10"),
        invoice("INV-1002", "ACME", 250_00, due: "2026-01-20"),
        invoice("INV-1003", "ACME", 400_00, due: "2026-01-30"),
        invoice("INV-1004", "ACME", 250_00, due: "2026-02-10"),
        invoice("INV-2001", "BRIGHT", 75_50),
        invoice("INV-2002", "BRIGHT", 120_00),
        invoice("INV-3001", "COBALT", 999_99),
        MatchableInvoice(
            number: "INV-4001", customerID: "DELTA", open: Money(minorUnits: 500_00, currency: gbp),
            dueDate: LocalDate(iso: "2026-02-01")!, paymentReference: CreditorReference.forInvoice(number: "INV-4001")),
    ]

    static let names = [
        "ACME": "Acme Trading B.V.", "BRIGHT": "Brightside Ltd", "COBALT": "Cobalt GmbH", "DELTA": "Delta plc",
    ]

    static func credit(
        _ amount: Int, currency: Currency = eur, reference: String? = nil, issuer: String? = nil,
        endToEnd: String? = nil, name: String? = nil, iban: String? = nil, text: [String] = []
    ) -> BankCredit {
        BankCredit(
            amount: Money(minorUnits: amount, currency: currency), bookingDate: LocalDate(iso: "2026-03-02")!,
            reference: reference, referenceIssuer: issuer, endToEndId: endToEnd, debtorName: name, debtorIBAN: iban,
            remittance: text, entryIndex: 1, transactionIndex: 1, line: 1)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var label: String
        var credit: BankCredit
        /// The key, customer and (invoice, amount) parts expected; nil key: unmatched.
        var key: MatchKey?
        var customer: String?
        var parts: [(String, Int)]
        /// For an unmatched credit: candidate invoices expected among the first three.
        var candidates: [String] = []
        /// A note expected to contain this text.
        var note: String?

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(
            label: "a valid RF reference names its invoice",
            credit: credit(250_00, reference: CreditorReference.forInvoice(number: "INV-1002"), issuer: "ISO"),
            key: .creditorReference, customer: "ACME", parts: [("INV-1002", 250_00)]),
        Row(
            label: "an RF reference written with spaces still matches",
            credit: credit(
                100_00, reference: CreditorReference.grouped(CreditorReference.forInvoice(number: "INV-1001"))),
            key: .creditorReference, customer: "ACME", parts: [("INV-1001", 100_00)]),
        Row(
            label: "an RF reference with bad check digits is not trusted: the invoice number in the text decides",
            credit: credit(400_00, reference: "RF00INV1002", issuer: "ISO", text: ["Invoice INV-1003"]),
            key: .remittanceText, customer: "ACME", parts: [("INV-1003", 400_00)], note: "fails its check digits"),
        Row(
            label: "an RF reference with bad check digits and nothing else is unmatched, its look-alike a candidate",
            credit: credit(250_00, reference: "RF99INV1002", name: "Somebody Else"),
            key: nil, customer: nil, parts: [], candidates: ["INV-1002"], note: "fails its check digits"),
        Row(
            label: "the end-to-end id carrying Duly's reference",
            credit: credit(75_50, endToEnd: CreditorReference.forInvoice(number: "INV-2001")),
            key: .endToEndId, customer: "BRIGHT", parts: [("INV-2001", 75_50)]),
        Row(
            label: "the end-to-end id carrying the invoice number",
            credit: credit(120_00, endToEnd: "INV-2002"),
            key: .endToEndId, customer: "BRIGHT", parts: [("INV-2002", 120_00)]),
        Row(
            label: "one payment covering three invoices named in the text, split in the order named",
            credit: credit(750_00, text: ["Payment INV-1003, INV-1001", "and INV 1002"]),
            key: .remittanceText, customer: "ACME",
            parts: [("INV-1003", 400_00), ("INV-1001", 100_00), ("INV-1002", 250_00)]),
        Row(
            label: "numbers joined by slashes",
            credit: credit(350_00, text: ["Fact. INV-1001/INV-1002"]),
            key: .remittanceText, customer: "ACME", parts: [("INV-1001", 100_00), ("INV-1002", 250_00)]),
        Row(
            label: "an RF reference typed in the remittance text",
            credit: credit(
                999_99,
                text: ["ref " + CreditorReference.grouped(CreditorReference.forInvoice(number: "INV-3001")) + " thanks"]
            ),
            key: .remittanceText, customer: "COBALT", parts: [("INV-3001", 999_99)]),
        Row(
            label: "a part payment of a named invoice stays on it",
            credit: credit(50_00, text: ["INV-1003 first half"]),
            key: .remittanceText, customer: "ACME", parts: [("INV-1003", 50_00)], note: "differs"),
        Row(
            label: "a national structured reference is not RF: the next keys are tried",
            credit: credit(999_99, reference: "4654654654654654", issuer: "BBA", name: "COBALT GMBH"),
            key: .amountAndPayer, customer: "COBALT", parts: [("INV-3001", 999_99)], note: "not an RF reference"),
        Row(
            label: "amount and payer name: the one open invoice of that amount",
            credit: credit(400_00, name: "ACME TRADING BV"),
            key: .amountAndPayer, customer: "ACME", parts: [("INV-1003", 400_00)]),
        Row(
            label: "amount and payer name: the one combination of its invoices that adds up",
            credit: credit(195_50, name: "Brightside Limited"),
            key: .amountAndPayer, customer: "BRIGHT", parts: [("INV-2001", 75_50), ("INV-2002", 120_00)]),
        Row(
            label: "an ambiguous amount is unmatched, with both invoices as candidates",
            credit: credit(250_00, name: "Acme Trading B.V."),
            key: nil, customer: nil, parts: [], candidates: ["INV-1002", "INV-1004"]),
        Row(
            label: "an amount without a known payer is unmatched, the invoice of that amount a candidate",
            credit: credit(999_99, name: "Unknown Payer"),
            key: nil, customer: nil, parts: [], candidates: ["INV-3001"]),
        Row(
            label: "a payer whose name only resembles a customer's is unmatched, that customer's invoices candidates",
            credit: credit(195_50, name: "Brightside Holdings"),
            key: nil, customer: nil, parts: [], candidates: ["INV-2001", "INV-2002"]),
        Row(
            label: "a credit in another currency than the invoice it names is unmatched",
            credit: credit(500_00, reference: CreditorReference.forInvoice(number: "INV-4001")),
            key: nil, customer: nil, parts: [], candidates: ["INV-4001"], note: "is in GBP"),
        Row(
            label: "a short number in the text is not an invoice number",
            credit: credit(12_00, text: ["order 12 of 2026"]),
            key: nil, customer: nil, parts: []),
    ]

    @Test(arguments: rows)
    func matches(_ row: Row) {
        var matcher = PaymentMatcher(invoices: Self.ledger, customerNames: Self.names)
        let result = matcher.match(row.credit)
        if let note = row.note {
            #expect(result.notes.contains { $0.contains(note) }, "notes: \(result.notes)")
        }
        switch result {
        case .matched(let customer, let parts, let key, _, _):
            #expect(key == row.key)
            #expect(customer == row.customer)
            #expect(parts.map(\.invoiceNumber) == row.parts.map(\.0))
            #expect(parts.map(\.amount.minorUnits) == row.parts.map(\.1))
        case .unmatched(let reason, let candidates, _):
            #expect(row.key == nil, "unmatched: \(reason)")
            for expected in row.candidates {
                #expect(candidates.contains { $0.invoiceNumber == expected }, "candidates: \(candidates)")
            }
            #expect(candidates.count <= 3)
        }
    }

    @Test func aSecondCreditForAnInvoiceAlreadyPaidByTheFirstIsNotMatchedByAmount() {
        var matcher = PaymentMatcher(invoices: Self.ledger, customerNames: Self.names)
        let first = matcher.match(Self.credit(400_00, name: "Acme Trading"))
        #expect(first.key == .amountAndPayer)
        let second = matcher.match(Self.credit(400_00, name: "Acme Trading"))
        #expect(second.key == nil)
    }

    /// The genkgo samples (README: 8.85 EUR from NAME NAME, structured reference 4654654654654654 issued by BBA):
    /// the Belgian reference is not an RF reference Duly issued, so matching falls through to amount and payer.
    @Test(arguments: ["genkgo-camt053.v2.minimal.xml", "genkgo-camt053.v8.xml"])
    func theSharedSamplesMatchByAmountAndPayerAfterTheirBelgianReference(file: String) throws {
        let statements = try Camt053.read(at: Camt053Tests.samples + "/" + file, fileName: file)
        let credit = try #require(statements.first?.entries.first)
        #expect(credit.amount == Self.euros(8_85))
        #expect(credit.debtorName == "NAME NAME")
        #expect(credit.reference == "4654654654654654")
        #expect(credit.bookingDate == LocalDate(iso: "2014-12-31"))
        var matcher = PaymentMatcher(
            invoices: Self.ledger + [Self.invoice("2014-117", "NN", 8_85)],
            customerNames: Self.names.merging(["NN": "Name Name"]) { first, _ in first })
        let result = matcher.match(credit)
        guard case .matched(let customer, let parts, let key, let confidence, let notes) = result else {
            Issue.record("unmatched: \(result)")
            return
        }
        #expect(key == .amountAndPayer && confidence == .medium && customer == "NN")
        #expect(parts == [MatchedInvoice(invoiceNumber: "2014-117", amount: Self.euros(8_85))])
        #expect(notes == ["structured reference 4654654654654654 (BBA) is not an RF reference Duly issued"])
    }

    @Test func aPayerKnownByIBANIsRecognisedWhateverTheName() {
        var matcher = PaymentMatcher(
            invoices: Self.ledger, customerNames: Self.names, payerAccounts: ["NL91 ABNA 0417 1643 00": "COBALT"])
        let result = matcher.match(Self.credit(999_99, name: "Treasury Dept", iban: "NL91ABNA0417164300"))
        #expect(result.key == .amountAndPayer)
    }

    @Test func invoiceReferencesFollowTheDocumentedScheme() {
        #expect(CreditorReference.forInvoice(number: "539007547034") == "RF18539007547034")
        #expect(CreditorReference.forInvoice(number: "INV-2024/0042").hasSuffix("INV20240042"))
        let long = CreditorReference.forInvoice(number: "2026-ACME-HOLDINGS-EUROPE-000042")
        #expect(CreditorReference.isValid(long))
        #expect(long.count == 23 && long.dropFirst(4).hasPrefix("D"))
        #expect(
            CreditorReference.forInvoice(number: "INV1", attempt: 1) != CreditorReference.forInvoice(number: "INV1"))
        #expect(CreditorReference.isValid(CreditorReference.forInvoice(number: "///", attempt: 0)))
    }
}
