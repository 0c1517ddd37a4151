import Foundation
import Testing

/// Item 15 of issue 9: the small things a credit controller reads every day, each as the issue describes it.
@Suite("What a user reads every day")
struct EverydayOutputTests {
    private func jsonLines(_ outcome: DulyProcess.Outcome) throws -> [[String: Any]] {
        try outcome.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// Two clients: C1 with F-4, F-9 and F-10 (EUR 100.00 each, F-10 overdue first), C2 with nothing.
    private func ledger() throws -> DulyProcess {
        try DulyProcess.studio(
            customers: [
                "C1,Acme,ap@acme.example,,NL,en,Europe/Amsterdam,Ann,",
                "C2,Bolt,ap@bolt.example,,DE,de,Europe/Berlin,Bob,",
            ],
            invoices: [
                "F-10,C1,2026-01-01,2026-01-31,EUR,100.00,net 30,", "F-4,C1,2026-01-02,2026-02-01,EUR,100.00,net 30,",
                "F-9,C1,2026-02-02,2026-03-04,EUR,100.00,net 30,",
            ])
    }

    // MARK: - customers

    @Test func customersListsEveryCustomerWithWhatIsOpen() throws {
        let duly = try ledger()
        let listed = try duly.run(["customers", "--as-of", "2026-02-20"])
        #expect(listed.status == 0, "\(listed.errors)")
        let acme = try #require(listed.lines.first { $0.hasPrefix("C1") })
        #expect(acme.contains("Acme"))
        #expect(acme.contains("ap@acme.example"))
        #expect(acme.contains("EUR 300.00"))
        #expect(acme.contains("1 pre due, 2 delayed"))
        #expect(listed.lines.contains { $0.hasPrefix("C2") && $0.contains("Bolt") && $0.contains("DE") })
        #expect(listed.output.contains("2 customers, 3 open invoices."))
    }

    @Test func customersInJSONGiveOneObjectEach() throws {
        let duly = try ledger()
        let objects = try jsonLines(try duly.run(["customers", "--json", "--as-of", "2026-02-20"]))
        #expect(objects.map { $0["id"] as? String } == ["C1", "C2"])
        #expect(objects[0]["open"] as? [String: String] == ["EUR": "300.00"])
        #expect(objects[0]["open_invoices"] as? Int == 3)
        #expect(objects[0]["stages"] as? [String: Int] == ["delayed": 2, "pre_due": 1])
        #expect(objects[1]["language"] as? String == "de")
        #expect(objects[1]["open_invoices"] as? Int == 0)
    }

    // MARK: - invoices

    @Test func oneCustomersInvoicesHaveTheStagesTheWholeListingGivesThem() throws {
        let duly = try ledger()
        let everyone = try jsonLines(try duly.run(["invoices", "--json", "--as-of", "2026-02-20"]))
        let acme = try jsonLines(try duly.run(["invoices", "--json", "--customer", "C1", "--as-of", "2026-02-20"]))
        #expect(acme.map { $0["invoice_number"] as? String } == ["F-4", "F-9", "F-10"])
        #expect(acme.map { $0["stage"] as? String } == ["delayed", "pre_due", "delayed"])
        #expect(
            acme.map { $0["stage"] as? String }
                == everyone.filter { $0["customer_id"] as? String == "C1" }
                .map { $0["stage"] as? String })
    }

    @Test func invoicesOfAnUnknownCustomerSayTheCustomerDoesNotExist() throws {
        let duly = try ledger()
        let listed = try duly.run(["invoices", "--customer", "C99", "--as-of", "2026-03-02"])
        #expect(listed.status != 0)
        #expect(listed.errors.contains("no customer 'C99'"))
        #expect(!listed.output.contains("No invoices."))
    }

    @Test(arguments: [
        ["promise", "list"], ["plan", "list"], ["dispute", "list"], ["export", "invoices"], ["export", "actions"],
        ["export", "timeline"],
    ])
    func everyListingFilteredByAnUnknownCustomerSaysTheCustomerDoesNotExist(_ command: [String]) throws {
        let duly = try ledger()
        var arguments = command + ["--customer", "C99"]
        if command.first != "export" { arguments += ["--as-of", "2026-03-02"] }
        let listed = try duly.run(arguments)
        #expect(listed.status != 0, "\(listed.output)")
        #expect(listed.errors.contains("no customer 'C99'"), "\(listed.errors)")
        #expect(listed.output.isEmpty, "nothing listed as if the customer merely had no records")
    }

    @Test func invoicesOfAKnownCustomerWithoutInvoicesSayNoInvoices() throws {
        let duly = try ledger()
        let listed = try duly.run(["invoices", "--customer", "C2", "--as-of", "2026-03-02"])
        #expect(listed.status == 0)
        #expect(listed.output.contains("No invoices."))
    }

    @Test func invoicesAreListedInTheNaturalOrderOfTheirNumbers() throws {
        let duly = try ledger()
        let listed = try jsonLines(try duly.run(["invoices", "--json", "--as-of", "2026-03-02"]))
        #expect(listed.map { $0["invoice_number"] as? String } == ["F-4", "F-9", "F-10"])
    }

    // MARK: - timeline

    @Test func theTimelineListsByDateInWordsAndStillVerifies() throws {
        // Given a run on 9 March, then a payment dated 5 March imported afterwards
        let duly = try ledger()
        try #require(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        let payments = try duly.write(
            "p.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\nPAY-1,C1,2026-03-05,EUR,10.00,,F-4\n"
        )
        try #require(try duly.run(["import", "payments", payments]).status == 0)

        // When the timeline is shown
        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.status == 0, "\(timeline.errors)")

        // Then dates never go backwards, the payment sits at its own date, and steps read as words
        let dates = timeline.lines.map { String($0.prefix(10)) }
        #expect(dates == dates.sorted())
        let payment = try #require(timeline.lines.firstIndex { $0.contains("Payment PAY-1") })
        let planned = try #require(timeline.lines.firstIndex { $0.hasPrefix("2026-03-09") })
        #expect(payment < planned)
        #expect(timeline.output.contains("follow up"))
        #expect(!timeline.output.contains("_follow_up"))
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
    }

    // MARK: - disputes

    @Test func resolvedDisputesAreListedWithTheirOutcomeUnlessOnlyOpenOnesAreAsked() throws {
        let duly = try ledger()
        try #require(
            try duly.run([
                "dispute", "open", "F-4", "--reason", "late delivery", "--id", "DSP-A", "--as-of", "2026-03-02",
            ]).status == 0)
        try #require(
            try duly.run([
                "dispute", "open", "F-10", "--reason", "wrong rate", "--id", "DSP-B", "--as-of", "2026-03-02",
            ]).status == 0)
        try #require(
            try duly.run(["dispute", "resolve", "DSP-A", "--outcome", "rejected", "--as-of", "2026-03-05"]).status == 0)

        let all = try duly.run(["dispute", "list", "--as-of", "2026-03-06"])
        #expect(all.lines.contains { $0.hasPrefix("DSP-A") && $0.contains("rejected on 2026-03-05") })
        #expect(all.lines.contains { $0.hasPrefix("DSP-B") && $0.hasSuffix("open") })
        let open = try duly.run(["dispute", "list", "--open", "--as-of", "2026-03-06"])
        #expect(!open.output.contains("DSP-A"))
        #expect(open.output.contains("DSP-B"))
    }

    // MARK: - KPIs

    @Test func aNegativeCEIIsExplainedNotLeftBare() throws {
        // Three months with F-10 and F-4 overdue and unpaid, none at the start: AR grows by more than one month's
        // average sales, so CRF's formula reads below zero.
        let duly = try ledger()
        let kpis = try duly.run(["report", "kpis", "--from", "2026-01-01", "--to", "2026-03-31"])
        #expect(kpis.status == 0, "\(kpis.errors)")
        let line = try #require(kpis.lines.first { $0.hasPrefix("CEI (EUR)") })
        #expect(line.contains("is below 0 %"))
        #expect(line.contains("AR at the end is more than AR at the start plus credit sales / 3 months"))
        let json = try duly.run(["report", "kpis", "--from", "2026-01-01", "--to", "2026-03-31", "--json"])
        #expect(json.output.contains("\"cei_note\""))
    }

    // MARK: - demo

    @Test func theDemoSuggestsInterestOnlyOnADateItWorksOn() throws {
        // In December 2026 NW-0988's interest needs the 2026 H2 rate, past the built-in ones: no failing hint.
        let duly = try DulyProcess()
        let december = try duly.run(["demo", "--as-of", "2026-12-04", "--history", "5"])
        #expect(december.status == 0, "\(december.errors)")
        #expect(!december.output.contains("swift run duly interest"))
        #expect(december.output.contains("`ECB,2026-07-01,RATE`"))
        // In March 2026 the built-in rates cover it: the hint is there, and the command it suggests works.
        let march = try duly.run(["demo", "--as-of", "2026-03-09", "--history", "5"])
        #expect(march.output.contains("swift run duly interest NW-0988"))
        #expect(try duly.run(["interest", "NW-0988", "--org", "demo", "--as-of", "2026-03-09"]).status == 0)
    }

    // MARK: - counts

    @Test func countsOfOneReadInTheSingular() throws {
        let duly = try ledger()
        let run = try duly.run(["run", "--as-of", "2026-02-03"])
        #expect(run.output.contains("1 account, planned 1 action,"), "\(run.output)")
        let kpis = try duly.run(["report", "kpis", "--from", "2026-01-01", "--to", "2026-01-31"])
        #expect(kpis.output.contains("(31 days, 1 month)"))
        let payments = try duly.write(
            "one.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\nPAY-9,C1,2026-03-05,EUR,10.00,,F-4\n"
        )
        #expect(try duly.run(["import", "payments", payments]).output.contains("1 row of payments"))
    }
}
