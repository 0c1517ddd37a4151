import DulyCore

/// What payment matching needs from the ledger, read once per statement import.
public struct MatchingData: Sendable {
    /// Every open invoice of the organisation.
    public var invoices: [MatchableInvoice]
    /// Every customer's name, by id.
    public var customerNames: [String: String]
    /// Customer ids by the IBAN they paid from before.
    public var payerAccounts: [String: String]

    public init(invoices: [MatchableInvoice], customerNames: [String: String], payerAccounts: [String: String]) {
        self.invoices = invoices
        self.customerNames = customerNames
        self.payerAccounts = payerAccounts
    }
}

/// One credit of a bank statement with what matching made of it, as the store records it.
public struct StatementCreditRecord: Hashable, Sendable {
    /// Stable across imports of the same file: account, statement id, entry and transaction
    /// (`NL91ABNA0417164300/S1/3.1`). A matched credit's payment has this id (`…/1`, `…/2` when it is split).
    public var key: String
    public var statementID: String
    /// The statement's account (IBAN or other id).
    public var account: String
    public var bookingDate: LocalDate
    public var valueDate: LocalDate?
    public var amount: Money
    public var debtorName: String?
    public var debtorIBAN: String?
    /// The structured creditor reference as written.
    public var reference: String?
    public var endToEndId: String?
    /// The remittance text lines.
    public var remittance: [String]
    public var match: CreditMatch

    public init(
        key: String, statementID: String, account: String, bookingDate: LocalDate, valueDate: LocalDate?,
        amount: Money, debtorName: String?, debtorIBAN: String?, reference: String?, endToEndId: String?,
        remittance: [String], match: CreditMatch
    ) {
        self.key = key
        self.statementID = statementID
        self.account = account
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.debtorName = debtorName
        self.debtorIBAN = debtorIBAN
        self.reference = reference
        self.endToEndId = endToEndId
        self.remittance = remittance
        self.match = match
    }

    /// The payments a matched credit becomes: one per invoice it pays, each naming its invoice so that allocation
    /// goes there first; dated on the value date (the day the money counts, for interest), else the booking date.
    public var payments: [Payment] {
        guard case .matched(let customerID, let parts, _, _, _) = match else { return [] }
        let reference = [self.reference, endToEndId].compactMap { $0 }.first ?? remittance.first
        return parts.enumerated().map { position, part in
            Payment(
                id: parts.count == 1 ? key : "\(key)/\(position + 1)", customerID: customerID,
                date: valueDate ?? bookingDate, amount: part.amount,
                reference: reference.map { String($0.prefix(140)) },
                invoiceNumber: part.invoiceNumber)
        }
    }
}

/// What recording a statement did. Re-importing the same file gives `recorded == 0`.
public struct StatementImportSummary: Hashable, Sendable {
    /// Credits new to the store.
    public var recorded = 0
    /// Credits already recorded by an earlier import, left as they were.
    public var alreadyImported = 0
    /// New credits matched, and the payments they became.
    public var matched = 0
    public var payments = 0
    /// New credits put on the unmatched queue.
    public var unmatched = 0

    public init() {}
}

/// A credit on the unmatched queue (or one resolved from it).
public struct QueuedCredit: Hashable, Sendable {
    /// The organisation's own number for the credit (1, 2, … per organisation): what a person types
    /// (`duly match 17 …`) and the API shows (`bcr_17`). Never a row id: it is data, and a copy keeps it.
    public var id: Int64
    public var record: StatementCreditRecord
    public var status: Status

    /// Where a credit stands.
    public enum Status: String, Hashable, Sendable {
        case matched, unmatched, resolved, ignored
    }

    public init(id: Int64, record: StatementCreditRecord, status: Status) {
        self.id = id
        self.record = record
        self.status = status
    }
}

/// What a person decided about a queued credit.
public enum CreditResolution: Hashable, Sendable {
    /// It pays these invoices (of one customer), split in this order; the rest of an over-payment stays a credit.
    case invoices([String])
    /// It is this customer's money: allocation takes their invoices oldest first.
    case customer(String)
    /// Not a customer's payment (a refund, a transfer between own accounts): dismissed, with the reason.
    case ignore(reason: String)
}

/// Bank statements: the matching index, the record of every credit imported, and the unmatched queue.
/// Each method is one transaction.
public protocol StatementStore: DulyStore {
    /// The open invoices, customer names and known payer accounts of the organisation.
    func matchingData(organisationID: String) async throws -> MatchingData

    /// Which of these credit keys an earlier import recorded (matched, queued or dismissed alike).
    func knownCreditKeys(_ keys: [String], organisationID: String) async throws -> Set<String>

    /// Records a statement's credits in one transaction: matched ones become payments (allocated as
    /// `importPayments` does, so paid invoices stop being chased and are thanked for), unmatched ones join the
    /// queue. A credit whose key is already recorded is left alone, so importing the same file twice changes
    /// nothing.
    func recordStatementCredits(
        _ records: [StatementCreditRecord], organisationID: String, context: RecordingContext
    ) async throws -> StatementImportSummary

    /// The credits waiting for a person, oldest first.
    func unmatchedCredits(organisationID: String) async throws -> [QueuedCredit]

    /// Resolves a queued credit: it becomes payments (`invoices`, `customer`) or is dismissed (`ignore`).
    /// - Returns: the credit as it now stands.
    /// - Throws: `StoreError.invalid` when the credit is not on the queue, or the invoices are not one customer's,
    ///   open, in the credit's currency.
    func resolveCredit(
        id: Int64, _ resolution: CreditResolution, organisationID: String, context: RecordingContext
    ) async throws -> QueuedCredit
}
