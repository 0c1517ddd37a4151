import DulyStore
import GRDB

/// Answers "does this customer exist in the organisation?" during one transaction.
///
/// A large batch loads every customer id of the organisation once into a set; a small one asks per distinct id, so
/// that recording one payment in a big organisation does not read a hundred thousand ids.
struct KnownCustomers {
    let organisationID: String
    private var known: Set<String> = []
    private var checkedAbsent: Set<String> = []
    private var loadedAll = false

    init(organisationID: String, _ db: Database, expectedLookups: Int) throws {
        self.organisationID = organisationID
        if expectedLookups > 256 {
            known = Set(
                try String.fetchAll(
                    db, sql: "SELECT customer_id FROM customers WHERE org_id = ?", arguments: [organisationID]))
            loadedAll = true
        }
    }

    /// Throws `customerNotFound` unless the customer exists.
    mutating func require(_ customerID: String, _ db: Database) throws {
        if known.contains(customerID) { return }
        if !loadedAll && !checkedAbsent.contains(customerID) {
            let statement = try db.cachedStatement(
                sql: "SELECT 1 FROM customers WHERE org_id = ? AND customer_id = ?")
            if try Int.fetchOne(statement, arguments: [organisationID, customerID]) != nil {
                known.insert(customerID)
                return
            }
            checkedAbsent.insert(customerID)
        }
        throw StoreError.customerNotFound(customerID)
    }
}
