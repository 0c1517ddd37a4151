import DulyChannels
import DulyCore
import DulyStore
import Testing

/// The composer fills the messages about plans, disputes and offers from the account and the playbook.
@Suite("Composing messages about plans, disputes and offers")
struct TemplateComposerEventTests {
    private typealias Fixtures = TemplateFixtures

    private static let composer = TemplateComposer(
        library: TemplateLibrary(playbook: Fixtures.playbook), organisation: Fixtures.organisation,
        sender: Fixtures.sender, dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", playbook: Fixtures.playbook)

    /// The account of the golden files' client: INV-2026-009 with 3,000.00 open, on the plan agreed on 26 February.
    private static func account(
        plans: [PaymentPlan] = [Fixtures.plan], disputes: [Dispute] = []
    ) -> Account {
        Account(
            customer: Fixtures.customer, contacts: [Fixtures.contact], invoices: [Fixtures.overdue],
            disputes: disputes, plans: plans, receipts: Fixtures.planReceipts)
    }

    private static func job(_ stepID: String) -> DeliveryJob {
        let action = PlannedAction(
            customerID: Fixtures.customer.id, date: Fixtures.asOf, channel: .email, stage: .delayed, stepID: stepID,
            template: stepID, requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-2026-009", stepID: stepID)], status: .planned,
            idempotencyKey: "key-\(stepID)")
        return DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil)
    }

    /// The email's text as a reader sees it: quoted-printable soft breaks joined, `=XX` escapes decoded.
    private static func email(
        _ stepID: String, account: Account, composer: TemplateComposer = composer
    ) throws -> String {
        let message = try #require(
            try composer.compose(
                job(stepID), account: account, messageID: "<key@northwind.example>", threadParent: nil,
                on: Fixtures.asOf))
        #expect(message.channel == .email)
        #expect(message.recipients == ["anna@acme.example"])
        var bytes: [UInt8] = []
        let raw = message.content
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while index < raw.count {
            if raw[index] == UInt8(ascii: "="), index + 2 < raw.count {
                if raw[index + 1] == 13 && raw[index + 2] == 10 {
                    index += 3
                    continue
                }
                if let high = hex(raw[index + 1]), let low = hex(raw[index + 2]) {
                    bytes.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            bytes.append(raw[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self).replacing("\r\n", with: "\n")
    }

    @Test func anInstalmentReminderNamesTheNextInstalmentsDateAndAmount() throws {
        // Given an account on a plan whose next instalment, 1,500.00, falls due on 13 March
        // When the reminder planned for 10 March is composed (the client reads German)
        let text = try Self.email(Playbook.instalmentReminderStepID, account: Self.account())

        // Then the email names that instalment, what the plan has brought in and what remains
        #expect(text.contains("Fällig am: 13. März 2026\nBetrag: 1.500,00\u{A0}EUR"))
        #expect(text.contains("Bisher sind im Rahmen der Vereinbarung 800,00\u{A0}EUR bei uns eingegangen"))
        #expect(text.contains("Offen sind noch 3.000,00\u{A0}EUR."))
        #expect(text.contains("- 13. April 2026: 1.500,00\u{A0}EUR\n"))
    }

    @Test func aMissedInstalmentAsksForItByItsDatePlusTheGraceDays() throws {
        // Given the instalment of 9 March unpaid on 10 March, and the playbook's three grace days
        let text = try Self.email(
            Playbook.instalmentMissedStepID, account: Self.account(plans: [Fixtures.missedPlan]))

        // Then the follow-up names it and asks for it by 12 March
        #expect(text.contains("die Rate über 1.500,00\u{A0}EUR, die laut Ihrer Ratenvereinbarung am 9. März 2026"))
        #expect(text.contains("bis zum 12. März 2026 zu zahlen"))
    }

    @Test func aDisputeRejectedNoteNamesTheQueryFromTheAccount() throws {
        // Given a dispute about INV-2026-009 rejected on 9 March, and an older one upheld
        var older = Fixtures.dispute
        older.id = "DSP-0"
        older.openedOn = Fixtures.day("2026-02-12")
        older.reasonCode = .pricing
        older.resolvedOn = Fixtures.day("2026-02-20")
        older.outcome = .upheld
        let text = try Self.email(
            Playbook.disputeRejectedStepID, account: Self.account(plans: [], disputes: [older, Fixtures.dispute]))

        // Then the note answers the rejected one, and has no finding to pass on
        #expect(text.contains("Rechnung INV-2026-009, Ihr Einwand vom 26. Februar 2026: eine Frage zur Menge"))
        #expect(!text.contains("Preis"))
        #expect(!text.contains("Unser Ergebnis"))
    }

    @Test func aSettlementOfferTakesItsShareAndDeadlineFromThePlaybookStep() throws {
        // Given the playbook's 90 % offer, open for 14 days, planned on 10 March about 3,000.00 open
        let text = try Self.email("settlement_offer", account: Self.account(plans: []))

        // Then the email offers 2,700.00 by 24 March and waives 300.00
        #expect(text.contains("Zahlen Sie bis zum 24. März 2026 einen Betrag von 2.700,00\u{A0}EUR"))
        #expect(text.contains("verzichten auf die restlichen 300,00\u{A0}EUR"))
    }

    @Test func withoutThePlaybookStepTheOfferTemplateMakesNoOffer() throws {
        // Given a composer left on the standard playbook, which has no settlement step
        let composer = TemplateComposer(
            library: TemplateLibrary(), organisation: Fixtures.organisation, sender: Fixtures.sender,
            dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100")
        let text = try Self.email("settlement_offer", account: Self.account(plans: []), composer: composer)

        // Then the message invites a solution and names no amount to settle for
        #expect(text.contains("Wir möchten gern eine Lösung finden, die für Sie passt"))
        #expect(!text.contains("verzichten"))
        #expect(!text.contains("2.700,00"))
    }
}
