import DulyCore
import Foundation
import Testing

@Suite struct WebhookEventTests {
    @Test(arguments: [
        ("payments_recorded", false, ["payment.received"]),
        ("payment_recorded", false, ["payment.received"]),
        ("payment_matched", false, ["payment.matched"]),
        ("message_sent", false, ["action.sent"]),
        ("action_sent", false, ["action.sent"]),
        ("action_approved", false, ["action.approved"]),
        ("action_approved", true, ["action.approved", "escalation.approved"]),
        ("write_off_recorded", false, ["invoice.written_off"]),
        ("settlement_recorded", false, ["invoice.settled"]),
        ("dispute_opened", false, ["dispute.opened"]),
        ("delivery_deferred", false, []),
        ("call_logged", false, []),
    ])
    func timelineKindsMapToPublicEvents(kind: String, escalation: Bool, expected: [String]) {
        #expect(
            WebhookEventType.types(forTimelineKind: TimelineKind(rawValue: kind)!, escalation: escalation).map(
                \.rawValue) == expected)
    }

    @Test func theBodyIsTheEnvelopeAroundTheRecordedData() throws {
        let event = WebhookEvent(
            sequence: 42, type: .paymentReceived, organisationID: "acme", customerID: "C\"1",
            occurredOn: LocalDate(iso: "2026-03-02")!, recordedAt: "2026-03-02T08:00:00Z",
            data: JSONValue.object(["amount": .money(Money(minorUnits: 1250, currency: Currency(code: "EUR")!))]).text)
        let text = String(decoding: event.body, as: UTF8.self)
        #expect(
            text
                == #"{"id":"evt_42","type":"payment.received","organisation":"acme","customer_id":"C\"1","#
                + #""occurred_on":"2026-03-02","recorded_at":"2026-03-02T08:00:00Z","#
                + #""data":{"amount":{"currency":"EUR","value":"12.50"}}}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(event.body)) is [String: Any])
        #expect(WebhookEvent.sequence(fromID: "evt_42") == 42)
        #expect(WebhookEvent.sequence(fromID: "42") == 42)
        #expect(WebhookEvent.sequence(fromID: "evt_x") == nil)
    }

    @Test func retriesBackOffExponentiallyWithABoundedDeterministicJitter() {
        let policy = WebhookRetryPolicy(firstDelay: 60, maximumDelay: 3600, maximumAttempts: 8)
        for (attempt, base) in [(1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600)] {
            let next = policy.nextAttempt(afterAttempt: attempt, deliveryID: 7, now: 1_000)!
            #expect(next >= 1_000 + Int64(base) && next <= 1_000 + Int64(base + base / 10), "attempt \(attempt)")
            #expect(next == policy.nextAttempt(afterAttempt: attempt, deliveryID: 7, now: 1_000))
        }
        #expect(policy.nextAttempt(afterAttempt: 8, deliveryID: 7, now: 1_000) == nil)
        // Different deliveries failing together spread out.
        let spread = Set((1...50).map { policy.nextAttempt(afterAttempt: 3, deliveryID: Int64($0), now: 0)! })
        #expect(spread.count > 5)
    }
}
