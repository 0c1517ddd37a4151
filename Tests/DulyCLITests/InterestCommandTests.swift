import Foundation
import Testing

// `duly interest` end to end: the real binary, a real SQLite file, numbers checked against hand computations.

private let customersCSV = """
    customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
    C1,Initech GmbH,rechnung@initech.example,,DE,de,Europe/Berlin,Jonas,

    """

// INV-1: EUR 10,000 due 15 Dec 2024, unpaid. INV-2: EUR 2,000 due 31 Jan 2025, EUR 500 paid 15 Feb 2025.
// INV-3: due in the future on the as-of date.
private let invoicesCSV = """
    invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
    INV-1,C1,2024-11-15,2024-12-15,EUR,10000.00,net 30,
    INV-2,C1,2025-01-01,2025-01-31,EUR,2000.00,net 30,
    INV-3,C1,2025-01-20,2025-02-19,EUR,100.00,net 30,

    """

private let paymentsCSV = """
    payment_id,customer_id,date,currency,amount,reference,invoice_number
    PAY-1,C1,2025-02-15,EUR,500.00,INV-2,INV-2

    """

@Suite("duly interest")
struct InterestCommandTests {
    private func ledger(country: String = "DE") throws -> DulyProcess {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", country, "--timezone", "Europe/Berlin",
        ])
        #expect(created.status == 0, "\(created.errors)")
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV), ("payments", paymentsCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text)])
            #expect(imported.status == 0, "\(kind): \(imported.errors)")
        }
        return duly
    }

    private func object(_ outcome: DulyProcess.Outcome) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
    }

    // docs/DOMAIN.md, DE-1, DE-4, "Reference rates" — by hand: 16–31 Dec 2024, 16 days at 3.37 + 9 = 12.37 % on
    // /366 = 54.0765…; 1–31 Jan 2025, 31 days at 2.27 + 9 = 11.27 % on /365 = 95.7178…; 149.7943… → EUR 149.79;
    // Pauschale EUR 40.
    @Test func germanInterestSplitAtNewYearWithTheWorkingInJSON() throws {
        let duly = try ledger()
        let outcome = try duly.run(["interest", "INV-1", "--as-of", "2025-01-31", "--json"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let json = try object(outcome)
        #expect(json["regime"] as? String == "DE")
        #expect(json["legal_basis"] as? String == "§ 288 Abs. 2 BGB")
        #expect(json["rate_percent"] as? String == "11.27")
        #expect(json["rate_varies"] as? Bool == true)
        #expect(json["days"] as? Int == 47)
        #expect(json["interest"] as? String == "149.79")
        #expect(json["compensation"] as? String == "40.00")
        #expect(json["currency"] as? String == "EUR")
        #expect(json["principal"] as? String == "10000.00")
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.map { $0["rate_percent"] as? String } == ["12.37", "11.27"])
        #expect(segments.map { $0["days"] as? Int } == [16, 31])
        #expect(segments.map { $0["interest_exact"] as? String } == ["54.076503", "95.717808"])
    }

    // A part payment: by hand, 1–15 Feb 2025 on EUR 2,000 and 16 Feb–2 Mar on EUR 1,500, 15 days each, at
    // 2.27 + 9 = 11.27 % /365: (2000 + 1500) × 15 × 11.27 % / 365 = 16.2102… → EUR 16.21.
    @Test func interestRunsOnTheBalanceActuallyUnpaid() throws {
        let duly = try ledger()
        let json = try object(try duly.run(["interest", "INV-2", "--as-of", "2025-03-02", "--json"]))
        #expect(json["interest"] as? String == "16.21")
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.map { $0["principal"] as? String } == ["2000.00", "1500.00"])
    }

    @Test func anInvoiceNotYetDueHasZeroDaysAndSaysSo() throws {
        let duly = try ledger()
        let json = try object(try duly.run(["interest", "INV-3", "--as-of", "2025-02-01", "--json"]))
        #expect(json["days"] as? Int == 0)
        #expect(json["interest"] as? String == "0.00")
        #expect(json["compensation"] == nil, "no fixed sum before anything is late")
        let text = try duly.run(["interest", "INV-3", "--as-of", "2025-02-01"])
        #expect(text.status == 0)
        #expect(text.output.contains("0 days"), "\(text.output)")
        #expect(text.output.contains("not late"), "\(text.output)")
    }

    // A contract rate overrides: 10,000 × 5 % × 47 / 365 (the German day basis: 16/366 + 31/365 for act/act).
    // By hand: 10000 × 5 % × (16/366 + 31/365) = 21.8579… + 42.4657… = 64.3236… → EUR 64.32.
    @Test func aContractRateOverridesAndTheHumanOutputShowsTheWorking() throws {
        let duly = try ledger()
        let json = try object(
            try duly.run(["interest", "INV-1", "--as-of", "2025-01-31", "--contract-rate", "5", "--json"]))
        #expect(json["contractual"] as? Bool == true)
        #expect(json["rate_percent"] as? String == "5.00")
        #expect(json["interest"] as? String == "64.32")
        let text = try duly.run(["interest", "INV-1", "--as-of", "2025-01-31"])
        #expect(text.output.contains("2024-12-16  2024-12-31"), "\(text.output)")
        #expect(text.output.contains("EUR 149.79"))
        #expect(text.output.contains("EUR 40.00"))
    }

    // docs/DOMAIN.md, "Reference rates": 2026 H2 is not published; the command says which half-year and how to add it,
    // and a rate file beside the database (or --rates) supplies it.
    @Test func aMissingHalfYearIsNamedAndARateFileSuppliesIt() throws {
        let duly = try ledger()
        let missing = try duly.run(["interest", "INV-1", "--as-of", "2026-07-10"])
        #expect(missing.status != 0)
        #expect(missing.errors.contains("2026 H2"), "\(missing.errors)")
        #expect(missing.errors.contains("DE,2026-07-01,RATE"), "\(missing.errors)")

        _ = try duly.write("rates.csv", "reference,valid_from,rate_percent\nDE,2026-07-01,1.27\n")
        let found = try duly.run(["interest", "INV-1", "--as-of", "2026-07-10", "--json"])
        #expect(found.status == 0, "\(found.errors)")
        #expect(try object(found)["rate_percent"] as? String == "10.27")

        let bad = try duly.write("bad-rates.csv", "reference,valid_from,rate_percent\nDE,2026-07-02,1.27\n")
        let refused = try duly.run(["interest", "INV-1", "--as-of", "2026-07-10", "--rates", bad])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("bad-rates.csv:2:2: valid_from:"), "\(refused.errors)")
    }

    @Test func aCountryWithoutAStatutoryRegimeIsTold() throws {
        let duly = try ledger(country: "US")
        let outcome = try duly.run(["interest", "INV-1", "--as-of", "2025-01-31"])
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("no statutory late-payment interest for country 'US'"), "\(outcome.errors)")
        let chosen = try duly.run(["interest", "INV-1", "--as-of", "2025-01-31", "--regime", "DE", "--json"])
        #expect(try object(chosen)["interest"] as? String == "149.79")
    }

    @Test func anUnknownInvoiceIsAnError() throws {
        let duly = try ledger()
        let outcome = try duly.run(["interest", "NOPE", "--as-of", "2025-01-31"])
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("no invoice 'NOPE'"))
    }
}
