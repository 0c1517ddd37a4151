/// Payment terms: when an invoice is due and whether paying early earns a discount.
///
/// Accepted forms (case-insensitive, spaces free): `due on receipt`, `net N`, `P/D net N` (P % off when paid within
/// D days; P may have decimals, `1.5/10 net 30`), `EOM`, `net N EOM`. Sources: docs/DOMAIN.md, "Payment terms".
public enum PaymentTerms: Hashable, Sendable, CustomStringConvertible {
    /// Due on the issue date.
    case dueOnReceipt
    /// Due `days` calendar days after the issue date.
    case net(days: Int)
    /// `discountBasisPoints` (200 = 2 %) off when paid within `discountDays` of issue; due `netDays` after issue.
    case earlyPaymentDiscount(discountBasisPoints: Int, discountDays: Int, netDays: Int)
    /// Due on the last day of the issue month.
    case endOfMonth
    /// Due `days` days after the last day of the issue month.
    case netEndOfMonth(days: Int)

    /// The forms accepted, for error messages and help texts.
    public static let acceptedForms = "'due on receipt', 'net N', 'P/D net N' (like 2/10 net 30), 'EOM', 'net N EOM'"

    /// Parses terms text; throws an error that lists the accepted forms.
    public init(parsing text: some StringProtocol) throws(PaymentTermsError) {
        let original = String(text)
        let words = original.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func days(_ word: String) throws(PaymentTermsError) -> Int {
            guard let value = Int(word), value >= 0, value <= 3650 else { throw .unknown(original) }
            return value
        }
        switch words.count {
        case 1 where words[0] == "eom":
            self = .endOfMonth
        case 3 where words == ["due", "on", "receipt"]:
            self = .dueOnReceipt
        case 2 where words[0] == "net":
            self = .net(days: try days(words[1]))
        case 3 where words[0] == "net" && words[2] == "eom":
            self = .netEndOfMonth(days: try days(words[1]))
        case 3 where words[1] == "net":
            let parts = words[0].split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let points = PaymentTerms.basisPoints(parts[0]) else { throw .unknown(original) }
            let discountDays = try days(String(parts[1]))
            let netDays = try days(words[2])
            guard points > 0, points < 10_000 else { throw .badDiscount(original) }
            guard discountDays <= netDays else { throw .discountAfterDueDate(original) }
            self = .earlyPaymentDiscount(discountBasisPoints: points, discountDays: discountDays, netDays: netDays)
        default:
            throw .unknown(original)
        }
    }

    /// The date the invoice is due.
    public func dueDate(issuedOn issue: LocalDate) -> LocalDate {
        switch self {
        case .dueOnReceipt: return issue
        case .net(let days): return issue.adding(days: days)
        case .earlyPaymentDiscount(_, _, let netDays): return issue.adding(days: netDays)
        case .endOfMonth: return issue.endOfMonth
        case .netEndOfMonth(let days): return issue.endOfMonth.adding(days: days)
        }
    }

    /// The last day a payment earns the early-payment discount, if the terms have one.
    public func discountDeadline(issuedOn issue: LocalDate) -> LocalDate? {
        guard case .earlyPaymentDiscount(_, let discountDays, _) = self else { return nil }
        return issue.adding(days: discountDays)
    }

    /// The discount on `total` for paying by the deadline, rounded half to even; nil when the terms have none.
    public func discount(on total: Money) -> Money? {
        guard case .earlyPaymentDiscount(let points, _, _) = self else { return nil }
        return total.fraction(points, of: 10_000)
    }

    /// The terms in their canonical written form (`2/10 net 30`).
    public var description: String {
        switch self {
        case .dueOnReceipt: return "due on receipt"
        case .net(let days): return "net \(days)"
        case .earlyPaymentDiscount(let points, let discountDays, let netDays):
            let whole = points / 100
            let rest = points % 100
            let percent =
                rest == 0
                ? "\(whole)" : (rest % 10 == 0 ? "\(whole).\(rest / 10)" : "\(whole).\(rest < 10 ? "0" : "")\(rest)")
            return "\(percent)/\(discountDays) net \(netDays)"
        case .endOfMonth: return "EOM"
        case .netEndOfMonth(let days): return "net \(days) EOM"
        }
    }

    // "2" -> 200, "1.5" -> 150, "0.25" -> 25; more than two decimals is not a percentage anyone writes in terms.
    private static func basisPoints(_ text: Substring) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isNumber)
        else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isNumber), let value = Int(digits) else {
                return nil
            }
            fraction = digits.count == 1 ? value * 10 : value
        }
        // 100 % and up is refused by the caller anyway; capping keeps "922337203685477580" from overflowing.
        return min(whole, 100) * 100 + fraction
    }
}

/// Why a terms text was refused.
public enum PaymentTermsError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)
    case badDiscount(String)
    case discountAfterDueDate(String)

    public var description: String {
        switch self {
        case .unknown(let text):
            return "unknown payment terms '\(text)'; accepted: \(PaymentTerms.acceptedForms)"
        case .badDiscount(let text):
            return "payment terms '\(text)': the discount must be more than 0 % and less than 100 %"
        case .discountAfterDueDate(let text):
            return "payment terms '\(text)': the discount period cannot end after the due date"
        }
    }
}
