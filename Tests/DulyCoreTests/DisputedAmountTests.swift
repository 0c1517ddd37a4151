import DulyCore
import Testing

// What may be asked for once a client disputes part of an invoice (issue 9, item 2): "EUR 180.00 is not chased",
// so nothing Duly writes demands it, offers on it or charges interest on it while the dispute is open.

private func invoiceF7(total: Int = 1_180_00) -> Invoice {
    Invoice(
        number: "F-7", customerID: "C1", issueDate: day("2026-01-02"), dueDate: day("2026-02-01"),
        total: euros(total))
}

private func dispute(
    amount: Money?, opened: String = "2026-03-02", resolved: String? = nil, invoice: String = "F-7"
) -> Dispute {
    Dispute(
        id: "DSP-1", invoiceNumber: invoice, openedOn: day(opened), reasonCode: .quality, reason: "two panels",
        amount: amount, resolvedOn: resolved.map(day), outcome: resolved == nil ? nil : .rejected)
}

@Suite("What may be asked for under a dispute")
struct DisputedAmountTests {
    let balance = InvoiceBalance(invoice: invoiceF7())

    @Test func aDisputeOverPartOfAnInvoiceLeavesTheRestToAskFor() {
        let disputes = [dispute(amount: euros(180_00))]
        #expect(balance.undisputedOpen(disputes: disputes, on: day("2026-03-09")) == euros(1_000_00))
        #expect(balance.disputedOpen(disputes: disputes, on: day("2026-03-09")) == euros(180_00))
    }

    @Test func aDisputeWithoutAnAmountLeavesNothingToAskFor() {
        #expect(balance.undisputedOpen(disputes: [dispute(amount: nil)], on: day("2026-03-09")) == euros(0))
    }

    @Test func aDisputeCountsOnlyFromTheDayItWasOpenedUntilTheDayItWasResolved() {
        let resolved = [dispute(amount: euros(180_00), resolved: "2026-03-20")]
        #expect(balance.undisputedOpen(disputes: resolved, on: day("2026-03-01")) == euros(1_180_00))
        #expect(balance.undisputedOpen(disputes: resolved, on: day("2026-03-19")) == euros(1_000_00))
        #expect(balance.undisputedOpen(disputes: resolved, on: day("2026-03-20")) == euros(1_180_00))
    }

    @Test func aDisputeAboutAnotherInvoiceChangesNothing() {
        let other = [dispute(amount: euros(180_00), invoice: "F-8")]
        #expect(balance.undisputedOpen(disputes: other, on: day("2026-03-09")) == euros(1_180_00))
    }

    @Test func disputesNeverTakeMoreThanIsOpen() {
        let paidDown = InvoiceBalance(invoice: invoiceF7(), paid: euros(1_100_00))
        let disputes = [dispute(amount: euros(180_00))]
        #expect(paidDown.disputedOpen(disputes: disputes, on: day("2026-03-09")) == euros(80_00))
        #expect(paidDown.undisputedOpen(disputes: disputes, on: day("2026-03-09")) == euros(0))
    }

    @Test func interestRunsOnlyOnTheUndisputedPart() throws {
        // France, 2026-02-02 to 2026-03-09: the claim on 1,180.00 with 180.00 disputed is the claim on 1,000.00.
        let withDispute = try InterestCalculator.claim(
            for: invoiceF7(), disputes: [dispute(amount: euros(180_00))], regime: .france, rates: .builtIn,
            through: day("2026-03-09"))
        let onTheRest = try InterestCalculator.claim(
            for: invoiceF7(total: 1_000_00), regime: .france, rates: .builtIn, through: day("2026-03-09"))
        #expect(withDispute.principal == euros(1_000_00))
        #expect(withDispute.notes.contains("EUR 180.00 under an open dispute on 2026-03-09 is not claimed"))
        #expect(withDispute.interest == onTheRest.interest)
        #expect(!withDispute.interest.isZero)
    }

    @Test func aWhollyDisputedInvoiceEarnsNoInterestAndTheWorkingSaysWhy() throws {
        let claim = try InterestCalculator.claim(
            for: invoiceF7(), disputes: [dispute(amount: nil)], regime: .france, rates: .builtIn,
            through: day("2026-03-09"))
        #expect(claim.interest == euros(0))
        #expect(claim.notes.contains { $0.contains("under dispute") })
    }

    @Test func aSettlementOfferIsMadeOnTheUndisputedAmount() throws {
        // A playbook whose one step offers to settle for 90 % a day after the due date.
        var playbook = ladderPlaybook
        playbook.steps = [
            PlaybookStep(
                id: "settlement_offer", stage: .delayed, offsetDays: 1, gapDays: 7, channel: .email,
                settlementOfferBasisPoints: 9000, offerValidDays: 14)
        ]
        var account = reachableAccount([InvoiceBalance(invoice: invoiceF7())])
        account.disputes = [dispute(amount: euros(180_00), opened: "2026-02-01")]
        let plan = Planner(playbook: playbook, organisationID: "org").plan(account, asOf: day("2026-02-02"))
        let offer = try #require(plan.actions.first?.offer)
        #expect(offer.amount == euros(900_00))
    }
}

@Suite("The organisation's language and how clients pay")
struct SenderDetailsTests {
    @Test(arguments: [("DE", "de"), ("AT", "de"), ("FR", "fr"), ("BE", "fr"), ("NL", "nl"), ("GB", "en"), ("IE", "en")])
    func theOrganisationsLanguageFollowsItsCountryByDefault(country: String, language: String) {
        let organisation = Organisation(
            id: "o", name: "O", baseCurrency: Currency(code: "EUR")!, country: country, timeZone: "UTC")
        #expect(organisation.language == language)
    }

    @Test func aLanguageSetForTheOrganisationWinsOverItsCountry() {
        let organisation = Organisation(
            id: "o", name: "O", baseCurrency: Currency(code: "EUR")!, country: "BE", timeZone: "UTC", language: "nl")
        #expect(organisation.language == "nl")
    }

    @Test func aMessageUsesItsLanguagesPaymentInstructionsElseTheOrganisationsWhole() {
        let sender = SenderIdentity(
            name: "Studio", fromAddress: "ar@studio.example", signature: "Studio",
            paymentInstructions: "Pay to IBAN NL91 ABNA 0417 1643 00.",
            translatedPaymentInstructions: ["de": "Bitte überweisen Sie auf IBAN NL91 ABNA 0417 1643 00."])
        #expect(sender.paymentInstructions(in: "de-AT") == "Bitte überweisen Sie auf IBAN NL91 ABNA 0417 1643 00.")
        #expect(sender.paymentInstructions(in: "fr") == "Pay to IBAN NL91 ABNA 0417 1643 00.")
        #expect(sender.paymentInstructions(in: nil) == "Pay to IBAN NL91 ABNA 0417 1643 00.")
    }
}
