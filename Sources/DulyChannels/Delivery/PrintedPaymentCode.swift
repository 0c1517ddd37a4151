import DulyCore

/// The EPC payment code a letter or a PDF prints beside what it asks to be paid (EPC069-12, "SEPA Credit
/// Transfer"): a client scans it with a banking app and finds the transfer filled in, amount and reference included.
public struct PrintedPaymentCode: Hashable, Sendable {
    public var code: QRCode
    /// What the code pays.
    public var amount: Money

    /// The code for what `context` asks to be paid, or nil when there is none to print: the organisation has no
    /// IBAN set (`duly init --iban`), an invoice is not in euros (the code is for euro transfers only), nothing is
    /// open, or the message is a note to the team.
    ///
    /// The code pays the open amount of the invoices, without interest or compensation, which the letter states
    /// apart. One invoice with an RF creditor reference is paid with it (the matcher then finds the invoice by it);
    /// several are named in the remittance text.
    public init?(for context: MessageContext) {
        let sender = context.sender
        guard let iban = sender.iban, !context.isInternal, !context.invoices.isEmpty,
            context.invoices.allSatisfy({ $0.open.currency.code == "EUR" })
        else { return nil }
        let units = context.invoices.reduce(0) { $0 + $1.open.minorUnits }
        guard units > 0 else { return nil }
        let amount = Money(minorUnits: units, currency: context.invoices[0].open.currency)
        let remittance: EPCPayment.Remittance
        if context.invoices.count == 1, let reference = context.invoices[0].paymentReference {
            remittance = .reference(reference)
        } else {
            let numbers = context.invoices.map(\.number).joined(separator: ", ")
            remittance = .text(
                numbers.count <= EPCPayment.maximumRemittanceTextLength ? numbers : context.customerReference)
        }
        // The account holder's name as the bank knows it: the letterhead's first line, else the organisation's.
        let holder = String(
            (sender.postalAddress.first ?? context.organisationName).prefix(EPCPayment.maximumNameLength))
        guard
            let payment = try? EPCPayment(
                beneficiaryName: holder, iban: iban, bic: sender.bic, amount: amount, remittance: remittance)
        else { return nil }
        self.code = QRCode(payment: payment)
        self.amount = amount
    }
}
