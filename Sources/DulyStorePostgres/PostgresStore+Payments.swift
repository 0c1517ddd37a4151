import DulyCore
import DulyStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Inserts new payments and allocates each, in the order given, over its customer's open invoices.
    public func importPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        let logger = self.logger
        return try await write { connection in
            try await self.requireOrganisation(organisationID, connection)
            // The balances allocated against are read after this lock, and stay as read until the commit: every
            // write to a customer's invoices takes its lock (docs/ARCHITECTURE.md, "Isolation").
            try await connection.lockForImport(
                organisationID: organisationID, customerIDs: payments.map(\.customerID), logger: logger)
            var given: [Payment]? = payments
            let result = try await Self.importPaymentStream(
                next: {
                    defer { given = nil }
                    return given
                }, refusing: nil, writes: { true }, expectedRows: payments.count, keepingOutcomes: true,
                organisationID: organisationID, context: context, connection, logger: logger)
            var summary = result.summary
            summary.payments = result.totals.outcomes ?? []
            return summary
        }
    }

    /// Payments batch by batch inside the caller's transaction (which holds the lock for the customers they name),
    /// then allocated customer by customer. With `refusing`, what `importRefusals(payments:)` would refuse goes there
    /// and the rest is written while `writes` says so; without, an unknown customer or an id stored with other data
    /// throws. What the payments did comes back in totals, with every outcome when `keepingOutcomes`.
    static func importPaymentStream(
        next: () throws -> [Payment]?, refusing: (([ImportRefusal]) -> Void)?, writes: () -> Bool, expectedRows: Int,
        keepingOutcomes: Bool, organisationID: String, context: RecordingContext, _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> PaymentImport {
        var customers = try await PostgresKnownCustomers(
            organisationID: organisationID, expectedLookups: expectedRows, connection, logger: logger)
        var summary = ImportSummary()
        let hasPayments = try await exists("payments", organisationID, connection, logger: logger)
        // The new payments, in the order given; without their free-text reference unless the outcomes are kept
        // (allocating does not read it), as on SQLite.
        var new: [Payment] = []
        while let batch = try next() {
            var refused = Set<Int>()
            if let refusing {
                let refusals = try await refusals(
                    of: batch, hasPayments: hasPayments, &customers, organisationID, connection, logger: logger)
                if !refusals.isEmpty { refusing(refusals) }
                refused = Set(refusals.map(\.index))
            }
            guard writes(), !batch.isEmpty else { continue }
            try await customers.lookUp(batch.map(\.customerID), connection)
            // The first payment refused outright ends the batch; those before it are written and compared first, so
            // that the error is the one a payment-by-payment import meets first.
            var failure: StoreError?
            var writing: [Int] = []
            for (position, payment) in batch.enumerated() where !refused.contains(position) {
                if payment.id.isEmpty {
                    failure = .invalid("a payment needs an id")
                } else if payment.amount.minorUnits <= 0 {
                    failure = .invalid("payment '\(payment.id)': the amount must be more than zero")
                } else if !customers.contains(payment.customerID) {
                    failure = .customerNotFound(payment.customerID)
                }
                if failure != nil { break }
                writing.append(position)
            }
            var written = Set<String>()
            for chunk in writing.chunks(of: rowsPerStatement) {
                let rows = try await connection.rows(
                    """
                    INSERT INTO payments (org_id, payment_id, customer_id, date, currency, amount_minor, reference,
                        invoice_number)
                    SELECT \(organisationID), p.* FROM unnest(\(chunk.map { batch[$0].id })::text[],
                        \(chunk.map { batch[$0].customerID })::text[], \(chunk.map { batch[$0].date })::date[],
                        \(chunk.map { batch[$0].amount.currency.code })::text[],
                        \(chunk.map { batch[$0].amount.minorUnits })::bigint[],
                        \(PostgresNullableArray(chunk.map { batch[$0].reference }))::text[],
                        \(PostgresNullableArray(chunk.map { batch[$0].invoiceNumber }))::text[]) AS p
                    ON CONFLICT (org_id, payment_id) DO NOTHING
                    RETURNING payment_id
                    """, logger: logger)
                for row in rows { written.insert(try row.value("payment_id", as: String.self)) }
            }
            var present: [Int] = []
            for position in writing {
                var payment = batch[position]
                if written.remove(payment.id) != nil {
                    summary.inserted += 1
                    if !keepingOutcomes { payment.reference = nil }
                    new.append(payment)
                } else {
                    present.append(position)
                }
            }
            // Already present (stored before, or earlier in this import): identical is fine, anything else names its
            // first differing field.
            let stored = try await storedPayments(
                present.map { batch[$0].id }, organisationID, connection, logger: logger)
            for position in present {
                let payment = batch[position]
                guard let storedPayment = stored[payment.id] else {
                    throw StoreError.backend("payment '\(payment.id)' neither inserted nor found")
                }
                if let field = storedPayment.firstDifference(from: payment) {
                    throw StoreError.conflict(kind: "payment", key: payment.id, field: field)
                }
                summary.unchanged += 1
            }
            if let failure { throw failure }
        }
        var totals = try await allocate(
            new, keepingOutcomes: keepingOutcomes, organisationID: organisationID, context: context, connection,
            logger: logger)
        if keepingOutcomes && totals.outcomes == nil { totals.outcomes = [] }
        return PaymentImport(summary: summary, totals: totals)
    }

    // Allocates the new payments (in the order given) customer by customer, and writes what follows: allocations,
    // cached sums, discounts, one timeline entry per customer, taken settlement offers, thank-yous.
    private static func allocate(
        _ payments: [Payment], keepingOutcomes: Bool, organisationID: String, context: RecordingContext,
        _ connection: PostgresConnection, logger: Logger
    ) async throws -> PaymentTotals {
        var totals = PaymentTotals()
        guard !payments.isEmpty else { return totals }
        // Customers' balances are independent, so allocating customer by customer gives what allocating in the order
        // given would; each customer's payments keep that order. Customers in SQLite's order (UTF-8 bytes).
        var byCustomer: [String: [Int]] = [:]
        for (position, payment) in payments.enumerated() {
            byCustomer[payment.customerID, default: []].append(position)
        }
        let customerIDs = byCustomer.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var openInvoices = try await openInvoices(of: customerIDs, organisationID, connection, logger: logger)
        // What the named invoices are, for the notes on payments that could not go to them.
        var named: [String: (customerID: String, currency: Currency)] = [:]
        var currencies = CurrencyCache()
        let namedNumbers = Array(Set(payments.compactMap(\.invoiceNumber)))
        for chunk in namedNumbers.chunks(of: rowsPerStatement) {
            for row in try await connection.rows(
                """
                SELECT invoice_number, customer_id, currency FROM invoices
                WHERE org_id = \(organisationID) AND invoice_number = ANY(\(Array(chunk))::text[])
                """, logger: logger)
            {
                named[try row.value("invoice_number")] = (
                    try row.value("customer_id"), try currencies.currency(row.value("currency"))
                )
            }
        }
        var outcomes: [PaymentOutcome?] = keepingOutcomes ? Array(repeating: nil, count: payments.count) : []
        var noted: [(position: Int, outcome: PaymentOutcome)] = []
        var timeline = PostgresTimeline(organisationID: organisationID, recordedAt: context.recordedAt, logger: logger)
        if customerIDs.count > 256 {
            try await timeline.preloadAllHeads(connection)
        } else {
            try await timeline.preloadHeads(of: customerIDs, connection)
        }
        // Per invoice paid, what this import paid on it; each allocation with its payment's position.
        var paidInvoices: [(invoiceNumber: String, minorUnits: Int)] = []
        var allocations: [(payment: Int, invoiceNumber: String, minorUnits: Int)] = []
        var discounts: [CreditNote] = []
        for customerID in customerIDs {
            var customer = CustomerPaymentAllocation(openInvoices: openInvoices.removeValue(forKey: customerID) ?? [])
            for position in byCustomer[customerID] ?? [] {
                let payment = payments[position]
                let outcome = customer.allocate(payment, notes: allocationNotes(payment, customer.balances, named))
                totals.add(outcome)
                if !outcome.notes.isEmpty { noted.append((position, outcome)) }
                if keepingOutcomes { outcomes[position] = outcome }
                for allocation in outcome.allocations {
                    allocations.append((position, allocation.invoiceNumber, allocation.amount.minorUnits))
                }
            }
            discounts += customer.discounts
            // One entry per customer and import, like invoices: a bank file with many payments from one client
            // reads as one event.
            try await timeline.append(
                .paymentsRecorded(customerID: customerID, customer.received, on: context.date), connection)
            let paid = customer.paidInvoices
            totals.invoicesPaid += paid.count
            paidInvoices += paid.map { ($0.invoiceNumber, $0.minorUnits) }
        }
        for chunk in allocations.chunks(of: rowsPerStatement) {
            try await connection.execute(
                """
                INSERT INTO allocations (org_id, payment_id, invoice_number, amount_minor, date)
                SELECT \(organisationID), a.* FROM unnest(\(chunk.map { payments[$0.payment].id })::text[],
                    \(chunk.map(\.invoiceNumber))::text[], \(chunk.map(\.minorUnits))::bigint[],
                    \(chunk.map { payments[$0.payment].date })::date[]) AS a
                """, logger: logger)
        }
        // The cached sums move in the same transaction as the allocations they sum, once per invoice.
        for chunk in paidInvoices.chunks(of: rowsPerStatement) {
            let updated = try await connection.rows(
                """
                UPDATE invoices SET paid_minor = invoices.paid_minor + u.minor_units
                FROM unnest(\(chunk.map(\.invoiceNumber))::text[], \(chunk.map(\.minorUnits))::bigint[])
                    AS u (invoice_number, minor_units)
                WHERE invoices.org_id = \(organisationID) AND invoices.invoice_number = u.invoice_number
                RETURNING invoices.invoice_number
                """, logger: logger)
            guard updated.count == chunk.count else {
                let found = Set(try updated.map { try $0.value("invoice_number", as: String.self) })
                let missing = chunk.first { !found.contains($0.invoiceNumber) }?.invoiceNumber ?? ""
                throw StoreError.backend("invoice '\(missing)' changed during the payment import")
            }
        }
        for discount in discounts {
            try await insertCreditNote(
                discount, organisationID: organisationID, timeline: &timeline, connection, logger: logger)
        }
        try await settleTakenOffers(of: customerIDs, organisationID, timeline: &timeline, connection, logger: logger)
        try await queueThanks(for: paidInvoices.map(\.invoiceNumber), organisationID, connection, logger: logger)
        try await timeline.flush(connection)
        // In the order given, as the summary reports them.
        totals.noted = noted.sorted { $0.position < $1.position }.map(\.outcome)
        if keepingOutcomes { totals.outcomes = outcomes.compactMap { $0 } }
        return totals
    }

    // Each customer's open invoices, by due date and number (in SQLite's order: bytes), in one query per few thousand
    // customers. Allocation needs dates, amounts and numbers, and the terms for an early-payment discount.
    private static func openInvoices(
        of customerIDs: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws -> [String: [InvoiceBalance]] {
        var open: [String: [InvoiceBalance]] = [:]
        var currencies = CurrencyCache()
        for chunk in customerIDs.chunks(of: rowsPerStatement) {
            let rows = try await connection.rows(
                """
                SELECT invoice_number, customer_id, issue_date, due_date, currency, total_minor, paid_minor,
                    credited_minor, terms
                FROM invoices
                WHERE org_id = \(organisationID) AND customer_id = ANY(\(Array(chunk))::text[])
                    AND paid_minor + credited_minor < total_minor
                ORDER BY customer_id COLLATE "C", due_date, invoice_number COLLATE "C"
                """, logger: logger)
            for row in rows {
                let currency = try currencies.currency(row.value("currency"))
                let invoice = Invoice(
                    number: try row.value("invoice_number"), customerID: try row.value("customer_id"),
                    issueDate: try row.value("issue_date"), dueDate: try row.value("due_date"),
                    total: Money(minorUnits: try row.value("total_minor"), currency: currency),
                    terms: try currencies.terms(row.optional("terms")))
                open[invoice.customerID, default: []].append(
                    InvoiceBalance(
                        invoice: invoice, paid: Money(minorUnits: try row.value("paid_minor"), currency: currency),
                        credited: Money(minorUnits: try row.value("credited_minor"), currency: currency)))
            }
        }
        return open
    }

    // Why a payment will not go to the invoice it names, judged before it is allocated: `balances` are the customer's
    // open invoices as this import has left them, so a named invoice missing from them is unknown, another
    // customer's, or already paid (perhaps by an earlier payment of the same import).
    private static func allocationNotes(
        _ payment: Payment, _ balances: [InvoiceBalance], _ named: [String: (customerID: String, currency: Currency)]
    ) -> [PaymentOutcome.Note] {
        guard let number = payment.invoiceNumber else { return [] }
        let invoice: (customerID: String, currency: Currency)?
        if let open = balances.first(where: { $0.invoice.number == number }) {
            invoice = (open.invoice.customerID, open.invoice.currency)
        } else {
            invoice = named[number]
        }
        guard let invoice, invoice.customerID == payment.customerID else { return [.namedInvoiceUnknown(number)] }
        if invoice.currency != payment.amount.currency {
            return [.currencyDiffers(invoiceNumber: number, invoiceCurrency: invoice.currency)]
        }
        if !balances.contains(where: { $0.invoice.number == number }) { return [.namedInvoiceClosed(number)] }
        return []
    }

    /// Settlement offers sent to these customers whose amount has now been paid by their deadline: the rest of each
    /// invoice the offer covered is waived as a settlement, approved by whoever approved the offer (or within the
    /// playbook's limit, when it needed no approval). Skipped at once when no offer was ever made. The caller holds
    /// these customers' locks.
    static func settleTakenOffers(
        of customerIDs: [String], _ organisationID: String, timeline: inout PostgresTimeline,
        _ connection: PostgresConnection, logger: Logger
    ) async throws {
        let anyOffer = try await connection.row(
            """
            SELECT EXISTS (SELECT 1 FROM actions WHERE org_id = \(organisationID) AND offer_minor IS NOT NULL) AS found
            """, logger: logger)
        guard try anyOffer?.value("found", as: Bool.self) == true else { return }
        let offers = try await connection.rows(
            """
            SELECT number, date, offer_minor, offer_deadline, decided_by FROM actions
            WHERE org_id = \(organisationID) AND offer_minor IS NOT NULL AND status = 'sent'
                AND customer_id = ANY(\(customerIDs)::text[])
            ORDER BY id
            """, logger: logger)
        for offer in offers {
            let actionID = try offer.value("number", as: Int64.self)
            let made = try offer.value("date", as: LocalDate.self)
            let deadline = try offer.value("offer_deadline", as: LocalDate.self)
            // `json` keeps the object's keys in the order written: the action's own order of its invoices.
            let invoices = try await connection.rows(
                """
                SELECT s.key FROM actions a, json_each_text(a.invoice_steps::json) WITH ORDINALITY AS s (key, value, n)
                WHERE a.org_id = \(organisationID) AND a.number = \(actionID) ORDER BY s.n
                """, logger: logger
            ).map { try $0.value("key", as: String.self) }
            // What reached the offer's invoices from the day it was made to its deadline, and the day it was complete.
            guard
                let taken = try await connection.row(
                    """
                    SELECT coalesce(sum(amount_minor), 0)::bigint AS total, max(date) AS last FROM allocations
                    WHERE org_id = \(organisationID) AND invoice_number = ANY(\(invoices)::text[])
                        AND date >= \(made) AND date <= \(deadline)
                    """, logger: logger),
                try taken.value("total", as: Int.self) >= offer.value("offer_minor", as: Int.self),
                let takenOn = try taken.optional("last", as: LocalDate.self)
            else { continue }
            let approver = try offer.optional("decided_by", as: String.self) ?? "within the playbook's limit"
            for number in invoices {
                guard let balance = try await invoiceBalance(number, organisationID, connection, logger),
                    !balance.isClosed
                else { continue }
                try await insertCreditNote(
                    CreditNote(
                        id: "offer-\(actionID)-\(number)", invoiceNumber: number, date: takenOn,
                        amount: balance.open, kind: .settlement,
                        reason: "settlement offer of \(made) taken: paid by \(deadline)", approvedBy: approver),
                    organisationID: organisationID, timeline: &timeline, connection, logger: logger)
            }
        }
    }

    /// Invoices this import paid in full that Duly had contacted the client about: the collection day thanks the
    /// client for them. Skipped at once in an organisation that has never contacted anyone (a first import).
    static func queueThanks(
        for invoiceNumbers: [String], _ organisationID: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !invoiceNumbers.isEmpty else { return }
        let contacted = try await connection.row(
            """
            SELECT EXISTS (SELECT 1 FROM actions WHERE org_id = \(organisationID) AND status IN ('sent', 'done'))
                AS found
            """, logger: logger)
        guard try contacted?.value("found", as: Bool.self) == true else { return }
        for chunk in invoiceNumbers.chunks(of: rowsPerStatement) {
            try await connection.execute(
                """
                INSERT INTO thanks_due (org_id, customer_id, invoice_number)
                SELECT i.org_id, i.customer_id, i.invoice_number FROM invoices i
                WHERE i.org_id = \(organisationID) AND i.invoice_number = ANY(\(Array(chunk))::text[])
                    AND i.paid_minor > 0 AND i.paid_minor + i.credited_minor >= i.total_minor
                    AND EXISTS (
                        SELECT 1 FROM actions a, json_object_keys(a.invoice_steps::json) AS s (key)
                        WHERE a.org_id = i.org_id AND a.customer_id = i.customer_id AND s.key = i.invoice_number
                            AND a.status IN ('sent', 'done') AND a.step_id <> \(Playbook.thankYouStepID)
                            AND (a.escalates_to IS NULL OR a.escalates_to <> 'manager'))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }
}
