import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// Every invoice `importInvoices` would refuse, in the order given, without writing anything.
    public func importRefusals(invoices: [Invoice], organisationID: String) async throws -> [ImportRefusal] {
        try await read { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var customers = try KnownCustomers(organisationID: organisationID, db, expectedLookups: invoices.count)
            var refusals: [ImportRefusal] = []
            // A first import has nothing stored to compare with: no look-up per invoice.
            let hasInvoices = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM invoices WHERE org_id = ?)", arguments: [organisationID])!
            var firstIndex: [String: Int] = [:]
            for (index, invoice) in invoices.enumerated() {
                if let refusal = try SQLiteStore.unknownCustomer(invoice.customerID, index, &customers, db) {
                    refusals.append(refusal)
                }
                let stored: [(name: String, value: DatabaseValue)]?
                if let earlier = firstIndex[invoice.number] {
                    stored = SQLiteStore.fields(of: invoices[earlier])
                } else {
                    firstIndex[invoice.number] = index
                    stored = hasInvoices ? try SQLiteStore.storedFields(invoice.number, organisationID, db) : nil
                }
                guard let stored else { continue }
                do {
                    try SQLiteStore.compare(invoice, storedFields: stored)
                } catch let error as StoreError {
                    guard case .conflict(_, _, let field) = error else { throw error }
                    refusals.append(
                        ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
                }
            }
            return refusals
        }
    }

    /// Every payment an import should refuse, in the order given, without writing anything: an unknown customer, an
    /// id stored with other data, or an invoice number that names no invoice of the payment's customer.
    public func importRefusals(payments: [Payment], organisationID: String) async throws -> [ImportRefusal] {
        try await read { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var customers = try KnownCustomers(organisationID: organisationID, db, expectedLookups: payments.count)
            let hasPayments = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE org_id = ?)", arguments: [organisationID])!
            return try payments.enumerated().compactMap { index, payment in
                try SQLiteStore.refusal(of: payment, index, hasPayments: hasPayments, &customers, organisationID, db)
            }
        }
    }

    // Why an import refuses this payment, or nil: its customer is unknown, its id is stored with other data, or the
    // invoice it names is not its customer's. `hasPayments`: whether the organisation had any before this import.
    static func refusal(
        of payment: Payment, _ index: Int, hasPayments: Bool, _ customers: inout KnownCustomers,
        _ organisationID: String, _ db: Database
    ) throws -> ImportRefusal? {
        if let refusal = try unknownCustomer(payment.customerID, index, &customers, db) { return refusal }
        let storedPayment = try db.cachedStatement(sql: "SELECT 1 FROM payments WHERE org_id = ? AND payment_id = ?")
        if hasPayments, try Int.fetchOne(storedPayment, arguments: [organisationID, payment.id]) != nil {
            // Already imported: it must match, and then it changes nothing, whatever it names.
            do {
                try compareStoredPayment(payment, organisationID, db)
            } catch let error as StoreError {
                guard case .conflict(_, _, let field) = error else { throw error }
                return ImportRefusal(index: index, kind: .conflict, field: field, message: error.description)
            }
            return nil
        }
        guard let number = payment.invoiceNumber else { return nil }
        let invoiceOwner = try db.cachedStatement(
            sql: "SELECT customer_id FROM invoices WHERE org_id = ? AND invoice_number = ?")
        return namedInvoiceRefusal(
            payment, index, owner: try String.fetchOne(invoiceOwner, arguments: [organisationID, number]))
    }

    // Why an import refuses a payment that names an invoice owned by `owner` (nil: no such invoice), or nil.
    static func namedInvoiceRefusal(_ payment: Payment, _ index: Int, owner: String?) -> ImportRefusal? {
        guard let number = payment.invoiceNumber else { return nil }
        guard let owner else {
            return ImportRefusal(
                index: index, kind: .unknownInvoice, field: "invoice_number",
                message: "no invoice '\(number)'; correct the number, or leave invoice_number empty "
                    + "to pay the customer's oldest open invoices")
        }
        guard owner == payment.customerID else {
            return ImportRefusal(
                index: index, kind: .unknownInvoice, field: "invoice_number",
                message: "invoice '\(number)' belongs to customer '\(owner)', not '\(payment.customerID)'")
        }
        return nil
    }

    static func unknownCustomer(
        _ customerID: String, _ index: Int, _ customers: inout KnownCustomers, _ db: Database
    ) throws -> ImportRefusal? {
        do {
            try customers.require(customerID, db)
            return nil
        } catch StoreError.customerNotFound {
            return ImportRefusal(
                index: index, kind: .unknownCustomer, field: "customer_id",
                message: "\(StoreError.customerNotFound(customerID)) (import customers first)")
        }
    }
}
