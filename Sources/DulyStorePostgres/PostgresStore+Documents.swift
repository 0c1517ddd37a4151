import DulyCore
import DulyStore
import Logging
import NIOCore
import PostgresNIO

extension PostgresStore: DocumentStore {
    /// Imports electronic invoices and credit notes with their files, in one transaction (see `DocumentStore`).
    public func importDocuments(
        _ batch: [DocumentImport], organisationID: String, context: RecordingContext
    ) async throws -> DocumentImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            // A batch creates customers and appends to the timelines of any of them: the organisation's lock, as for
            // every bulk write, rather than one lock per buyer.
            try await connection.lockOrganisation(organisationID, logger: logger)
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            var summary = DocumentImportSummary()
            for (index, item) in batch.enumerated() {
                do {
                    try await Self.importDocument(
                        item, organisationID: organisationID, context: context, timeline: &timeline,
                        summary: &summary, connection, logger: logger)
                } catch let error as StoreError {
                    // The position lets the caller name the file the refusal is about.
                    throw DocumentImportError(index: index, error: error)
                }
            }
            try await timeline.flush(connection)
            return summary
        }
    }

    /// The documents kept with a customer's invoices, by invoice number then file name.
    public func documents(organisationID: String, customerID: String) async throws -> [InvoiceDocument] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT d.invoice_number, d.file_name, d.media_type, d.bytes, d.sha256, d.added_on
                FROM documents d
                JOIN invoices i ON i.org_id = d.org_id AND i.invoice_number = d.invoice_number
                WHERE d.org_id = \(organisationID) AND i.customer_id = \(customerID)
                ORDER BY d.invoice_number COLLATE "C", d.file_name COLLATE "C"
                """, logger: logger
            ).map { row in
                var document = InvoiceDocument(
                    invoiceNumber: try row.value("invoice_number"), fileName: try row.value("file_name"),
                    mediaType: try row.value("media_type"),
                    bytes: Array(try row.value("bytes", as: ByteBuffer.self).readableBytesView),
                    addedOn: try row.value("added_on"))
                // The stored digest is what was recorded at import; a mismatch stays visible to the evidence pack.
                document.sha256 = try row.value("sha256")
                return document
            }
        }
    }

    /// The payment reference and terms text an imported invoice carries.
    public func invoiceDocumentDetails(
        organisationID: String, invoiceNumber: String
    ) async throws -> (paymentReference: String?, termsNote: String?)? {
        let logger = self.logger
        return try await read { connection in
            guard
                let row = try await connection.row(
                    """
                    SELECT payment_id_text, terms_note FROM invoices
                    WHERE org_id = \(organisationID) AND invoice_number = \(invoiceNumber)
                    """, logger: logger)
            else { return nil }
            return (
                try row.optional("payment_id_text", as: String.self), try row.optional("terms_note", as: String.self)
            )
        }
    }

    // MARK: - One document

    private static func importDocument(
        _ item: DocumentImport, organisationID: String, context: RecordingContext,
        timeline: inout PostgresTimeline, summary: inout DocumentImportSummary, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let customerID = try await resolveBuyer(
            item.buyer, organisationID: organisationID, context: context, timeline: &timeline, summary: &summary,
            connection, logger: logger)
        switch item.entry {
        case .invoice(var invoice, let reference, let termsNote):
            invoice.customerID = customerID
            if try await insertInvoice(
                invoice, reference: reference, termsNote: termsNote, organisationID, connection, logger: logger)
            {
                summary.invoices.inserted += 1
                try await timeline.append(
                    .invoicesAdded(customerID: customerID, [invoice], on: context.date), connection)
            } else {
                summary.invoices.unchanged += 1
            }
        case .creditNote(let note):
            guard
                let balance = try await invoiceBalances(
                    [note.invoiceNumber], organisationID, connection, logger: logger
                )
                .first
            else {
                throw StoreError.invalid(
                    "credit note '\(note.id)' credits invoice '\(note.invoiceNumber)', which Duly does not have: "
                        + "import that invoice first (or in the same batch, before the credit note)")
            }
            guard balance.invoice.customerID == customerID else {
                throw StoreError.invalid(
                    "credit note '\(note.id)' is addressed to customer '\(customerID)' but invoice "
                        + "'\(note.invoiceNumber)' belongs to '\(balance.invoice.customerID)'")
            }
            let known =
                try await connection.row(
                    """
                    SELECT 1 FROM credit_notes WHERE org_id = \(organisationID) AND credit_note_id = \(note.id)
                    """, logger: logger) != nil
            try await insertCreditNote(
                note, organisationID: organisationID, timeline: &timeline, connection, logger: logger)
            if known { summary.creditNotes.unchanged += 1 } else { summary.creditNotes.inserted += 1 }
        }
        if try await insertDocument(
            item.document, customerID: customerID, organisationID, timeline: &timeline, connection, logger: logger)
        {
            summary.documents.inserted += 1
        } else {
            summary.documents.unchanged += 1
        }
    }

    // The buyer's customer: by id, else by name, else a new one.
    private static func resolveBuyer(
        _ buyer: DocumentBuyer, organisationID: String, context: RecordingContext, timeline: inout PostgresTimeline,
        summary: inout DocumentImportSummary, _ connection: PostgresConnection, logger: Logger
    ) async throws -> String {
        if !buyer.candidateIDs.isEmpty {
            // The first candidate, in the order given, that names a customer.
            let known = Set(
                try await connection.rows(
                    """
                    SELECT customer_id FROM customers
                    WHERE org_id = \(organisationID) AND customer_id = ANY(\(buyer.candidateIDs)::text[])
                    """, logger: logger
                ).map { try $0.value("customer_id", as: String.self) })
            if let id = buyer.candidateIDs.first(where: known.contains) { return id }
        }
        let byName = try await connection.rows(
            """
            SELECT customer_id FROM customers WHERE org_id = \(organisationID) AND lower(name) = lower(\(buyer.name))
            ORDER BY customer_id COLLATE "C" LIMIT 2
            """, logger: logger
        ).map { try $0.value("customer_id", as: String.self) }
        if let named = try WriteChecks.customer(byName: byName, for: buyer) { return named }
        let customer = Customer(
            id: buyer.newCustomerID, name: buyer.name, country: buyer.country, address: buyer.address)
        // The customer's columns are the schema's rule (`CustomerColumns`), as for an import of customers.
        var binds = PostgresBindings()
        binds.append(organisationID)
        for value in CustomerColumns.values(of: customer) { binds.append(value) }
        // Column names are the schema's own constants, never input.
        try await connection.execute(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO customers (org_id, \(CustomerColumns.selectList()))
                    VALUES (\((1...CustomerColumns.names.count + 1).map { "$\($0)" }.joined(separator: ", ")))
                    """, binds: binds), logger: logger)
        if let contact = buyer.contact {
            try await connection.execute(
                """
                INSERT INTO contacts (org_id, customer_id, position, role, name, email, phone, preferred_channel,
                    email_bouncing, opted_out)
                VALUES (\(organisationID), \(customer.id), 0, \(contact.role.rawValue), \(contact.name),
                    \(contact.email), \(contact.phone), NULL, false, '[]')
                """, logger: logger)
        }
        timeline.startChain(customerID: customer.id)
        try await timeline.append(.customerAdded(customer, on: context.date), connection)
        summary.customersCreated += 1
        return customer.id
    }

    // Inserts the invoice; false when it is already stored identically, a conflict naming the field otherwise.
    private static func insertInvoice(
        _ invoice: Invoice, reference: String?, termsNote: String?, _ organisationID: String,
        _ connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        if let problem = invoice.problems.first {
            throw StoreError.invalid(
                invoice.number.isEmpty ? problem.description : "invoice '\(invoice.number)': \(problem)")
        }
        if let row = try await connection.row(
            """
            SELECT customer_id, issue_date, due_date, currency, total_minor, terms, po_number, payment_id_text,
                terms_note, payment_url
            FROM invoices WHERE org_id = \(organisationID) AND invoice_number = \(invoice.number)
            """, logger: logger)
        {
            // The fields in the order a conflict names them: the first that differs.
            let same: [(field: String, same: Bool)] = [
                ("customer_id", try row.value("customer_id", as: String.self) == invoice.customerID),
                ("issue_date", try row.value("issue_date", as: LocalDate.self) == invoice.issueDate),
                ("due_date", try row.value("due_date", as: LocalDate.self) == invoice.dueDate),
                ("currency", try row.value("currency", as: String.self) == invoice.currency.code),
                ("total", try row.value("total_minor", as: Int.self) == invoice.total.minorUnits),
                ("terms", try row.optional("terms", as: String.self) == invoice.terms?.description),
                ("po_number", try row.optional("po_number", as: String.self) == invoice.poNumber),
                ("payment_id", try row.optional("payment_id_text", as: String.self) == reference),
                ("terms_note", try row.optional("terms_note", as: String.self) == termsNote),
                ("payment_url", try row.optional("payment_url", as: String.self) == invoice.paymentURL),
            ]
            if let difference = same.first(where: { !$0.same }) {
                throw StoreError.conflict(kind: "invoice", key: invoice.number, field: difference.field)
            }
            return false
        }
        try await connection.execute(
            """
            INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                total_minor, terms, po_number, payment_id_text, terms_note, payment_url)
            VALUES (\(organisationID), \(invoice.number), \(invoice.customerID), \(invoice.issueDate),
                \(invoice.dueDate), \(invoice.currency.code), \(invoice.total.minorUnits), \(invoice.terms?.description),
                \(invoice.poNumber), \(reference), \(termsNote), \(invoice.paymentURL))
            """, logger: logger)
        return true
    }

    // Keeps the file; false when the same bytes are already kept under that name, a conflict when others are.
    private static func insertDocument(
        _ document: InvoiceDocument, customerID: String, _ organisationID: String, timeline: inout PostgresTimeline,
        _ connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        if let stored = try await connection.row(
            """
            SELECT sha256 FROM documents
            WHERE org_id = \(organisationID) AND invoice_number = \(document.invoiceNumber)
                AND file_name = \(document.fileName)
            """, logger: logger)
        {
            guard try stored.value("sha256", as: String.self) == document.sha256 else {
                throw StoreError.conflict(
                    kind: "document", key: "\(document.invoiceNumber)/\(document.fileName)", field: "content")
            }
            return false
        }
        try await connection.execute(
            """
            INSERT INTO documents (org_id, invoice_number, file_name, media_type, bytes, sha256, added_on)
            VALUES (\(organisationID), \(document.invoiceNumber), \(document.fileName), \(document.mediaType),
                \(ByteBuffer(bytes: document.bytes)), \(document.sha256), \(document.addedOn))
            """, logger: logger)
        // The chain records the document's digest: a copy in an evidence pack can be shown to be the one received.
        try await timeline.append(
            TimelineEvent(
                customerID: customerID, date: document.addedOn, kind: .documentAdded,
                summary: "Document \(document.fileName) kept with invoice \(document.invoiceNumber)",
                details: [
                    "invoice": document.invoiceNumber, "file": document.fileName, "media_type": document.mediaType,
                    "sha256": document.sha256, "size": String(document.bytes.count),
                ]),
            connection)
        return true
    }
}
