import Testing

/// Issue 10, part 2: after the first run, `duly run` looks only at the accounts that changed or whose day came, and
/// says how many it left alone.
@Suite("The collection day looks only at what needs it")
struct IncrementalRunTests {
    /// C1 owes F-10 (overdue since January 31), C2 owes F-20 (due at the end of March).
    private func ledger() throws -> DulyProcess {
        try DulyProcess.studio(
            customers: [
                "C1,Acme,ap@acme.example,,NL,en,Europe/Amsterdam,Ann,",
                "C2,Bolt,ap@bolt.example,,NL,en,Europe/Amsterdam,Bob,",
            ],
            invoices: [
                "F-10,C1,2026-01-01,2026-01-31,EUR,100.00,net 30,", "F-20,C2,2026-03-01,2026-03-31,EUR,80.00,net 30,",
            ])
    }

    @Test func aSecondRunTheSameDayLooksAtNobodyAndSaysWhy() throws {
        let duly = try ledger()
        let first = try duly.run(["run", "--as-of", "2026-02-03"])
        #expect(first.output.contains("2 accounts, planned 1 action,"), "\(first.output)")
        #expect(!first.output.contains("not looked at"))
        let second = try duly.run(["run", "--as-of", "2026-02-03"])
        #expect(second.output.contains("0 accounts, planned 0 actions,"), "\(second.output)")
        #expect(
            second.output.contains("2 customers unchanged since their last review and not due today: not looked at."))
    }

    @Test func aPaymentMakesItsCustomerDueAndItsReminderIsWithdrawn() throws {
        let duly = try ledger()
        #expect(try duly.run(["run", "--as-of", "2026-02-03"]).status == 0)
        let payment = try duly.write(
            "p.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\nPAY-1,C1,2026-02-03,EUR,100.00,,F-10\n"
        )
        #expect(try duly.run(["import", "payments", payment, "--as-of", "2026-02-03"]).status == 0)
        let after = try duly.run(["run", "--as-of", "2026-02-03"])
        #expect(after.output.contains("1 account,"), "\(after.output)")
        #expect(after.output.contains("1 cancelled."), "\(after.output)")
        #expect(after.output.contains("1 customer unchanged since their last review"), "\(after.output)")
    }

    @Test func theDayAStepFallsDueTheAccountIsLookedAtAgain() throws {
        let duly = try ledger()
        #expect(try duly.run(["run", "--as-of", "2026-02-03"]).status == 0)
        // Nothing is due for F-20 before its due day, March 31: the account is left alone until then.
        let quiet = try duly.run(["run", "--as-of", "2026-02-04", "--json"])
        #expect(!quiet.lines.contains { $0.contains("\"F-20\"") })
        let dueDay = try duly.run(["run", "--as-of", "2026-03-31", "--json"])
        #expect(dueDay.lines.contains { $0.contains("\"F-20\"") && $0.contains("due_day_notice") }, "\(dueDay.output)")
    }
}
