/// A half-year (semester): the unit every statutory reference rate of docs/DOMAIN.md, "Late-payment interest", is set
/// for.
public struct HalfYear: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 for January–June, 2 for July–December.
    public let half: Int

    /// The half-year `1` or `2` of `year`.
    public init(year: Int, half: Int) {
        precondition(half == 1 || half == 2, "a year has two halves")
        self.year = year
        self.half = half
    }

    /// The half-year a date falls in.
    public init(containing date: LocalDate) {
        self.init(year: date.year, half: date.month <= 6 ? 1 : 2)
    }

    /// The half-year starting on `date`, or nil unless `date` is 1 January or 1 July.
    public init?(startingOn date: LocalDate) {
        guard date.day == 1, date.month == 1 || date.month == 7 else { return nil }
        self.init(containing: date)
    }

    /// 1 January or 1 July.
    public var firstDay: LocalDate { LocalDate(year: year, month: half == 1 ? 1 : 7, day: 1)! }
    /// 30 June or 31 December.
    public var lastDay: LocalDate { LocalDate(year: year, month: half == 1 ? 6 : 12, day: half == 1 ? 30 : 31)! }
    /// The half-year after this one.
    public var next: HalfYear { half == 1 ? HalfYear(year: year, half: 2) : HalfYear(year: year + 1, half: 1) }

    /// `2026 H2`.
    public var description: String { "\(year) H\(half)" }

    public static func < (lhs: HalfYear, rhs: HalfYear) -> Bool { (lhs.year, lhs.half) < (rhs.year, rhs.half) }
}

/// A published rate that statutory interest is "reference rate plus a margin" over.
public enum ReferenceRate: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The Bank of England's Bank Rate in force on the reference date of the half-year in which UK interest starts
    /// to run: 31 December before a first half-year, 30 June before a second (docs/DOMAIN.md, UK-4).
    case bankOfEngland = "BOE"
    /// The ECB main refinancing operations rate in force on the first day of the half-year (docs/DOMAIN.md, EU-2,
    /// EU-3): the reference of the EU minimum, France, the Netherlands and Ireland.
    case ecbMainRefinancing = "ECB"
    /// The German Basiszinssatz (§ 247 BGB) of the half-year (docs/DOMAIN.md, DE-3).
    case germanBaseRate = "DE"

    /// Reads the `reference` column of a rate file: the code, or a jurisdiction that uses it (`GB`, `UK`; `EU`,
    /// `FR`, `NL`, `IE`), in any case.
    public init?(code: some StringProtocol) {
        switch code.uppercased() {
        case "BOE", "GB", "UK": self = .bankOfEngland
        case "ECB", "EU", "FR", "NL", "IE": self = .ecbMainRefinancing
        case "DE", "BASISZINSSATZ": self = .germanBaseRate
        default: return nil
        }
    }

    /// How a person names it.
    public var description: String {
        switch self {
        case .bankOfEngland: return "Bank of England Bank Rate"
        case .ecbMainRefinancing: return "ECB main refinancing rate"
        case .germanBaseRate: return "Basiszinssatz (§ 247 BGB)"
        }
    }

    /// Which day's rate a half-year's row holds, for error messages and the working.
    public func referenceDay(of halfYear: HalfYear) -> LocalDate {
        switch self {
        case .bankOfEngland:
            // The day before the half-year starts: 31 December or 30 June (SI 2002/1675).
            return halfYear.firstDay.adding(days: -1)
        case .ecbMainRefinancing, .germanBaseRate:
            return halfYear.firstDay
        }
    }
}

/// The reference rates, one per reference and half-year: the built-in rows (docs/DOMAIN.md, "Reference rates"),
/// extended or corrected by an operator's rate file, so that a new half-year needs no release.
public struct ReferenceRateTable: Hashable, Sendable {
    /// One rate for one half-year.
    public struct Row: Hashable, Sendable {
        public var reference: ReferenceRate
        public var halfYear: HalfYear
        public var rate: AnnualRate
        /// Where the value comes from (`built-in rate table, line 3`, `rates.csv:4`), for the working.
        public var source: String

        public init(reference: ReferenceRate, halfYear: HalfYear, rate: AnnualRate, source: String) {
            self.reference = reference
            self.halfYear = halfYear
            self.rate = rate
            self.source = source
        }
    }

    private var rows: [Key: Row]

    private struct Key: Hashable {
        var reference: ReferenceRate
        var halfYear: HalfYear
    }

    /// A table of these rows; a later row for the same reference and half-year replaces an earlier one.
    public init(rows: [Row] = []) {
        self.rows = [:]
        merge(rows)
    }

    /// Adds rows, each replacing any row for its reference and half-year (an operator's file over the built-in ones).
    public mutating func merge(_ newRows: [Row]) {
        for row in newRows { rows[Key(reference: row.reference, halfYear: row.halfYear)] = row }
    }

    /// The row for a reference and half-year.
    /// - Throws: `InterestError.missingRate`, naming the half-year and how to add it; never a silent zero.
    public func row(_ reference: ReferenceRate, for halfYear: HalfYear) throws(InterestError) -> Row {
        guard let row = rows[Key(reference: reference, halfYear: halfYear)] else {
            throw .missingRate(reference: reference, halfYear: halfYear)
        }
        return row
    }

    /// Every row, by reference then half-year.
    public var allRows: [Row] {
        rows.values.sorted { ($0.reference.rawValue, $0.halfYear) < ($1.reference.rawValue, $1.halfYear) }
    }
}

extension ReferenceRateTable {
    /// Parses one row's values as a rate file holds them; the same rules for the built-in rows and an operator's.
    /// - Returns: the row, or which of the three values is wrong (0-based) and why.
    public static func parseRow(
        reference: String, validFrom: String, ratePercent: String, source: String
    ) -> Result<Row, RateRowError> {
        guard let code = ReferenceRate(code: reference) else {
            return .failure(
                RateRowError(
                    field: 0,
                    message: "'\(reference)' is not a reference rate: write BOE (or GB) for the Bank of England rate, "
                        + "ECB (or EU, FR, NL, IE) for the ECB main refinancing rate, DE for the Basiszinssatz"))
        }
        guard let date = LocalDate(iso: validFrom) else {
            return .failure(RateRowError(field: 1, message: "'\(validFrom)' is not a date in the form YYYY-MM-DD"))
        }
        guard let halfYear = HalfYear(startingOn: date) else {
            return .failure(
                RateRowError(
                    field: 1,
                    message: "'\(validFrom)' does not start a half-year: rates are set per half-year, write "
                        + "\(date.year)-\(date.month <= 6 ? "01" : "07")-01"))
        }
        guard let rate = AnnualRate(percent: ratePercent) else {
            return .failure(
                RateRowError(
                    field: 2,
                    message: "'\(ratePercent)' is not a rate: write the percentage as a decimal with at most four "
                        + "decimals and no % sign, like 4.75 or -0.88"))
        }
        return .success(Row(reference: code, halfYear: halfYear, rate: rate, source: source))
    }

    /// The columns of a rate file, in order.
    public static let columns = ["reference", "valid_from", "rate_percent"]
}

/// What is wrong with one value of a rate row.
public struct RateRowError: Error, Hashable, Sendable {
    /// 0-based index of the value at fault: 0 reference, 1 valid_from, 2 rate_percent.
    public var field: Int
    public var message: String

    public init(field: Int, message: String) {
        self.field = field
        self.message = message
    }
}
