import DulyCore
import Yams

/// How to read a CSV layout other than Duly's own: which source column holds each Duly field, and how the file writes
/// numbers, dates and text. Written as YAML, or one of the built-in mappings (``builtIn(named:)``).
///
/// ```yaml
/// kind: invoices              # optional: customers, invoices or payments; checked against the command
/// separator: ";"              # one ASCII character, or "tab"; default ","
/// decimal: ","                # "." (default) or ","
/// thousands: "."              # ".", ",", " ", "'" or "none" (default)
/// date_format: DD.MM.YYYY     # DD, MM (1 or 2 digits accepted), YYYY and literal separators; default YYYY-MM-DD;
///                             # or a list of them ([DD.MM.YYYY, YYYY-MM-DD]): a date may be in any, the first named
///                             # in messages
/// encoding: windows-1252      # utf-8 (default) or windows-1252
/// repeated_rows: merge        # one row per invoice line: rows repeating the previous row's values are read once
/// columns:                    # Duly field: source column header (compared ignoring case and surrounding spaces)
///   invoice_number: Rechnungsnr.
///   customer_id: Kundennr.
///   issue_date: Rechnungsdatum
///   due_date: Fälligkeit
///   total: Betrag
/// constants:                  # Duly field: the value for every row
///   currency: EUR
/// terms:                      # the file's terms texts, in Duly's notation
///   "14 Tage netto": net 14
/// ```
///
/// Duly's fields are those of its own CSV files (docs/PRODUCT.md, "CSV files"). Columns of the file that no field names
/// are ignored. Line breaks and tabs inside a mapped text value (a quoted name over two lines) become spaces.
public struct CSVMapping: Hashable, Sendable {
    /// Which of Duly's files the mapping produces.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case customers, invoices, payments

        /// Duly's field names for this kind, in the order of its CSV file.
        public var fields: [String] {
            switch self {
            case .customers: return DulyCSV.customerColumns
            case .invoices: return DulyCSV.invoiceColumns
            case .payments: return DulyCSV.paymentColumns
            }
        }

        var dateFields: Set<String> { ["issue_date", "due_date", "date"] }

        /// The fields a record cannot do without: a mapping must give each a column or a constant.
        public var requiredFields: [String] {
            switch self {
            case .customers: return ["customer_id", "name"]
            case .invoices: return ["invoice_number", "customer_id", "issue_date", "currency", "total"]
            case .payments: return ["payment_id", "customer_id", "date", "currency", "amount"]
            }
        }
        var amountFields: Set<String> { ["total", "amount"] }
    }

    /// The text encodings a mapped file may be in.
    public enum Encoding: String, Hashable, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case windows1252 = "windows-1252"
    }

    /// The mapping's name: the built-in name, or the YAML file's.
    public var name: String
    public var kind: Kind?
    public var separator: UInt8 = UInt8(ascii: ",")
    public var decimal: UInt8 = UInt8(ascii: ".")
    public var thousands: UInt8?
    public var dateFormat = "YYYY-MM-DD"
    /// Further date formats accepted besides `dateFormat`, tried in order.
    public var otherDateFormats: [String] = []
    public var encoding = Encoding.utf8
    /// Rows whose mapped values repeat the previous row's are read once (exports with one row per invoice line).
    public var mergeRepeatedRows = false
    /// Duly field → source column header.
    public var columns: [String: String] = [:]
    /// Fields whose source column a file may leave out (the field is then empty), as Duly's own optional columns.
    public var optionalColumns: Set<String> = []
    /// Duly field → the value every row gets.
    public var constants: [String: String] = [:]
    /// The file's terms texts → Duly notation.
    public var terms: [String: String] = [:]

    /// Creates a mapping.
    public init(name: String, kind: Kind? = nil) {
        self.name = name
        self.kind = kind
    }
}

// MARK: - Built-in mappings

extension CSVMapping {
    /// The names ``builtIn(named:kind:)`` knows, for help texts.
    public static let builtInNames = "xero, german-excel, excel-eu"

    /// A built-in mapping for a kind, or nil when there is none by that name for that kind.
    ///
    /// - `xero`: shaped like Xero's sales-invoice CSV (the layout of its invoice import template, which its export
    ///   follows): comma, `.` decimals (`,` between thousands accepted), DD/MM/YYYY dates, one row per invoice line (repeats merged). Invoices read
    ///   `ContactName` (as the customer id), `InvoiceNumber`, `InvoiceDate`, `DueDate`, `Total`, `Currency`,
    ///   `Reference` (as the PO number); customers read `ContactName` (id and name), `EmailAddress`, `POCountry`,
    ///   and the postal address from `POAddressLine1`, `POAddressLine2`, `POPostalCode`, `POCity`, `PORegion` when
    ///   the file has them.
    ///   Payments have no Xero layout here.
    /// - `german-excel`: the shape of a German accounting or spreadsheet export (not one product's): `;`, decimal
    ///   comma, `.` between thousands, DD.MM.YYYY, Windows-1252. Invoices: `Rechnungsnummer`, `Kundennummer`,
    ///   `Rechnungsdatum`, `Fälligkeitsdatum`, `Währung`, `Betrag`, `Zahlungsbedingung`, `Bestellnummer`. Customers:
    ///   `Kundennummer`, `Name`, `E-Mail`, `Telefon`, `Land`, and when the file has them `Straße`, `PLZ`, `Ort`.
    ///   ISO dates are accepted too. Payments: `Zahlungsnummer`, `Kundennummer`,
    ///   `Zahlungsdatum`, `Währung`, `Betrag`, `Verwendungszweck`, `Rechnungsnummer`.
    /// - `excel-eu`: Duly's own column names in a file saved by a spreadsheet with European settings: `;`, decimal
    ///   comma, `.` between thousands, UTF-8 (with or without a byte order mark). Dates day first, as every country
    ///   whose spreadsheets save with `;` writes them: DD-MM-YYYY (Netherlands), DD.MM.YYYY (Germany, Austria,
    ///   Switzerland, Poland, Czechia, Scandinavia), DD/MM/YYYY (France, Belgium, Spain, Italy, Portugal), and ISO
    ///   YYYY-MM-DD; a two-digit year is refused, since its century is a guess. Optional columns may be left out.
    public static func builtIn(named name: String, kind: Kind) -> CSVMapping? {
        switch name {
        case "xero":
            var mapping = CSVMapping(name: name, kind: kind)
            mapping.dateFormat = "DD/MM/YYYY"
            mapping.thousands = UInt8(ascii: ",")
            mapping.mergeRepeatedRows = true
            switch kind {
            case .invoices:
                mapping.columns = [
                    "invoice_number": "InvoiceNumber", "customer_id": "ContactName", "issue_date": "InvoiceDate",
                    "due_date": "DueDate", "currency": "Currency", "total": "Total", "po_number": "Reference",
                ]
            case .customers:
                mapping.columns = [
                    "customer_id": "ContactName", "name": "ContactName", "email": "EmailAddress",
                    "country": "POCountry", "address_line1": "POAddressLine1", "address_line2": "POAddressLine2",
                    "postal_code": "POPostalCode", "city": "POCity", "region": "PORegion",
                ]
                mapping.optionalColumns = ["address_line1", "address_line2", "postal_code", "city", "region"]
            case .payments:
                return nil
            }
            return mapping
        case "german-excel":
            var mapping = CSVMapping(name: name, kind: kind)
            mapping.separator = UInt8(ascii: ";")
            mapping.decimal = UInt8(ascii: ",")
            mapping.thousands = UInt8(ascii: ".")
            mapping.dateFormat = "DD.MM.YYYY"
            mapping.otherDateFormats = ["YYYY-MM-DD"]
            mapping.encoding = .windows1252
            switch kind {
            case .invoices:
                mapping.columns = [
                    "invoice_number": "Rechnungsnummer", "customer_id": "Kundennummer", "issue_date": "Rechnungsdatum",
                    "due_date": "Fälligkeitsdatum", "currency": "Währung", "total": "Betrag",
                    "terms": "Zahlungsbedingung", "po_number": "Bestellnummer",
                ]
            case .customers:
                mapping.columns = [
                    "customer_id": "Kundennummer", "name": "Name", "email": "E-Mail", "phone": "Telefon",
                    "country": "Land", "address_line1": "Straße", "postal_code": "PLZ", "city": "Ort",
                ]
                mapping.optionalColumns = ["address_line1", "postal_code", "city"]
            case .payments:
                mapping.columns = [
                    "payment_id": "Zahlungsnummer", "customer_id": "Kundennummer", "date": "Zahlungsdatum",
                    "currency": "Währung", "amount": "Betrag", "reference": "Verwendungszweck",
                    "invoice_number": "Rechnungsnummer",
                ]
            }
            return mapping
        case "excel-eu":
            var mapping = CSVMapping(name: name, kind: kind)
            mapping.separator = UInt8(ascii: ";")
            mapping.decimal = UInt8(ascii: ",")
            mapping.thousands = UInt8(ascii: ".")
            mapping.dateFormat = "DD-MM-YYYY"
            mapping.otherDateFormats = ["DD.MM.YYYY", "DD/MM/YYYY", "YYYY-MM-DD"]
            for field in kind.fields { mapping.columns[field] = field }
            mapping.optionalColumns = Set(kind.fields).subtracting(kind.requiredFields)
            return mapping
        default:
            return nil
        }
    }
}

// MARK: - YAML

extension CSVMapping {
    private static let topLevelKeys = [
        "kind", "separator", "decimal", "thousands", "date_format", "encoding", "repeated_rows", "columns",
        "constants", "terms",
    ]

    /// Reads a mapping from YAML; `fileName` is what issues name. `kind` is the kind being imported: a mapping that
    /// says another kind is refused, and the fields are checked against this one.
    public static func parse(yaml text: String, fileName: String, kind: Kind) throws(CSVMappingError) -> CSVMapping {
        var issues: [ImportIssue] = []
        func report(_ mark: Mark?, _ key: String?, _ message: String) {
            issues.append(
                ImportIssue(
                    file: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1, field: key, message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw CSVMappingError(issues: [
                ImportIssue(file: fileName, line: 1, column: 1, message: "not valid YAML: \(error)")
            ])
        }
        guard let mapping = root?.mapping else {
            report(root?.mark, nil, "expected a mapping with 'columns' and settings")
            throw CSVMappingError(issues: issues)
        }
        var result = CSVMapping(name: fileName, kind: kind)
        func scalar(_ node: Node, _ key: String) -> String? {
            guard let text = node.scalar?.string else {
                report(node.mark, key, "expected a text value")
                return nil
            }
            return text
        }
        func dictionary(_ node: Node, _ key: String) -> [(String, String, Mark?)] {
            guard let items = node.mapping else {
                report(node.mark, key, "expected a mapping of names to values")
                return []
            }
            return items.compactMap { keyNode, value in
                guard let name = keyNode.scalar?.string, let text = value.scalar?.string else {
                    report(value.mark, key, "expected 'name: value'")
                    return nil
                }
                return (name, text, keyNode.mark)
            }
        }
        let fields = Set(kind.fields)
        var fieldMarks: [String: Mark?] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, topLevelKeys.contains(key) else {
                report(
                    keyNode.mark, keyNode.scalar?.string,
                    "unknown setting; the settings are \(topLevelKeys.joined(separator: ", "))")
                continue
            }
            switch key {
            case "kind":
                guard let text = scalar(value, key) else { continue }
                guard let declared = Kind(rawValue: text) else {
                    report(value.mark, key, "'\(text)' is not customers, invoices or payments")
                    continue
                }
                if declared != kind {
                    report(value.mark, key, "this mapping is for \(text), not \(kind.rawValue)")
                }
            case "separator":
                guard let text = scalar(value, key) else { continue }
                let byte: UInt8? = text == "tab" || text == "\t" ? 9 : (text.utf8.count == 1 ? text.utf8.first : nil)
                guard let byte, byte < 0x80, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
                    report(value.mark, key, "'\(text)' is not one ASCII character (other than a quote or line break)")
                    continue
                }
                result.separator = byte
            case "decimal":
                guard let text = scalar(value, key) else { continue }
                guard text == "." || text == "," else {
                    report(value.mark, key, "'\(text)' is not '.' or ','")
                    continue
                }
                result.decimal = text.utf8.first!
            case "thousands":
                guard let text = scalar(value, key) else { continue }
                if text == "none" || text.isEmpty {
                    result.thousands = nil
                } else if [".", ",", " ", "'"].contains(text) {
                    result.thousands = text.utf8.first!
                } else {
                    report(value.mark, key, "'\(text)' is not '.', ',', ' ', \"'\" or none")
                }
            case "date_format":
                let formats = value.sequence.map { Array($0) } ?? [value]
                guard !formats.isEmpty else {
                    report(value.mark, key, "expected a date format, or a list of them")
                    continue
                }
                var accepted: [String] = []
                for format in formats {
                    guard let text = scalar(format, key) else { continue }
                    if let problem = DateFormat.check(text) {
                        report(format.mark, key, problem)
                    } else {
                        accepted.append(text)
                    }
                }
                if let first = accepted.first {
                    result.dateFormat = first
                    result.otherDateFormats = Array(accepted.dropFirst())
                }
            case "encoding":
                guard let text = scalar(value, key) else { continue }
                guard let encoding = Encoding(rawValue: text.lowercased()) else {
                    report(value.mark, key, "'\(text)' is not utf-8 or windows-1252")
                    continue
                }
                result.encoding = encoding
            case "repeated_rows":
                guard let text = scalar(value, key) else { continue }
                guard text == "merge" || text == "refuse" else {
                    report(value.mark, key, "'\(text)' is not merge or refuse")
                    continue
                }
                result.mergeRepeatedRows = text == "merge"
            case "columns", "constants":
                for (field, source, mark) in dictionary(value, key) {
                    guard fields.contains(field) else {
                        report(
                            mark, "\(key).\(field)",
                            "not a field of Duly's \(kind.rawValue); the fields are "
                                + kind.fields.joined(separator: ", "))
                        continue
                    }
                    if fieldMarks[field] != nil {
                        report(mark, "\(key).\(field)", "given twice (as a column and a constant?)")
                        continue
                    }
                    fieldMarks[field] = mark
                    if key == "columns" { result.columns[field] = source } else { result.constants[field] = source }
                }
            case "terms":
                for (text, notation, mark) in dictionary(value, key) {
                    do throws(PaymentTermsError) {
                        _ = try PaymentTerms(parsing: notation)
                        result.terms[text] = notation
                    } catch {
                        report(mark, "terms.\(text)", error.description)
                    }
                }
            default:
                break
            }
        }
        if result.thousands != nil, result.thousands == result.decimal {
            report(mapping.mark, "thousands", "the thousands separator cannot be the decimal point")
        }
        guard issues.isEmpty else { throw CSVMappingError(issues: issues) }
        if let problem = result.missingFields() {
            throw CSVMappingError(issues: [
                ImportIssue(
                    file: fileName, line: mapping.mark?.line ?? 1, column: 1, field: "columns", message: problem)
            ])
        }
        return result
    }

    /// Why the mapping cannot produce its kind (a required field with neither a column nor a constant), or nil.
    func missingFields() -> String? {
        guard let kind else { return nil }
        let missing = kind.requiredFields.filter { columns[$0] == nil && constants[$0] == nil }
        guard !missing.isEmpty else { return nil }
        return "no column or constant for \(missing.joined(separator: ", ")) (required for \(kind.rawValue))"
    }
}

/// A mapping file that cannot be used, with every problem found in it.
public struct CSVMappingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]

    public init(issues: [ImportIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

// MARK: - Values

/// A date pattern: `DD`, `MM` (each accepting one or two digits), `YYYY`, and literal characters between them.
enum DateFormat {
    enum Token: Equatable {
        case day, month, year
        case literal(UInt8)
    }

    static func tokens(_ format: String) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(format.utf8)
        var index = 0
        while index < bytes.count {
            let rest = bytes[index...]
            if rest.starts(with: Array("YYYY".utf8)) {
                tokens.append(.year)
                index += 4
            } else if rest.starts(with: Array("DD".utf8)) || rest.starts(with: Array("MM".utf8)) {
                tokens.append(bytes[index] == UInt8(ascii: "D") ? .day : .month)
                index += 2
            } else if bytes[index] == UInt8(ascii: "D") || bytes[index] == UInt8(ascii: "M") {
                tokens.append(bytes[index] == UInt8(ascii: "D") ? .day : .month)
                index += 1
            } else {
                tokens.append(.literal(bytes[index]))
                index += 1
            }
        }
        return tokens
    }

    static func check(_ format: String) -> String? {
        let tokens = tokens(format)
        for part in [Token.day, .month, .year] where tokens.filter({ $0 == part }).count != 1 {
            return "'\(format)' needs DD, MM and YYYY once each (like DD.MM.YYYY or MM/DD/YYYY)"
        }
        return nil
    }

    enum Parsed {
        case date(year: Int, month: Int, day: Int)
        case malformed
    }

    /// Whether `bytes` look like a date written with a two-digit year (`01.10.26`, `1/10/26`).
    static func hasTwoDigitYear(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let parts = bytes.split(whereSeparator: {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-")
        })
        guard parts.count == 3, bytes.count == parts.map(\.count).reduce(2, +) else { return false }
        let digits = parts.allSatisfy { $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        return digits && parts[2].count == 2 && (1...2).contains(parts[0].count) && (1...2).contains(parts[1].count)
    }

    /// Reads `bytes` by the format's tokens.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, tokens: [Token]) -> Parsed {
        var index = 0
        var day = 0
        var month = 0
        var year = 0
        func digits(max: Int, exactly: Bool) -> Int? {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            return count == 0 || (exactly && count != max) ? nil : value
        }
        for token in tokens {
            switch token {
            case .day:
                guard let value = digits(max: 2, exactly: false) else { return .malformed }
                day = value
            case .month:
                guard let value = digits(max: 2, exactly: false) else { return .malformed }
                month = value
            case .year:
                guard let value = digits(max: 4, exactly: true) else { return .malformed }
                year = value
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return .malformed }
                index += 1
            }
        }
        return index == bytes.count ? .date(year: year, month: month, day: day) : .malformed
    }
}
