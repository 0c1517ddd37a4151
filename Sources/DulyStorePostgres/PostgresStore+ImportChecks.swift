import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Every invoice `importInvoices` would refuse, in the order given, without writing anything.
    public func importRefusals(invoices: [Invoice], organisationID: String) async throws -> [ImportRefusal] {
        let logger = self.logger
        return try await read { connection in
            try await self.requireOrganisation(organisationID, connection)
            var customers = try await PostgresKnownCustomers(
                organisationID: organisationID, expectedLookups: invoices.count, connection, logger: logger)
            try await customers.lookUp(invoices.map(\.customerID), connection)
            // A first import has nothing stored to compare with.
            let stored =
                try await Self.exists("invoices", organisationID, connection, logger: logger)
                ? try await Self.storedInvoiceFields(invoices.map(\.number), organisationID, connection, logger: logger)
                : [:]
            var refusals: [ImportRefusal] = []
            var firstIndex: [String: Int] = [:]
            for (index, invoice) in invoices.enumerated() {
                if let refusal = customers.refusal(invoice.customerID, index) { refusals.append(refusal) }
                let earlier: [(name: String, value: String?)]?
                if let first = firstIndex[invoice.number] {
                    earlier = Self.comparedFields(of: invoices[first])
                } else {
                    firstIndex[invoice.number] = index
                    earlier = stored[invoice.number]
                }
                guard let earlier, let field = Self.firstDifference(invoice, earlier) else { continue }
                let error = StoreError.conflict(kind: "invoice", key: invoice.number, field: field)
                refusals.append(ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
            }
            return refusals
        }
    }

    /// Every payment an import should refuse, in the order given, without writing anything: an unknown customer, an
    /// id stored with other data, or an invoice number that names no invoice of the payment's customer.
    public func importRefusals(payments: [Payment], organisationID: String) async throws -> [ImportRefusal] {
        let logger = self.logger
        return try await read { connection in
            try await self.requireOrganisation(organisationID, connection)
            var customers = try await PostgresKnownCustomers(
                organisationID: organisationID, expectedLookups: payments.count, connection, logger: logger)
            let hasPayments = try await Self.exists("payments", organisationID, connection, logger: logger)
            return try await Self.refusals(
                of: payments, hasPayments: hasPayments, &customers, organisationID, connection, logger: logger)
        }
    }

    /// Why an import refuses each of these payments, in the order given: its customer is unknown, its id is stored
    /// with other data, or the invoice it names is not its customer's. `hasPayments`: whether the organisation had any
    /// before this import. Three queries for the whole batch.
    static func refusals(
        of payments: [Payment], hasPayments: Bool, _ customers: inout PostgresKnownCustomers,
        _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [ImportRefusal] {
        try await customers.lookUp(payments.map(\.customerID), connection)
        let stored =
            hasPayments
            ? try await storedPayments(payments.map(\.id), organisationID, connection, logger: logger) : [:]
        var owners: [String: String] = [:]
        let named = payments.compactMap(\.invoiceNumber)
        if !named.isEmpty {
            for row in try await connection.rows(
                """
                SELECT invoice_number, customer_id FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(Array(Set(named)))::text[])
                """, logger: logger)
            {
                owners[try row.value("invoice_number")] = try row.value("customer_id")
            }
        }
        var refusals: [ImportRefusal] = []
        for (index, payment) in payments.enumerated() {
            if let refusal = customers.refusal(payment.customerID, index) {
                refusals.append(refusal)
                continue
            }
            if let storedPayment = stored[payment.id] {
                // Already imported: it must match, and then it changes nothing, whatever it names.
                if let field = storedPayment.firstDifference(from: payment) {
                    let error = StoreError.conflict(kind: "payment", key: payment.id, field: field)
                    refusals.append(
                        ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
                }
                continue
            }
            guard let number = payment.invoiceNumber else { continue }
            if let owner = owners[number] {
                if owner != payment.customerID {
                    refusals.append(
                        ImportRefusal(
                            index: index, kind: .unknownInvoice, field: "invoice_number",
                            message: "invoice '\(number)' belongs to customer '\(owner)', not '\(payment.customerID)'"))
                }
            } else {
                refusals.append(
                    ImportRefusal(
                        index: index, kind: .unknownInvoice, field: "invoice_number",
                        message: "no invoice '\(number)'; correct the number, or leave invoice_number empty "
                            + "to pay the customer's oldest open invoices"))
            }
        }
        return refusals
    }

    /// Whether the organisation has any row in `table` (a schema constant, never input).
    static func exists(
        _ table: String, _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let row = try await connection.row(
            "SELECT EXISTS (SELECT 1 FROM \(unescaped: table) WHERE org_id = \(organisationID)) AS found",
            logger: logger)
        return try row?.value("found", as: Bool.self) ?? false
    }

    // MARK: - Invoices as an import compares them

    /// The fields an import compares, in the order a conflict names them, as text (dates in ISO form, amounts in
    /// minor units).
    static func comparedFields(of invoice: Invoice) -> [(name: String, value: String?)] {
        [
            ("customer_id", invoice.customerID), ("issue_date", invoice.issueDate.description),
            ("due_date", invoice.dueDate.description), ("currency", invoice.currency.code),
            ("total", String(invoice.total.minorUnits)), ("terms", invoice.terms?.description),
            ("po_number", invoice.poNumber), ("payment_url", invoice.paymentURL),
        ]
    }

    /// The first field in which `invoice` differs from fields stored (or given earlier), or nil when identical.
    static func firstDifference(_ invoice: Invoice, _ stored: [(name: String, value: String?)]) -> String? {
        zip(comparedFields(of: invoice), stored).first { $0.0.value != $0.1.value }?.0.name
    }

    /// The compared fields of these invoice numbers that are stored, by number.
    static func storedInvoiceFields(
        _ numbers: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [String: [(name: String, value: String?)]] {
        var fields: [String: [(name: String, value: String?)]] = [:]
        for chunk in Array(Set(numbers)).chunks(of: rowsPerStatement) {
            let rows = try await connection.rows(
                """
                SELECT invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number,
                    payment_url
                FROM invoices WHERE org_id = \(organisationID) AND invoice_number = ANY(\(Array(chunk))::text[])
                """, logger: logger)
            for row in rows {
                fields[try row.value("invoice_number")] = [
                    ("customer_id", try row.value("customer_id", as: String.self)),
                    ("issue_date", try row.value("issue_date", as: LocalDate.self).description),
                    ("due_date", try row.value("due_date", as: LocalDate.self).description),
                    ("currency", try row.value("currency", as: String.self)),
                    ("total", String(try row.value("total_minor", as: Int.self))),
                    ("terms", try row.optional("terms", as: String.self)),
                    ("po_number", try row.optional("po_number", as: String.self)),
                    ("payment_url", try row.optional("payment_url", as: String.self)),
                ]
            }
        }
        return fields
    }

    // MARK: - Payments as an import compares them

    /// A payment as stored, for comparing a payment imported again.
    struct StoredPayment {
        let customerID: String
        let date: LocalDate
        let currency: String
        let minorUnits: Int
        let reference: String?
        let invoiceNumber: String?

        /// The first field in which `payment` differs, in the order a conflict names them; nil when identical.
        func firstDifference(from payment: Payment) -> String? {
            let fields: [(name: String, same: Bool)] = [
                ("customer_id", customerID == payment.customerID),
                ("date", date == payment.date),
                ("currency", currency == payment.amount.currency.code),
                ("amount", minorUnits == payment.amount.minorUnits),
                ("reference", reference == payment.reference),
                ("invoice_number", invoiceNumber == payment.invoiceNumber),
            ]
            return fields.first { !$0.same }?.name
        }
    }

    /// These payment ids as stored, those that are.
    static func storedPayments(
        _ ids: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [String: StoredPayment] {
        var stored: [String: StoredPayment] = [:]
        for chunk in Array(Set(ids)).chunks(of: rowsPerStatement) {
            let rows = try await connection.rows(
                """
                SELECT payment_id, customer_id, date, currency, amount_minor, reference, invoice_number
                FROM payments WHERE org_id = \(organisationID) AND payment_id = ANY(\(Array(chunk))::text[])
                """, logger: logger)
            for row in rows {
                stored[try row.value("payment_id")] = StoredPayment(
                    customerID: try row.value("customer_id"), date: try row.value("date"),
                    currency: try row.value("currency"), minorUnits: try row.value("amount_minor"),
                    reference: try row.optional("reference"), invoiceNumber: try row.optional("invoice_number"))
            }
        }
        return stored
    }
}

/// Answers "does this customer exist in the organisation?" during one transaction.
///
/// A large import loads every customer id of the organisation once; a small one looks up the ids of each batch it
/// is given, in one query, so that recording one payment in a big organisation does not read a hundred thousand ids.
struct PostgresKnownCustomers {
    let organisationID: String
    let logger: Logger
    private var known: Set<String> = []
    private var checked: Set<String> = []
    private var loadedAll = false

    init(
        organisationID: String, expectedLookups: Int, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        self.organisationID = organisationID
        self.logger = logger
        if expectedLookups > 256 {
            let rows = try await connection.rows(
                "SELECT customer_id FROM customers WHERE org_id = \(organisationID)", logger: logger)
            known = Set(try rows.map { try $0.value("customer_id", as: String.self) })
            loadedAll = true
        }
    }

    /// Looks up, in one query, the ids not looked up yet.
    mutating func lookUp(_ customerIDs: [String], _ connection: PostgresConnection) async throws {
        guard !loadedAll else { return }
        let wanted = Set(customerIDs).subtracting(checked)
        guard !wanted.isEmpty else { return }
        let rows = try await connection.rows(
            """
            SELECT customer_id FROM customers
            WHERE org_id = \(organisationID) AND customer_id = ANY(\(Array(wanted))::text[])
            """, logger: logger)
        for row in rows { known.insert(try row.value("customer_id", as: String.self)) }
        checked.formUnion(wanted)
    }

    /// Whether the customer exists; its id must have been looked up.
    func contains(_ customerID: String) -> Bool {
        known.contains(customerID)
    }

    /// An import's refusal of a record naming a customer that does not exist; nil when it exists.
    func refusal(_ customerID: String, _ index: Int) -> ImportRefusal? {
        guard !known.contains(customerID) else { return nil }
        return ImportRefusal(
            index: index, kind: .unknownCustomer, field: "customer_id",
            message: "\(StoreError.customerNotFound(customerID)) (import customers first)")
    }
}

extension PostgresConnection {
    /// The lock an import takes before it reads what it compares and appends to timelines (docs/ARCHITECTURE.md,
    /// "Isolation"): the customers' own locks for a few hundred customers, the organisation's for more, since each
    /// customer's lock takes an entry in the server's shared lock table.
    func lockForImport(organisationID: String, customerIDs: [String], logger: Logger) async throws {
        let distinct = Array(Set(customerIDs))
        if distinct.count > 256 {
            try await lockOrganisation(organisationID, logger: logger)
        } else {
            try await lockCustomers(organisationID: organisationID, customerIDs: distinct, logger: logger)
        }
    }
}
