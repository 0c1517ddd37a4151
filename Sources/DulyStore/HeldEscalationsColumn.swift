import DulyCore

/// How `customer_reviews.held` keeps a review's held escalations, for every backend: one JSON array of strings, three
/// to an escalation (invoice, step, reason), in the planner's order; no escalation held is NULL.
public enum HeldEscalationsColumn {
    /// The column's value for these escalations; nil (NULL) when there are none.
    public static func encode(_ held: [Deferral]) -> String? {
        held.isEmpty ? nil : JSONText.encode(held.flatMap { [$0.invoiceNumber, $0.stepID, $0.reason.rawValue] })
    }

    /// The escalations a customer's stored value holds, in their order; an unknown reason is a backend error.
    public static func decode(_ text: String, customerID: String) throws -> [Deferral] {
        let fields = try JSONText.decodeArray(text)
        return try stride(from: 0, to: fields.count - 2, by: 3).map { start in
            guard let reason = Deferral.Reason(rawValue: fields[start + 2]) else {
                throw StoreError.backend("a held escalation of \(customerID) has an unknown reason")
            }
            return Deferral(
                customerID: customerID, invoiceNumber: fields[start], stepID: fields[start + 1], reason: reason)
        }
    }
}
