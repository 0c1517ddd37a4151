import DulyCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How a bank credit is kept in `bank_credits` and `payer_accounts`, for every backend.
///
/// What matching made of a credit becomes its status, match key, customer, reason and candidates columns: a matched
/// credit keeps its notes as the reason (joined by "; "), an unmatched one its reason followed by its notes, and its
/// candidates as a JSON array of string objects. Reading a credit back gives what the queue shows, not the whole
/// match: a matched credit's invoices live in its payments.
public enum BankCreditColumns {
    /// The columns a credit is read from, by these names.
    public static let names = [
        "number", "credit_key", "statement_id", "account", "booking_date", "value_date", "currency", "amount_minor",
        "debtor_name", "debtor_iban", "reference", "end_to_end_id", "remittance", "status", "match_key",
        "customer_id", "reason", "candidates",
    ]

    /// A credit's match as columns.
    public struct Match: Hashable, Sendable {
        public var status: QueuedCredit.Status
        public var matchKey: String?
        public var customerID: String?
        public var reason: String?
        /// A JSON array of candidate objects; `[]` for a matched credit.
        public var candidates: String

        public init(_ match: CreditMatch) {
            switch match {
            case .matched(let customerID, _, let key, _, let notes):
                status = .matched
                matchKey = key.rawValue
                self.customerID = customerID
                reason = notes.isEmpty ? nil : notes.joined(separator: "; ")
                candidates = "[]"
            case .unmatched(let reason, let candidates, let notes):
                status = .unmatched
                matchKey = nil
                customerID = nil
                self.reason = ([reason] + notes).joined(separator: "; ")
                self.candidates = BankCreditColumns.encode(candidates)
            }
        }
    }

    /// The remittance lines as stored (a JSON array).
    public static func remittance(_ lines: [String]) -> String {
        JSONText.encode(lines)
    }

    /// The match key a credit resolved from the queue keeps: `manual` once resolved, none when dismissed.
    public static func resolvedMatchKey(_ status: QueuedCredit.Status) -> String? {
        status == .resolved ? MatchKey.manual.rawValue : nil
    }

    /// The key a payer's account is remembered under: letters and digits only, upper case (`NL20 ingb…` is
    /// `NL20INGB…`); nil when nothing is left.
    public static func payerAccount(_ iban: String?) -> String? {
        guard let iban else { return nil }
        let key = String(iban.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
            .uppercased()
        return key.isEmpty ? nil : key
    }

    /// A credit as read back from its columns (`names`), the rules of the schema undone.
    public static func queuedCredit(
        number: Int64, key: String, statementID: String, account: String, bookingDate: LocalDate,
        valueDate: LocalDate?, amount: Money, debtorName: String?, debtorIBAN: String?, reference: String?,
        endToEndId: String?, remittance: String, status: String, matchKey: String?, customerID: String?,
        reason: String?, candidates: String
    ) throws -> QueuedCredit {
        let status: QueuedCredit.Status = try Decode.value(status)
        let reason = reason ?? ""
        let match: CreditMatch
        if status == .unmatched || status == .ignored {
            match = .unmatched(reason: reason, candidates: try decode(candidates), notes: [])
        } else {
            match = .matched(
                customerID: customerID ?? "", invoices: [], key: try Decode.value(matchKey ?? "manual"),
                confidence: .high, notes: reason.isEmpty ? [] : [reason])
        }
        let record = StatementCreditRecord(
            key: key, statementID: statementID, account: account, bookingDate: bookingDate, valueDate: valueDate,
            amount: amount, debtorName: debtorName, debtorIBAN: debtorIBAN, reference: reference,
            endToEndId: endToEndId, remittance: try JSONText.decodeArray(remittance), match: match)
        return QueuedCredit(id: number, record: record, status: status)
    }

    private static func encode(_ candidates: [MatchCandidate]) -> String {
        "["
            + candidates.map {
                JSONText.encode([
                    "invoice": $0.invoiceNumber, "customer": $0.customerID, "currency": $0.open.currency.code,
                    "open": $0.open.decimalString, "why": $0.why,
                ])
            }.joined(separator: ",") + "]"
    }

    private static func decode(_ text: String) throws -> [MatchCandidate] {
        let objects: [[String: String]]
        do {
            objects = try JSONDecoder().decode([[String: String]].self, from: Data(text.utf8))
        } catch {
            throw StoreError.backend("stored candidates are malformed: \(error)")
        }
        return try objects.map {
            let currency = try Decode.currency($0["currency"] ?? "")
            guard let open = try? Money(parsing: $0["open"] ?? "", currency: currency) else {
                throw StoreError.backend("a stored candidate's amount is malformed")
            }
            return MatchCandidate(
                invoiceNumber: $0["invoice"] ?? "", customerID: $0["customer"] ?? "", open: open, why: $0["why"] ?? "")
        }
    }
}
