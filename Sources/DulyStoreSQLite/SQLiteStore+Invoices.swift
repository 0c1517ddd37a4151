import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// Inserts new invoices; identical ones are unchanged, different ones a conflict that imports nothing.
    public func importInvoices(
        _ invoices: [Invoice], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    {
        try await write { db in
            // One batch: the whole array, written in the table's key order.
            var given: [Invoice]? = invoices
            return try SQLiteStore.importInvoiceStream(
                next: {
                    defer { given = nil }
                    return given
                }, refusing: nil, writes: { true }, expectedRows: invoices.count, organisationID: organisationID,
                context: context, db)
        }
    }

    /// Refuses an invoice whose own fields break DulyCore's rules (`Invoice.problems`), naming the first.
    static func refuseProblems(of invoice: Invoice) throws {
        guard let problem = invoice.problems.first else { return }
        throw StoreError.invalid(
            invoice.number.isEmpty ? problem.description : "invoice '\(invoice.number)': \(problem)")
    }

    // The first attempt's reference not yet in `issued` (and now in it): what the unique index would have let
    // through, when the references issued are all the table holds.
    static func freeReference(for number: String, issued: inout Set<String>) throws -> String {
        for attempt in 0..<100 {
            let reference = CreditorReference.forInvoice(number: number, attempt: attempt)
            if issued.insert(reference).inserted { return reference }
        }
        throw StoreError.backend("invoice '\(number)': no free RF reference in 100 attempts")
    }

    /// Records a credit note (or a discount, settlement or write-off) against one invoice; recording the same note
    /// again changes nothing. A settlement or write-off needs a reason and an approver; a write-off takes all that
    /// is open.
    public func recordCreditNote(_ note: CreditNote, organisationID: String, context: RecordingContext) async throws {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            try SQLiteStore.insertCreditNote(note, organisationID: organisationID, timeline: &timeline, db)
        }
    }

    // The credit note's rows, its cached sum and its timeline entry, inside the caller's transaction (and on its
    // appender: one appender per transaction keeps each chain's head right).
    static func insertCreditNote(
        _ note: CreditNote, organisationID: String, timeline: inout TimelineAppender, _ db: Database
    ) throws {
        let label = note.kind == .creditNote ? "credit note '\(note.id)'" : "\(note.kind.rawValue) '\(note.id)'"
        guard note.amount.minorUnits > 0 else {
            throw StoreError.invalid("\(label): the amount must be more than zero")
        }
        if note.kind.needsApproval {
            guard !(note.reason ?? "").isEmpty, !(note.approvedBy ?? "").isEmpty else {
                throw StoreError.invalid("\(label): a \(note.kind.rawValue) needs a reason and who approved it")
            }
        }
        guard let balance = try SQLiteStore.invoiceBalance(note.invoiceNumber, organisationID, db) else {
            throw StoreError.invoiceNotFound(note.invoiceNumber)
        }
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT invoice_number, date, amount_minor, kind, reason, approved_by FROM credit_notes
                WHERE org_id = ? AND credit_note_id = ?
                """,
            arguments: [organisationID, note.id])
        {
            let stored: [(field: String, same: Bool)] = [
                ("invoice_number", (row["invoice_number"] as String) == note.invoiceNumber),
                ("date", (row["date"] as String) == note.date.description),
                (
                    "amount",
                    (row["amount_minor"] as Int) == note.amount.minorUnits
                        && note.amount.currency == balance.invoice.currency
                ),
                ("kind", (row["kind"] as String) == note.kind.rawValue),
                ("reason", (row["reason"] as String?) == note.reason),
                ("approved_by", (row["approved_by"] as String?) == note.approvedBy),
            ]
            if let difference = stored.first(where: { !$0.same }) {
                throw StoreError.conflict(kind: "credit_note", key: note.id, field: difference.field)
            }
            return
        }
        if let refusal = WriteChecks.refusal(of: note, label: label, against: balance) { throw refusal }
        try db.execute(
            sql: """
                INSERT INTO credit_notes (org_id, credit_note_id, invoice_number, date, amount_minor, kind, reason,
                    approved_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                organisationID, note.id, note.invoiceNumber, note.date.description, note.amount.minorUnits,
                note.kind.rawValue, note.reason, note.approvedBy,
            ])
        // The cached sum moves in the same transaction as the credit note it sums; a settlement or write-off also
        // decides how the invoice ends.
        let adjustedAs: EndState? =
            switch note.kind {
            case .settlement: .settled
            case .writeOff: .writtenOff
            case .creditNote, .discount: nil
            }
        try db.execute(
            sql: """
                UPDATE invoices SET credited_minor = credited_minor + ?, adjusted_as = coalesce(?, adjusted_as)
                WHERE org_id = ? AND invoice_number = ?
                """,
            arguments: [note.amount.minorUnits, adjustedAs?.rawValue, organisationID, note.invoiceNumber])
        try timeline.append(.adjustmentRecorded(note, customerID: balance.invoice.customerID), db)
    }

    /// Invoices with their balances, ordered by customer, due date and number.
    public func invoices(
        organisationID: String, customerID: String?, openOnly: Bool
    ) async throws
        -> [InvoiceBalance]
    {
        try await read { db in
            let statement = try db.makeStatement(
                sql: """
                    SELECT \(SQLiteStore.invoiceColumns())
                    FROM invoices
                    WHERE org_id = ? AND (? IS NULL OR customer_id = ?)
                        AND (? = 0 OR paid_minor + credited_minor < total_minor)
                    ORDER BY customer_id, due_date, invoice_number
                    """)
            let columns = try InvoicePositions(statement)
            let rows = try Row.fetchCursor(statement, arguments: [organisationID, customerID, customerID, openOnly])
            var currencies = CurrencyCache()
            var balances: [InvoiceBalance] = []
            while let row = try rows.next() {
                balances.append(try SQLiteStore.balance(from: row, at: columns, &currencies))
            }
            return balances
        }
    }

    // MARK: - Rows

    /// The invoice columns `balance(from:at:_:)` reads, each qualified by `table` (`i.`) when given. Every query that
    /// reads invoices selects these, so adding a column means changing this list, `InvoicePositions` and that
    /// function only.
    static func invoiceColumns(_ table: String = "") -> String {
        InvoicePositions.names.map { table + $0 }.joined(separator: ", ")
    }

    /// Reads an invoice row of a statement that selects `invoiceColumns()`, its columns found at `columns`.
    static func balance(
        from row: Row, at columns: InvoicePositions, _ currencies: inout CurrencyCache
    ) throws -> InvoiceBalance {
        let adjustedAs: String? = row[columns.adjustedAs]
        let paymentReference: String? = row[columns.paymentReference]
        let paymentURL: String? = row[columns.paymentURL]
        let currency = try currencies.currency(row[columns.currency])
        let invoice = Invoice(
            number: row[columns.number], customerID: row[columns.customerID],
            issueDate: try Decode.date(row[columns.issueDate]), dueDate: try Decode.date(row[columns.dueDate]),
            total: Money(minorUnits: row[columns.total], currency: currency),
            terms: try currencies.terms(row[columns.terms]), poNumber: row[columns.poNumber],
            paymentReference: paymentReference, paymentURL: paymentURL)
        return InvoiceBalance(
            invoice: invoice, paid: Money(minorUnits: row[columns.paid], currency: currency),
            credited: Money(minorUnits: row[columns.credited], currency: currency),
            adjustedAs: adjustedAs.flatMap(EndState.init(rawValue:)))
    }

    /// One invoice with its balance, or nil.
    static func invoiceBalance(_ number: String, _ organisationID: String, _ db: Database) throws -> InvoiceBalance? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT \(invoiceColumns()) FROM invoices WHERE org_id = ? AND invoice_number = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, number]) else { return nil }
        var currencies = CurrencyCache()
        return try balance(from: row, at: try InvoicePositions(statement), &currencies)
    }

    // The fields an import compares, in the order a conflict names them, as stored text.
    static func fields(of invoice: Invoice) -> [(name: String, value: DatabaseValue)] {
        [
            ("customer_id", invoice.customerID.databaseValue),
            ("issue_date", invoice.issueDate.description.databaseValue),
            ("due_date", invoice.dueDate.description.databaseValue),
            ("currency", invoice.currency.code.databaseValue),
            ("total", invoice.total.minorUnits.databaseValue),
            ("terms", invoice.terms?.description.databaseValue ?? .null),
            ("po_number", invoice.poNumber?.databaseValue ?? .null),
            ("payment_url", invoice.paymentURL?.databaseValue ?? .null),
        ]
    }

    // An invoice number already stored: its fields, or nil when it is new.
    static func storedFields(
        _ number: String, _ organisationID: String, _ db: Database
    ) throws -> [(name: String, value: DatabaseValue)]? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT customer_id, issue_date, due_date, currency, total_minor, terms, po_number, payment_url
                FROM invoices WHERE org_id = ? AND invoice_number = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, number]) else { return nil }
        // As `fields(of:)` names them, each with its column.
        let fields = [
            ("customer_id", "customer_id"), ("issue_date", "issue_date"), ("due_date", "due_date"),
            ("currency", "currency"), ("total", "total_minor"), ("terms", "terms"), ("po_number", "po_number"),
            ("payment_url", "payment_url"),
        ]
        return fields.map { field, column in (name: field, value: row[column] as DatabaseValue) }
    }

    // An invoice number already present: identical data is fine, anything else names its first differing field.
    static func compare(_ invoice: Invoice, storedFields: [(name: String, value: DatabaseValue)]) throws {
        for (given, stored) in zip(fields(of: invoice), storedFields) where given.value != stored.value {
            throw StoreError.conflict(kind: "invoice", key: invoice.number, field: given.name)
        }
    }
}
