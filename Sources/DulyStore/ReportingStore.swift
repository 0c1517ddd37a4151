import DulyCore

/// Where a page of invoices ended, in the store's order (customer, due date, number): the next page starts after it.
public struct InvoicePageKey: Hashable, Sendable {
    public var customerID: String
    public var dueDate: LocalDate
    public var number: String

    public init(customerID: String, dueDate: LocalDate, number: String) {
        self.customerID = customerID
        self.dueDate = dueDate
        self.number = number
    }

    /// The key of an invoice, to ask for the page after it.
    public init(_ invoice: Invoice) {
        self.init(customerID: invoice.customerID, dueDate: invoice.dueDate, number: invoice.number)
    }
}

/// Where a page of timeline entries ended (customer, sequence).
public struct TimelinePageKey: Hashable, Sendable {
    public var customerID: String
    public var sequence: Int

    public init(customerID: String, sequence: Int) {
        self.customerID = customerID
        self.sequence = sequence
    }
}

/// What the collections report reads for a period: the allocations dated in it, and the actions about their invoices.
public struct CollectionFacts: Hashable, Sendable {
    /// Allocations dated in the period, by date, payment and invoice.
    public var collections: [CollectedAllocation]
    /// Actions `sent` or `done`, dated on or before the period's end, covering at least one collected invoice; by id.
    public var contacts: [ActionRecord]

    public init(collections: [CollectedAllocation], contacts: [ActionRecord]) {
        self.collections = collections
        self.contacts = contacts
    }
}

/// The reads that reports and exports need, for one organisation. Each call is one read transaction (a consistent
/// snapshot); large results come in pages so that a report over a million invoices keeps its memory flat.
public protocol ReportingStore: DulyStore {
    /// A page of invoice histories: invoices issued on or before `through` (all when nil), optionally of one
    /// customer, each with its allocations and credit notes dated on or before `through`, ordered by customer, due
    /// date and number, starting after `after`. At most `limit`; fewer means the last page.
    func invoiceHistories(
        organisationID: String, customerID: String?, through: LocalDate?, after: InvoicePageKey?, limit: Int
    ) async throws -> [InvoiceHistory]

    /// Promises made on or before `through`, each with its customer and the receipts (allocations) on its invoices
    /// dated on or before `through`; by customer, then date made, then id.
    func promiseHistories(
        organisationID: String, customerID: String?, through: LocalDate
    ) async throws
        -> [PromiseHistory]

    /// The allocations dated in `period` with their invoices' customer and due date, and the actions sent or done
    /// about those invoices up to the period's end.
    func collectionFacts(organisationID: String, period: ReportPeriod) async throws -> CollectionFacts

    /// A page of timeline entries, optionally of one customer, by customer then sequence, after `after`.
    func timelineEntries(
        organisationID: String, customerID: String?, after: TimelinePageKey?, limit: Int
    ) async throws -> [TimelineEntry]
}

extension ReportingStore {
    /// Hands every invoice history of `invoiceHistories` to `consumer`, page by page.
    public func scanInvoiceHistories<Consumer: InvoiceHistoryConsumer>(
        organisationID: String, customerID: String? = nil, through: LocalDate?, into consumer: inout Consumer,
        pageSize: Int = 5000
    ) async throws {
        var after: InvoicePageKey?
        while true {
            let page = try await invoiceHistories(
                organisationID: organisationID, customerID: customerID, through: through, after: after,
                limit: pageSize)
            for history in page { consumer.add(history) }
            guard page.count == pageSize, let last = page.last else { return }
            after = InvoicePageKey(last.invoice)
        }
    }
}
