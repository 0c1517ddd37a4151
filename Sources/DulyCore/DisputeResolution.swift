/// Why a dispute cannot be closed as asked.
public enum DisputeResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A settlement needs an agreed amount in the invoice's currency, less than what is open.
    case agreedAmountOutOfRange(disputeID: String, open: Money)

    public var description: String {
        switch self {
        case .agreedAmountOutOfRange(let id, let open):
            return
                "dispute '\(id)': a settlement needs an agreed amount in \(open.currency), less than the \(open) open"
        }
    }
}

extension Dispute {
    /// What closing the dispute with `outcome` on `date` books against its invoice (docs/PRODUCT.md, "Concepts"):
    /// upheld, a credit note for the disputed part (the whole open amount when no part was named), never more than is
    /// open; settled, a settlement for the open amount less the agreed one, approved by `approvedBy`; rejected, nothing
    /// (the invoice stands and the chase resumes). The store writes what this returns, in the same transaction.
    ///
    /// - Parameters:
    ///   - balance: the invoice as it stands when the dispute is closed.
    ///   - note: what was found, kept as the credit note's reason when given.
    /// - Throws: `DisputeResolutionError` when a settlement's agreed amount is missing, in another currency, or not
    ///   less than what is open.
    public func resolution(
        _ outcome: DisputeOutcome, balance: InvoiceBalance, agreedAmount: Money?, note: String?,
        approvedBy: String?, on date: LocalDate
    ) throws(DisputeResolutionError) -> CreditNote? {
        let open = balance.open
        switch outcome {
        case .upheld:
            let disputed = amount.map { Money(minorUnits: $0.minorUnits, currency: open.currency) } ?? open
            let credit = disputed.minorUnits <= open.minorUnits ? disputed : open
            guard !credit.isZero else { return nil }
            return CreditNote(
                id: CreditNote.id(closingDispute: id), invoiceNumber: invoiceNumber, date: date, amount: credit,
                reason: note ?? "dispute \(id) upheld")
        case .settled:
            guard let agreedAmount, agreedAmount.currency == open.currency, agreedAmount.minorUnits >= 0,
                agreedAmount.minorUnits < open.minorUnits
            else { throw .agreedAmountOutOfRange(disputeID: id, open: open) }
            return CreditNote(
                id: CreditNote.id(closingDispute: id), invoiceNumber: invoiceNumber, date: date,
                amount: open - agreedAmount, kind: .settlement,
                reason: note ?? "dispute \(id) settled at \(agreedAmount)",
                approvedBy: approvedBy)
        case .rejected:
            return nil
        }
    }
}

// MARK: - Record ids

// The ids Duly gives the records it creates when the person gives none. They are part of what people type
// (`duly dispute resolve DSP-INV-8-2026-03-10`), so every way in (the command line, the API) makes them here.

extension CreditNote {
    /// The credit note or settlement that closes dispute `disputeID`.
    public static func id(closingDispute disputeID: String) -> String { "dispute-\(disputeID)" }

    /// A settlement or write-off of an invoice booked on a day: `settlement-INV-8-2026-03-10`.
    public static func id(_ kind: Kind, invoiceNumber: String, on date: LocalDate) -> String {
        "\(kind.rawValue)-\(invoiceNumber)-\(date)"
    }
}

/// The key a bank-statement credit is recorded under: the account, the statement's id, the entry and the
/// transaction in it (`NL91ABNA0417164300/STMT-7/3.1`). Importing the same statement again finds every credit by it
/// and records none twice.
public func bankCreditKey(account: String, statementID: String, entryIndex: Int, transactionIndex: Int) -> String {
    "\(account)/\(statementID)/\(entryIndex).\(transactionIndex)"
}

extension PromiseToPay {
    /// The `sequence`th promise of a customer made on a day: `PRM-C001-2026-03-10-1`.
    public static func id(customerID: String, madeOn date: LocalDate, sequence: Int) -> String {
        "PRM-\(customerID)-\(date)-\(sequence)"
    }
}

extension PromiseToPay {
    /// The promise a client made on a call, by the call's name where it was recorded: `PRM-57` on the command line
    /// (the action's row id), `PRM-act_…` through the API (its public id, which tells nothing of other
    /// organisations).
    public static func id(madeOnCall call: String) -> String { "PRM-\(call)" }
}

extension PaymentPlan {
    /// A customer's plan proposed on a day: `PLN-C001-2026-03-10`.
    public static func id(customerID: String, proposedOn date: LocalDate) -> String { "PLN-\(customerID)-\(date)" }
}

extension Dispute {
    /// A dispute about an invoice opened on a day: `DSP-INV-8-2026-03-10`.
    public static func id(invoiceNumber: String, openedOn date: LocalDate) -> String { "DSP-\(invoiceNumber)-\(date)" }

    /// The dispute a client raised about an invoice on a call, by the call's name where it was recorded (see
    /// `PromiseToPay.id(madeOnCall:)`): `DSP-57-INV-8`.
    public static func id(raisedOnCall call: String, invoiceNumber: String) -> String {
        "DSP-\(call)-\(invoiceNumber)"
    }
}
