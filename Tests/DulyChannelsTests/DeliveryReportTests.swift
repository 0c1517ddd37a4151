import Testing

@testable import DulyChannels

/// How a delivery pass sums up its temporary failures: one line per cause, not one per message.
@Suite struct DeliveryReportTests {
    @Test func theSameCauseQuotingEachRecipientReadsAsOneReason() {
        let first = RetryReason.generalised(
            "ann@acme.example refused: temporary SMTP failure: 451 4.7.1 <ann@acme.example>: greylisted",
            recipients: ["Ann@Acme.example"])
        let second = RetryReason.generalised(
            "bo@globex.example refused: temporary SMTP failure: 451 4.7.1 <bo@globex.example>: greylisted",
            recipients: ["bo@globex.example"])
        #expect(first == "recipient refused: temporary SMTP failure: 451 4.7.1 <…>: greylisted")
        #expect(first == second)
    }

    @Test func retriesGroupByReasonWithTheMostMessagesFirst() {
        var report = DeliveryReport()
        let dropped = "SMTP connection failure: the server closed the connection"
        let greylisted = "temporary SMTP failure: 451 4.7.1 <…>: greylisted"
        report.recordRetry(DeliveryFailure(actionID: 1, customerID: "C1", reason: dropped), reason: dropped)
        for id in Int64(2)...4 {
            report.recordRetry(
                DeliveryFailure(actionID: id, customerID: "C\(id)", reason: "451 for C\(id)"), reason: greylisted)
        }
        report.recordRetry(DeliveryFailure(actionID: 5, customerID: "C5", reason: "421"), reason: "421 busy")
        #expect(report.retrying == 5)
        #expect(report.retryReasons.map(\.reason) == [greylisted, dropped, "421 busy"])
        #expect(report.retryReasons[0].messages.map(\.actionID) == [2, 3, 4])
        #expect(report.retryReasons[0].messages[0].reason == "451 for C2", "each message keeps its exact reason")
    }
}
