import DulyCore
import Testing

/// The rules an invoice's own fields keep, whichever way it comes in: one rule per test.
@Suite struct InvoiceProblemsTests {
    let euro = Currency(code: "EUR")!
    func invoice(
        number: String = "INV-1", issued: String = "2026-03-01", due: String = "2026-03-31", total: Int = 100_00
    )
        -> Invoice
    {
        Invoice(
            number: number, customerID: "C1", issueDate: LocalDate(iso: issued)!, dueDate: LocalDate(iso: due)!,
            total: Money(minorUnits: total, currency: euro))
    }

    @Test func anInvoiceWithANumberATotalAndADueDateOnOrAfterItsIssueHasNoProblem() {
        #expect(invoice().problems.isEmpty)
        #expect(invoice(due: "2026-03-01").problems.isEmpty)
        #expect(invoice(total: 0).problems.isEmpty)
    }

    @Test func anInvoiceNeedsANumber() {
        #expect(invoice(number: "").problems == [.noNumber])
        #expect(Invoice.Problem.noNumber.field == "invoice_number")
    }

    @Test func anInvoiceIsNotDueBeforeItIsIssued() {
        let problem = Invoice.Problem.dueBeforeIssue(
            due: LocalDate(iso: "2026-02-28")!, issued: LocalDate(iso: "2026-03-01")!)
        #expect(invoice(due: "2026-02-28").problems == [problem])
        #expect(problem.field == "due_date")
        #expect(problem.description == "2026-02-28 is before the issue date 2026-03-01")
    }

    @Test func aNegativeTotalIsACreditNoteNotAnInvoice() {
        let problems = invoice(total: -5_00).problems
        #expect(problems.map(\.field) == ["total"])
        #expect(problems.first?.description.contains("a credit is a credit note") == true)
    }

    @Test func aPaymentLinkThatIsAnAbsoluteHTTPSOrHTTPURLIsNoProblem() {
        for link in [
            "https://pay.example/inv-1?amount=100.00&ref=RF47", "http://pay.example", "HTTPS://Pay.Example:8443/x",
        ] {
            var linked = invoice()
            linked.paymentURL = link
            #expect(linked.problems.isEmpty, "\(link)")
        }
    }

    @Test func aPaymentLinkMustBeAnAbsoluteHTTPSOrHTTPURLWithAHost() {
        let bad = [
            "pay.example/inv-1", "ftp://pay.example/inv-1", "javascript:alert(1)", "https://", "https:///inv-1",
            "https://pay.example/a b", "https://pay.example/\"onclick=\"x", "https://pay example/",
        ]
        for link in bad {
            var linked = invoice()
            linked.paymentURL = link
            #expect(linked.problems == [.badPaymentURL(link)], "\(link)")
        }
        #expect(Invoice.Problem.badPaymentURL("x").field == "payment_url")
    }
}
