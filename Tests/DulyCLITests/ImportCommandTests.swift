import Foundation
import Testing

// `duly import` end to end: every problem of a file in one pass, European spreadsheets, postal addresses, and where
// a payment's money went. The real `duly` binary against a real SQLite file.

private let customersCSV = """
    customer_id,name,email,country,address_line1,postal_code,city,title
    C1,Brightwave Ltd,ap@brightwave.example,GB,1 High Street,SW1A 1AA,London,Mr
    C2,Café Müller,rechnung@cafe-mueller.example,DE,Domstraße 1,50668,Köln,

    """

private let invoicesCSV = """
    invoice_number,customer_id,issue_date,due_date,currency,total
    INV-1,C1,2026-09-01,2026-10-01,EUR,1180.00
    INV-2,C1,2026-09-05,2026-10-05,USD,300.00
    INV-3,C2,2026-09-10,2026-10-10,EUR,200.00

    """

@Suite("duly import")
struct ImportCommandTests {
    private func ledger() throws -> DulyProcess {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
        ])
        try #require(created.status == 0, "\(created.errors)")
        for (kind, text) in [("customers", customersCSV), ("invoices", invoicesCSV)] {
            let imported = try duly.run(["import", kind, try duly.write("\(kind).csv", text), "--as-of", "2026-10-15"])
            try #require(imported.status == 0, "\(kind): \(imported.errors)")
        }
        return duly
    }

    private func invoiceNumbers(_ duly: DulyProcess) throws -> [String] {
        let listed = try duly.run(["invoices", "--json", "--as-of", "2026-10-15"])
        return try listed.lines.compactMap {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["invoice_number"] as? String
        }
    }

    // Six rows with bad values and one naming a customer Duly does not have.
    private let sevenProblems = """
        invoice_number,customer_id,issue_date,due_date,currency,total
        INV-10,C1,2026-10-01,2026-10-31,EUR,10.00
        INV-11,C1,2026-02-30,2026-10-31,EUR,10.00
        INV-12,C1,2026-10-01,2026-10-31,EUX,10.00
        INV-13,C1,2026-10-01,2026-10-31,EUR,0.00
        INV-14,C9,2026-10-01,2026-10-31,EUR,10.00
        INV-15,,2026-10-01,2026-10-31,EUR,10.00
        INV-16,C1,2026-10-01,2026-09-01,EUR,10.00
        INV-17,C1,2026-10-01,2026-10-31,EUR,10.005

        """

    @Test func badRowsAndAnUnknownCustomerAreReportedTogetherInFileOrder() throws {
        let duly = try ledger()
        let file = try duly.write("seven.csv", sevenProblems)
        let outcome = try duly.run(["import", "invoices", file, "--as-of", "2026-10-15"])
        #expect(outcome.status == 65)
        let located = outcome.errors.split(separator: "\n").filter { $0.hasPrefix(file + ":") }.map {
            String($0.dropFirst(file.count + 1).prefix { $0 != " " })
        }.filter { !$0.isEmpty }
        #expect(located == ["3:3:", "4:5:", "5:6:", "6:2:", "7:2:", "8:4:", "9:6:"], "\(outcome.errors)")
        #expect(outcome.errors.contains("\(file):6:2: customer_id: no customer 'C9' (import customers first)"))
        #expect(
            outcome.errors.contains(
                "7 problems in 7 of 8 rows (6 with bad values, 1 unknown customer); nothing was imported"),
            "\(outcome.errors)")
        #expect(try !invoiceNumbers(duly).contains("INV-10"))
    }

    @Test func skipInvalidSkipsTheUnknownCustomerToo() throws {
        let duly = try ledger()
        let file = try duly.write("seven.csv", sevenProblems)
        let outcome = try duly.run(["import", "invoices", file, "--skip-invalid", "--as-of", "2026-10-15"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(
            outcome.errors.contains("Skipping 7 invalid rows of 8 (6 with bad values, 1 unknown customer)."),
            "\(outcome.errors)")
        #expect(outcome.output.contains("8 rows of invoices, 1 new, 0 unchanged, 7 invalid skipped."))
        #expect(try Set(invoiceNumbers(duly)) == ["INV-1", "INV-2", "INV-3", "INV-10"])
    }

    @Test func anUnknownCustomerOnTheLastLineOfAFileOfSeveralBatchesImportsNothingAndNamesTheLine() throws {
        let duly = try ledger()
        // Given 45,000 invoices (three batches), the last naming a customer Duly does not have
        var rows = (0..<45_000).map { "INV-B\($0),C\($0 % 2 + 1),2026-09-01,2026-10-01,EUR,10.00" }
        rows[rows.count - 1] = "INV-LAST,C9,2026-09-01,2026-10-01,EUR,10.00"
        let file = try duly.write(
            "many.csv", "invoice_number,customer_id,issue_date,due_date,currency,total\n" + rows.joined(separator: "\n")
        )

        let outcome = try duly.run(["import", "invoices", file, "--as-of", "2026-10-15"])

        // Then the file is refused at that line, and none of the first 44,999 rows was kept
        #expect(outcome.status == 65)
        #expect(
            outcome.errors.contains("\(file):45001:2: customer_id: no customer 'C9' (import customers first)"),
            "\(outcome.errors)")
        #expect(outcome.errors.contains("1 problem in 1 of 45000 rows (1 unknown customer); nothing was imported"))
        #expect(try Set(invoiceNumbers(duly)) == ["INV-1", "INV-2", "INV-3"])
        // And with --skip-invalid, the rest of it imports
        let skipped = try duly.run(["import", "invoices", file, "--skip-invalid", "--as-of", "2026-10-15"])
        #expect(skipped.status == 0, "\(skipped.errors)")
        #expect(skipped.output.contains("45000 rows of invoices, 44999 new, 0 unchanged, 1 invalid skipped."))
    }

    @Test func unknownCustomersUnknownInvoicesAndBadRowsOfAPaymentsFileComeInOnePass() throws {
        let duly = try ledger()
        let file = try duly.write(
            "payments.csv",
            """
            payment_id,customer_id,date,currency,amount,reference,invoice_number
            P1,C9,2026-10-10,EUR,10.00,,
            P2,C1,2026-10-10,EUR,-5.00,,
            P3,C1,2026-10-10,EUR,5.00,,INV-99
            P4,C2,2026-10-10,EUR,5.00,,INV-1

            """)
        let outcome = try duly.run(["import", "payments", file, "--as-of", "2026-10-15"])
        #expect(outcome.status == 65)
        #expect(outcome.errors.contains("\(file):2:2: customer_id: no customer 'C9'"), "\(outcome.errors)")
        #expect(outcome.errors.contains("\(file):3:5: amount: '-5.00' must be more than zero"))
        #expect(outcome.errors.contains("\(file):4:7: invoice_number: no invoice 'INV-99'"))
        #expect(outcome.errors.contains("\(file):5:7: invoice_number: invoice 'INV-1' belongs to customer 'C1'"))
    }

    @Test func aPaymentDatedAfterTheImportsTodayIsRefusedAtItsDate() throws {
        let duly = try ledger()
        let file = try duly.write(
            "payments.csv",
            """
            payment_id,customer_id,date,currency,amount,reference,invoice_number
            P1,C1,2026-10-15,EUR,100.00,,INV-1
            P2,C1,2026-10-16,EUR,100.00,,INV-1

            """)
        let outcome = try duly.run(["import", "payments", file, "--as-of", "2026-10-15"])
        #expect(outcome.status == 65)
        #expect(
            outcome.errors.contains(
                "\(file):3:3: date: 2026-10-16 is after today (2026-10-15); a payment is recorded once it has "
                    + "arrived"),
            "\(outcome.errors)")
        // On the day it arrived, the same file imports.
        #expect(try duly.run(["import", "payments", file, "--as-of", "2026-10-16"]).status == 0)
    }

    @Test func importPaymentsSaysWhereTheMoneyWentAndWhy() throws {
        let duly = try ledger()
        let file = try duly.write(
            "payments.csv",
            """
            payment_id,customer_id,date,currency,amount,reference,invoice_number
            P1,C1,2026-10-10,USD,500.00,,INV-1
            P2,C2,2026-10-10,EUR,250.00,,INV-3

            """)
        let outcome = try duly.run(["import", "payments", file, "--as-of", "2026-10-15"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(
            outcome.lines == [
                "\(file): 2 rows of payments, 2 new, 0 unchanged.",
                "Allocated EUR 200.00, USD 300.00 to 2 invoices; left as unallocated credit: EUR 50.00, USD 200.00.",
                "  P1 (C1, USD 500.00): USD 300.00 to INV-2, USD 200.00 left as credit (INV-1 is in EUR, the payment "
                    + "in USD; more than was open in USD)",
                "  P2 (C2, EUR 250.00): EUR 200.00 to INV-3, EUR 50.00 left as credit (more than was open in EUR)",
            ], "\(outcome.output)")
    }

    @Test func importPaymentsJSONListsEachPaymentsAllocationsCreditAndReasons() throws {
        let duly = try ledger()
        let file = try duly.write(
            "payments.csv",
            """
            payment_id,customer_id,date,currency,amount,reference,invoice_number
            P1,C1,2026-10-10,USD,500.00,,INV-1

            """)
        let outcome = try duly.run(["import", "payments", file, "--json", "--as-of", "2026-10-15"])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        let payments = try #require(object["payments"] as? [[String: Any]])
        #expect(payments.count == 1)
        #expect(payments[0]["payment_id"] as? String == "P1")
        #expect(payments[0]["credit"] as? String == "200.00")
        let allocations = try #require(payments[0]["allocations"] as? [[String: Any]])
        #expect(allocations.map { $0["invoice_number"] as? String } == ["INV-2"])
        #expect(allocations.map { $0["amount"] as? String } == ["300.00"])
        let notes = try #require(payments[0]["notes"] as? [[String: Any]])
        #expect(notes.map { $0["code"] as? String } == ["currency_differs", "more_than_open"])
    }

    @Test func aSemicolonFileGivenToThePlainImporterGetsOneLineNamingTheMapping() throws {
        let duly = try ledger()
        let file = try duly.write(
            "eu.csv",
            "invoice_number;customer_id;issue_date;due_date;currency;total;terms\n"
                + "INV-20;C1;01.10.2026;31.10.2026;EUR;1.250,50;\n")
        let outcome = try duly.run(["import", "invoices", file, "--as-of", "2026-10-15"])
        #expect(outcome.status == 65)
        let problems = outcome.errors.split(separator: "\n").filter { $0.hasPrefix(file + ":1:") }
        #expect(
            problems == [
                "\(file):1:1: the columns are separated by ';', as a spreadsheet with European settings saves CSV; "
                    + "the built-in mapping excel-eu reads it: duly import invoices \(file) --mapping excel-eu"
            ], "\(outcome.errors)")
        let mapped = try duly.run(["import", "invoices", file, "--mapping", "excel-eu", "--as-of", "2026-10-15"])
        #expect(mapped.status == 0, "\(mapped.errors)")
        #expect(try invoiceNumbers(duly).contains("INV-20"))
    }

    @Test func customersCarryTheirPostalAddressAndReimportingChangesNothing() throws {
        let duly = try ledger()
        let again = try duly.run([
            "import", "customers", duly.folder.appendingPathComponent("customers.csv").path, "--json",
        ])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("\"inserted\":0"), "\(again.output)")
        #expect(again.output.contains("\"updated\":0"), "\(again.output)")
        #expect(again.output.contains("\"unchanged\":2"), "\(again.output)")
        let half = try duly.write("half.csv", "customer_id,name,address_line1\nC3,Odd Co,2 Low Road\n")
        let refused = try duly.run(["import", "customers", half])
        #expect(refused.status == 65)
        #expect(
            refused.errors.contains(
                "\(half):2:3: address_line1: the row gives part of a postal address but no city"),
            "\(refused.errors)")
    }

    @Test func mappedPaymentsReportEveryProblemAndSkipInvalidImportsTheRest() throws {
        let duly = try ledger()
        let file = try duly.write(
            "zahlungen.csv",
            "payment_id;customer_id;date;currency;amount\nP1;C9;10.10.2026;EUR;10,00\nP2;C1;10.10.2026;EUR;abc\n"
                + "P3;C1;10.10.2026;EUR;100,00\n")
        let refused = try duly.run(["import", "payments", file, "--mapping", "excel-eu", "--as-of", "2026-10-15"])
        #expect(refused.status == 65)
        #expect(
            refused.errors.contains("\(file):2:2: customer_id → customer_id: no customer 'C9'"), "\(refused.errors)")
        #expect(refused.errors.contains("\(file):3:5: amount → amount:"), "\(refused.errors)")
        let skipped = try duly.run([
            "import", "payments", file, "--mapping", "excel-eu", "--skip-invalid", "--as-of", "2026-10-15",
        ])
        #expect(skipped.status == 0, "\(skipped.errors)")
        #expect(skipped.output.contains("1 new, 0 unchanged, 2 invalid skipped."), "\(skipped.output)")
    }
}

/// `duly import ledger FOLDER`: the three files of a first load in one transaction.
@Suite("duly import ledger")
struct LedgerImportCommandTests {
    private let payments = """
        payment_id,customer_id,date,currency,amount,reference,invoice_number
        P1,C2,2026-10-10,EUR,200.00,,INV-3

        """

    // A new organisation and a folder holding the three files, `paymentsText` as its payments.
    private func folder(payments paymentsText: String) throws -> (DulyProcess, String) {
        let duly = try DulyProcess()
        let created = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
        ])
        try #require(created.status == 0, "\(created.errors)")
        _ = try duly.write("customers.csv", customersCSV)
        _ = try duly.write("invoices.csv", invoicesCSV)
        let file = try duly.write("payments.csv", paymentsText)
        return (duly, URL(fileURLWithPath: file).deletingLastPathComponent().path)
    }

    @Test func aLedgerFolderLoadsAllThreeFilesAndSaysWhatEachHeld() throws {
        let (duly, folder) = try folder(payments: payments)

        let outcome = try duly.run(["import", "ledger", folder, "--as-of", "2026-10-15"])

        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(
            Array(outcome.lines.prefix(3)) == [
                "\(folder)/customers.csv: 2 rows of customers, 2 new, 0 unchanged.",
                "\(folder)/invoices.csv: 3 rows of invoices, 3 new, 0 unchanged.",
                "\(folder)/payments.csv: 1 row of payments, 1 new, 0 unchanged.",
            ], "\(outcome.output)")
        #expect(outcome.lines.count == 4 && outcome.lines[3].hasPrefix("Allocated EUR 200.00 to 1 invoice"))
        // And the payment settled the invoice it named: only the two others are still open
        let open = try duly.run(["invoices", "--open", "--json", "--as-of", "2026-10-15"])
        #expect(open.status == 0, "\(open.errors)")
        #expect(open.lines.count == 2 && !open.output.contains("INV-3"), "\(open.output)")
    }

    @Test func aLedgerLoadsJSONGivesEachFilesCountsInOneObject() throws {
        let (duly, folder) = try folder(payments: payments)

        let outcome = try duly.run(["import", "ledger", folder, "--json", "--as-of", "2026-10-15"])

        #expect(outcome.status == 0, "\(outcome.errors)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: [String: Any]])
        #expect(object["customers"]?["inserted"] as? Int == 2)
        #expect(object["invoices"]?["inserted"] as? Int == 3)
        #expect(object["payments"]?["inserted"] as? Int == 1)
        #expect(object["payments"]?["file"] as? String == "\(folder)/payments.csv")
    }

    @Test func aProblemInThePaymentsFileImportsNothingAtAllAndNamesTheLine() throws {
        let (duly, folder) = try folder(
            payments: """
                payment_id,customer_id,date,currency,amount,reference,invoice_number
                P1,C2,2026-10-10,EUR,200.00,,INV-99

                """)

        let outcome = try duly.run(["import", "ledger", folder, "--as-of", "2026-10-15"])

        #expect(outcome.status == 65)
        #expect(
            outcome.errors.contains("\(folder)/payments.csv:2:7: invoice_number: no invoice 'INV-99'"),
            "\(outcome.errors)")
        // Not even the customers were kept: the invoices alone name a customer Duly does not have
        let invoices = try duly.run(["import", "invoices", "\(folder)/invoices.csv", "--as-of", "2026-10-15"])
        #expect(invoices.status == 65 && invoices.errors.contains("no customer 'C1'"), "\(invoices.errors)")
    }

    @Test func aSecondLedgerLoadIsRefusedInOneLineSayingWhatToDoInstead() throws {
        let (duly, folder) = try folder(payments: payments)
        try #require(try duly.run(["import", "ledger", folder, "--as-of", "2026-10-15"]).status == 0)

        let again = try duly.run(["import", "ledger", folder, "--as-of", "2026-10-15"])

        #expect(again.status == 65)
        #expect(
            again.errors.contains(
                "already has invoices or payments: a ledger load is for a first load; import each file on its own"),
            "\(again.errors)")
    }
}
