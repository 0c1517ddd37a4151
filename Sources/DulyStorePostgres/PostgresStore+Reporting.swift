import DulyCore
import DulyStore
import PostgresNIO

// The reports' reads: each one snapshot, one query per table, rows decoded in memory (never a query per invoice).
extension PostgresStore: ReportingStore {
    /// A page of invoices with their dated allocations and credit notes: three queries per page, whatever its size.
    public func invoiceHistories(
        organisationID: String, customerID: String?, through: LocalDate?, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceHistory] {
        guard limit > 0 else { return [] }
        let logger = self.logger
        return try await read { connection in
            // Keyset paging on the invoices' primary key (customer, due date, number): each page continues where the
            // last one stopped, with no OFFSET to skip over. The key's text compares in the database's collation, as
            // the index holds it (byte order, SQLite's, on a C or C.UTF-8 database): a COLLATE "C" here would sort
            // every remaining invoice for each page. Sorts with no index to follow say COLLATE "C" instead.
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.invoiceColumns)
                FROM invoices
                WHERE org_id = \(organisationID)
                    AND (\(customerID)::text IS NULL OR customer_id = \(customerID)::text)
                    AND (\(through)::date IS NULL OR issue_date <= \(through)::date)
                    AND (\(after?.customerID)::text IS NULL
                        OR (customer_id, due_date, invoice_number)
                            > (\(after?.customerID)::text, \(after?.dueDate)::date, \(after?.number)::text))
                ORDER BY customer_id, due_date, invoice_number
                LIMIT \(limit)
                """, logger: logger)
            var currencies = CurrencyCache()
            var histories: [InvoiceHistory] = []
            var index: [String: Int] = [:]
            // Only invoices with something paid or credited (per the kept sums) can have rows to fetch.
            var paid: [String] = []
            var credited: [String] = []
            for row in rows {
                let balance = try Self.balance(from: row, &currencies)
                let number = balance.invoice.number
                index[number] = histories.count
                histories.append(InvoiceHistory(invoice: balance.invoice))
                if balance.paid.minorUnits > 0 { paid.append(number) }
                if balance.credited.minorUnits > 0 { credited.append(number) }
            }
            if !paid.isEmpty {
                let allocations = try await connection.rows(
                    """
                    SELECT invoice_number, payment_id, amount_minor, date FROM allocations
                    WHERE org_id = \(organisationID) AND invoice_number = ANY(\(paid)::text[])
                        AND (\(through)::date IS NULL OR date <= \(through)::date)
                    ORDER BY invoice_number, date, payment_id COLLATE "C"
                    """, logger: logger)
                for row in allocations {
                    let number = try row.value("invoice_number", as: String.self)
                    guard let position = index[number] else { continue }
                    let currency = histories[position].invoice.currency
                    histories[position].allocations.append(
                        Allocation(
                            paymentID: try row.value("payment_id"), invoiceNumber: number,
                            amount: Money(minorUnits: try row.value("amount_minor"), currency: currency),
                            date: try row.value("date")))
                }
            }
            if !credited.isEmpty {
                let notes = try await connection.rows(
                    """
                    SELECT invoice_number, credit_note_id, amount_minor, date FROM credit_notes
                    WHERE org_id = \(organisationID) AND invoice_number = ANY(\(credited)::text[])
                        AND (\(through)::date IS NULL OR date <= \(through)::date)
                    ORDER BY invoice_number, date, credit_note_id COLLATE "C"
                    """, logger: logger)
                for row in notes {
                    let number = try row.value("invoice_number", as: String.self)
                    guard let position = index[number] else { continue }
                    let currency = histories[position].invoice.currency
                    histories[position].creditNotes.append(
                        CreditNote(
                            id: try row.value("credit_note_id"), invoiceNumber: number, date: try row.value("date"),
                            amount: Money(minorUnits: try row.value("amount_minor"), currency: currency)))
                }
            }
            return histories
        }
    }

    /// Promises made by `through` with the receipts on their invoices; three queries.
    public func promiseHistories(
        organisationID: String, customerID: String?, through: LocalDate
    ) async throws -> [PromiseHistory] {
        let logger = self.logger
        return try await read { connection in
            var currencies = CurrencyCache()
            var promiseInvoices: [String: [String]] = [:]
            let invoiceRows = try await connection.rows(
                """
                SELECT pi.promise_id, pi.invoice_number
                FROM promise_invoices pi
                JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                WHERE p.org_id = \(organisationID) AND (\(customerID)::text IS NULL OR p.customer_id = \(customerID)::text)
                    AND p.made_on <= \(through)
                ORDER BY pi.promise_id, pi.position
                """, logger: logger)
            for row in invoiceRows {
                promiseInvoices[try row.value("promise_id"), default: []].append(try row.value("invoice_number"))
            }
            var receipts: [String: [Receipt]] = [:]
            let receiptRows = try await connection.rows(
                """
                SELECT al.invoice_number, al.date, al.amount_minor, i.currency
                FROM allocations al
                JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                WHERE al.org_id = \(organisationID) AND al.date <= \(through) AND al.invoice_number IN (
                    SELECT pi.invoice_number FROM promise_invoices pi
                    JOIN promises p ON p.org_id = pi.org_id AND p.promise_id = pi.promise_id
                    WHERE p.org_id = \(organisationID)
                        AND (\(customerID)::text IS NULL OR p.customer_id = \(customerID)::text)
                        AND p.made_on <= \(through))
                ORDER BY al.invoice_number, al.date, al.payment_id COLLATE "C"
                """, logger: logger)
            for row in receiptRows {
                let number = try row.value("invoice_number", as: String.self)
                receipts[number, default: []].append(
                    Receipt(
                        invoiceNumber: number, date: try row.value("date"),
                        amount: Money(
                            minorUnits: try row.value("amount_minor"),
                            currency: try currencies.currency(try row.value("currency")))))
            }
            let rows = try await connection.rows(
                """
                SELECT customer_id, promise_id, amount_minor, currency, promised_date, made_on
                FROM promises p
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID)::text)
                    AND made_on <= \(through)
                    AND NOT EXISTS (
                        SELECT 1 FROM promise_withdrawals w WHERE w.org_id = p.org_id AND w.promise_id = p.promise_id)
                ORDER BY customer_id COLLATE "C", made_on, promise_id COLLATE "C"
                """, logger: logger)
            var histories: [PromiseHistory] = []
            for row in rows {
                let id = try row.value("promise_id", as: String.self)
                let invoices = promiseInvoices[id] ?? []
                histories.append(
                    PromiseHistory(
                        customerID: try row.value("customer_id"),
                        promise: PromiseToPay(
                            id: id, invoiceNumbers: invoices,
                            amount: Money(
                                minorUnits: try row.value("amount_minor"),
                                currency: try currencies.currency(try row.value("currency"))),
                            promisedDate: try row.value("promised_date"), madeOn: try row.value("made_on")),
                        receipts: invoices.flatMap { receipts[$0] ?? [] }))
            }
            return histories
        }
    }

    /// The period's allocations and the contacts about their invoices: two queries.
    public func collectionFacts(organisationID: String, period: ReportPeriod) async throws -> CollectionFacts {
        let from = period.from
        let to = period.to
        let logger = self.logger
        return try await read { connection in
            var currencies = CurrencyCache()
            let rows = try await connection.rows(
                """
                SELECT al.payment_id, al.invoice_number, al.amount_minor, al.date, i.customer_id, i.due_date,
                    i.currency
                FROM allocations al
                JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                WHERE al.org_id = \(organisationID) AND al.date BETWEEN \(from) AND \(to)
                ORDER BY al.date, al.payment_id COLLATE "C", al.invoice_number COLLATE "C"
                """, logger: logger)
            var collections: [CollectedAllocation] = []
            for row in rows {
                collections.append(
                    CollectedAllocation(
                        allocation: Allocation(
                            paymentID: try row.value("payment_id"), invoiceNumber: try row.value("invoice_number"),
                            amount: Money(
                                minorUnits: try row.value("amount_minor"),
                                currency: try currencies.currency(try row.value("currency"))),
                            date: try row.value("date")),
                        customerID: try row.value("customer_id"), dueDate: try row.value("due_date")))
            }
            // One row per action and covered invoice, in action order and the steps' own order within an action
            // (`json`, unlike `jsonb`, keeps the object's order); grouped back into actions below.
            let actionRows = try await connection.rows(
                """
                SELECT a.number, a.date, a.channel, a.status, a.escalates_to, s.key AS invoice_number,
                    s.value AS step_id
                FROM actions a
                CROSS JOIN LATERAL json_each_text(a.invoice_steps::json) WITH ORDINALITY AS s (key, value, position)
                WHERE a.org_id = \(organisationID) AND a.status IN ('sent', 'done') AND a.date <= \(to)
                    AND a.id IN (
                        SELECT covering.id
                        FROM actions covering
                        CROSS JOIN LATERAL json_object_keys(covering.invoice_steps::json) AS covered (key)
                        WHERE covering.org_id = \(organisationID) AND covering.customer_id IN (
                                SELECT i.customer_id FROM allocations al
                                JOIN invoices i ON i.org_id = al.org_id AND i.invoice_number = al.invoice_number
                                WHERE al.org_id = \(organisationID) AND al.date BETWEEN \(from) AND \(to))
                            AND covered.key IN (
                                SELECT al.invoice_number FROM allocations al
                                WHERE al.org_id = \(organisationID) AND al.date BETWEEN \(from) AND \(to)))
                ORDER BY a.id, s.position
                """, logger: logger)
            var contacts: [ActionRecord] = []
            for row in actionRows {
                let id = try row.value("number", as: Int64.self)
                let step = InvoiceStep(invoiceNumber: try row.value("invoice_number"), stepID: try row.value("step_id"))
                if contacts.last?.id == id {
                    contacts[contacts.count - 1].steps.append(step)
                    continue
                }
                let escalatesTo = try row.optional("escalates_to", as: String.self)
                contacts.append(
                    ActionRecord(
                        id: id, date: try row.value("date"), channel: try Decode.value(try row.value("channel")),
                        status: try Decode.value(try row.value("status")),
                        escalatesTo: try escalatesTo.map { try Decode.value($0) }, steps: [step]))
            }
            return CollectionFacts(collections: collections, contacts: contacts)
        }
    }

    /// A page of timeline entries in key order, after `after`.
    public func timelineEntries(
        organisationID: String, customerID: String?, after: TimelinePageKey?, limit: Int
    ) async throws -> [TimelineEntry] {
        guard limit > 0 else { return [] }
        let logger = self.logger
        return try await read { connection in
            // Customer ids are never empty and sequences start at 1, so ('', 0) is before every entry. Paged on the
            // primary key, in its collation, as invoice histories are.
            let rows = try await connection.rows(
                """
                SELECT customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash
                FROM timeline_entries
                WHERE org_id = \(organisationID) AND (\(customerID)::text IS NULL OR customer_id = \(customerID)::text)
                    AND (customer_id, sequence) > (\(after?.customerID ?? ""), \(after?.sequence ?? 0))
                ORDER BY customer_id, sequence
                LIMIT \(limit)
                """, logger: logger)
            return try rows.map { row in
                TimelineEntry(
                    sequence: try row.value("sequence"), customerID: try row.value("customer_id"),
                    date: try row.value("date"), recordedAt: try row.value("recorded_at"),
                    kind: try row.value("kind"), summary: try row.value("summary"),
                    details: try JSONText.decodeObject(try row.value("details")),
                    previousHash: try row.value("previous_hash"), hash: try row.value("hash"))
            }
        }
    }
}
