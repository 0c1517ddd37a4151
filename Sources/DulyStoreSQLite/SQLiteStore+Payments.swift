import DulyCore
import DulyStore
import GRDB

extension SQLiteStore {
    /// Inserts new payments and allocates each, in the order given, over its customer's open invoices.
    public func importPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext
    ) async throws
        -> ImportSummary
    {
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            return try SQLiteStore.insertPayments(payments, organisationID: organisationID, context: context, db)
        }
    }

    /// `importPayments`' work inside the caller's transaction (a bank statement's matched credits use it too): new
    /// payments inserted and allocated, identical ones unchanged, cached sums, discounts, timeline, thank-yous.
    static func insertPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext, _ db: Database
    ) throws -> ImportSummary {
        var given: [Payment]? = payments
        let result = try importPaymentStream(
            next: {
                defer { given = nil }
                return given
            }, refusing: nil, writes: { true }, expectedRows: payments.count, keepingOutcomes: true,
            organisationID: organisationID, context: context, db)
        var summary = result.summary
        summary.payments = result.totals.outcomes ?? []
        return summary
    }

    /// Payments batch by batch inside the caller's transaction, then allocated customer by customer. With `refusing`,
    /// what `importRefusals(payments:)` would refuse goes there and the rest is written while `writes` says so;
    /// without, an unknown customer or an id stored with other data throws. What the payments did comes back in
    /// totals, with every outcome when `keepingOutcomes`.
    static func importPaymentStream(
        next: () throws -> [Payment]?, refusing: (([ImportRefusal]) -> Void)?, writes: () -> Bool, expectedRows: Int,
        keepingOutcomes: Bool, organisationID: String, context: RecordingContext, _ db: Database
    ) throws -> PaymentImport {
        try requireOrganisation(db, organisationID)
        var customers = try KnownCustomers(organisationID: organisationID, db, expectedLookups: expectedRows)
        var summary = ImportSummary()
        let hasPayments = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM payments WHERE org_id = ?)", arguments: [organisationID])!
        // The new payments, in the order given; without their free-text reference unless the outcomes are kept
        // (allocating does not read it, and it is a third of a payment's memory).
        var new = NewPayments()
        var deferred: DeferredIndexes?
        var firstLoad: Bool?
        let rows = try PaymentRows(organisationID: organisationID, db)
        while let batch = try next() {
            var refused = Set<Int>()
            if let refusing {
                let refusals = try batch.enumerated().compactMap { index, payment in
                    try refusal(of: payment, index, hasPayments: hasPayments, &customers, organisationID, db)
                }
                if !refusals.isEmpty { refusing(refusals) }
                refused = Set(refusals.map(\.index))
            }
            guard writes(), !batch.isEmpty else { continue }
            // A first load into empty tables: the indexes filled out of key order are built after the rows (see
            // `DeferredIndexes`).
            if firstLoad == nil {
                firstLoad = try DeferredIndexes.isEmpty("payments", db)
                if firstLoad == true {
                    deferred = try DeferredIndexes(["payments_by_customer", "allocations_by_invoice"], db)
                }
            }
            for (position, payment) in batch.enumerated() where !refused.contains(position) {
                try customers.require(payment.customerID, db)
                if try rows.insert(payment, db) {
                    summary.inserted += 1
                    new.append(payment, keepingReference: keepingOutcomes)
                } else {
                    try compareStoredPayment(payment, organisationID, db)
                    summary.unchanged += 1
                }
            }
        }
        // What reading the file left behind (its batches, the parser's register of ids) goes back before allocating.
        releaseFreedMemory()
        var totals = try allocate(
            &new, keepingOutcomes: keepingOutcomes, deferred: deferred, organisationID: organisationID,
            context: context, db)
        if keepingOutcomes && totals.outcomes == nil { totals.outcomes = [] }
        return PaymentImport(summary: summary, totals: totals)
    }

    // Allocates the new payments (in the order given) customer by customer, and writes what follows: allocations,
    // cached sums, discounts, one timeline entry per customer, taken settlement offers, thank-yous. `deferred`: the
    // indexes a first load set aside, built again once the rows they cover are in.
    private static func allocate(
        _ payments: inout NewPayments, keepingOutcomes: Bool, deferred: DeferredIndexes?, organisationID: String,
        context: RecordingContext, _ db: Database
    ) throws -> PaymentTotals {
        guard !payments.isEmpty else {
            try deferred?.rebuild(db)
            return PaymentTotals()
        }
        // Customers' balances are independent, so allocating customer by customer gives what allocating in the order
        // given would; each customer's payments keep that order. Customers in the table's order (UTF-8 bytes, as
        // SQLite compares text), which `OpenInvoices` reads in.
        let byCustomer = payments.byCustomer()
        var customerIDs: [String] = []
        for position in byCustomer.lazy.map(Int.init) where customerIDs.last != payments.customerID(position) {
            customerIDs.append(payments.customerID(position))
        }
        var tally = AllocationTally(payments: payments.count, keepingOutcomes: keepingOutcomes)
        var openInvoices = try OpenInvoices(of: customerIDs, organisationID, db)
        var timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
        if customerIDs.count > 256 { try timeline.preloadAllHeads(db) }
        // Per invoice paid: its clustering key (customer, due date, number) and what this import paid on it, in that
        // key's order (customers are taken in order, and each one's invoices sorted).
        // The due date packed (`CompactValues`): there is one update per invoice paid.
        var updates: [(customerID: String, dueDate: UInt32, invoiceNumber: String, minorUnits: Int)] = []
        // A payment usually pays one invoice: reserved at once rather than doubled (and copied) as they grow.
        updates.reserveCapacity(payments.count)
        // Work in key order wherever rows are written: B-tree inserts and updates in key order touch each page
        // once, where the file's order would hop across the whole table (many times faster on large imports).
        var discounts: [CreditNote] = []
        var next = 0
        for customerID in openInvoices.customerOrder {
            var customer = CustomerPaymentAllocation(openInvoices: try openInvoices.next(customerID, db))
            while next < byCustomer.count, payments.customerID(Int(byCustomer[next])) == customerID {
                let position = Int(byCustomer[next])
                next += 1
                let payment = payments[position]
                let outcome = customer.allocate(
                    payment,
                    notes: try allocationNotes(payment, customer.balances) {
                        try invoiceBalance($0, organisationID, db)?.invoice
                    })
                tally.record(outcome, of: position)
            }
            discounts += customer.discounts
            // One entry per customer and import, like invoices: a bank file with many payments from one client
            // reads as one event, and a million-payment import writes a tenth as many entries.
            try timeline.append(.paymentsRecorded(customerID: customerID, customer.received, on: context.date), db)
            let paid = customer.paidInvoices
            tally.totals.invoicesPaid += paid.count
            for invoice in paid {
                updates.append(
                    (customerID, CompactValues.pack(invoice.dueDate), invoice.invoiceNumber, invoice.minorUnits))
            }
        }
        openInvoices.finish()
        try insertAllocations(&tally.allocations, of: payments, organisationID, db)
        // The cached sums move in the same transaction as the allocations they sum, once per invoice.
        // By the full primary key, in its order: invoices are clustered by customer and due date.
        let updatePaid = try db.cachedStatement(
            sql: """
                UPDATE invoices SET paid_minor = paid_minor + ?
                WHERE org_id = ? AND customer_id = ? AND due_date = ? AND invoice_number = ?
                """)
        // Most of a first load's invoices leave the open-invoice index: built again after, from what stays open.
        let deferredOpen = deferred != nil ? try DeferredIndexes(["invoices_by_customer"], db) : nil
        updatePaid.startRawBinding()
        for update in updates {
            updatePaid.nextRow()
            updatePaid.bind(update.minorUnits, at: 1)
            updatePaid.bind(organisationID, at: 2)
            updatePaid.bind(update.customerID, at: 3)
            updatePaid.bind(CompactValues.unpack(update.dueDate).description, at: 4)
            updatePaid.bind(update.invoiceNumber, at: 5)
            try updatePaid.execute()
            guard db.changesCount == 1 else {
                throw StoreError.backend("invoice '\(update.invoiceNumber)' changed during the payment import")
            }
        }
        for discount in discounts {
            try insertCreditNote(discount, organisationID: organisationID, timeline: &timeline, db)
        }
        try settleTakenOffers(of: customerIDs, organisationID, timeline: &timeline, db)
        try queueThanks(for: updates.map(\.invoiceNumber), organisationID, db)
        // The indexes set aside last, each built by a sort that takes memory of its own: what this import held is let
        // go first.
        (updates, discounts, payments) = ([], [], NewPayments())
        releaseFreedMemory()
        try deferredOpen?.rebuild(db)
        try deferred?.rebuild(db)
        return tally.finish()
    }

    /// Writes allocations, each given as the position of its payment among `payments`, in their key order (payment,
    /// invoice), several to a statement (see `RowsInStatements`), and empties the list.
    static func insertAllocations(
        _ allocations: inout [(payment: Int, invoiceNumber: String, minorUnits: Int)], of payments: NewPayments,
        _ organisationID: String, _ db: Database
    ) throws {
        // Grouped by payment by counting them, then taken payment by payment in the order of their ids: sorting them
        // all, two strings to a comparison, took a second of a first load's 670,000.
        var starts = [Int](repeating: 0, count: payments.count + 1)
        for allocation in allocations { starts[allocation.payment + 1] += 1 }
        for position in payments.indices { starts[position + 1] += starts[position] }
        var byPayment = [Int](repeating: 0, count: allocations.count)
        var next = starts
        for (index, allocation) in allocations.enumerated() {
            byPayment[next[allocation.payment]] = index
            next[allocation.payment] += 1
        }
        var inKeyOrder: [Int] = []
        inKeyOrder.reserveCapacity(allocations.count)
        for position in payments.positionsByID() {
            let itsAllocations = byPayment[starts[position]..<starts[position + 1]]
            // A payment usually pays one invoice.
            guard itsAllocations.count > 1 else {
                inKeyOrder += itsAllocations
                continue
            }
            inKeyOrder += itsAllocations.sorted { allocations[$0].invoiceNumber < allocations[$1].invoiceNumber }
        }
        let rows = try RowsInStatements(
            "INSERT INTO allocations (org_id, payment_id, invoice_number, amount_minor, date) VALUES", parameters: 5,
            db)
        try rows.insert(inKeyOrder, db) { index, statement, offset in
            let allocation = allocations[index]
            statement.bind(organisationID, at: offset + 1)
            statement.bind(payments.id(allocation.payment), at: offset + 2)
            statement.bind(allocation.invoiceNumber, at: offset + 3)
            statement.bind(allocation.minorUnits, at: offset + 4)
            statement.bind(payments.date(allocation.payment).description, at: offset + 5)
        }
        allocations = []
    }

    // Why a payment will not go to the invoice it names, judged before it is allocated: `balances` are the customer's
    // open invoices as this import has left them, so a named invoice missing from them is unknown, another
    // customer's, or already paid (perhaps by an earlier payment of the same import). `invoice` finds any invoice of
    // the organisation by number.
    static func allocationNotes(
        _ payment: Payment, _ balances: [InvoiceBalance], invoice: (String) throws -> Invoice?
    ) throws -> [PaymentOutcome.Note] {
        guard let number = payment.invoiceNumber else { return [] }
        let named: Invoice?
        if let open = balances.first(where: { $0.invoice.number == number }) {
            named = open.invoice
        } else {
            named = try invoice(number)
        }
        guard let named, named.customerID == payment.customerID else { return [.namedInvoiceUnknown(number)] }
        if named.currency != payment.amount.currency {
            return [.currencyDiffers(invoiceNumber: number, invoiceCurrency: named.currency)]
        }
        if !balances.contains(where: { $0.invoice.number == number }) { return [.namedInvoiceClosed(number)] }
        return []
    }

    // Settlement offers sent to these customers whose amount has now been paid by their deadline: the rest of each
    // invoice the offer covered is waived as a settlement, approved by whoever approved the offer (or within the
    // playbook's limit, when it needed no approval). Skipped at once when no offer was ever made.
    static func settleTakenOffers(
        of customerIDs: [String], _ organisationID: String, timeline: inout TimelineAppender, _ db: Database
    ) throws {
        let anyOffer =
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM actions WHERE org_id = ? AND offer_minor IS NOT NULL)",
                arguments: [organisationID]) ?? false
        guard anyOffer else { return }
        let offers = try Row.fetchAll(
            db,
            sql: """
                SELECT number, date, offer_minor, offer_currency, offer_deadline, decided_by FROM actions
                WHERE org_id = ? AND offer_minor IS NOT NULL AND status = 'sent'
                    AND customer_id IN (SELECT value FROM json_each(?))
                ORDER BY id
                """,
            arguments: [organisationID, JSONText.encode(customerIDs)])
        for offer in offers {
            let actionID: Int64 = offer["number"]
            let made: String = offer["date"]
            let deadline: String = offer["offer_deadline"]
            let invoices = try String.fetchAll(
                db,
                sql:
                    "SELECT s.key FROM actions a, json_each(a.invoice_steps) s WHERE a.org_id = ? AND a.number = ? ORDER BY s.id",
                arguments: [organisationID, actionID])
            // What reached the offer's invoices from the day it was made to its deadline, and the day it was complete.
            guard
                let taken = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT coalesce(sum(amount_minor), 0) AS taken_minor, max(date) AS taken_on FROM allocations
                        WHERE org_id = ? AND invoice_number IN (SELECT value FROM json_each(?))
                            AND date >= ? AND date <= ?
                        """,
                    arguments: [organisationID, JSONText.encode(invoices), made, deadline]),
                (taken["taken_minor"] as Int) >= (offer["offer_minor"] as Int), let takenOn: String = taken["taken_on"]
            else { continue }
            let approver: String = offer["decided_by"] ?? "within the playbook's limit"
            for number in invoices {
                guard let balance = try invoiceBalance(number, organisationID, db), !balance.isClosed else { continue }
                try insertCreditNote(
                    CreditNote(
                        id: "offer-\(actionID)-\(number)", invoiceNumber: number, date: try Decode.date(takenOn),
                        amount: balance.open, kind: .settlement,
                        reason: "settlement offer of \(made) taken: paid by \(deadline)", approvedBy: approver),
                    organisationID: organisationID, timeline: &timeline, db)
            }
        }
    }

    // MARK: - Rows

    // A payment id already present: identical data is fine, anything else names its first differing field.
    static func compareStoredPayment(_ payment: Payment, _ organisationID: String, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                SELECT customer_id, date, currency, amount_minor, reference, invoice_number
                FROM payments WHERE org_id = ? AND payment_id = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [organisationID, payment.id]) else {
            throw StoreError.backend("payment '\(payment.id)' neither inserted nor found")
        }
        let fields: [(name: String, same: Bool)] = [
            ("customer_id", (row["customer_id"] as String) == payment.customerID),
            ("date", (row["date"] as String) == payment.date.description),
            ("currency", (row["currency"] as String) == payment.amount.currency.code),
            ("amount", (row["amount_minor"] as Int) == payment.amount.minorUnits),
            ("reference", (row["reference"] as String?) == payment.reference),
            ("invoice_number", (row["invoice_number"] as String?) == payment.invoiceNumber),
        ]
        if let difference = fields.first(where: { !$0.same }) {
            throw StoreError.conflict(kind: "payment", key: payment.id, field: difference.name)
        }
    }

    // Invoices this import paid in full that Duly had contacted the client about: the collection day thanks the
    // client for them. Skipped at once in an organisation that has never contacted anyone (a first import).
    static func queueThanks(for invoiceNumbers: [String], _ organisationID: String, _ db: Database) throws {
        let contacted =
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM actions WHERE org_id = ? AND status IN ('sent', 'done'))",
                arguments: [organisationID]) ?? false
        guard contacted, !invoiceNumbers.isEmpty else { return }
        try db.execute(
            sql: """
                INSERT INTO thanks_due (org_id, customer_id, invoice_number)
                SELECT i.org_id, i.customer_id, i.invoice_number FROM invoices i
                WHERE i.org_id = ? AND i.invoice_number IN (SELECT value FROM json_each(?))
                    AND i.paid_minor > 0 AND i.paid_minor + i.credited_minor >= i.total_minor
                    AND EXISTS (
                        SELECT 1 FROM actions a, json_each(a.invoice_steps) s
                        WHERE a.org_id = i.org_id AND a.customer_id = i.customer_id AND s.key = i.invoice_number
                            AND a.status IN ('sent', 'done') AND a.step_id <> ?
                            AND (a.escalates_to IS NULL OR a.escalates_to <> 'manager'))
                ON CONFLICT DO NOTHING
                """,
            arguments: [organisationID, JSONText.encode(invoiceNumbers), Playbook.thankYouStepID])
    }
}

/// What allocating an import's new payments gives, gathered payment by payment: the totals, the outcomes that need a
/// word, every outcome when kept, and the allocations still to be written.
struct AllocationTally {
    var totals = PaymentTotals()
    /// Each allocation as the position of its payment, the invoice and the amount: written after, in key order.
    var allocations: [(payment: Int, invoiceNumber: String, minorUnits: Int)] = []
    private var noted: [(position: Int, outcome: PaymentOutcome)] = []
    private var outcomes: [PaymentOutcome?]
    private let keepingOutcomes: Bool

    init(payments: Int, keepingOutcomes: Bool) {
        self.keepingOutcomes = keepingOutcomes
        outcomes = keepingOutcomes ? Array(repeating: nil, count: payments) : []
        // A payment usually pays one invoice: reserved at once rather than doubled (and copied) as they grow.
        allocations.reserveCapacity(payments)
    }

    /// Adds what the payment at `position` (in the order given) did.
    mutating func record(_ outcome: PaymentOutcome, of position: Int) {
        totals.add(outcome)
        if !outcome.notes.isEmpty { noted.append((position, outcome)) }
        if keepingOutcomes { outcomes[position] = outcome }
        for allocation in outcome.allocations {
            allocations.append((position, allocation.invoiceNumber, allocation.amount.minorUnits))
        }
    }

    /// The totals, with the noted outcomes in the order given, as the summary reports them (and every outcome when
    /// kept).
    func finish() -> PaymentTotals {
        var totals = totals
        totals.noted = noted.sorted { $0.position < $1.position }.map(\.outcome)
        if keepingOutcomes { totals.outcomes = outcomes.compactMap { $0 } }
        return totals
    }
}

/// Writes payment rows, one prepared statement for the whole import.
struct PaymentRows {
    private let organisationID: String
    private let insert: Statement
    // The columns each row binds, in order: `bind(_:to:offset:)` follows it.
    private static let columns = """
        INSERT INTO payments (org_id, payment_id, customer_id, date, currency, amount_minor, reference,
            invoice_number)
        VALUES
        """

    init(organisationID: String, _ db: Database) throws {
        self.organisationID = organisationID
        insert = try db.cachedStatement(
            sql: Self.columns + " (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, payment_id) DO NOTHING")
        insert.startRawBinding()
    }

    /// Refuses a payment without an id or with nothing paid.
    static func refuseInvalid(_ payment: Payment) throws {
        guard !payment.id.isEmpty else { throw StoreError.invalid("a payment needs an id") }
        guard payment.amount.minorUnits > 0 else {
            throw StoreError.invalid("payment '\(payment.id)': the amount must be more than zero")
        }
    }

    /// Inserts a payment; false when a payment with its id is already stored (which the caller compares).
    func insert(_ payment: Payment, _ db: Database) throws -> Bool {
        try Self.refuseInvalid(payment)
        insert.nextRow()
        bind(payment, to: insert, offset: 0)
        try insert.execute()
        return db.changesCount == 1
    }

    /// Inserts payments known to be new and valid (a ledger load's: its organisation had none, and it holds the ids
    /// it was given), several to a statement (see `RowsInStatements`).
    func insertNew(_ payments: [Payment], _ db: Database) throws {
        try RowsInStatements(Self.columns, parameters: 8, db).insert(payments, db) { payment, statement, offset in
            bind(payment, to: statement, offset: offset)
        }
    }

    // Binds a payment's values as a statement's row whose first parameter is `offset + 1`.
    private func bind(_ payment: Payment, to statement: Statement, offset: Int32) {
        statement.bind(organisationID, at: offset + 1)
        statement.bind(payment.id, at: offset + 2)
        statement.bind(payment.customerID, at: offset + 3)
        statement.bind(payment.date.description, at: offset + 4)
        statement.bind(payment.amount.currency.code, at: offset + 5)
        statement.bind(payment.amount.minorUnits, at: offset + 6)
        statement.bind(payment.reference, at: offset + 7)
        statement.bind(payment.invoiceNumber, at: offset + 8)
    }
}

/// The new payments of an import in the order given, in under half a `Payment`'s memory each: customers numbered,
/// dates and currencies packed, the free-text reference kept only when asked for (allocating does not read it).
struct NewPayments {
    private struct Kept {
        let id: String
        let invoiceNumber: String?
        let minorUnits: Int
        let date: UInt32
        let customer: UInt32
        let currency: UInt16
    }

    private var kept = ChunkedArray<Kept>()
    private var references: [String?] = []
    private var values = CompactValues()
    private var customerIDs: [String] { values.customerIDs }

    var isEmpty: Bool { kept.isEmpty }
    var count: Int { kept.count }
    var indices: Range<Int> { kept.indices }

    mutating func append(_ payment: Payment, keepingReference: Bool) {
        kept.append(
            Kept(
                id: payment.id, invoiceNumber: payment.invoiceNumber, minorUnits: payment.amount.minorUnits,
                date: CompactValues.pack(payment.date), customer: values.customer(payment.customerID),
                currency: values.code(payment.amount.currency)))
        if keepingReference { references.append(payment.reference) }
    }

    /// The positions by customer, customers in the table's order (UTF-8 bytes, as SQLite compares text), each one's
    /// payments in the order given.
    func byCustomer() -> [Int32] {
        values.positionsByCustomer(count: kept.count, by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            kept[$0].customer
        }
    }

    func id(_ position: Int) -> String { kept[position].id }
    func date(_ position: Int) -> LocalDate { CompactValues.unpack(kept[position].date) }

    /// The positions in the order of the payments' ids, the table's key: the order given when the file is in that
    /// order, as it usually is, without sorting.
    func positionsByID() -> [Int] {
        var positions = Array(indices)
        if zip(positions, positions.dropFirst()).contains(where: { id($1) < id($0) }) {
            positions.sort { id($0) < id($1) }
        }
        return positions
    }

    func customerID(_ position: Int) -> String { customerIDs[Int(kept[position].customer)] }

    subscript(position: Int) -> Payment {
        let payment = kept[position]
        return Payment(
            id: payment.id, customerID: customerIDs[Int(payment.customer)], date: CompactValues.unpack(payment.date),
            amount: Money(minorUnits: payment.minorUnits, currency: values.currency(payment.currency)),
            reference: references.isEmpty ? nil : references[position], invoiceNumber: payment.invoiceNumber)
    }
}

/// Each customer's open invoices for a payments import, customer by customer in the order of `customerOrder`. A large
/// import reads them in one pass over the invoices in key order, holding one customer's at a time (a first payments
/// import has every invoice open: holding a million of them at once took half a gigabyte); a small one asks for each
/// customer's.
struct OpenInvoices {
    /// The customers, in the order `next` must be asked for them: the table's (UTF-8 bytes, as SQLite compares text),
    /// so that the pass never goes back.
    let customerOrder: [String]
    private let organisationID: String
    private var rows: (cursor: RowCursor, columns: Columns)?
    // The first row of the next customer in the pass, read ahead.
    private var pending: InvoiceBalance?
    private var currencies = CurrencyCache()

    private static let columns =
        "invoice_number, customer_id, issue_date, due_date, currency, total_minor, paid_minor, credited_minor, terms"

    init(of customerIDs: [String], _ organisationID: String, _ db: Database) throws {
        customerOrder = customerIDs.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.organisationID = organisationID
        if customerIDs.count > 256 {
            let statement = try db.makeStatement(
                sql: """
                    SELECT \(Self.columns) FROM invoices
                    WHERE org_id = ? AND paid_minor + credited_minor < total_minor
                    ORDER BY customer_id, due_date, invoice_number
                    """)
            let rows = (
                cursor: try Row.fetchCursor(statement, arguments: [organisationID]), columns: try Columns(statement)
            )
            pending = try Self.read(rows.cursor, at: rows.columns, &currencies)
            self.rows = rows
        }
    }

    /// Ends the pass: its statement must not stay open while the invoices are updated (or an index dropped).
    mutating func finish() {
        rows = nil
        pending = nil
    }

    /// The open invoices of `customerID`, the next customer of `customerOrder`, by due date and number.
    mutating func next(_ customerID: String, _ db: Database) throws -> [InvoiceBalance] {
        var balances: [InvoiceBalance] = []
        guard let rows else {
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Self.columns) FROM invoices
                    WHERE org_id = ? AND customer_id = ? AND paid_minor + credited_minor < total_minor
                    ORDER BY due_date, invoice_number
                    """)
            let cursor = try Row.fetchCursor(statement, arguments: [organisationID, customerID])
            let columns = try Columns(statement)
            while let balance = try Self.read(cursor, at: columns, &currencies) { balances.append(balance) }
            return balances
        }
        // Customers without a payment in this import are passed over.
        while let balance = pending, balance.invoice.customerID.utf8.lexicographicallyPrecedes(customerID.utf8) {
            pending = try Self.read(rows.cursor, at: rows.columns, &currencies)
        }
        while let balance = pending, balance.invoice.customerID == customerID {
            balances.append(balance)
            pending = try Self.read(rows.cursor, at: rows.columns, &currencies)
        }
        return balances
    }

    // The next row as a balance. Allocation needs dates, amounts and numbers, and the terms for an early-payment
    // discount; the PO stays on disk.
    private static func read(
        _ rows: RowCursor, at column: Columns, _ currencies: inout CurrencyCache
    ) throws -> InvoiceBalance? {
        guard let row = try rows.next() else { return nil }
        let currency = try currencies.currency(row[column.currency])
        let invoice = Invoice(
            number: row[column.number], customerID: row[column.customerID],
            issueDate: try Decode.date(row[column.issueDate]), dueDate: try Decode.date(row[column.dueDate]),
            total: Money(minorUnits: row[column.total], currency: currency),
            terms: try currencies.terms(row[column.terms]))
        return InvoiceBalance(
            invoice: invoice, paid: Money(minorUnits: row[column.paid], currency: currency),
            credited: Money(minorUnits: row[column.credited], currency: currency))
    }

    // Where a statement selecting `columns` has each of them.
    private struct Columns {
        let number, customerID, issueDate, dueDate, currency, total, paid, credited, terms: Int

        init(_ statement: Statement) throws {
            let column = ColumnPositions(statement)
            (number, customerID, issueDate, dueDate, currency) = try (
                column("invoice_number"), column("customer_id"), column("issue_date"), column("due_date"),
                column("currency")
            )
            (total, paid, credited, terms) = try (
                column("total_minor"), column("paid_minor"), column("credited_minor"), column("terms")
            )
        }
    }
}
