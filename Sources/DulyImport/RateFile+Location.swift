import DulyCore
import Foundation

extension RateFile {
    /// `rates.csv` beside a SQLite database (`sqlite:PATH` or `sqlite://PATH`); nil for any other database.
    public static func besideDatabase(_ databaseURL: String) -> String? {
        guard databaseURL.hasPrefix("sqlite:") else { return nil }
        var path = String(databaseURL.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("rates.csv").path
    }

    /// The rate file to read, as `duly interest`, `duly deliver` and `duly serve` all choose it: the one given, else
    /// `environment` (`$DULY_RATES`), else `rates.csv` beside a SQLite database when it exists; nil for none.
    public static func location(given: String?, environment: String?, databaseURL: String) -> String? {
        if let given { return given }
        if let environment { return environment }
        guard let beside = besideDatabase(databaseURL) else { return nil }
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }
}

/// The reference-rate table interest is worked out with, and where it came from (shown with the working).
public struct LoadedRates: Sendable {
    public var table: ReferenceRateTable
    /// "built-in table", or "built-in table with FILE over it".
    public var source: String

    /// The built-in table alone.
    public static var builtIn: LoadedRates { LoadedRates(table: .builtIn, source: "built-in table") }

    /// The built-in table with the file at `path` over it (nil: the built-in table alone).
    /// - Throws: `RateFileError` with every bad row, or the `CSVError` of a file that cannot be read.
    public static func load(overlaying path: String?) throws -> LoadedRates {
        LoadedRates(
            table: try RateFile.table(overlaying: path),
            source: path.map { "built-in table with \($0) over it" } ?? "built-in table")
    }
}
