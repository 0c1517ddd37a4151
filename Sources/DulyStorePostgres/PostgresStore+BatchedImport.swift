import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore: BatchedImportStore {
    /// Inserts invoices batch by batch inside one write transaction (see `BatchedImportStore`), holding the
    /// organisation's lock: a file of any size touches any number of timelines.
    public func importInvoiceBatches(
        organisationID: String, context: RecordingContext, next: @escaping @Sendable () throws -> [Invoice]?
    ) async throws -> ImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            try await connection.lockOrganisation(organisationID, logger: logger)
            return try await Self.importInvoiceStream(
                next: next, refusing: nil, writes: { true }, expectedRows: Int.max, organisationID: organisationID,
                context: context, connection, logger: logger)
        }
    }

    /// Checks and inserts invoices batch by batch inside one write transaction (see `BatchedImportStore`). What the
    /// feed throws comes out as it was thrown, after the rollback.
    public func importInvoices(
        from feed: some ImportFeed<Invoice>, organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            try await connection.lockOrganisation(organisationID, logger: logger)
            return try await Self.importInvoiceStream(
                next: feed.next, refusing: feed.refuse, writes: { feed.writes }, expectedRows: Int.max,
                organisationID: organisationID, context: context, connection, logger: logger)
        }
    }

    /// Checks and inserts payments batch by batch inside one write transaction, then allocates them (see
    /// `BatchedImportStore`).
    public func importPayments(
        from feed: some ImportFeed<Payment>, organisationID: String, context: RecordingContext,
        keepingOutcomes: Bool
    ) async throws -> PaymentImport {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            try await connection.lockOrganisation(organisationID, logger: logger)
            return try await Self.importPaymentStream(
                next: feed.next, refusing: feed.refuse, writes: { feed.writes }, expectedRows: Int.max,
                keepingOutcomes: keepingOutcomes, organisationID: organisationID, context: context, connection,
                logger: logger)
        }
    }

    /// Invoices batch by batch inside the caller's transaction, which holds the lock for the customers they name:
    /// each one new, identical (unchanged) or refused. With `refusing`, an unknown customer or a number stored with
    /// other values goes there and the rest of the batch is written while `writes` says so; without, the first one
    /// throws. Each batch's new rows go in multi-row inserts in the table's key order (customer, due date, number).
    static func importInvoiceStream(
        next: () throws -> [Invoice]?, refusing: (([ImportRefusal]) -> Void)?, writes: () -> Bool, expectedRows: Int,
        organisationID: String, context: RecordingContext, _ connection: PostgresConnection, logger: Logger
    ) async throws -> ImportSummary {
        var customers = try await PostgresKnownCustomers(
            organisationID: organisationID, expectedLookups: expectedRows, connection, logger: logger)
        var summary = ImportSummary()
        // An organisation without invoices (a first import) needs no look-up to know an invoice is new; a number given
        // twice meets the unique constraint, and is compared then.
        let hasInvoices = try await exists("invoices", organisationID, connection, logger: logger)
        // One timeline entry per customer per import, listing its new invoices in the order given.
        var added: [(customerID: String, number: String, total: Money, dueDate: LocalDate)] = []
        while let batch = try next() {
            try await customers.lookUp(batch.map(\.customerID), connection)
            let stored =
                hasInvoices
                ? try await storedInvoiceFields(batch.map(\.number), organisationID, connection, logger: logger)
                : [:]
            var refusals: [ImportRefusal] = []
            var fresh: [Int] = []
            for (index, invoice) in batch.enumerated() {
                if let problem = invoice.problems.first {
                    throw StoreError.invalid(
                        invoice.number.isEmpty ? problem.description : "invoice '\(invoice.number)': \(problem)")
                }
                if let refusal = customers.refusal(invoice.customerID, index) {
                    guard refusing != nil else { throw StoreError.customerNotFound(invoice.customerID) }
                    refusals.append(refusal)
                    continue
                }
                if let fields = stored[invoice.number] {
                    if let field = firstDifference(invoice, fields) {
                        let error = StoreError.conflict(kind: "invoice", key: invoice.number, field: field)
                        guard refusing != nil else { throw error }
                        refusals.append(
                            ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
                        continue
                    }
                    summary.unchanged += 1
                    continue
                }
                fresh.append(index)
            }
            if !refusals.isEmpty { refusing?(refusals) }
            guard writes(), !fresh.isEmpty else { continue }
            fresh.sort { left, right in
                if batch[left].customerID != batch[right].customerID {
                    return batch[left].customerID < batch[right].customerID
                }
                if batch[left].dueDate != batch[right].dueDate { return batch[left].dueDate < batch[right].dueDate }
                return batch[left].number < batch[right].number
            }
            let inserted = try await insertInvoices(
                fresh.map { batch[$0] }, organisationID, connection, logger: logger)
            for (position, isNew) in zip(fresh, inserted) {
                if isNew { summary.inserted += 1 } else { summary.unchanged += 1 }
            }
            let written = Set(zip(fresh, inserted).filter(\.1).map(\.0))
            for (position, invoice) in batch.enumerated() where written.contains(position) {
                added.append((invoice.customerID, invoice.number, invoice.total, invoice.dueDate))
            }
        }
        var timeline = PostgresTimeline(organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
        let customerIDs = Array(Set(added.map(\.customerID))).sorted()
        if customerIDs.count > 256 {
            try await timeline.preloadAllHeads(connection)
        } else {
            try await timeline.preloadHeads(of: customerIDs, connection)
        }
        var byCustomer: [String: [(number: String, total: Money, dueDate: LocalDate)]] = [:]
        for invoice in added {
            byCustomer[invoice.customerID, default: []].append((invoice.number, invoice.total, invoice.dueDate))
        }
        for customerID in customerIDs {
            try await timeline.append(
                .invoicesAdded(customerID: customerID, byCustomer[customerID] ?? [], on: context.date), connection)
        }
        try await timeline.flush(connection)
        return summary
    }

    // Inserts new invoices (in the order given) with their RF references, in multi-row inserts; for each, whether it
    // was written (false: its number was already written identically, by this import). A number written with other
    // values is a conflict. A reference is the first attempt neither stored nor issued here, as SQLite's unique index
    // decides it; one taken meanwhile by another writer makes the next attempt.
    private static func insertInvoices(
        _ invoices: [Invoice], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [Bool] {
        var inserted = [Bool](repeating: false, count: invoices.count)
        var attempts = [Int](repeating: 0, count: invoices.count)
        var waiting = Array(invoices.indices)
        // A ledger uses a handful of terms: describe each once.
        var termsText: [PaymentTerms: String] = [:]
        let terms = invoices.map { invoice in
            invoice.terms.map { terms in
                if let known = termsText[terms] { return known }
                termsText[terms] = terms.description
                return terms.description
            }
        }
        while !waiting.isEmpty {
            var references = [String](repeating: "", count: invoices.count)
            // The references this round would issue, then those already stored; a taken one moves to its next attempt
            // until every waiting invoice has one free.
            var undecided = waiting
            var issued = Set<String>()
            while !undecided.isEmpty {
                for position in undecided {
                    guard attempts[position] < 100 else {
                        throw StoreError.backend(
                            "invoice '\(invoices[position].number)': no free RF reference in 100 attempts")
                    }
                    references[position] = CreditorReference.forInvoice(
                        number: invoices[position].number, attempt: attempts[position])
                }
                let taken = try await storedReferences(
                    undecided.map { references[$0] }, organisationID, connection, logger: logger)
                var next: [Int] = []
                for position in undecided {
                    if taken.contains(references[position]) || !issued.insert(references[position]).inserted {
                        attempts[position] += 1
                        next.append(position)
                    }
                }
                undecided = next
            }
            var written = Set<String>()
            for chunk in waiting.chunks(of: rowsPerStatement) {
                let rows = try await connection.rows(
                    """
                    INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                        total_minor, terms, po_number, payment_reference, payment_url)
                    SELECT \(organisationID), i.* FROM unnest(\(chunk.map { invoices[$0].number })::text[],
                        \(chunk.map { invoices[$0].customerID })::text[], \(chunk.map { invoices[$0].issueDate })::date[],
                        \(chunk.map { invoices[$0].dueDate })::date[], \(chunk.map { invoices[$0].currency.code })::text[],
                        \(chunk.map { invoices[$0].total.minorUnits })::bigint[],
                        \(PostgresNullableArray(chunk.map { terms[$0] }))::text[],
                        \(PostgresNullableArray(chunk.map { invoices[$0].poNumber }))::text[],
                        \(chunk.map { references[$0] })::text[],
                        \(PostgresNullableArray(chunk.map { invoices[$0].paymentURL }))::text[]) AS i
                    ON CONFLICT DO NOTHING
                    RETURNING invoice_number
                    """, logger: logger)
                for row in rows { written.insert(try row.value("invoice_number", as: String.self)) }
            }
            var notWritten: [Int] = []
            for position in waiting {
                if written.remove(invoices[position].number) != nil {
                    inserted[position] = true
                } else {
                    notWritten.append(position)
                }
            }
            // Not written: its number is taken (by this import's earlier row with that number, which it must match),
            // or, when the number is free, its reference was taken meanwhile.
            let stored = try await storedInvoiceFields(
                notWritten.map { invoices[$0].number }, organisationID, connection, logger: logger)
            waiting = []
            for position in notWritten {
                let invoice = invoices[position]
                if let fields = stored[invoice.number] {
                    if let field = firstDifference(invoice, fields) {
                        throw StoreError.conflict(kind: "invoice", key: invoice.number, field: field)
                    }
                } else {
                    attempts[position] += 1
                    waiting.append(position)
                }
            }
        }
        return inserted
    }

    // The references among these that the organisation's invoices hold.
    private static func storedReferences(
        _ references: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        var taken = Set<String>()
        for chunk in references.chunks(of: rowsPerStatement) {
            let rows = try await connection.rows(
                """
                SELECT payment_reference FROM invoices
                WHERE org_id = \(organisationID) AND payment_reference = ANY(\(Array(chunk))::text[])
                """, logger: logger)
            for row in rows { taken.insert(try row.value("payment_reference", as: String.self)) }
        }
        return taken
    }
}
