import DulyCore
import DulyStore

/// A bank credit with where it came from: its statement, the statement's account, and the key that makes a second
/// import of it a no-op.
public struct StatementCredit: Sendable {
    /// Stable across imports: `ACCOUNT/STATEMENT/ENTRY.TRANSACTION` for a statement's credit.
    public var key: String
    public var statementID: String
    public var account: String
    public var credit: BankCredit

    public init(key: String, statementID: String, account: String, credit: BankCredit) {
        self.key = key
        self.statementID = statementID
        self.account = account
        self.credit = credit
    }
}

extension StatementStore {
    /// Matches the credits an earlier import did not record against the open invoices and records them, as
    /// `duly import statement` does: a matched credit becomes payments, an unmatched one joins the queue, and a
    /// credit recorded before is left as it was (nil in `records`), so recording the same credit twice changes
    /// nothing. `phase` hears when each step ends (for `DULY_TIMING`).
    public func matchAndRecord(
        _ credits: [StatementCredit], organisationID: String, context: RecordingContext,
        phase: (String) -> Void = { _ in }
    ) async throws -> (records: [StatementCreditRecord?], summary: StatementImportSummary) {
        // Credits an earlier import recorded are left as they were: matching them again against a ledger they
        // already changed would find nothing open and queue them as unmatched.
        let known = try await knownCreditKeys(credits.map(\.key), organisationID: organisationID)
        var records: [StatementCreditRecord?] = []
        records.reserveCapacity(credits.count)
        if credits.count > known.count {
            let data = try await matchingData(organisationID: organisationID)
            phase("read open invoices (\(data.invoices.count))")
            var matcher = PaymentMatcher(
                invoices: data.invoices, customerNames: data.customerNames, payerAccounts: data.payerAccounts)
            phase("index")
            for keyed in credits {
                guard !known.contains(keyed.key) else {
                    records.append(nil)
                    continue
                }
                let credit = keyed.credit
                records.append(
                    StatementCreditRecord(
                        key: keyed.key, statementID: keyed.statementID, account: keyed.account,
                        bookingDate: credit.bookingDate, valueDate: credit.valueDate, amount: credit.amount,
                        debtorName: credit.debtorName, debtorIBAN: credit.debtorIBAN, reference: credit.reference,
                        endToEndId: credit.endToEndId, remittance: credit.remittance, match: matcher.match(credit)))
            }
            phase("match")
        } else {
            records = Array(repeating: nil, count: credits.count)
        }
        let summary = try await recordStatementCredits(
            records.compactMap { $0 }, organisationID: organisationID, context: context)
        phase("record")
        return (records, summary)
    }
}
