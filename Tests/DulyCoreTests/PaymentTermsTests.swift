import DulyCore
import Testing

@Suite("Payment terms")
struct PaymentTermsTests {
    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    private func dueDate(_ terms: String, issued: String) throws -> LocalDate {
        try PaymentTerms(parsing: terms).dueDate(issuedOn: date(issued))
    }

    // MARK: - Forms

    @Test(arguments: [
        ("due on receipt", PaymentTerms.dueOnReceipt),
        ("net 30", .net(days: 30)),
        ("net 0", .net(days: 0)),
        ("net 7", .net(days: 7)),
        ("EOM", .endOfMonth),
        ("net 30 EOM", .netEndOfMonth(days: 30)),
        ("2/10 net 30", .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30)),
        ("1.5/10 net 30", .earlyPaymentDiscount(discountBasisPoints: 150, discountDays: 10, netDays: 30)),
        ("0.25/5 net 15", .earlyPaymentDiscount(discountBasisPoints: 25, discountDays: 5, netDays: 15)),
        ("1.05/10 net 60", .earlyPaymentDiscount(discountBasisPoints: 105, discountDays: 10, netDays: 60)),
        ("3/30 net 30", .earlyPaymentDiscount(discountBasisPoints: 300, discountDays: 30, netDays: 30)),
    ])
    func everyAcceptedFormParses(text: String, expected: PaymentTerms) throws {
        #expect(try PaymentTerms(parsing: text) == expected)
    }

    @Test(arguments: [
        ("NET 30", PaymentTerms.net(days: 30)),
        ("Net 30", .net(days: 30)),
        ("  net   30  ", .net(days: 30)),
        ("net\t30", .net(days: 30)),
        ("2/10  net 30", .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30)),
        ("2/10 NET 30", .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30)),
        ("eom", .endOfMonth),
        ("Net 30 eom", .netEndOfMonth(days: 30)),
        ("Due On Receipt", .dueOnReceipt),
        ("DUE  ON  RECEIPT", .dueOnReceipt),
    ])
    func caseAndSpacingDoNotMatter(text: String, expected: PaymentTerms) throws {
        #expect(try PaymentTerms(parsing: text) == expected)
    }

    @Test(arguments: [
        PaymentTerms.dueOnReceipt, .net(days: 0), .net(days: 30), .net(days: 3650), .endOfMonth,
        .netEndOfMonth(days: 45),
        .earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30),
        .earlyPaymentDiscount(discountBasisPoints: 150, discountDays: 10, netDays: 30),
        .earlyPaymentDiscount(discountBasisPoints: 25, discountDays: 5, netDays: 15),
        .earlyPaymentDiscount(discountBasisPoints: 105, discountDays: 0, netDays: 60),
        .earlyPaymentDiscount(discountBasisPoints: 9999, discountDays: 1, netDays: 2),
        .earlyPaymentDiscount(discountBasisPoints: 1, discountDays: 1, netDays: 2),
    ])
    func descriptionParsesBackToTheSameTerms(terms: PaymentTerms) throws {
        #expect(try PaymentTerms(parsing: terms.description) == terms)
    }

    @Test(arguments: [
        (PaymentTerms.dueOnReceipt, "due on receipt"), (.net(days: 30), "net 30"), (.endOfMonth, "EOM"),
        (.netEndOfMonth(days: 30), "net 30 EOM"),
        (.earlyPaymentDiscount(discountBasisPoints: 200, discountDays: 10, netDays: 30), "2/10 net 30"),
        (.earlyPaymentDiscount(discountBasisPoints: 150, discountDays: 10, netDays: 30), "1.5/10 net 30"),
        (.earlyPaymentDiscount(discountBasisPoints: 25, discountDays: 5, netDays: 15), "0.25/5 net 15"),
        (.earlyPaymentDiscount(discountBasisPoints: 105, discountDays: 10, netDays: 60), "1.05/10 net 60"),
    ])
    func descriptionIsTheCanonicalWrittenForm(terms: PaymentTerms, text: String) {
        #expect(terms.description == text)
    }

    // MARK: - docs/DOMAIN.md, "Payment-terms examples"

    @Test(arguments: [
        ("PT-1", "net 30", "2026-04-10", "2026-05-10"),
        ("PT-2", "EOM", "2026-04-10", "2026-04-30"),
        ("PT-3", "net 30 EOM", "2026-04-10", "2026-05-30"),
        ("PT-6", "net 30", "2025-08-01", "2025-08-31"),
        ("PT-12", "2/10 net 30", "2026-01-15", "2026-02-14"),
        ("Zuora net 15", "net 15", "2025-08-01", "2025-08-16"),
        ("due on receipt", "due on receipt", "2026-04-10", "2026-04-10"),
    ])
    func dueDatesMatchTheRulesVectors(id: String, terms: String, issued: String, due: String) throws {
        #expect(try dueDate(terms, issued: issued) == date(due), "\(id)")
    }

    @Test func pt3DueDateFallsOnASaturdayAndIsNotRolled() throws {
        let due = try dueDate("net 30 EOM", issued: "2026-04-10")
        #expect(due.weekday == .saturday)
    }

    @Test func pt12DiscountIsTwentyOnAThousandUntilTheTenthDay() throws {
        // Given 2/10 net 30 on an invoice of 1000.00 issued 2026-01-15
        let terms = try PaymentTerms(parsing: "2/10 net 30")
        let issue = try date("2026-01-15")
        let total = try Money(parsing: "1000.00", currency: #require(Currency(code: "EUR")))
        // When the discount and its deadline are asked for
        let discount = try #require(terms.discount(on: total))
        // Then paying 980.00 by 2026-01-25 settles it; the full amount is due 2026-02-14
        #expect(discount.decimalString == "20.00")
        #expect((total - discount).decimalString == "980.00")
        #expect(terms.discountDeadline(issuedOn: issue) == (try date("2026-01-25")))
        #expect(terms.dueDate(issuedOn: issue) == (try date("2026-02-14")))
    }

    @Test(arguments: [
        ("1.5/10 net 30", "1000.00", "15.00"),
        ("1.5/10 net 30", "123.45", "1.85"),
        ("2/10 net 30", "0.25", "0.00"),
        ("2/10 net 30", "0.75", "0.02"),
        ("0.25/5 net 15", "10.00", "0.02"),
        ("2/10 net 30", "-50.00", "-1.00"),
    ])
    func discountsRoundHalfToEvenToTheCent(terms: String, total: String, expected: String) throws {
        let amount = try Money(parsing: total, currency: #require(Currency(code: "EUR")))
        #expect(try PaymentTerms(parsing: terms).discount(on: amount)?.decimalString == expected)
    }

    @Test func discountInAZeroDecimalCurrencyRoundsToWholeUnits() throws {
        let yen = try Money(parsing: "1250", currency: #require(Currency(code: "JPY")))
        // 2 % of 1250 = 25; 1.5 % = 18.75 -> 19
        #expect(try PaymentTerms(parsing: "2/10 net 30").discount(on: yen)?.decimalString == "25")
        #expect(try PaymentTerms(parsing: "1.5/10 net 30").discount(on: yen)?.decimalString == "19")
    }

    @Test(arguments: ["net 30", "EOM", "net 30 EOM", "due on receipt"])
    func termsWithoutADiscountHaveNoDeadlineAndNoDiscount(text: String) throws {
        let terms = try PaymentTerms(parsing: text)
        let total = try Money(parsing: "1000.00", currency: #require(Currency(code: "EUR")))
        #expect(terms.discount(on: total) == nil)
        #expect(terms.discountDeadline(issuedOn: try date("2026-01-15")) == nil)
    }

    // MARK: - Month ends and leap years

    @Test(arguments: [
        ("EOM", "2024-02-10", "2024-02-29"),
        ("EOM", "2023-02-10", "2023-02-28"),
        ("EOM", "2000-02-01", "2000-02-29"),
        ("EOM", "2100-02-01", "2100-02-28"),
        ("EOM", "2026-12-31", "2026-12-31"),
        ("net 30 EOM", "2026-01-31", "2026-03-02"),
        ("net 30 EOM", "2024-01-31", "2024-03-01"),
        ("net 30 EOM", "2026-01-01", "2026-03-02"),
        ("net 30 EOM", "2026-12-05", "2027-01-30"),
        ("net 0 EOM", "2026-02-10", "2026-02-28"),
        ("net 30", "2024-02-01", "2024-03-02"),
        ("net 30", "2023-02-01", "2023-03-03"),
        ("net 29", "2024-02-01", "2024-03-01"),
        ("net 60", "2026-12-15", "2027-02-13"),
    ])
    func dueDatesAcrossMonthEndsAndLeapYears(terms: String, issued: String, due: String) throws {
        #expect(try dueDate(terms, issued: issued) == date(due))
    }

    // MARK: - Errors

    @Test(arguments: [
        "", "   ", "net", "net 30 days", "net thirty", "30 days", "net -5", "net 3651", "eom 30", "net 30 eom extra",
        "2/10", "2/10 net", "2 net 30", "2/10/5 net 30", "/10 net 30", "2/ net 30", "x/10 net 30", "2.333/10 net 30",
        "2./10 net 30", "-2/10 net 30", "+2/10 net 30", "2/-1 net 30", "2/10 net -30", "due on", "due upon receipt",
        "net 30 EOM EOM", "1,5/10 net 30",
    ])
    func unknownTextIsRefusedWithTheAcceptedForms(text: String) {
        #expect(throws: PaymentTermsError.unknown(text)) { try PaymentTerms(parsing: text) }
    }

    @Test func unknownTermsMessageListsEveryAcceptedForm() {
        let message = PaymentTermsError.unknown("net 30 days").description
        #expect(message.contains("'net 30 days'"))
        for form in ["due on receipt", "net N", "P/D net N", "2/10 net 30", "EOM", "net N EOM"] {
            #expect(message.contains(form), "missing \(form)")
        }
    }

    @Test(arguments: [
        "0/10 net 30", "100/10 net 30", "0.0/10 net 30", "150/10 net 30", "100.00/10 net 30", "100.5/10 net 30",
        "922337203685477580/10 net 30",
    ])
    func discountsMustBeMoreThanZeroAndLessThanAHundredPercent(text: String) {
        #expect(throws: PaymentTermsError.badDiscount(text)) { try PaymentTerms(parsing: text) }
    }

    @Test(arguments: ["2/40 net 30", "2/31 net 30", "1/1 net 0"])
    func theDiscountPeriodCannotEndAfterTheDueDate(text: String) {
        #expect(throws: PaymentTermsError.discountAfterDueDate(text)) { try PaymentTerms(parsing: text) }
    }

    @Test func errorMessagesQuoteTheTextAndSayWhatIsWrong() {
        #expect(PaymentTermsError.badDiscount("0/10 net 30").description.contains("more than 0 % and less than 100 %"))
        #expect(PaymentTermsError.discountAfterDueDate("2/40 net 30").description.contains("'2/40 net 30'"))
    }
}
