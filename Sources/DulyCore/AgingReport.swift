/// Open receivables by age on a date, per currency (docs/DOMAIN.md, "Collections KPIs", K-8).
///
/// Age is days past the due date: current is 0 or less (not yet due, or due today), then 1–30, 31–60, 61–90 and
/// over 90; buckets are closed on the right, so 30 days is in 1–30 and 31 in 31–60.
public struct AgingReport: Sendable, Equatable {
    /// The five buckets, in order.
    public enum Bucket: String, CaseIterable, Sendable, Codable {
        case current
        case days1to30 = "1-30"
        case days31to60 = "31-60"
        case days61to90 = "61-90"
        case over90 = "90+"

        /// The bucket for an invoice `daysPastDue` days past its due date.
        public init(daysPastDue: Int) {
            switch daysPastDue {
            case ...0: self = .current
            case 1...30: self = .days1to30
            case 31...60: self = .days31to60
            case 61...90: self = .days61to90
            default: self = .over90
            }
        }
    }

    /// One currency's row: open amount and invoice count per bucket.
    public struct Row: Sendable, Equatable {
        public var currency: Currency
        public var amounts: [Bucket: Money]
        public var counts: [Bucket: Int]

        public init(currency: Currency) {
            self.currency = currency
            self.amounts = Dictionary(uniqueKeysWithValues: Bucket.allCases.map { ($0, Money.zero(currency)) })
            self.counts = Dictionary(uniqueKeysWithValues: Bucket.allCases.map { ($0, 0) })
        }

        /// The open total across buckets.
        public var total: Money { Bucket.allCases.reduce(.zero(currency)) { $0 + amounts[$1]! } }
    }

    public var asOf: LocalDate
    /// One row per currency, ordered by currency code.
    public var rows: [Row]

    /// Ages the open part of every invoice given; closed invoices are left out.
    public init(asOf: LocalDate, balances: some Sequence<InvoiceBalance>) {
        self.asOf = asOf
        var rows: [Currency: Row] = [:]
        for balance in balances where !balance.isClosed {
            let bucket = Bucket(daysPastDue: balance.invoice.dueDate.days(until: asOf))
            var row = rows[balance.invoice.currency] ?? Row(currency: balance.invoice.currency)
            row.amounts[bucket] = row.amounts[bucket]! + balance.open
            row.counts[bucket]! += 1
            rows[balance.invoice.currency] = row
        }
        self.rows = rows.values.sorted { $0.currency.code < $1.currency.code }
    }
}
