import DulyCore
import DulyStore
import Logging
import PostgresNIO

// Bank statements: the store only persists what the matcher (DulyImport) decided; how a credit becomes columns is
// `BankCreditColumns`, shared with the SQLite store.
extension PostgresStore: StatementStore {
    /// The open invoices (through `invoices_by_customer`, which holds only open ones, its predicate written as the
    /// index's), customer names and payer accounts of the organisation, read on one snapshot.
    public func matchingData(organisationID: String) async throws -> MatchingData {
        let logger = self.logger
        return try await read { connection in
            var currencies = CurrencyCache()
            let rows = try await connection.rows(
                """
                SELECT invoice_number, customer_id, due_date, currency,
                    total_minor - paid_minor - credited_minor AS open_minor, payment_reference
                FROM invoices WHERE org_id = \(organisationID) AND total_minor > paid_minor + credited_minor
                ORDER BY customer_id COLLATE "C", due_date, invoice_number COLLATE "C"
                """, logger: logger)
            let invoices = try rows.map { row in
                MatchableInvoice(
                    number: try row.value("invoice_number"), customerID: try row.value("customer_id"),
                    open: Money(
                        minorUnits: try row.value("open_minor"),
                        currency: try currencies.currency(try row.value("currency"))),
                    dueDate: try row.value("due_date"), paymentReference: try row.optional("payment_reference"))
            }
            var names: [String: String] = [:]
            for row in try await connection.rows(
                "SELECT customer_id, name FROM customers WHERE org_id = \(organisationID)", logger: logger)
            {
                names[try row.value("customer_id")] = try row.value("name", as: String.self)
            }
            var payers: [String: String] = [:]
            for row in try await connection.rows(
                "SELECT iban, customer_id FROM payer_accounts WHERE org_id = \(organisationID)", logger: logger)
            {
                payers[try row.value("iban")] = try row.value("customer_id", as: String.self)
            }
            return MatchingData(invoices: invoices, customerNames: names, payerAccounts: payers)
        }
    }

    /// The keys among `keys` that an earlier import recorded.
    public func knownCreditKeys(_ keys: [String], organisationID: String) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT credit_key FROM bank_credits
                WHERE org_id = \(organisationID) AND credit_key = ANY(\(keys)::text[])
                """, logger: logger)
            return Set(try rows.map { try $0.value("credit_key", as: String.self) })
        }
    }

    /// Records the credits and the payments the matched ones become, in one transaction.
    ///
    /// Isolation: the bank-credit counter is locked (`FOR UPDATE`) before the recorded keys are read, so a second
    /// import of the same statement waits, then finds every key recorded; the matched customers' locks are taken
    /// before their payments are allocated and their timelines appended to.
    public func recordStatementCredits(
        _ records: [StatementCreditRecord], organisationID: String, context: RecordingContext
    ) async throws -> StatementImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            for record in records where record.amount.minorUnits <= 0 {
                throw StoreError.invalid("bank credit '\(record.key)': the amount must be more than zero")
            }
            var numbers = try await PostgresNumbers(
                .bankCredit, organisationID: organisationID, connection, logger: logger)
            var recorded: Set<String> = []
            if !records.isEmpty {
                let rows = try await connection.rows(
                    """
                    SELECT credit_key FROM bank_credits
                    WHERE org_id = \(organisationID) AND credit_key = ANY(\(records.map(\.key))::text[])
                    """, logger: logger)
                recorded = Set(try rows.map { try $0.value("credit_key", as: String.self) })
            }
            // The credits new to the store, in the order given (a key given twice is new once), numbered in order.
            var summary = StatementImportSummary()
            var new: [(number: Int64, record: StatementCreditRecord)] = []
            for record in records {
                guard recorded.insert(record.key).inserted else {
                    summary.alreadyImported += 1
                    continue
                }
                new.append((numbers.take(), record))
                summary.recorded += 1
                if case .matched = record.match { summary.matched += 1 } else { summary.unmatched += 1 }
            }
            guard !new.isEmpty else { return summary }
            try await Self.insertCredits(new, organisationID: organisationID, connection, logger: logger)
            try await numbers.save(connection, logger: logger)

            var matchedCustomers: [String] = []
            var payers: [(iban: String?, customerID: String)] = []
            var payments: [Payment] = []
            for (_, record) in new {
                guard case .matched(let customerID, _, _, _, _) = record.match else { continue }
                matchedCustomers.append(customerID)
                payers.append((record.debtorIBAN, customerID))
                payments += record.payments
            }
            guard !matchedCustomers.isEmpty else { return summary }
            // As an import of the payments takes it: their customers' locks, or the organisation's for many.
            try await connection.lockForImport(
                organisationID: organisationID, customerIDs: matchedCustomers, logger: logger)
            try await Self.rememberPayers(payers, organisationID: organisationID, connection, logger: logger)
            summary.payments = try await Self.insertPayments(
                payments, organisationID: organisationID, context: context, connection, logger: logger)
            // What matched, and how, on each customer's timeline (and so to `payment.matched` webhooks), after the
            // payments' own entries.
            var timeline = PostgresTimeline(
                organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
            for (_, record) in new {
                guard case .matched(let customerID, let invoices, let key, let confidence, _) = record.match else {
                    continue
                }
                try await timeline.append(
                    .paymentMatched(
                        customerID: customerID, creditKey: record.key, amount: record.amount, invoices: invoices,
                        key: key, confidence: confidence, paymentIDs: record.payments.map(\.id), on: context.date),
                    connection)
            }
            try await timeline.flush(connection)
            return summary
        }
    }

    /// The unmatched queue, oldest first.
    public func unmatchedCredits(organisationID: String) async throws -> [QueuedCredit] {
        let logger = self.logger
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.creditColumns) FROM bank_credits
                WHERE org_id = \(organisationID) AND status = 'unmatched' ORDER BY number
                """, logger: logger)
            return try rows.map(Self.queuedCredit(from:))
        }
    }

    /// Turns a queued credit into payments, or dismisses it.
    ///
    /// Isolation: the credit's row is locked (`FOR UPDATE`) before its status is checked, so of two resolutions at
    /// once the second finds it resolved; the paying customer's lock is taken before the invoices' balances are read.
    public func resolveCredit(
        id: Int64, _ resolution: CreditResolution, organisationID: String, context: RecordingContext
    ) async throws -> QueuedCredit {
        let logger = self.logger
        return try await write { connection in
            try await requireOrganisation(organisationID, connection)
            guard
                let row = try await connection.row(
                    """
                    SELECT \(unescaped: Self.creditColumns) FROM bank_credits
                    WHERE org_id = \(organisationID) AND number = \(id)
                    FOR UPDATE
                    """, logger: logger)
            else { throw StoreError.invalid("no bank credit \(id)") }
            let queued = try Self.queuedCredit(from: row)
            if let refusal = WriteChecks.refusal(ofResolving: queued) { throw refusal }
            var balances: [String: InvoiceBalance] = [:]
            switch resolution {
            case .ignore: break
            case .customer(let customer):
                try await Self.requireCustomer(customer, organisationID, connection, logger)
                try await connection.lockCustomer(organisationID: organisationID, customerID: customer, logger: logger)
            case .invoices(let numbers):
                balances = try await Self.lockedBalances(
                    numbers, organisationID: organisationID, connection, logger: logger)
            }
            let resolved = try WriteChecks.resolved(queued, by: resolution, balances: balances)
            let (credit, customerID) = (resolved.credit, resolved.customerID)
            try await connection.execute(
                """
                UPDATE bank_credits
                SET status = \(credit.status.rawValue), match_key = \(BankCreditColumns.resolvedMatchKey(credit.status)),
                    customer_id = \(customerID), resolved_on = \(context.date), note = \(resolved.note)
                WHERE org_id = \(organisationID) AND number = \(id)
                """, logger: logger)
            if let customerID {
                try await Self.rememberPayers(
                    [(credit.record.debtorIBAN, customerID)], organisationID: organisationID, connection,
                    logger: logger)
                _ = try await Self.insertPayments(
                    resolved.payments, organisationID: organisationID, context: context, connection, logger: logger)
            }
            return credit
        }
    }

    // MARK: - Rows

    private static let creditColumns = BankCreditColumns.names.joined(separator: ", ")

    // A credit from a row that selects `creditColumns`.
    private static func queuedCredit(from row: PostgresRandomAccessRow) throws -> QueuedCredit {
        try BankCreditColumns.queuedCredit(
            number: row.value("number"), key: row.value("credit_key"), statementID: row.value("statement_id"),
            account: row.value("account"), bookingDate: row.value("booking_date"),
            valueDate: row.optional("value_date"), amount: row.money("amount_minor"),
            debtorName: row.optional("debtor_name"), debtorIBAN: row.optional("debtor_iban"),
            reference: row.optional("reference"), endToEndId: row.optional("end_to_end_id"),
            remittance: row.value("remittance"), status: row.value("status"), matchKey: row.optional("match_key"),
            customerID: row.optional("customer_id"), reason: row.optional("reason"),
            candidates: row.value("candidates"))
    }

    // The new credits in multi-row inserts (nullable columns cannot travel in arrays), a thousand rows a statement.
    private static func insertCredits(
        _ credits: [(number: Int64, record: StatementCreditRecord)], organisationID: String,
        _ connection: PostgresConnection, logger: Logger
    ) async throws {
        let columns = 19
        for start in stride(from: 0, to: credits.count, by: 1000) {
            let chunk = credits[start..<min(start + 1000, credits.count)]
            var binds = PostgresBindings(capacity: chunk.count * columns)
            for (number, record) in chunk {
                let match = BankCreditColumns.Match(record.match)
                binds.append(organisationID)
                binds.append(record.key)
                binds.append(record.statementID)
                binds.append(record.account)
                binds.append(record.bookingDate)
                binds.append(record.valueDate)
                binds.append(record.amount.currency.code)
                binds.append(record.amount.minorUnits)
                binds.append(record.debtorName)
                binds.append(record.debtorIBAN)
                binds.append(record.reference)
                binds.append(record.endToEndId)
                binds.append(BankCreditColumns.remittance(record.remittance))
                binds.append(match.status.rawValue)
                binds.append(match.matchKey)
                binds.append(match.customerID)
                binds.append(match.reason)
                binds.append(match.candidates)
                binds.append(number)
            }
            // Only placeholders are spelled out here; every value is bound.
            let rows = (0..<chunk.count).map { row in
                "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")"
            }
            try await connection.execute(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO bank_credits (org_id, credit_key, statement_id, account, booking_date, value_date,
                            currency, amount_minor, debtor_name, debtor_iban, reference, end_to_end_id, remittance,
                            status, match_key, customer_id, reason, candidates, number)
                        VALUES \(rows.joined(separator: ", "))
                        """, binds: binds), logger: logger)
        }
    }

    // The accounts these customers paid from; the first customer seen paying from an account keeps it, so that a
    // shared account does not flip between them.
    private static func rememberPayers(
        _ payers: [(iban: String?, customerID: String)], organisationID: String, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var ibans: [String] = []
        var customers: [String] = []
        var seen: Set<String> = []
        for payer in payers {
            guard let key = BankCreditColumns.payerAccount(payer.iban), seen.insert(key).inserted else { continue }
            ibans.append(key)
            customers.append(payer.customerID)
        }
        guard !ibans.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO payer_accounts (org_id, iban, customer_id)
            SELECT \(organisationID), p.iban, p.customer_id FROM unnest(\(ibans)::text[], \(customers)::text[])
                AS p (iban, customer_id)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    // The balances of the invoices named, read after their customers' locks are taken, so that no payment lands on
    // them between the read and the resolution's own payments.
    private static func lockedBalances(
        _ numbers: [String], organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [String: InvoiceBalance] {
        let owners = try await connection.rows(
            """
            SELECT DISTINCT customer_id FROM invoices
            WHERE org_id = \(organisationID) AND invoice_number = ANY(\(numbers)::text[])
            """, logger: logger)
        let customers = try owners.map { try $0.value("customer_id", as: String.self) }
        guard !customers.isEmpty else { return [:] }
        try await connection.lockCustomers(organisationID: organisationID, customerIDs: customers, logger: logger)
        let balances = try await invoiceBalances(numbers, organisationID, connection, logger: logger)
        return Dictionary(balances.map { ($0.invoice.number, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // The payments inserted and allocated in the caller's transaction (which holds their customers' locks), as
    // `importPayments` does them; how many were new.
    private static func insertPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        var given: [Payment]? = payments
        let result = try await importPaymentStream(
            next: {
                defer { given = nil }
                return given
            }, refusing: nil, writes: { true }, expectedRows: payments.count, keepingOutcomes: true,
            organisationID: organisationID, context: context, connection, logger: logger)
        return result.summary.inserted
    }
}
