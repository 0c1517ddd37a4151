import DulyCore

// `invoices.csv`: invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number,payment_url.
//
// `due_date` may be empty when `terms` are given: the terms then compute it. When both are given the written due date
// wins, since it is what the customer was told.
final class InvoiceRowDecoder: RowDecoder {
    static let kind = CSVMapping.Kind.invoices
    static let columns = [
        ColumnSpec(name: "invoice_number", required: true),
        ColumnSpec(name: "customer_id", required: true),
        ColumnSpec(name: "issue_date", required: true),
        ColumnSpec(name: "due_date", required: true),
        ColumnSpec(name: "currency", required: true),
        ColumnSpec(name: "total", required: true),
        ColumnSpec(name: "terms", required: false),
        ColumnSpec(name: "po_number", required: false),
        ColumnSpec(name: "payment_url", required: false),
    ]

    private let file: String
    private let number, customerID, issueDate, dueDate, currency, total, terms, poNumber, paymentURL: Column
    private var numbers = KeyRegister()
    // A ledger uses a handful of terms; parsing each text once keeps them off the per-row cost.
    private var knownTerms: [String: PaymentTerms] = [:]
    // Rows often repeat the previous row's terms and currency; comparing bytes skips even the dictionary.
    private var lastTerms: (text: String, terms: PaymentTerms)?
    private var lastCurrency: (code: String, currency: Currency)?

    init(file: String, columns: [Column]) {
        self.file = file
        (number, customerID, issueDate, dueDate) = (columns[0], columns[1], columns[2], columns[3])
        (currency, total, terms, poNumber) = (columns[4], columns[5], columns[6], columns[7])
        paymentURL = columns[8]
    }

    func decode(_ row: CSVRow, issues: inout [ImportIssue]) -> Invoice? {
        var fields = RowFields(file: file, row: row)
        let number = fields.required(number, "an invoice number", issues: &issues)
        if let number, let earlier = numbers.register(number, line: row.line) {
            fields.fail(self.number, "'\(number)' appears twice; first on line \(earlier)", issues: &issues)
        }
        let customerID = fields.required(customerID, "a customer id", issues: &issues)
        let issueDate = fields.requiredDate(issueDate, issues: &issues)
        var dueDate = fields.date(dueDate, issues: &issues)
        let currency = fields.currency(currency, last: &lastCurrency, issues: &issues)
        let total = fields.positiveAmount(total, currency: currency, issues: &issues)
        let termsGiven = !fields.isEmpty(self.terms)
        var terms: PaymentTerms?
        if let lastTerms, fields.valueEquals(self.terms, lastTerms.text) {
            terms = lastTerms.terms
        } else if let termsText = fields.value(self.terms) {
            if let known = knownTerms[termsText] {
                terms = known
            } else {
                do throws(PaymentTermsError) {
                    terms = try PaymentTerms(parsing: termsText)
                    knownTerms[termsText] = terms
                } catch {
                    fields.fail(self.terms, error.description, issues: &issues)
                }
            }
            if let terms { lastTerms = (termsText, terms) }
        }
        let poNumber = fields.optionalText(poNumber, issues: &issues)
        let paymentURL = fields.optionalText(self.paymentURL, issues: &issues)
        if let paymentURL, let problem = Invoice.problem(paymentURL: paymentURL) {
            fields.fail(self.paymentURL, problem.description, issues: &issues)
        }
        if fields.isEmpty(self.dueDate) {
            if !termsGiven {
                fields.fail(
                    self.dueDate, "empty, and so are the terms; give a due date or payment terms", issues: &issues)
            } else if let terms, let issueDate {
                dueDate = terms.dueDate(issuedOn: issueDate)
            }
        }
        if let issueDate, let due = dueDate, let problem = Invoice.problem(due: due, issued: issueDate) {
            fields.fail(self.dueDate, problem.description, issues: &issues)
        }
        guard !fields.failed, let number, let customerID, let issueDate, let dueDate, let total else { return nil }
        return Invoice(
            number: number, customerID: customerID, issueDate: issueDate, dueDate: dueDate, total: total, terms: terms,
            poNumber: poNumber, paymentURL: paymentURL)
    }
}
