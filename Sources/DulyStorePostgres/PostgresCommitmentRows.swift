import DulyCore
import DulyStore
import Logging
import PostgresNIO

// Reading disputes, promises, plans and invoice balances from rows, for the collector's reads and decisions (the
// SQLite store's `dispute(from:_:)`, `loadPlan` and `invoiceBalance`).
enum PostgresCommitmentRows {
    /// The columns `dispute(from:_:)` reads.
    static let disputeColumns = """
        customer_id, dispute_id, invoice_number, opened_on, reason, amount_minor, currency, resolved_on, reason_code,
        owner, outcome, resolution_note
        """

    /// Reads a dispute from a row that selects `disputeColumns`, by column name.
    static func dispute(from row: PostgresRandomAccessRow, _ currencies: inout CurrencyCache) throws -> Dispute {
        var amount: Money?
        if let minor = try row.optional("amount_minor", as: Int.self),
            let currency = try row.optional("currency", as: String.self)
        {
            amount = Money(minorUnits: minor, currency: try currencies.currency(currency))
        }
        return Dispute(
            id: try row.value("dispute_id"), invoiceNumber: try row.value("invoice_number"),
            openedOn: try row.value("opened_on"),
            reasonCode: DisputeReason(rawValue: try row.value("reason_code")) ?? .other,
            reason: try row.value("reason"),
            amount: amount, owner: try row.optional("owner"), resolvedOn: try row.optional("resolved_on"),
            outcome: try row.optional("outcome", as: String.self).flatMap(DisputeOutcome.init(rawValue:)),
            findings: try row.optional("resolution_note"))
    }

    /// The invoice columns `balance(from:_:)` reads.
    static let invoiceColumns = """
        invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number, paid_minor,
        credited_minor, adjusted_as, payment_reference, payment_url
        """

    /// Reads an invoice with its balance from a row that selects `invoiceColumns`, by column name.
    static func balance(from row: PostgresRandomAccessRow, _ currencies: inout CurrencyCache) throws -> InvoiceBalance {
        let currency = try currencies.currency(try row.value("currency"))
        let invoice = Invoice(
            number: try row.value("invoice_number"), customerID: try row.value("customer_id"),
            issueDate: try row.value("issue_date"), dueDate: try row.value("due_date"),
            total: Money(minorUnits: try row.value("total_minor"), currency: currency),
            terms: try currencies.terms(try row.optional("terms")), poNumber: try row.optional("po_number"),
            paymentReference: try row.optional("payment_reference"), paymentURL: try row.optional("payment_url"))
        return InvoiceBalance(
            invoice: invoice, paid: Money(minorUnits: try row.value("paid_minor"), currency: currency),
            credited: Money(minorUnits: try row.value("credited_minor"), currency: currency),
            adjustedAs: try row.optional("adjusted_as", as: String.self).flatMap(EndState.init(rawValue:)))
    }

    /// One invoice with its balance, or nil; `lock` takes the invoice's row lock, for a check then an update.
    static func invoiceBalance(
        _ number: String, _ organisationID: String, lock: Bool = false, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> InvoiceBalance? {
        guard
            let row = try await connection.row(
                """
                SELECT \(unescaped: invoiceColumns) FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = \(number)
                \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger)
        else { return nil }
        var currencies = CurrencyCache()
        return try balance(from: row, &currencies)
    }

    /// A payment plan's invoices and instalments.
    static func plan(
        _ planID: String, acceptedOn: LocalDate?, _ organisationID: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> PaymentPlan {
        let invoices = try await connection.rows(
            """
            SELECT invoice_number FROM plan_invoices WHERE org_id = \(organisationID) AND plan_id = \(planID)
            ORDER BY position
            """, logger: logger
        ).map { try $0.value("invoice_number", as: String.self) }
        let instalments = try await connection.rows(
            """
            SELECT due_date, amount_minor, currency FROM plan_instalments
            WHERE org_id = \(organisationID) AND plan_id = \(planID) ORDER BY position
            """, logger: logger
        ).map { PaymentPlan.Instalment(dueDate: try $0.value("due_date"), amount: try $0.money("amount_minor")) }
        return PaymentPlan(id: planID, invoiceNumbers: invoices, instalments: instalments, acceptedOn: acceptedOn)
    }
}
