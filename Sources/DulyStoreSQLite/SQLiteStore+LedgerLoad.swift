import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: LedgerLoadStore {
    /// Loads customers, invoices and payments in one transaction, each row written once (see `LedgerLoadStore`).
    ///
    /// The three imports in turn write every invoice, then read the open ones back and update each one a payment
    /// reached. Here the invoices wait in memory (about 72 bytes each) until the payments are allocated, and are then
    /// written once, in key order, with what was paid (BENCHMARKS.md, "A first load in one pass" and "A first load
    /// in less memory").
    public func loadLedger(
        customers: some ImportFeed<CustomerRecord>, invoices: some ImportFeed<Invoice>,
        payments: some ImportFeed<Payment>, organisationID: String, context: RecordingContext
    ) async throws -> LedgerLoad {
        // Foreign keys checked once, at the end: the load knows every customer, invoice and payment its rows name,
        // and SQLite refuses to write invoices while their number index is set aside with the keys on.
        try await writeFirstLoad(foreignKeysChecked: LedgerLoader.tablesWritten) { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            let started = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM invoices WHERE org_id = ?1)
                        OR EXISTS (SELECT 1 FROM payments WHERE org_id = ?1)
                    """,
                arguments: [organisationID])!
            guard !started else {
                throw StoreError.invalid(
                    "organisation '\(organisationID)' already has invoices or payments: a ledger load is for a first "
                        + "load; import each file on its own")
            }
            // An eighth of the writer's usual page cache for the load: its rows go in key order, so most pages are
            // written once and not read again, and the load holds its invoices and payments beside the cache
            // (BENCHMARKS.md, "A first load in less memory" and "A first load on two cores"). The usual size is set
            // back when the load returns.
            let usualCacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65536
            try db.execute(sql: "PRAGMA cache_size = -8192")
            // One helper thread for SQLite's sorter, which builds the indexes set aside on the second core: a second
            // less over the five of them (BENCHMARKS.md, "A first load written once").
            try db.execute(sql: "PRAGMA threads = 1")
            defer {
                try? db.execute(sql: "PRAGMA cache_size = \(usualCacheSize)")
                try? db.execute(sql: "PRAGMA threads = 0")
            }
            var load = LedgerLoader(organisationID: organisationID, context: context)
            var customerSummary = ImportSummary()
            while let batch = try FeedFailure.passing(customers.next) {
                let summary = try SQLiteStore.insertCustomers(
                    batch, organisationID: organisationID, context: context, timeline: &load.timeline, db)
                customerSummary.inserted += summary.inserted
                customerSummary.updated += summary.updated
                customerSummary.unchanged += summary.unchanged
            }
            // What each part leaves behind (the customers' records, the files' batches, the parser's registers)
            // goes back before the next holds more.
            releaseFreedMemory()
            var known = try KnownCustomers(organisationID: organisationID, db, expectedLookups: Int.max)
            let invoiceSummary = try load.read(invoices, &known, db)
            releaseFreedMemory()
            var (paymentSummary, newPayments) = try load.read(payments, &known, db)
            releaseFreedMemory()
            let allocation = try load.allocate(newPayments, db)
            // What the allocating thread made and let go of (each customer's entries) goes back before the invoices
            // are written, the load's peak.
            releaseFreedMemory()
            try load.writeInvoices(db)
            let totals = try load.writeAllocations(&newPayments, allocation: allocation, db)
            return LedgerLoad(
                customers: customerSummary, invoices: invoiceSummary,
                payments: PaymentImport(summary: paymentSummary, totals: totals))
        }
    }
}

// A ledger load's work after the customers, in the order it happens: read the invoices into memory; read the
// payments, writing them as they come; allocate customer by customer on a second thread, writing the timeline
// entries on this one as they come; write the invoices with what was paid on them, then the allocations.
private struct LedgerLoader {
    // What a load writes, checked for foreign keys before its commit: each distinct key once where many rows name
    // one customer.
    static let tablesWritten: [ForeignKeysChecked] =
        ["customers", "contacts", "customer_reviews", "allocations", "credit_notes"].map(ForeignKeysChecked.rowByRow)
        + ["timeline_entries", "invoices", "payments"].map(ForeignKeysChecked.byDistinctKey)
    let organisationID: String
    let context: RecordingContext
    var timeline: TimelineAppender
    private var invoices = HeldInvoices()
    // Invoice positions in the invoices table's key order (customer, due date, number), as allocation leaves them.
    private var keyOrder: [Int32] = []
    private var discounts: [CreditNote] = []
    // The payments' indexes a first load set aside, built once the allocations are in.
    private var deferredPaymentIndexes: DeferredIndexes?
    // The invoices' writer, kept from writing them to building their indexes set aside.
    private var invoiceRows: InvoiceRows?

    init(organisationID: String, context: RecordingContext) {
        self.organisationID = organisationID
        self.context = context
        timeline = TimelineAppender(organisationID: organisationID, recordedAt: context.recordedAt)
    }

    // The invoices feed into memory, refusing what the batched import would: a problem with the invoice itself, an
    // unknown customer, a number given twice with other values.
    mutating func read(
        _ feed: some ImportFeed<Invoice>, _ known: inout KnownCustomers, _ db: Database
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        while let batch = try FeedFailure.passing(feed.next) {
            // The batch before this one (its records, its parsed rows) goes back: freed among what the load keeps,
            // it stayed resident, about 40 MB by the end of the payments, the load's peak.
            releaseFreedMemory()
            var refusals: [ImportRefusal] = []
            for (index, invoice) in batch.enumerated() {
                try SQLiteStore.refuseProblems(of: invoice)
                if let refusal = try SQLiteStore.unknownCustomer(invoice.customerID, index, &known, db) {
                    refusals.append(refusal)
                    continue
                }
                do {
                    if try invoices.add(invoice) { summary.inserted += 1 } else { summary.unchanged += 1 }
                } catch let error as StoreError {
                    guard case .conflict(_, _, let field) = error else { throw error }
                    refusals.append(
                        ImportRefusal(index: index, kind: .conflict, field: field, message: error.description))
                }
            }
            if !refusals.isEmpty { feed.refuse(refusals) }
        }
        return summary
    }

    // The payments feed, refusing what the batched import would: an unknown customer, an invoice named that is not
    // the payment's customer's. The payments are written as they come (a payments file is usually in the order of
    // their ids, the table's key), sixteen to a statement; what allocating needs of them is kept. The organisation
    // had no payment before the load: a payment is new unless its id was given before in the load.
    mutating func read(
        _ feed: some ImportFeed<Payment>, _ known: inout KnownCustomers, _ db: Database
    ) throws -> (ImportSummary, NewPayments) {
        var summary = ImportSummary()
        var payments = NewPayments()
        if try DeferredIndexes.isEmpty("payments", db) {
            deferredPaymentIndexes = try DeferredIndexes(["payments_by_customer", "allocations_by_invoice"], db)
        }
        let rows = try PaymentRows(organisationID: organisationID, db)
        var ids = PositionsByKey()
        var waiting: [Payment] = []
        func writeWaiting() throws {
            try rows.insertNew(waiting, db)
            waiting.removeAll(keepingCapacity: true)
        }
        while let batch = try FeedFailure.passing(feed.next) {
            // As for the invoices: the batch before this one goes back.
            releaseFreedMemory()
            var refusals: [ImportRefusal] = []
            for (index, payment) in batch.enumerated() {
                if let refusal = try SQLiteStore.unknownCustomer(payment.customerID, index, &known, db) {
                    refusals.append(refusal)
                    continue
                }
                if let number = payment.invoiceNumber,
                    let refusal = SQLiteStore.namedInvoiceRefusal(
                        payment, index, owner: invoices.customerID(numbered: number))
                {
                    refusals.append(refusal)
                    continue
                }
                guard feed.writes else { continue }
                try PaymentRows.refuseInvalid(payment)
                if ids.position(of: payment.id, keyAt: { payments.id(Int($0)) }) != nil {
                    // Given twice: the same payment changes nothing, another one with its id is a conflict.
                    try writeWaiting()
                    try SQLiteStore.compareStoredPayment(payment, organisationID, db)
                    summary.unchanged += 1
                    continue
                }
                payments.append(payment, keepingReference: false)
                ids.insert(Int32(payments.count - 1), key: payment.id) { payments.id(Int($0)) }
                waiting.append(payment)
                summary.inserted += 1
                if waiting.count == 64 * RowsInStatements.rowsPerStatement { try writeWaiting() }
            }
            if !refusals.isEmpty { feed.refuse(refusals) }
        }
        try writeWaiting()
        return (summary, payments)
    }

    // Allocates the payments (see `CustomerAllocator`) on a thread of its own, while this one chains and writes the
    // timeline entries allocating makes: the two took turns on one core, about as long as each other
    // (BENCHMARKS.md, "A first load on two cores").
    mutating func allocate(_ payments: NewPayments, _ db: Database) throws -> AllocationTally {
        // The invoices move to the allocator and back: held here as well, paying on them would copy their chunks.
        var allocator = CustomerAllocator(invoices: invoices, payments: payments, date: context.date)
        invoices = HeldInvoices()
        let date = context.date
        allocator = try pipelined(capacity: 4) { hand in
            try allocator.run(handing: hand)
            return allocator
        } consume: { customers in
            // The invoices' entries are made here, the payments' by the allocator: so the two threads are about
            // as busy as each other.
            for customer in customers {
                if !customer.added.isEmpty {
                    try timeline.append(.invoicesAdded(customerID: customer.id, customer.added, on: date), db)
                }
                if let paid = customer.paid { try timeline.append(paid, db) }
            }
        }
        (invoices, keyOrder, discounts) = (allocator.invoices, allocator.keyOrder, allocator.discounts)
        return allocator.tally
    }

    // Writes the invoices once each, in key order, with what the payments paid on them; a first load into an empty
    // table sets aside the indexes that would fill at random (see `DeferredIndexes`) and builds them after the
    // payments. The numbers' index among them, which the load keeps unique in memory (`HeldInvoices`), is built
    // again as soon as the invoices are in: the discounts find their invoice by number.
    mutating func writeInvoices(_ db: Database) throws {
        var rows = try InvoiceRows(organisationID: organisationID, db)
        var numbers: DeferredIndexes?
        if try DeferredIndexes.isEmpty("invoices", db) {
            numbers = try DeferredIndexes(["invoices_by_number"], db)
            rows.deferred = try DeferredIndexes(["invoices_by_payment_reference", "invoices_by_customer"], db)
        }
        try Self.write(invoices, in: keyOrder, to: &rows, db)
        (keyOrder, invoices) = ([], HeldInvoices())
        // The invoices held were the most of the load's memory: back before the allocations are sorted.
        releaseFreedMemory()
        try numbers?.rebuild(db)
        invoiceRows = rows
    }

    // Each invoice's row (its values, what was paid, its RF reference) is made on a thread of its own while this one
    // writes the rows before it: making them took a third of the time writing them did (BENCHMARKS.md, "A first
    // load on two cores").
    private static func write(
        _ invoices: HeldInvoices, in order: [Int32], to rows: inout InvoiceRows, _ db: Database
    ) throws {
        typealias Row = (invoice: Invoice, paidMinor: Int, reference: String)
        try pipelined(capacity: 4) { hand in
            var batch: [Row] = []
            try invoices.issueReferences(writingOrder: order) { position, reference in
                batch.append((invoices.invoice(position), invoices.paid(position), reference))
                // A multiple of the rows a statement writes.
                if batch.count == 64 * RowsInStatements.rowsPerStatement {
                    try hand(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try hand(batch) }
        } consume: { batch in
            try rows.insertNew(batch, db)
        }
    }

    // Writes the allocations in their key order, then the discounts the allocation earned, and builds the indexes set
    // aside.
    mutating func writeAllocations(
        _ payments: inout NewPayments, allocation: AllocationTally, _ db: Database
    ) throws -> PaymentTotals {
        var allocation = allocation
        try SQLiteStore.insertAllocations(&allocation.allocations, of: payments, organisationID, db)
        payments = NewPayments()
        for discount in discounts {
            try SQLiteStore.insertCreditNote(discount, organisationID: organisationID, timeline: &timeline, db)
        }
        // Nothing else an import of payments does applies to a first load: with no invoice before it, no settlement
        // offer was made and no client was contacted to be thanked.
        releaseFreedMemory()
        try invoiceRows?.finish(db)
        try deferredPaymentIndexes?.rebuild(db)
        return allocation.finish()
    }
}

/// What a first load's payments do to its invoices, customer by customer (customers in the table's order, each one's
/// payments in the order given, over its invoices, all open), and what each customer's timeline is to say of it, as
/// the three imports chain it: its invoices added, then its payments recorded.
private struct CustomerAllocator {
    /// One customer's invoices added and the entry recording its payments, in the order their entries come.
    struct Told: Sendable {
        let id: String
        var added: [(number: String, total: Money, dueDate: LocalDate)] = []
        var paid: TimelineEvent?
    }

    private(set) var invoices: HeldInvoices
    private let payments: NewPayments
    private let date: LocalDate
    /// Invoice positions in the invoices table's key order (customer, due date, number).
    private(set) var keyOrder: [Int32] = []
    private(set) var discounts: [CreditNote] = []
    private(set) var tally: AllocationTally

    init(invoices: HeldInvoices, payments: NewPayments, date: LocalDate) {
        self.invoices = invoices
        self.payments = payments
        self.date = date
        tally = AllocationTally(payments: payments.count, keepingOutcomes: false)
    }

    /// Allocates every payment, handing what each customer's timeline is to say in order, a few hundred customers at
    /// a time (a hand-over takes a lock). The payments' entries are made here; the invoices' are left to the writer.
    mutating func run(handing hand: ([Told]) throws -> Void) throws {
        let byCustomer = (invoices: invoices.byCustomer(), payments: payments.byCustomer())
        keyOrder.reserveCapacity(byCustomer.invoices.count)
        var customers: [Told] = []
        var next = (invoice: 0, payment: 0)
        while next.invoice < byCustomer.invoices.count || next.payment < byCustomer.payments.count {
            if customers.count >= 512 {
                try hand(customers)
                customers = []
            }
            // The next customer in the table's order with an invoice or a payment.
            let withInvoice =
                next.invoice < byCustomer.invoices.count
                ? invoices.customerID(Int(byCustomer.invoices[next.invoice])) : nil
            let withPayment =
                next.payment < byCustomer.payments.count
                ? payments.customerID(Int(byCustomer.payments[next.payment])) : nil
            let customerID = [withInvoice, withPayment].compactMap { $0 }.min {
                $0.utf8.lexicographicallyPrecedes($1.utf8)
            }!
            var given: [Int] = []
            while next.invoice < byCustomer.invoices.count,
                invoices.customerID(Int(byCustomer.invoices[next.invoice])) == customerID
            {
                given.append(Int(byCustomer.invoices[next.invoice]))
                next.invoice += 1
            }
            var told = Told(id: customerID, added: given.map(invoices.named))
            let inKeyOrder = given.sorted(by: invoices.precedesInKey)
            keyOrder += inKeyOrder.map { Int32($0) }
            var customer = CustomerPaymentAllocation(
                openInvoices: inKeyOrder.map { invoices.invoice($0) }.filter { $0.total.minorUnits > 0 }.map {
                    InvoiceBalance(invoice: $0)
                })
            var paid = false
            while next.payment < byCustomer.payments.count,
                payments.customerID(Int(byCustomer.payments[next.payment])) == customerID
            {
                let position = Int(byCustomer.payments[next.payment])
                next.payment += 1
                let payment = payments[position]
                let notes = try SQLiteStore.allocationNotes(payment, customer.balances) {
                    invoices.invoice(numbered: $0)
                }
                tally.record(customer.allocate(payment, notes: notes), of: position)
                paid = true
            }
            guard paid else {
                customers.append(told)
                continue
            }
            told.paid = .paymentsRecorded(customerID: customerID, customer.received, on: date)
            customers.append(told)
            discounts += customer.discounts
            for invoice in customer.paidInvoices {
                invoices.pay(invoice.invoiceNumber, minorUnits: invoice.minorUnits)
                tally.totals.invoicesPaid += 1
            }
        }
        if !customers.isEmpty { try hand(customers) }
    }
}

/// A ledger load's invoices, held in memory between reading them and writing them, in about 70 bytes an invoice
/// with the index by number: customers numbered, dates, currencies and terms packed, payment links (rare) aside, and
/// the index a table of positions rather than a dictionary of numbers (an `Invoice` alone takes twice that).
private struct HeldInvoices {
    private struct Held {
        let number: String
        let poNumber: String?
        let minorUnits: Int
        var paidMinor = 0
        let customer: UInt32
        let issueDate: UInt32
        let dueDate: UInt32
        let currency: UInt16
        // 0 for none, else one more than the terms' place in `terms`.
        let terms: UInt16
    }

    private var held = ChunkedArray<Held>()
    private var byNumber = PositionsByKey()
    private var paymentURLs: [Int32: String] = [:]
    private var values = CompactValues()
    private var terms: [PaymentTerms] = []

    /// Holds a new invoice (true); false for a number given before with the same values, a conflict with others.
    mutating func add(_ invoice: Invoice) throws -> Bool {
        if let earlier = position(numbered: invoice.number) {
            try SQLiteStore.compare(invoice, storedFields: SQLiteStore.fields(of: self.invoice(earlier)))
            return false
        }
        var termsCode: UInt16 = 0
        if let given = invoice.terms {
            if let index = terms.firstIndex(of: given) {
                termsCode = UInt16(index + 1)
            } else {
                terms.append(given)
                termsCode = UInt16(terms.count)
            }
        }
        let position = Int32(held.count)
        if let link = invoice.paymentURL { paymentURLs[position] = link }
        held.append(
            Held(
                number: invoice.number, poNumber: invoice.poNumber, minorUnits: invoice.total.minorUnits,
                customer: values.customer(invoice.customerID), issueDate: CompactValues.pack(invoice.issueDate),
                dueDate: CompactValues.pack(invoice.dueDate), currency: values.code(invoice.currency),
                terms: termsCode))
        // The index reads numbers where they are held; a copy (no copying: the buffers are shared) lets it read them
        // while it changes, which reading `held` through `self` would not.
        let numbers = held
        byNumber.insert(position, key: invoice.number) { numbers[Int($0)].number }
        return true
    }

    func invoice(_ position: Int) -> Invoice {
        let invoice = held[position]
        return Invoice(
            number: invoice.number, customerID: values.customerIDs[Int(invoice.customer)],
            issueDate: CompactValues.unpack(invoice.issueDate), dueDate: CompactValues.unpack(invoice.dueDate),
            total: Money(minorUnits: invoice.minorUnits, currency: values.currency(invoice.currency)),
            terms: invoice.terms == 0 ? nil : terms[Int(invoice.terms) - 1], poNumber: invoice.poNumber,
            paymentURL: paymentURLs[Int32(position)])
    }

    func invoice(numbered number: String) -> Invoice? { position(numbered: number).map(invoice) }

    private func position(numbered number: String) -> Int? {
        byNumber.position(of: number) { held[Int($0)].number }.map { Int($0) }
    }

    func customerID(_ position: Int) -> String { values.customerIDs[Int(held[position].customer)] }

    /// Whose invoice this number is, if the load holds it.
    func customerID(numbered number: String) -> String? { position(numbered: number).map(customerID) }

    /// What the timeline entry of the invoices added names of the invoice.
    func named(_ position: Int) -> (number: String, total: Money, dueDate: LocalDate) {
        let invoice = held[position]
        return (
            invoice.number, Money(minorUnits: invoice.minorUnits, currency: values.currency(invoice.currency)),
            CompactValues.unpack(invoice.dueDate)
        )
    }

    func paid(_ position: Int) -> Int { held[position].paidMinor }

    /// Gives `issued` each invoice's position and RF reference (`CreditorReference.forInvoice`), the invoices taken in
    /// the order they are written: the first attempt, derived from the number, unless an invoice written before took
    /// it, as the imports issue them. The references taken are found from the numbers held and which attempt each
    /// got, where the imports keep a set of the references themselves (48 MB at its peak in a first load of a million
    /// invoices).
    func issueReferences(writingOrder order: [Int32], _ issued: (Int, String) throws -> Void) throws {
        var attempts = [UInt8](repeating: 0, count: held.count)
        var taken = PositionsByKey()
        func reference(_ position: Int32) -> String {
            CreditorReference.forInvoice(number: held[Int(position)].number, attempt: Int(attempts[Int(position)]))
        }
        for position in order {
            var candidate = reference(position)
            while taken.position(of: candidate, keyAt: reference) != nil {
                guard attempts[Int(position)] < 99 else {
                    throw StoreError.backend(
                        "invoice '\(held[Int(position)].number)': no free RF reference in 100 attempts")
                }
                attempts[Int(position)] += 1
                candidate = reference(position)
            }
            taken.insert(position, key: candidate, keyAt: reference)
            try issued(Int(position), candidate)
        }
    }

    mutating func pay(_ number: String, minorUnits: Int) {
        // Only invoices this load holds are allocated to.
        held[position(numbered: number)!].paidMinor += minorUnits
    }

    /// Whether one invoice of a customer comes before another in the table's key: by due date, then number.
    func precedesInKey(_ left: Int, _ right: Int) -> Bool {
        if held[left].dueDate != held[right].dueDate { return held[left].dueDate < held[right].dueDate }
        return held[left].number.utf8.lexicographicallyPrecedes(held[right].number.utf8)
    }

    /// The positions by customer, customers in the table's order (UTF-8 bytes, as SQLite compares text), each one's
    /// invoices in the order given.
    func byCustomer() -> [Int32] {
        values.positionsByCustomer(count: held.count, by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            held[$0].customer
        }
    }
}

/// Held invoices' positions by a text key (their number, their RF reference): an open-addressed table of 32-bit
/// positions, at most half full, so about 8 bytes an invoice where a `[String: Int32]` took about 40 and a
/// `Set<String>` about 32; the keys themselves are read, or worked out, from the invoice held at a position.
private struct PositionsByKey {
    // -1 for an empty slot; a power of two slots, probed one after another.
    private var slots = [Int32](repeating: -1, count: 1024)
    private var count = 0

    func position(of key: String, keyAt: (Int32) -> String) -> Int32? {
        var slot = key.hashValue & (slots.count - 1)
        while slots[slot] >= 0 {
            if keyAt(slots[slot]) == key { return slots[slot] }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Adds a position whose key is not in the table yet.
    mutating func insert(_ position: Int32, key: String, keyAt: (Int32) -> String) {
        if (count + 1) * 2 > slots.count {
            let old = slots
            slots = [Int32](repeating: -1, count: old.count * 2)
            for earlier in old where earlier >= 0 { place(earlier, hash: keyAt(earlier).hashValue) }
        }
        place(position, hash: key.hashValue)
        count += 1
    }

    private mutating func place(_ position: Int32, hash: Int) {
        var slot = hash & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = position
    }
}
