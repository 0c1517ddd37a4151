import Foundation
import Testing

/// Under the built-in playbook's one contact a week, the reminder before an instalment the client agreed to is still
/// planned and sent, whatever else the client heard that week.
@Suite struct PlanReminderDeliveryTests {
    @Test func theInstalmentReminderGoesOutInAWeekAlreadySpokenFor() throws {
        // Given a client on a plan for INV-1 (one instalment on Friday 13 March) who got INV-2's due-day notice on
        // Friday 6 March
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-07", due: "2026-02-06")
        let second =
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
            + "INV-2,C1,2026-02-04,2026-03-06,EUR,100.00,,\n"
        try #require(try duly.run(["import", "invoices", try duly.write("i2.csv", second)]).status == 0)
        let proposed = try duly.run([
            "plan", "propose", "C1", "--invoice", "INV-1", "--instalment", "2026-03-13=100.00", "--proposed-by",
            "client", "--as-of", "2026-03-02",
        ])
        try #require(proposed.status == 0, "\(proposed.errors)")
        try #require(try duly.run(["plan", "accept", "PLN-C1-2026-03-02", "--as-of", "2026-03-02"]).status == 0)
        try #require(try duly.run(["run", "--as-of", "2026-03-06"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-06"]).output.contains("1 sent"))

        // When Tuesday 10 March, three days before the instalment, is run and delivered
        let tuesday = try duly.run(["run", "--as-of", "2026-03-10", "--json"])

        // Then the reminder is planned and sent, while INV-2's follow-up waits for the week's room
        #expect(tuesday.output.contains("\"step\":\"instalment_reminder\""), "\(tuesday.output)")
        #expect(!tuesday.output.contains("first_follow_up"))
        let delivered = try duly.run(["deliver", "--as-of", "2026-03-10"])
        #expect(delivered.output.contains("1 sent"), "\(delivered.output)")
    }
}
