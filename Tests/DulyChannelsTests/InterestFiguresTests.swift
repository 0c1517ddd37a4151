import DulyChannels
import DulyCore
import DulyStore
import Testing

/// Final notices state the interest and compensation the law module computes (docs/PRODUCT.md, "Money").
@Suite("Interest figures in non-payment messages")
struct InterestFiguresTests {
    private typealias F = TemplateFixtures

    private func job(stage: Stage, template: String) -> DeliveryJob {
        let action = PlannedAction(
            customerID: F.customer.id, date: F.asOf, channel: .letter, stage: stage, stepID: template,
            template: template, requiresApproval: false, escalatesTo: nil,
            steps: [F.overdue, F.discounted].map { InvoiceStep(invoiceNumber: $0.invoice.number, stepID: template) },
            status: .approved, idempotencyKey: "key-\(template)")
        return DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil)
    }

    private func letter(
        _ job: DeliveryJob, interest: InterestSettings?
    ) throws -> String {
        let composer = TemplateComposer(
            library: TemplateLibrary(), organisation: F.organisation, sender: F.sender,
            dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", interest: interest)
        let account = Account(customer: F.customer, contacts: [F.contact], invoices: [F.overdue, F.discounted])
        let message = try #require(
            try composer.compose(job, account: account, messageID: "<m@x>", threadParent: nil, on: F.asOf))
        return String(decoding: message.content, as: UTF8.self)
    }

    // docs/DOMAIN.md, DE-1, DE-2, DE-4 with the 2026 H1 Basiszinssatz 1.27 % ("Reference rates"): 10.27 %. INV-2026-009
    // (EUR 4,800, due 24 Feb 2026) had EUR 1,800 paid on 1 Mar. By hand: 25 Feb–1 Mar, 5 days on 4,800; 2–10 Mar, 9
    // days on 3,000: (4800 × 5 + 3000 × 9) × 10.27 % / 365 = 14.3499… → EUR 14.35; Pauschale EUR 40. INV-2026-014 is
    // not due.
    @Test func aFinalNoticeStatesTheInterestOnTheBalanceActuallyUnpaid() throws {
        let history = InvoiceHistory(
            invoice: F.overdue.invoice,
            allocations: [
                Allocation(
                    paymentID: "P1", invoiceNumber: "INV-2026-009", amount: F.euros(1_800_00),
                    date: F.day("2026-03-01"))
            ], creditNotes: [])
        let settings = InterestSettings(
            regime: .germany, rates: .builtIn, histories: ["INV-2026-009": history])

        let figures = try #require(settings.figures(for: [F.overdue, F.discounted], on: F.asOf))
        #expect(figures.items.map(\.invoiceNumber) == ["INV-2026-009"])
        #expect(figures.items.first?.interest == F.euros(14_35))
        #expect(figures.items.first?.compensation == F.euros(40_00))
        #expect(figures.annualRateBasisPoints == 1_027)

        let text = try letter(job(stage: .nonPayment, template: "final_notice"), interest: settings)
        #expect(text.contains("§ 288 Abs. 2 BGB"))
        #expect(text.contains("14,35"))
        #expect(text.contains("40,00"))
    }

    // Without the dated ledger the paid part counts from the due date: less interest (3,000 × 14 days = 11.8175… →
    // EUR 11.82), never more.
    @Test func withoutTheDatedLedgerTheBalanceUnderstatesRatherThanOverclaims() throws {
        let settings = InterestSettings(regime: .germany, rates: .builtIn)
        let figures = try #require(settings.figures(for: [F.overdue], on: F.asOf))
        #expect(figures.items.first?.interest == F.euros(11_82))
    }

    // The hand-over letter tells the client what the agency will claim besides the debt: the same figures.
    @Test func theHandOverLetterStatesTheFiguresToo() throws {
        let settings = InterestSettings(regime: .germany, rates: .builtIn)
        let text = try letter(job(stage: .nonPayment, template: "agency_handover"), interest: settings)
        #expect(text.contains("§ 288 Abs. 2 BGB"))
        #expect(text.contains("11,82"))
        #expect(text.contains("Verzugspauschale (§ 288 Abs. 5 BGB)"))
        let without = try letter(job(stage: .nonPayment, template: "agency_handover"), interest: nil)
        #expect(!without.contains("§ 288"))
    }

    @Test func gentlerStagesNeverMentionInterest() throws {
        let settings = InterestSettings(regime: .germany, rates: .builtIn)
        let text = try letter(job(stage: .delayed, template: "final_notice"), interest: settings)
        #expect(!text.contains("§ 288"))
    }

    // A half-year with no published rate gives no figures (the notice reserves the right to claim), never a zero.
    @Test func aMissingRateGivesNoFigures() {
        let settings = InterestSettings(regime: .germany, rates: ReferenceRateTable())
        #expect(settings.figures(for: [F.overdue], on: F.asOf) == nil)
    }
}
