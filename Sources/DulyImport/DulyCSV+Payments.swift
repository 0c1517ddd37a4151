import DulyCore

// `payments.csv`: payment_id,customer_id,date,currency,amount,reference,invoice_number (the last two optional).
final class PaymentRowDecoder: RowDecoder {
    static let kind = CSVMapping.Kind.payments
    static let columns = [
        ColumnSpec(name: "payment_id", required: true),
        ColumnSpec(name: "customer_id", required: true),
        ColumnSpec(name: "date", required: true),
        ColumnSpec(name: "currency", required: true),
        ColumnSpec(name: "amount", required: true),
        ColumnSpec(name: "reference", required: false),
        ColumnSpec(name: "invoice_number", required: false),
    ]

    private let file: String
    private let id, customerID, date, currency, amount, reference, invoiceNumber: Column
    private var ids = KeyRegister()
    private var lastCurrency: (code: String, currency: Currency)?

    init(file: String, columns: [Column]) {
        self.file = file
        (id, customerID, date, currency) = (columns[0], columns[1], columns[2], columns[3])
        (amount, reference, invoiceNumber) = (columns[4], columns[5], columns[6])
    }

    func decode(_ row: CSVRow, issues: inout [ImportIssue]) -> Payment? {
        var fields = RowFields(file: file, row: row)
        let id = fields.required(id, "a payment id", issues: &issues)
        if let id, let earlier = ids.register(id, line: row.line) {
            fields.fail(self.id, "'\(id)' appears twice; first on line \(earlier)", issues: &issues)
        }
        let customerID = fields.required(customerID, "a customer id", issues: &issues)
        let date = fields.requiredDate(date, issues: &issues)
        let currency = fields.currency(currency, last: &lastCurrency, issues: &issues)
        let amount = fields.positiveAmount(amount, currency: currency, issues: &issues)
        let reference = fields.optionalText(reference, issues: &issues)
        let invoiceNumber = fields.optionalText(invoiceNumber, issues: &issues)
        guard !fields.failed, let id, let customerID, let date, let amount else { return nil }
        return Payment(
            id: id, customerID: customerID, date: date, amount: amount, reference: reference,
            invoiceNumber: invoiceNumber)
    }
}
