extension Invoice {
    /// What is wrong with an invoice's own fields, whichever way it came in (a CSV row, a UBL file, the API, a
    /// store's write): the one list of rules every way in checks.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// No invoice number.
        case noNumber
        /// A total below zero (a credit is a credit note, not an invoice).
        case negativeTotal(Money)
        /// Due before it was issued.
        case dueBeforeIssue(due: LocalDate, issued: LocalDate)
        /// A payment link that is not an absolute https or http URL.
        case badPaymentURL(String)

        /// The field at fault, as Duly's CSV format names it.
        public var field: String {
            switch self {
            case .noNumber: "invoice_number"
            case .negativeTotal: "total"
            case .dueBeforeIssue: "due_date"
            case .badPaymentURL: "payment_url"
            }
        }

        public var description: String {
            switch self {
            case .noNumber: "an invoice needs a number"
            case .negativeTotal(let total): "the total cannot be negative (\(total)); a credit is a credit note"
            case .dueBeforeIssue(let due, let issued): "\(due) is before the issue date \(issued)"
            case .badPaymentURL(let text):
                "'\(text.prefix(80))' is not a payment link; give an absolute https:// or http:// URL with a host"
            }
        }
    }

    /// The problem of a due date against the issue date, if any (for readers that know the two before the
    /// invoice is whole).
    public static func problem(due: LocalDate, issued: LocalDate) -> Problem? {
        due < issued ? .dueBeforeIssue(due: due, issued: issued) : nil
    }

    /// The problem of a payment link, if any: it must be an absolute `https://` or `http://` URL with a host, at most
    /// 2,000 characters, without spaces, quotes, angle brackets or control characters (it goes into messages' links
    /// as it is).
    public static func problem(paymentURL: String) -> Problem? {
        isPaymentURL(paymentURL) ? nil : .badPaymentURL(paymentURL)
    }

    // Checked on bytes: the scheme case-insensitively, then a host made of the characters a host (or user info and
    // port) may hold, then any path, query or fragment of printable ASCII that needs no escaping in HTML.
    private static func isPaymentURL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 2000 else { return false }
        let lower = String(decoding: bytes.prefix(8), as: UTF8.self).lowercased()
        let schemeLength: Int
        if lower.hasPrefix("https://") {
            schemeLength = 8
        } else if lower.hasPrefix("http://") {
            schemeLength = 7
        } else {
            return false
        }
        let rest = bytes.dropFirst(schemeLength)
        let hostEnd =
            rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
            ?? rest.endIndex
        let host = rest[rest.startIndex..<hostEnd]
        guard !host.isEmpty else { return false }
        for byte in host {
            let allowed =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || Array("-._~:@[]%".utf8).contains(byte)
            if !allowed { return false }
        }
        // Printable ASCII except space and the characters that would end an HTML attribute or a text link.
        return rest[hostEnd...].allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !Array("\"'<>`\\{}|^".utf8).contains(byte)
        }
    }

    /// Every problem of the invoice's own fields, in the order of its columns; empty when it may be stored.
    public var problems: [Problem] {
        var found: [Problem] = []
        if number.isEmpty { found.append(.noNumber) }
        if let late = Invoice.problem(due: dueDate, issued: issueDate) { found.append(late) }
        if total.minorUnits < 0 { found.append(.negativeTotal(total)) }
        if let paymentURL, let bad = Invoice.problem(paymentURL: paymentURL) { found.append(bad) }
        return found
    }
}
