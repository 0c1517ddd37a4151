import DulyCore
import Testing

@Suite struct TimelineKindTests {
    static let day = LocalDate(iso: "2026-03-10")!

    // Entries as the constructors write them, each beside the kind's text as chains already stored hold it.
    static let written: [(event: TimelineEvent, text: String)] = [
        (.approvalDecided(id: 3, customerID: "C1", approved: false, by: "mia", note: nil, on: day), "action_rejected"),
        (.actionStatusChanged(id: 3, customerID: "C1", to: .awaitingApproval, on: day), "action_awaiting_approval"),
        (
            .deliveryFailed(actionID: 3, customerID: "C1", error: "busy", permanent: false, on: day),
            "delivery_deferred"
        ),
        (
            .taskCompleted(actionID: 4, customerID: "C1", channel: .meeting, outcome: "reached", note: nil, on: day),
            "meeting_logged"
        ),
        (.paymentRefused(customerID: "C1", on: day, note: nil), "payment_refused"),
        (
            .creditNoteRecorded(
                id: "CN-1", customerID: "C1", invoiceNumber: "INV-1",
                amount: Money(minorUnits: 10_00, currency: Currency(code: "EUR")!), on: day),
            "credit_note_recorded"
        ),
    ]

    @Test func eachConstructorWritesTheKindTextStoredChainsHold() {
        for (event, text) in Self.written {
            #expect(event.kind.rawValue == text)
        }
    }

    @Test func aChainWrittenWithTypedKindsHashesAsTheSameChainWrittenAsText() {
        // Given the chain as an earlier version wrote it, kinds as text
        var stored: [TimelineEntry] = []
        var typed: [TimelineEntry] = []
        for (event, text) in Self.written {
            stored.append(
                TimelineEntry(
                    after: stored.last, customerID: event.customerID, date: event.date,
                    recordedAt: "2026-03-10T09:00:00Z", kind: text, summary: event.summary, details: event.details))
            typed.append(
                TimelineEntry(
                    after: typed.last, customerID: event.customerID, date: event.date,
                    recordedAt: "2026-03-10T09:00:00Z", kind: event.kind.rawValue, summary: event.summary,
                    details: event.details))
        }
        // Then it still verifies, reads back as the typed kinds, and the typed chain is the same chain
        #expect(TimelineVerifier.verify(stored) == .valid(entries: Self.written.count))
        #expect(stored.map(\.timelineKind) == Self.written.map(\.event.kind))
        #expect(typed.map(\.hash) == stored.map(\.hash))
    }

    @Test func aKindThisVersionDoesNotKnowIsKeptAsText() {
        let entry = TimelineEntry(
            after: nil, customerID: "C1", date: Self.day, recordedAt: "2026-03-10T09:00:00Z", kind: "invoice_added",
            summary: "Invoice INV-1 added")
        #expect(entry.timelineKind == nil)
        #expect(entry.kind == "invoice_added")
        #expect(TimelineVerifier.verify([entry]) == .valid(entries: 1))
    }

    @Test(arguments: ActionStatus.allCases)
    func anActionsKindIsItsStatusAfterAction(status: ActionStatus) {
        #expect(TimelineKind.action(status).rawValue == "action_\(status.rawValue)")
    }

    @Test(arguments: CreditNote.Kind.allCases)
    func anAdjustmentsKindIsItsKindAndRecorded(kind: CreditNote.Kind) {
        #expect(TimelineKind.recorded(kind).rawValue == "\(kind.rawValue)_recorded")
    }
}
