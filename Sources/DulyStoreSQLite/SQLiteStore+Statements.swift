import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: StatementStore {
    /// The open invoices (through `invoices_by_customer`, which holds only open ones, already in the order asked for),
    /// customer names and payer accounts of the organisation, read on one snapshot with cursors.
    public func matchingData(organisationID: String) async throws -> MatchingData {
        try await read { db in
            var invoices: [MatchableInvoice] = []
            var currencies = CurrencyCache()
            let (rows, column) = try db.rowsAndColumns(
                sql: """
                    SELECT invoice_number, customer_id, due_date, currency,
                        total_minor - paid_minor - credited_minor AS open_minor, payment_reference
                    FROM invoices WHERE org_id = ? AND paid_minor + credited_minor < total_minor
                    ORDER BY customer_id, due_date, invoice_number
                    """,
                arguments: [organisationID])
            let (number, customerID, dueDate, currency, open, reference) = try (
                column("invoice_number"), column("customer_id"), column("due_date"), column("currency"),
                column("open_minor"), column("payment_reference")
            )
            while let row = try rows.next() {
                invoices.append(
                    MatchableInvoice(
                        number: row[number], customerID: row[customerID],
                        open: Money(minorUnits: row[open], currency: try currencies.currency(row[currency])),
                        dueDate: try Decode.date(row[dueDate]), paymentReference: row[reference]))
            }
            var names: [String: String] = [:]
            let customers = try Row.fetchCursor(
                db, sql: "SELECT customer_id, name FROM customers WHERE org_id = ?", arguments: [organisationID])
            while let row = try customers.next() { names[row["customer_id"]] = row["name"] }
            var payers: [String: String] = [:]
            let accounts = try Row.fetchCursor(
                db, sql: "SELECT iban, customer_id FROM payer_accounts WHERE org_id = ?", arguments: [organisationID])
            while let row = try accounts.next() { payers[row["iban"]] = row["customer_id"] }
            return MatchingData(invoices: invoices, customerNames: names, payerAccounts: payers)
        }
    }

    /// The keys among `keys` that an earlier import recorded.
    public func knownCreditKeys(_ keys: [String], organisationID: String) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT credit_key FROM bank_credits
                        WHERE org_id = ? AND credit_key IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [organisationID, JSONText.encode(keys)]))
        }
    }

    /// Records the credits and the payments the matched ones become, in one transaction.
    public func recordStatementCredits(
        _ records: [StatementCreditRecord], organisationID: String, context: RecordingContext
    ) async throws -> StatementImportSummary {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            var summary = StatementImportSummary()
            var payments: [Payment] = []
            var newKeys: Set<String> = []
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO bank_credits (org_id, credit_key, statement_id, account, booking_date, value_date,
                        currency, amount_minor, debtor_name, debtor_iban, reference, end_to_end_id, remittance,
                        status, match_key, customer_id, reason, candidates, number)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (org_id, credit_key) DO NOTHING
                    """)
            var numbers = try OrganisationNumbers(.bankCredit, organisationID: organisationID, db)
            insert.startRawBinding()
            for record in records {
                guard record.amount.minorUnits > 0 else {
                    throw StoreError.invalid("bank credit '\(record.key)': the amount must be more than zero")
                }
                insert.nextRow()
                insert.bind(organisationID, at: 1)
                insert.bind(record.key, at: 2)
                insert.bind(record.statementID, at: 3)
                insert.bind(record.account, at: 4)
                insert.bind(record.bookingDate.description, at: 5)
                insert.bind(record.valueDate?.description, at: 6)
                insert.bind(record.amount.currency.code, at: 7)
                insert.bind(record.amount.minorUnits, at: 8)
                insert.bind(record.debtorName, at: 9)
                insert.bind(record.debtorIBAN, at: 10)
                insert.bind(record.reference, at: 11)
                insert.bind(record.endToEndId, at: 12)
                insert.bind(BankCreditColumns.remittance(record.remittance), at: 13)
                let match = BankCreditColumns.Match(record.match)
                insert.bind(match.status.rawValue, at: 14)
                insert.bind(match.matchKey, at: 15)
                insert.bind(match.customerID, at: 16)
                insert.bind(match.reason, at: 17)
                insert.bind(match.candidates, at: 18)
                insert.bind(Int(numbers.peek), at: 19)
                try insert.execute()
                guard db.changesCount == 1 else {
                    summary.alreadyImported += 1
                    continue
                }
                numbers.used()
                newKeys.insert(record.key)
                summary.recorded += 1
                if case .matched(let customerID, _, _, _, _) = record.match {
                    summary.matched += 1
                    payments += record.payments
                    try SQLiteStore.rememberPayer(record.debtorIBAN, customerID, organisationID, db)
                } else {
                    summary.unmatched += 1
                }
            }
            try numbers.save(db)
            summary.payments =
                try SQLiteStore.insertPayments(payments, organisationID: organisationID, context: context, db).inserted
            // What matched, and how, on each customer's timeline (and so to `payment.matched` webhooks). After the
            // payments' own entries, on an appender of its own: the payments' appender is done with the chains.
            var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
            for record in records where newKeys.contains(record.key) {
                guard case .matched(let customerID, let invoices, let key, let confidence, _) = record.match else {
                    continue
                }
                try timeline.append(
                    .paymentMatched(
                        customerID: customerID, creditKey: record.key, amount: record.amount, invoices: invoices,
                        key: key, confidence: confidence, paymentIDs: record.payments.map(\.id), on: context.date),
                    db)
            }
            return summary
        }
    }

    /// The unmatched queue, oldest first.
    public func unmatchedCredits(organisationID: String) async throws -> [QueuedCredit] {
        try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT \(SQLiteStore.creditColumns) FROM bank_credits WHERE org_id = ? AND status = 'unmatched' ORDER BY number",
                arguments: [organisationID])
            var credits: [QueuedCredit] = []
            while let row = try rows.next() { credits.append(try SQLiteStore.queuedCredit(from: row)) }
            return credits
        }
    }

    /// Turns a queued credit into payments, or dismisses it.
    public func resolveCredit(
        id: Int64, _ resolution: CreditResolution, organisationID: String, context: RecordingContext
    ) async throws -> QueuedCredit {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT \(SQLiteStore.creditColumns) FROM bank_credits WHERE org_id = ? AND number = ?",
                    arguments: [organisationID, id])
            else { throw StoreError.invalid("no bank credit \(id)") }
            let queued = try SQLiteStore.queuedCredit(from: row)
            if let refusal = WriteChecks.refusal(ofResolving: queued) { throw refusal }
            var balances: [String: InvoiceBalance] = [:]
            switch resolution {
            case .ignore: break
            case .customer(let customer):
                var known = try KnownCustomers(organisationID: organisationID, db, expectedLookups: 1)
                try known.require(customer, db)
            case .invoices(let numbers):
                for number in Set(numbers) {
                    balances[number] = try SQLiteStore.invoiceBalance(number, organisationID, db)
                }
            }
            let resolved = try WriteChecks.resolved(queued, by: resolution, balances: balances)
            let (credit, customerID) = (resolved.credit, resolved.customerID)
            try db.execute(
                sql: """
                    UPDATE bank_credits SET status = ?, match_key = ?, customer_id = ?, resolved_on = ?, note = ?
                    WHERE org_id = ? AND number = ?
                    """,
                arguments: [
                    credit.status.rawValue, BankCreditColumns.resolvedMatchKey(credit.status), customerID,
                    context.date.description, resolved.note, organisationID, id,
                ])
            if let customerID {
                try SQLiteStore.rememberPayer(credit.record.debtorIBAN, customerID, organisationID, db)
                _ = try SQLiteStore.insertPayments(
                    resolved.payments, organisationID: organisationID, context: context, db)
            }
            return credit
        }
    }

    // MARK: - Payment references

    /// Gives every invoice without an RF reference (stored before the statements migration) its reference, by the
    /// scheme of `CreditorReference.forInvoice(number:attempt:)`. A no-op, one indexed probe, once all have one.
    static func assignPaymentReferences(_ db: Database) throws {
        let missing = try Row.fetchAll(
            db,
            sql:
                "SELECT org_id, invoice_number FROM invoices WHERE payment_reference IS NULL ORDER BY org_id, invoice_number"
        )
        guard !missing.isEmpty else { return }
        let update = try db.cachedStatement(
            sql: "UPDATE invoices SET payment_reference = ? WHERE org_id = ? AND invoice_number = ?")
        for row in missing {
            let organisationID: String = row["org_id"]
            let number: String = row["invoice_number"]
            var attempt = 0
            while true {
                do {
                    try update.execute(
                        arguments: [
                            CreditorReference.forInvoice(number: number, attempt: attempt), organisationID, number,
                        ])
                    break
                } catch let error as DatabaseError where isPaymentReferenceTaken(error) {
                    attempt += 1
                    guard attempt < 100 else { throw error }
                }
            }
        }
    }

    /// Whether an insert or update failed because another invoice of the organisation has the reference.
    static func isPaymentReferenceTaken(_ error: DatabaseError) -> Bool {
        error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE && (error.message ?? "").contains("payment_reference")
    }

    // MARK: - Rows

    private static func rememberPayer(
        _ iban: String?, _ customerID: String, _ organisationID: String, _ db: Database
    ) throws {
        guard let key = BankCreditColumns.payerAccount(iban) else { return }
        // The first customer seen paying from an account keeps it: a shared account should not flip between them.
        let statement = try db.cachedStatement(
            sql: "INSERT INTO payer_accounts (org_id, iban, customer_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        try statement.execute(arguments: [organisationID, key, customerID])
    }

    private static let creditColumns = BankCreditColumns.names.joined(separator: ", ")

    // A credit from a row that selects `creditColumns`, read by column name.
    private static func queuedCredit(from row: Row) throws -> QueuedCredit {
        try BankCreditColumns.queuedCredit(
            number: row["number"], key: row["credit_key"], statementID: row["statement_id"], account: row["account"],
            bookingDate: try Decode.date(row["booking_date"]), valueDate: try Decode.optionalDate(row["value_date"]),
            amount: try Decode.money(row["amount_minor"], row["currency"]), debtorName: row["debtor_name"],
            debtorIBAN: row["debtor_iban"], reference: row["reference"], endToEndId: row["end_to_end_id"],
            remittance: row["remittance"], status: row["status"], matchKey: row["match_key"],
            customerID: row["customer_id"], reason: row["reason"], candidates: row["candidates"])
    }
}
