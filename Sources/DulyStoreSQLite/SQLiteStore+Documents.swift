import DulyCore
import DulyStore
import Foundation
import GRDB

extension SQLiteStore: DocumentStore {
    /// Imports electronic invoices and credit notes with their files, in one transaction (see `DocumentStore`).
    public func importDocuments(
        _ batch: [DocumentImport], organisationID: String, context: RecordingContext
    ) async throws -> DocumentImportSummary {
        do {
            return try await pool.write { db in
                try SQLiteStore.importDocuments(batch, organisationID: organisationID, context: context, db)
            }
        } catch let error as DocumentImportError {
            throw error
        } catch {
            throw SQLiteStore.storeError(error)
        }
    }

    private static func importDocuments(
        _ batch: [DocumentImport], organisationID: String, context: RecordingContext, _ db: Database
    ) throws -> DocumentImportSummary {
        try SQLiteStore.requireOrganisation(db, organisationID)
        var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
        var summary = DocumentImportSummary()
        for (index, item) in batch.enumerated() {
            do {
                try SQLiteStore.importDocument(
                    item, organisationID: organisationID, context: context, timeline: &timeline, summary: &summary,
                    db)
            } catch let error as StoreError {
                // The position lets the caller name the file the refusal is about.
                throw DocumentImportError(index: index, error: error)
            }
        }
        return summary
    }

    /// The documents kept with a customer's invoices, by invoice number then file name.
    public func documents(organisationID: String, customerID: String) async throws -> [InvoiceDocument] {
        try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.invoice_number, d.file_name, d.media_type, d.bytes, d.sha256, d.added_on
                    FROM documents d
                    JOIN invoices i ON i.org_id = d.org_id AND i.invoice_number = d.invoice_number
                    WHERE d.org_id = ? AND i.customer_id = ?
                    ORDER BY d.invoice_number, d.file_name
                    """,
                arguments: [organisationID, customerID])
            var documents: [InvoiceDocument] = []
            while let row = try rows.next() {
                let data: Data = row["bytes"]
                let bytes = [UInt8](data)
                var document = InvoiceDocument(
                    invoiceNumber: row["invoice_number"], fileName: row["file_name"], mediaType: row["media_type"],
                    bytes: bytes, addedOn: try Decode.date(row["added_on"]))
                // The stored digest is what was recorded at import; a mismatch stays visible to the evidence pack.
                document.sha256 = row["sha256"]
                documents.append(document)
            }
            return documents
        }
    }

    /// The payment reference and terms text an imported invoice carries.
    public func invoiceDocumentDetails(
        organisationID: String, invoiceNumber: String
    ) async throws -> (paymentReference: String?, termsNote: String?)? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT payment_id_text, terms_note FROM invoices WHERE org_id = ? AND invoice_number = ?
                        """,
                    arguments: [organisationID, invoiceNumber])
            else { return nil }
            return (row["payment_id_text"], row["terms_note"])
        }
    }

    // MARK: - One document

    private static func importDocument(
        _ item: DocumentImport, organisationID: String, context: RecordingContext,
        timeline: inout TimelineAppender, summary: inout DocumentImportSummary, _ db: Database
    ) throws {
        let customerID = try resolveBuyer(
            item.buyer, organisationID: organisationID, context: context, timeline: &timeline, summary: &summary, db)
        switch item.entry {
        case .invoice(var invoice, let reference, let termsNote):
            invoice.customerID = customerID
            if try insertInvoice(invoice, reference: reference, termsNote: termsNote, organisationID, db) {
                summary.invoices.inserted += 1
                try timeline.append(.invoicesAdded(customerID: customerID, [invoice], on: context.date), db)
            } else {
                summary.invoices.unchanged += 1
            }
        case .creditNote(let note):
            guard let balance = try invoiceBalance(note.invoiceNumber, organisationID, db) else {
                throw StoreError.invalid(
                    "credit note '\(note.id)' credits invoice '\(note.invoiceNumber)', which Duly does not have: "
                        + "import that invoice first (or in the same batch, before the credit note)")
            }
            guard balance.invoice.customerID == customerID else {
                throw StoreError.invalid(
                    "credit note '\(note.id)' is addressed to customer '\(customerID)' but invoice "
                        + "'\(note.invoiceNumber)' belongs to '\(balance.invoice.customerID)'")
            }
            let known = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM credit_notes WHERE org_id = ? AND credit_note_id = ?)",
                arguments: [organisationID, note.id])!
            try insertCreditNote(note, organisationID: organisationID, timeline: &timeline, db)
            if known { summary.creditNotes.unchanged += 1 } else { summary.creditNotes.inserted += 1 }
        }
        if try insertDocument(item.document, customerID: customerID, organisationID, timeline: &timeline, db) {
            summary.documents.inserted += 1
        } else {
            summary.documents.unchanged += 1
        }
    }

    // The buyer's customer: by id, else by name, else a new one.
    private static func resolveBuyer(
        _ buyer: DocumentBuyer, organisationID: String, context: RecordingContext, timeline: inout TimelineAppender,
        summary: inout DocumentImportSummary, _ db: Database
    ) throws -> String {
        for id in buyer.candidateIDs {
            let known = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM customers WHERE org_id = ? AND customer_id = ?)",
                arguments: [organisationID, id])!
            if known { return id }
        }
        let byName = try String.fetchAll(
            db,
            sql: """
                SELECT customer_id FROM customers WHERE org_id = ? AND lower(name) = lower(?)
                ORDER BY customer_id LIMIT 2
                """,
            arguments: [organisationID, buyer.name])
        if let named = try WriteChecks.customer(byName: byName, for: buyer) { return named }
        let customer = Customer(
            id: buyer.newCustomerID, name: buyer.name, country: buyer.country, address: buyer.address)
        let address = customer.address
        try db.execute(
            sql: """
                INSERT INTO customers (org_id, customer_id, name, country, language, time_zone, collector, tags,
                    opted_out, address_line1, address_line2, postal_code, city, region)
                VALUES (?, ?, ?, ?, NULL, NULL, NULL, '[]', '[]', ?, ?, ?, ?, ?)
                """,
            arguments: [
                organisationID, customer.id, customer.name, customer.country, address?.line1, address?.line2,
                address?.postalCode, address?.city, address?.region,
            ])
        if let contact = buyer.contact {
            try db.execute(
                sql: """
                    INSERT INTO contacts (org_id, customer_id, position, role, name, email, phone, preferred_channel,
                        email_bouncing, opted_out)
                    VALUES (?, ?, 0, ?, ?, ?, ?, NULL, 0, '[]')
                    """,
                arguments: [
                    organisationID, customer.id, contact.role.rawValue, contact.name, contact.email, contact.phone,
                ])
        }
        timeline.startChain(customerID: customer.id)
        try timeline.append(.customerAdded(customer, on: context.date), db)
        summary.customersCreated += 1
        return customer.id
    }

    // Inserts the invoice; false when it is already stored identically, a conflict naming the field otherwise.
    private static func insertInvoice(
        _ invoice: Invoice, reference: String?, termsNote: String?, _ organisationID: String, _ db: Database
    ) throws -> Bool {
        try SQLiteStore.refuseProblems(of: invoice)
        // Each field as a conflict names it, the column that stores it, and its value.
        let given: [(field: String, column: String, value: DatabaseValue)] = [
            ("customer_id", "customer_id", invoice.customerID.databaseValue),
            ("issue_date", "issue_date", invoice.issueDate.description.databaseValue),
            ("due_date", "due_date", invoice.dueDate.description.databaseValue),
            ("currency", "currency", invoice.currency.code.databaseValue),
            ("total", "total_minor", invoice.total.minorUnits.databaseValue),
            ("terms", "terms", invoice.terms?.description.databaseValue ?? .null),
            ("po_number", "po_number", invoice.poNumber?.databaseValue ?? .null),
            ("payment_id", "payment_id_text", reference?.databaseValue ?? .null),
            ("terms_note", "terms_note", termsNote?.databaseValue ?? .null),
            ("payment_url", "payment_url", invoice.paymentURL?.databaseValue ?? .null),
        ]
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT customer_id, issue_date, due_date, currency, total_minor, terms, po_number, payment_id_text,
                    terms_note, payment_url
                FROM invoices WHERE org_id = ? AND invoice_number = ?
                """,
            arguments: [organisationID, invoice.number])
        {
            for given in given where (row[given.column] as DatabaseValue) != given.value {
                throw StoreError.conflict(kind: "invoice", key: invoice.number, field: given.field)
            }
            return false
        }
        try db.execute(
            sql: """
                INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,
                    total_minor, terms, po_number, payment_id_text, terms_note, payment_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(
                [organisationID.databaseValue, invoice.number.databaseValue] + given.map(\.value)))
        return true
    }

    // Keeps the file; false when the same bytes are already kept under that name, a conflict when others are.
    private static func insertDocument(
        _ document: InvoiceDocument, customerID: String, _ organisationID: String, timeline: inout TimelineAppender,
        _ db: Database
    ) throws -> Bool {
        if let stored = try String.fetchOne(
            db,
            sql: "SELECT sha256 FROM documents WHERE org_id = ? AND invoice_number = ? AND file_name = ?",
            arguments: [organisationID, document.invoiceNumber, document.fileName])
        {
            guard stored == document.sha256 else {
                throw StoreError.conflict(
                    kind: "document", key: "\(document.invoiceNumber)/\(document.fileName)", field: "content")
            }
            return false
        }
        try db.execute(
            sql: """
                INSERT INTO documents (org_id, invoice_number, file_name, media_type, bytes, sha256, added_on)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                organisationID, document.invoiceNumber, document.fileName, document.mediaType,
                Data(document.bytes), document.sha256, document.addedOn.description,
            ])
        // The chain records the document's digest: a copy in an evidence pack can be shown to be the one received.
        try timeline.append(
            TimelineEvent(
                customerID: customerID, date: document.addedOn, kind: .documentAdded,
                summary: "Document \(document.fileName) kept with invoice \(document.invoiceNumber)",
                details: [
                    "invoice": document.invoiceNumber, "file": document.fileName, "media_type": document.mediaType,
                    "sha256": document.sha256, "size": String(document.bytes.count),
                ]),
            db)
        return true
    }
}
