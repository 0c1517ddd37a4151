import DulyCore

/// The escalations a review holds back for a person, as the `customer_reviews.held` column keeps them: one JSON array
/// of strings, three for each (invoice number, step, reason), NULL when there are none.
public enum HeldEscalations {
    /// The column's value for `held`: nil when nothing is held.
    public static func column(_ held: [Deferral]) -> String? {
        held.isEmpty
            ? nil : JSONText.encode(held.flatMap { [$0.invoiceNumber, $0.stepID, $0.reason.rawValue] })
    }

    /// The escalations a stored column holds for `customerID`, in their order.
    public static func deferrals(_ column: String, customerID: String) throws -> [Deferral] {
        let fields = try JSONText.decodeArray(column)
        var held: [Deferral] = []
        for start in stride(from: 0, to: fields.count - 2, by: 3) {
            guard let reason = Deferral.Reason(rawValue: fields[start + 2]) else {
                throw StoreError.backend("a held escalation of \(customerID) has an unknown reason")
            }
            held.append(
                Deferral(
                    customerID: customerID, invoiceNumber: fields[start], stepID: fields[start + 1], reason: reason))
        }
        return held
    }
}
