/// An open invoice as payment matching sees it: what a bank credit can name or add up to.
public struct MatchableInvoice: Hashable, Sendable {
    public var number: String
    public var customerID: String
    /// What is still owed.
    public var open: Money
    public var dueDate: LocalDate
    /// The RF reference Duly issued for it, unspaced.
    public var paymentReference: String?

    public init(number: String, customerID: String, open: Money, dueDate: LocalDate, paymentReference: String?) {
        self.number = number
        self.customerID = customerID
        self.open = open
        self.dueDate = dueDate
        self.paymentReference = paymentReference
    }
}

/// Which key of a bank credit named its invoices, in the order they are tried.
public enum MatchKey: String, Hashable, Sendable, CaseIterable, Codable {
    /// A structured RF creditor reference Duly issued, check digits valid.
    case creditorReference = "creditor_reference"
    /// The end-to-end id, when it carries a reference or an invoice number Duly issued.
    case endToEndId = "end_to_end_id"
    /// Invoice numbers (or RF references) found in the remittance text.
    case remittanceText = "remittance_text"
    /// The amount, against the open invoices of the payer (known by IBAN or name).
    case amountAndPayer = "amount_and_payer"
    /// A person chose the invoices or the customer (`duly match`).
    case manual
}

/// How sure a match is.
public enum MatchConfidence: String, Hashable, Sendable, Codable {
    /// The payer named the invoices (a checked reference, or numbers whose open amounts add up to the credit).
    case high
    /// Named, but the amounts differ; or found by amount and payer alone, as the only combination that fits.
    case medium
}

/// A part of a credit applied to one invoice.
public struct MatchedInvoice: Hashable, Sendable {
    public var invoiceNumber: String
    public var amount: Money

    public init(invoiceNumber: String, amount: Money) {
        self.invoiceNumber = invoiceNumber
        self.amount = amount
    }
}

/// An invoice a credit might be for, and why it is a candidate.
public struct MatchCandidate: Hashable, Sendable {
    public var invoiceNumber: String
    public var customerID: String
    public var open: Money
    /// Why it came up (`same amount`, `named in the remittance text`).
    public var why: String

    public init(invoiceNumber: String, customerID: String, open: Money, why: String) {
        self.invoiceNumber = invoiceNumber
        self.customerID = customerID
        self.open = open
        self.why = why
    }
}

/// What matching made of one bank credit.
public enum CreditMatch: Hashable, Sendable {
    /// The credit pays these invoices of one customer, split in this order (the parts add up to the credit, except
    /// that an over-payment's rest stays on the last part).
    case matched(
        customerID: String, invoices: [MatchedInvoice], key: MatchKey, confidence: MatchConfidence, notes: [String])
    /// No confident match: why, and up to three candidates for a person to choose from.
    case unmatched(reason: String, candidates: [MatchCandidate], notes: [String])

    /// Notes on keys that were tried and not trusted (an RF reference failing its check digits).
    public var notes: [String] {
        switch self {
        case .matched(_, _, _, _, let notes), .unmatched(_, _, let notes): return notes
        }
    }

    /// The key that matched; nil when unmatched.
    public var key: MatchKey? {
        if case .matched(_, _, let key, _, _) = self { return key }
        return nil
    }
}

extension MatchedInvoice {
    /// Splits `amount` over invoices in the order given: each takes what it has open, the last takes the rest (an
    /// over-payment stays with it). Invoices that would take nothing are left out.
    public static func split(
        _ amount: Money, over invoices: [(number: String, open: Money)]
    ) -> [MatchedInvoice] {
        var remaining = amount.minorUnits
        var parts: [MatchedInvoice] = []
        for (index, invoice) in invoices.enumerated() where remaining > 0 {
            let take = index == invoices.count - 1 ? remaining : min(invoice.open.minorUnits, remaining)
            guard take > 0 else { continue }
            parts.append(
                MatchedInvoice(
                    invoiceNumber: invoice.number, amount: Money(minorUnits: take, currency: amount.currency)))
            remaining -= take
        }
        return parts
    }
}
