import Foundation
import Testing

// `duly report` and `duly export` end to end: the real binary on a real SQLite file, over a ledger whose figures are
// worked out by hand (the same as ReportTests' hand ledger, without its credit note: PAY-3 pays 200 more instead).

private let customersCSV = #"""
    customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email
    C1,Acme Trading,ap@acme.example,,NL,nl,Europe/Amsterdam,Anna,
    C2,"Smith, ""Jones"" & Co",billing@smith.example,,GB,en,Europe/London,Sam,
    C3,Globex Ltd,billing@globex.example,,GB,en,Europe/London,Grace,

    """#

private let invoicesCSV = #"""
    invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number
    INV-5,C1,2025-11-01,2025-12-01,EUR,700.00,net 30,
    INV-1,C1,2025-12-10,2026-01-09,EUR,1000.00,net 30,"PO 7, ""rush"""
    INV-2,C1,2026-01-15,2026-02-14,EUR,2000.00,net 30,
    INV-3,C2,2026-02-20,2026-03-22,EUR,1500.00,net 30,PO-3
    INV-4,C2,2026-03-15,2026-04-14,EUR,3000.00,net 30,
    G-1,C3,2026-02-01,2026-03-03,GBP,400.00,net 30,

    """#

private let paymentsCSV = """
    payment_id,customer_id,date,currency,amount,reference,invoice_number
    PAY-1,C1,2026-01-20,EUR,600.00,,INV-1
    PAY-2,C1,2026-02-15,EUR,400.00,,INV-1
    PAY-3,C1,2026-03-10,EUR,1700.00,,INV-2
    PAY-4,C2,2026-03-25,EUR,2400.00,,INV-4

    """

@Suite("duly report and duly export")
struct ReportCommandTests {
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
        ])
        try #require(created.status == 0, "\(created.errors)")
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV), ("payments", paymentsCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text)])
            try #require(imported.status == 0, "\(kind): \(imported.errors)")
        }
        return duly
    }

    @Test func kpisForTheFirstQuarterMatchTheHandComputation() throws {
        let duly = try ledger()
        let outcome = try duly.run(["report", "kpis", "--from", "2026-01-01", "--to", "2026-03-31", "--json"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any], "\(outcome.output)")
        #expect(report["days"] as? Int == 90)
        #expect(report["months"] as? Int == 3)
        #expect(report["cei_convention"] as? String == "average_monthly_sales")
        let currencies = try #require(report["currencies"] as? [[String: Any]])
        #expect(currencies.map { $0["currency"] as? String } == ["EUR", "GBP"])
        // Beginning AR: INV-5 700 + INV-1 1,000. Sales: 2,000 + 1,500 + 3,000. Ending: INV-5 700 + INV-2 300 +
        // INV-3 1,500 + INV-4 600. DSO 3,100/6,500 × 90; count-back 31 + 100/1,500 × 28; BPDSO 600/6,500 × 90;
        // ADD 2,500/6,500 × 90; CEI (3·1,700 + 6,500 − 3·3,100) / (3·1,700 + 6,500 − 3·600).
        let expected: [String: String] = [
            "beginning_ar": "1700.00", "credit_sales": "6500.00", "ending_ar": "3100.00", "current_ar": "600.00",
            "over_90_ar": "700.00", "dso": "42.92", "count_back_dso": "32.87", "best_possible_dso": "8.31",
            "add": "34.62", "cei": "23.47", "percent_current": "19.35", "percent_over_90": "22.58",
        ]
        for (key, value) in expected { #expect(currencies[0][key] as? String == value, "EUR \(key)") }
        // GBP on its own: 400 issued and open; its CEI is what the formula gives for a quarter that collected nothing.
        #expect(currencies[1]["dso"] as? String == "90.00")
        #expect(currencies[1]["beginning_ar"] as? String == "0.00")
        #expect(currencies[1]["cei"] as? String == "-200.00")
    }

    @Test func asOfAQuartersLastDayIsThatQuarter() throws {
        let duly = try ledger()
        let outcome = try duly.run(["report", "kpis", "--as-of", "2026-03-31", "--csv"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.lines.first?.hasPrefix("currency,from,to,days,months,beginning_ar,ending_ar") == true)
        #expect(
            outcome.lines.contains(
                "EUR,2026-01-01,2026-03-31,90,3,1700.00,3100.00,600.00,700.00,6500.00,42.92,32.87,8.31,34.62,23.47,"
                    + "19.35,22.58"), "\(outcome.output)")
        let dso = try duly.run(["report", "dso", "--as-of", "2026-03-31", "--csv"])
        #expect(dso.lines.contains("EUR,2026-01-01,2026-03-31,90,3100.00,6500.00,42.92,32.87"), "\(dso.output)")
    }

    @Test func collectedIsSplitByTheStageAtPaymentAndTheLastContact() throws {
        let duly = try ledger()
        let outcome = try duly.run(["report", "collected", "--from", "2026-01-01", "--to", "2026-03-31", "--csv"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        // PAY-1 11 days late and PAY-3 24 days late: delayed; PAY-2 37 days late: non_payment (from 30 days in the
        // standard playbook); PAY-4 before the due date. Duly contacted nobody: channel none.
        #expect(
            outcome.lines == [
                "currency,stage,channel,amount,allocations", "EUR,pre_due,none,2400.00,1",
                "EUR,delayed,none,2300.00,2", "EUR,non_payment,none,400.00,1",
            ], "\(outcome.output)")
    }

    @Test func agingAtAPastDateShowsTheBalancesOfThatDate() throws {
        let duly = try ledger()
        // On 2026-02-10: INV-1 had 400 open (PAY-2 came on 02-15), 32 days late; INV-5 71 days late; INV-2 and G-1
        // not yet due; INV-3 and INV-4 not yet issued.
        let outcome = try duly.run(["report", "aging", "--as-of", "2026-02-10", "--csv"])
        #expect(
            outcome.lines == [
                "currency,current,1-30,31-60,61-90,90+,total", "EUR,2000.00,0.00,400.00,700.00,0.00,3100.00",
                "GBP,400.00,0.00,0.00,0.00,0.00,400.00",
            ], "\(outcome.output)")
    }

    @Test func promisesWithoutOutcomesHaveNoRate() throws {
        let duly = try ledger()
        let outcome = try duly.run(["report", "promises", "--as-of", "2026-03-31", "--json"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        let overall = try #require(report["overall"] as? [String: Any])
        #expect(overall["kept"] as? Int == 0)
        #expect(overall["kept_rate"] is NSNull)
        #expect(report["grace_days"] as? Int == 3)
    }

    @Test func jsonAndCSVTogetherAndHalfAPeriodAreRefusedClearly() throws {
        let duly = try ledger()
        let both = try duly.run(["report", "kpis", "--json", "--csv"])
        #expect(both.status == 64)
        #expect(both.errors.contains("choose one of --json and --csv"), "\(both.errors)")
        let half = try duly.run(["report", "collected", "--from", "2026-01-01"])
        #expect(half.status == 64)
        #expect(half.errors.contains("--from and --to go together"), "\(half.errors)")
        let mixed = try duly.run([
            "report", "dso", "--as-of", "2026-03-31", "--from", "2026-01-01", "--to", "2026-03-31",
        ])
        #expect(mixed.status == 64)
        let exportBoth = try duly.run(["export", "invoices", "--json", "--csv"])
        #expect(exportBoth.status == 64)
    }

    @Test func exportedInvoicesReadBackAsImported() throws {
        let duly = try ledger()
        let outcome = try duly.run(["export", "invoices", "--csv"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let records = try #require(parseCSV(outcome.output))
        let header = records[0]
        #expect(
            header == [
                "invoice_number", "customer_id", "customer_name", "issue_date", "due_date", "currency", "total", "paid",
                "credited", "open", "terms", "po_number",
            ])
        let exported = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        let imported = try #require(parseCSV(invoicesCSV))
        let importedRows = imported.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(imported[0], $0)) }
        #expect(exported.count == importedRows.count)
        for row in importedRows {
            let match = try #require(exported.first { $0["invoice_number"] == row["invoice_number"] })
            for column in ["customer_id", "issue_date", "due_date", "currency", "total", "terms", "po_number"] {
                #expect(match[column] == row[column], "\(row["invoice_number"]!) \(column)")
            }
        }
        let smith = try #require(exported.first { $0["invoice_number"] == "INV-3" })
        #expect(smith["customer_name"] == "Smith, \"Jones\" & Co")
        let four = try #require(exported.first { $0["invoice_number"] == "INV-4" })
        #expect([four["paid"], four["open"], four["credited"]] == ["2400.00", "600.00", "0.00"])
        #expect(exported.first { $0["invoice_number"] == "INV-1" }?["po_number"] == "PO 7, \"rush\"")
    }

    @Test func exportsWriteJSONArraysAndFiles() throws {
        let duly = try ledger()
        let path = duly.folder.appendingPathComponent("invoices.json").path
        let written = try duly.run(["export", "invoices", "--json", "--customer", "C2", "--out", path])
        #expect(written.status == 0, "\(written.errors)")
        #expect(written.output.isEmpty)
        let data = try #require(FileManager.default.contents(atPath: path))
        let invoices = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(invoices.map { $0["invoice_number"] as? String } == ["INV-3", "INV-4"])
        #expect(invoices[0]["customer_name"] as? String == "Smith, \"Jones\" & Co")
        #expect(invoices[0]["po_number"] as? String == "PO-3")
        #expect(invoices[1]["po_number"] is NSNull)

        let timeline = try duly.run(["export", "timeline", "--json", "--customer", "C1"])
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(timeline.output.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["sequence"] as? Int } == Array(1...entries.count).map { $0 })
        #expect(entries.allSatisfy { $0["customer_id"] as? String == "C1" && $0["details"] is [String: String] })

        _ = try duly.run(["run", "--as-of", "2026-03-31"])
        let actions = try duly.run(["export", "actions", "--csv"])
        let rows = try #require(parseCSV(actions.output))
        #expect(rows[0].first == "action_id")
        #expect(rows.count > 1, "\(actions.output)")
        // Each action's invoices with their own steps, as a JSON object in one field.
        let stepsColumn = try #require(rows[0].firstIndex(of: "invoice_steps"))
        let steps = try JSONSerialization.jsonObject(with: Data(rows[1][stepsColumn].utf8)) as? [String: String]
        #expect(steps?.isEmpty == false, "\(rows[1])")
        // A customer that does not exist is said to be so, never exported as an empty list.
        let unknown = try duly.run(["export", "actions", "--json", "--customer", "C404"])
        #expect(unknown.status != 0)
        #expect(unknown.output.isEmpty)
        #expect(unknown.errors.contains("no customer 'C404'"))
    }
}

/// Reads RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Nil when a quote is left open.
private func parseCSV(_ text: String) -> [[String]]? {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = scalars.next()
    while let scalar = pending {
        pending = scalars.next()
        if quoted {
            if scalar == "\"" {
                if pending == "\"" {
                    field.unicodeScalars.append("\"")
                    pending = scalars.next()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(scalar)
            }
            continue
        }
        switch scalar {
        case "\"": quoted = true
        case ",":
            record.append(field)
            field = ""
        case "\n":
            record.append(field)
            records.append(record)
            record = []
            field = ""
        case "\r": continue
        default: field.unicodeScalars.append(scalar)
        }
    }
    if quoted { return nil }
    if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
    return records
}
