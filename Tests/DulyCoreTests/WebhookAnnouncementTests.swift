import DulyCore
import Testing

/// What a timeline entry announces to webhook subscribers, decided from the entry alone: one rule per test.
@Suite struct WebhookAnnouncementTests {
    let euro = Currency(code: "EUR")!
    func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }
    let day = LocalDate(iso: "2026-03-10")!

    func payment(_ id: String, _ minorUnits: Int) -> Payment {
        Payment(id: id, customerID: "C1", date: day, amount: euros(minorUnits))
    }

    func share(_ paymentID: String, _ invoice: String, _ minorUnits: Int) -> Allocation {
        Allocation(paymentID: paymentID, invoiceNumber: invoice, amount: euros(minorUnits), date: day)
    }

    @Test func anEntryOfSeveralPaymentsAnnouncesEachWithOnlyItsOwnShares() {
        let entry = TimelineEvent.paymentsRecorded(
            customerID: "C1",
            [
                PaymentReceived(
                    payment: payment("P1", 30_00), allocations: [share("P1", "INV-1", 30_00)], unallocated: euros(0)),
                PaymentReceived(
                    payment: payment("P2", 80_00),
                    allocations: [share("P2", "INV-1", 20_00), share("P2", "INV-2", 50_00)],
                    unallocated: euros(10_00)),
            ], on: day)
        #expect(
            WebhookAnnouncement.of(entry) == [
                .paymentReceived(paymentID: "P1", shares: [.init(invoiceNumber: "INV-1", amount: "30.00")]),
                .paymentReceived(
                    paymentID: "P2",
                    shares: [
                        .init(invoiceNumber: "INV-1", amount: "20.00"), .init(invoiceNumber: "INV-2", amount: "50.00"),
                    ]),
            ])
    }

    @Test func aPaymentsDataCountsWhatNoInvoiceTookAsUnallocated() {
        let data = WebhookData.payment(
            id: "P2", date: day, amount: euros(80_00), reference: nil,
            shares: [.init(invoiceNumber: "INV-1", amount: "20.00"), .init(invoiceNumber: "INV-2", amount: "50.00")])
        #expect(
            data.text
                == #"{"allocations":[{"amount":{"currency":"EUR","value":"20.00"},"invoice_number":"INV-1"},"#
                + #"{"amount":{"currency":"EUR","value":"50.00"},"invoice_number":"INV-2"}],"#
                + #""amount":{"currency":"EUR","value":"80.00"},"date":"2026-03-10","payment_id":"P2","reference":null,"#
                + #""unallocated":{"currency":"EUR","value":"10.00"}}"#)
    }

    @Test func aMessageSentNamesItsActionWithTheRecipientAndMessageID() {
        let entry = TimelineEvent.messageSent(
            actionID: 42, customerID: "C1", channel: .email, messageID: "<k@duly>", to: "ap@acme.example",
            confirmed: true, on: day)
        #expect(
            WebhookAnnouncement.of(entry) == [
                .action(id: 42, extra: ["recipient": "ap@acme.example", "message_id": "<k@duly>"])
            ])
    }

    @Test func anApprovedActionMayAnnounceAnEscalationBesideTheApproval() {
        let entry = TimelineEvent.approvalDecided(
            id: 7, customerID: "C1", approved: true, by: "mia", note: nil, on: day)
        let announced = WebhookAnnouncement.of(entry)
        #expect(announced == [.action(id: 7, extra: ["by": "mia"])])
        #expect(announced[0].possibleTypes(timelineKind: entry.kind) == [.actionApproved, .escalationApproved])
    }

    @Test func invoicesAddedInOneImportAnnounceOneCreationEach() {
        let invoices = ["INV-1", "INV-2"].map {
            Invoice(number: $0, customerID: "C1", issueDate: day, dueDate: day.adding(days: 30), total: euros(100_00))
        }
        #expect(
            WebhookAnnouncement.of(.invoicesAdded(customerID: "C1", invoices, on: day)) == [
                .invoiceCreated(invoiceNumber: "INV-1"), .invoiceCreated(invoiceNumber: "INV-2"),
            ])
    }

    @Test func anEntryNobodyOutsideIsToldOfAnnouncesNothing() {
        let hold = TimelineEvent(customerID: "C1", date: day, kind: .deliveryHeld, summary: "held", details: [:])
        #expect(WebhookAnnouncement.of(hold).isEmpty)
    }

    @Test func moneyTheTimelineWroteAsWordsIsNull() {
        #expect(WebhookData.money("whole invoice") == .null)
        #expect(WebhookData.money("EUR 12.50") == .money(euros(12_50)))
    }
}
