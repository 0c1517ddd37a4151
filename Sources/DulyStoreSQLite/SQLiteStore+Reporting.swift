import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: ReportingStore {
    /// A page of invoices with their dated allocations and credit notes: three queries per page, whatever its size.
    public func invoiceHistories(
        organisationID: String, customerID: String?, through: LocalDate?, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceHistory] {
        guard limit > 0 else { return [] }
        let through = through?.description
        return try await read { db in
            // Keyset paging on the table's own clustering key: each page continues where the last one stopped,
            // reading consecutive pages of the B-tree, with no OFFSET to skip over. Customer ids are never empty, so
            // ('', '', '') is before every row.
            let statement = try db.makeStatement(
                sql: """
                    SELECT \(SQLiteStore.invoiceColumns())
                    FROM invoices
                    WHERE org_id = ? AND (? IS NULL OR customer_id = ?) AND (? IS NULL OR issue_date <= ?)
                        AND (customer_id, due_date, invoice_number) > (?, ?, ?)
                    ORDER BY customer_id, due_date, invoice_number
                    LIMIT ?
                    """)
            let columns = try InvoicePositions(statement)
            let rows = try Row.fetchCursor(
                statement,
                arguments: [
                    organisationID, customerID, customerID, through, through, after?.customerID ?? "",
                    after?.dueDate.description ?? "", after?.number ?? "", limit,
                ])
            var currencies = CurrencyCache()
            var histories: [InvoiceHistory] = []
            var index: [String: Int] = [:]
            // Only invoices with something paid or credited (per the cached sums) can have rows to fetch.
            var paid: [String] = []
            var credited: [String] = []
            while let row = try rows.next() {
                let balance = try SQLiteStore.balance(from: row, at: columns, &currencies)
                let number = balance.invoice.number
                index[number] = histories.count
                histories.append(InvoiceHistory(invoice: balance.invoice))
                if balance.paid.minorUnits > 0 { paid.append(number) }
                if balance.credited.minorUnits > 0 { credited.append(number) }
            }
            if !paid.isEmpty {
                let (allocations, column) = try db.rowsAndColumns(
                    sql: """
                        SELECT invoice_number, payment_id, amount_minor, date FROM allocations
                        WHERE org_id = ? AND invoice_number IN (SELECT value FROM json_each(?))
                            AND (? IS NULL OR date <= ?)
                        ORDER BY invoice_number, date, payment_id
                        """,
                    arguments: [organisationID, JSONText.encode(paid), through, through])
                let (number, paymentID, amount, date) = try (
                    column("invoice_number"), column("payment_id"), column("amount_minor"), column("date")
                )
                while let row = try allocations.next() {
                    guard let position = index[row[number]] else { continue }
                    let currency = histories[position].invoice.currency
                    histories[position].allocations.append(
                        Allocation(
                            paymentID: row[paymentID], invoiceNumber: row[number],
                            amount: Money(minorUnits: row[amount], currency: currency),
                            date: try Decode.date(row[date])))
                }
            }
            if !credited.isEmpty {
                let (notes, column) = try db.rowsAndColumns(
                    sql: """
                        SELECT invoice_number, credit_note_id, amount_minor, date FROM credit_notes
                        WHERE org_id = ? AND invoice_number IN (SELECT value FROM json_each(?))
                            AND (? IS NULL OR date <= ?)
                        ORDER BY invoice_number, date, credit_note_id
                        """,
                    arguments: [organisationID, JSONText.encode(credited), through, through])
                let (number, noteID, amount, date) = try (
                    column("invoice_number"), column("credit_note_id"), column("amount_minor"), column("date")
                )
                while let row = try notes.next() {
                    guard let position = index[row[number]] else { continue }
                    let currency = histories[position].invoice.currency
                    histories[position].creditNotes.append(
                        CreditNote(
                            id: row[noteID], invoiceNumber: row[number], date: try Decode.date(row[date]),
                            amount: Money(minorUnits: row[amount], currency: currency)))
                }
            }
            return histories
        }
    }

    /// Promises made by `through` with the receipts on their invoices; three queries.
    public func promiseHistories(
        organisationID: String, customerID: String?, through: LocalDate
    ) async throws -> [PromiseHistory] {
        let through = through.description
        return try await read { db in
            var currencies = CurrencyCache()
            var promiseInvoices: [String: [String]] = [:]
            let invoiceRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT pi.promise_id, pi.invoice_number
                    FROM promise_invoices pi
                    JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                    WHERE p.org_id = ? AND (? IS NULL OR p.customer_id = ?) AND p.made_on <= ?
                    ORDER BY pi.promise_id, pi.position
                    """,
                arguments: [organisationID, customerID, customerID, through])
            while let row = try invoiceRows.next() {
                promiseInvoices[row["promise_id"], default: []].append(row["invoice_number"])
            }
            var receipts: [String: [Receipt]] = [:]
            let receiptRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT al.invoice_number, al.date, al.amount_minor, i.currency
                    FROM allocations al
                    JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                    WHERE al.org_id = ? AND al.date <= ? AND al.invoice_number IN (
                        SELECT pi.invoice_number FROM promise_invoices pi
                        JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                        WHERE p.org_id = ? AND (? IS NULL OR p.customer_id = ?) AND p.made_on <= ?)
                    ORDER BY al.invoice_number, al.date, al.payment_id
                    """,
                arguments: [organisationID, through, organisationID, customerID, customerID, through])
            while let row = try receiptRows.next() {
                receipts[row["invoice_number"], default: []].append(
                    Receipt(
                        invoiceNumber: row["invoice_number"], date: try Decode.date(row["date"]),
                        amount: Money(
                            minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"]))
                    ))
            }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT customer_id, promise_id, amount_minor, currency, promised_date, made_on
                    FROM promises p
                    WHERE org_id = ? AND (? IS NULL OR customer_id = ?) AND made_on <= ?
                        AND NOT EXISTS (SELECT 1 FROM promise_withdrawals w WHERE w.org_id = p.org_id AND w.promise_id = p.promise_id)
                    ORDER BY customer_id, made_on, promise_id
                    """,
                arguments: [organisationID, customerID, customerID, through])
            var histories: [PromiseHistory] = []
            while let row = try rows.next() {
                let id: String = row["promise_id"]
                let invoices = promiseInvoices[id] ?? []
                histories.append(
                    PromiseHistory(
                        customerID: row["customer_id"],
                        promise: PromiseToPay(
                            id: id, invoiceNumbers: invoices,
                            amount: Money(
                                minorUnits: row["amount_minor"], currency: try currencies.currency(row["currency"])),
                            promisedDate: try Decode.date(row["promised_date"]),
                            madeOn: try Decode.date(row["made_on"])),
                        receipts: invoices.flatMap { receipts[$0] ?? [] }))
            }
            return histories
        }
    }

    /// The period's allocations and the contacts about their invoices: two queries, each one pass over the
    /// organisation's allocations.
    public func collectionFacts(organisationID: String, period: ReportPeriod) async throws -> CollectionFacts {
        let from = period.from.description
        let to = period.to.description
        return try await read { db in
            var currencies = CurrencyCache()
            // CROSS JOIN keeps allocations as the outer loop: one pass over them, probing the invoice of each one
            // in the period, rather than a probe into allocations for every invoice the organisation ever issued.
            let (rows, column) = try db.rowsAndColumns(
                sql: """
                    SELECT al.payment_id, al.invoice_number, al.amount_minor, al.date, i.customer_id, i.due_date,
                        i.currency
                    FROM allocations al
                    CROSS JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                    WHERE al.org_id = ? AND al.date BETWEEN ? AND ?
                    ORDER BY al.date, al.payment_id, al.invoice_number
                    """,
                arguments: [organisationID, from, to])
            let (paymentID, number, amount, date) = try (
                column("payment_id"), column("invoice_number"), column("amount_minor"), column("date")
            )
            let (customerID, dueDate, currency) = try (column("customer_id"), column("due_date"), column("currency"))
            var collections: [CollectedAllocation] = []
            while let row = try rows.next() {
                collections.append(
                    CollectedAllocation(
                        allocation: Allocation(
                            paymentID: row[paymentID], invoiceNumber: row[number],
                            amount: Money(minorUnits: row[amount], currency: try currencies.currency(row[currency])),
                            date: try Decode.date(row[date])),
                        customerID: row[customerID], dueDate: try Decode.date(row[dueDate])))
            }
            // One row per action and covered invoice, in action order; grouped back into actions below.
            let (actionRows, actionColumn) = try db.rowsAndColumns(
                sql: """
                    SELECT a.number, a.date, a.channel, a.status, a.escalates_to, s.key AS invoice_number,
                        s.value AS step_id
                    FROM actions a, json_each(a.invoice_steps) s
                    WHERE a.org_id = ? AND a.status IN ('sent', 'done') AND a.date <= ?
                        AND a.id IN (
                            SELECT covering.id
                            FROM actions covering, json_each(covering.invoice_steps) covered
                            WHERE covering.org_id = ? AND covering.customer_id IN (
                                    SELECT i.customer_id FROM allocations al
                                    JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                                    WHERE al.org_id = ? AND al.date BETWEEN ? AND ?)
                                AND covered.key IN (
                                    SELECT al.invoice_number FROM allocations al
                                    WHERE al.org_id = ? AND al.date BETWEEN ? AND ?))
                    ORDER BY a.id, s.id
                    """,
                arguments: [organisationID, to, organisationID, organisationID, from, to, organisationID, from, to])
            let (actionNumber, actionDate, channel, status, escalation, invoice, step) = try (
                actionColumn("number"), actionColumn("date"), actionColumn("channel"), actionColumn("status"),
                actionColumn("escalates_to"), actionColumn("invoice_number"), actionColumn("step_id")
            )
            var contacts: [ActionRecord] = []
            while let row = try actionRows.next() {
                let id: Int64 = row[actionNumber]
                let covered = InvoiceStep(invoiceNumber: row[invoice], stepID: row[step])
                if contacts.last?.id == id {
                    contacts[contacts.count - 1].steps.append(covered)
                    continue
                }
                let escalatesTo: String? = row[escalation]
                contacts.append(
                    ActionRecord(
                        id: id, date: try Decode.date(row[actionDate]), channel: try Decode.value(row[channel]),
                        status: try Decode.value(row[status]),
                        escalatesTo: try escalatesTo.map { try Decode.value($0) },
                        steps: [covered]))
            }
            return CollectionFacts(collections: collections, contacts: contacts)
        }
    }

    /// A page of timeline entries in key order, after `after`.
    public func timelineEntries(
        organisationID: String, customerID: String?, after: TimelinePageKey?, limit: Int
    ) async throws -> [TimelineEntry] {
        guard limit > 0 else { return [] }
        return try await read { db in
            let (rows, column) = try db.rowsAndColumns(
                sql: """
                    SELECT customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash
                    FROM timeline_entries
                    WHERE org_id = ? AND (? IS NULL OR customer_id = ?) AND (customer_id, sequence) > (?, ?)
                    ORDER BY customer_id, sequence
                    LIMIT ?
                    """,
                arguments: [
                    organisationID, customerID, customerID, after?.customerID ?? "", after?.sequence ?? 0, limit,
                ])
            let (customerID, sequence, date, recordedAt, kind) = try (
                column("customer_id"), column("sequence"), column("date"), column("recorded_at"), column("kind")
            )
            let (summary, details, previousHash, hash) = try (
                column("summary"), column("details"), column("previous_hash"), column("hash")
            )
            var entries: [TimelineEntry] = []
            while let row = try rows.next() {
                entries.append(
                    TimelineEntry(
                        sequence: row[sequence], customerID: row[customerID], date: try Decode.date(row[date]),
                        recordedAt: row[recordedAt], kind: row[kind], summary: row[summary],
                        details: try JSONText.decodeObject(row[details]), previousHash: row[previousHash],
                        hash: row[hash]))
            }
            return entries
        }
    }
}
