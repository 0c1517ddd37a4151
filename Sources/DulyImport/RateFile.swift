import DulyCore

/// An operator's reference-rate file: new half-years (and corrections) for the statutory interest table, so that a
/// rate published after a release needs no new release (docs/DOMAIN.md, "Reference rates").
///
/// CSV, UTF-8, header row, comma-separated, columns in any order:
///
/// ```
/// reference,valid_from,rate_percent,source
/// BOE,2026-07-01,3.75,Bank of England Bank Rate on 30 Jun 2026
/// ECB,2026-07-01,2.15,ECB MRO in force on 1 Jul 2026
/// DE,2026-07-01,1.27,Bundesbank Basiszinssatz
/// ```
///
/// `reference` is BOE (also GB, UK), ECB (also EU, FR, NL, IE) or DE (the Basiszinssatz); `jurisdiction` is accepted
/// as its name. `valid_from` is the first day of the half-year (1 January or 1 July) the rate is for; for BOE that is
/// the half-year in which interest starts to run, its value the Bank Rate on the day before. `rate_percent` is the
/// reference rate (not the statutory rate: the margin is the law's), a decimal like `4.75` or `-0.88`. `source` is
/// optional free text shown in the working. A row replaces the built-in one for the same reference and half-year.
public enum RateFile {
    /// Reads a rate file. Throws only when it cannot be opened or read; bad rows are issues with line and column.
    public static func read(at path: String) throws(CSVError) -> CSVParseResult<ReferenceRateTable.Row> {
        do throws(CSVError) {
            return parse(try CSVReader(path: path), file: path)
        } catch {
            switch error.reason {
            case .cannotOpen, .readFailed: throw error
            default: return CSVParseResult(file: path, issues: [ImportIssue(error)])
            }
        }
    }

    /// Reads a rate file held in memory; `fileName` is what issues name.
    public static func parse(bytes: [UInt8], fileName: String) -> CSVParseResult<ReferenceRateTable.Row> {
        do {
            return parse(try CSVReader(bytes: bytes, fileName: fileName), file: fileName)
        } catch {
            return CSVParseResult(file: fileName, issues: [ImportIssue(error)])
        }
    }

    /// The built-in table with a file's rows over it; nil path gives the built-in table alone.
    /// - Throws: the file's issues (all of them, as `RateFileError`), or the `CSVError` of a file that cannot be read.
    public static func table(overlaying path: String?) throws -> ReferenceRateTable {
        var table = ReferenceRateTable.builtIn
        guard let path else { return table }
        let result = try read(at: path)
        guard result.isValid else { throw RateFileError(issues: result.issues) }
        table.merge(result.values)
        return table
    }

    private static func parse(_ reader: CSVReader, file: String) -> CSVParseResult<ReferenceRateTable.Row> {
        var result = CSVParseResult<ReferenceRateTable.Row>(file: file)
        // Column index of reference, valid_from, rate_percent, source.
        var indexes: [Int?] = [nil, nil, nil, nil]
        let names = ReferenceRateTable.columns + ["source"]
        let expected = names.joined(separator: ", ")
        for (position, raw) in reader.header.enumerated() {
            var name = raw.trimmingSpaces.lowercased()
            if name == "jurisdiction" { name = "reference" }
            guard let slot = names.firstIndex(of: name) else {
                result.issues.append(
                    ImportIssue(
                        file: file, line: reader.headerLine, column: position + 1, field: raw,
                        message: "unknown column; the columns are \(expected)"))
                continue
            }
            guard indexes[slot] == nil else {
                result.issues.append(
                    ImportIssue(
                        file: file, line: reader.headerLine, column: position + 1, field: name,
                        message: "this column appears twice"))
                continue
            }
            indexes[slot] = position
        }
        for slot in 0..<3 where indexes[slot] == nil {
            result.issues.append(
                ImportIssue(
                    file: file, line: reader.headerLine, column: 1, field: names[slot],
                    message: "required column missing from the header; the columns are \(expected)"))
        }
        guard result.issues.isEmpty else { return result }

        // Where each half-year was first given, to refuse a file that says two things about one.
        var seen: [String: Int] = [:]
        while true {
            let row: CSVRow
            do {
                guard let next = try reader.next() else { break }
                row = next
            } catch {
                result.issues.append(ImportIssue(error))
                if error.isRowLevel { continue } else { break }
            }
            result.rowCount += 1
            let values = (0..<3).map { row[indexes[$0]!].trimmingSpaces }
            let source = indexes[3].map { row[$0].trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
            var missing = false
            for slot in 0..<3 where values[slot].isEmpty {
                missing = true
                result.issues.append(
                    ImportIssue(
                        file: file, line: row.line(ofField: indexes[slot]!), column: indexes[slot]! + 1,
                        field: names[slot], message: "a value is required"))
            }
            guard !missing else { continue }
            let location = "\(file):\(row.line)"
            switch ReferenceRateTable.parseRow(
                reference: values[0], validFrom: values[1], ratePercent: values[2],
                source: source.map { "\(location) (\($0))" } ?? location)
            {
            case .success(let parsed):
                let key = "\(parsed.reference.rawValue) \(parsed.halfYear)"
                if let earlier = seen[key] {
                    result.issues.append(
                        ImportIssue(
                            file: file, line: row.line, column: indexes[1]! + 1, field: names[1],
                            message: "\(parsed.reference.rawValue) \(parsed.halfYear) is already given on line "
                                + "\(earlier); keep one row per reference and half-year"))
                } else {
                    seen[key] = row.line
                    result.records.append(CSVRecord(line: row.line, value: parsed))
                }
            case .failure(let error):
                let index = indexes[error.field]!
                result.issues.append(
                    ImportIssue(
                        file: file, line: row.line(ofField: index), column: index + 1, field: names[error.field],
                        message: error.message))
            }
        }
        return result
    }
}

/// A rate file with bad rows: nothing of it is used.
public struct RateFileError: Error, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]

    public init(issues: [ImportIssue]) {
        self.issues = issues
    }

    /// One issue per line, `file:line:column: field: message`.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
